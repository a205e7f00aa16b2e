/*
 * Who works which customer: assignment rules (by business unit, credit class, overdue amount band), the first
 * matching rule wins; a customer no rule takes goes to the least-loaded collector of the round-robin list
 * (ties by name, so the choice is deterministic). And the documented priority of the worklist.
 */
export interface AssignmentRule {
  collector: string;
  businessUnit?: string | null;
  creditClass?: string | null;
  /** Overdue amount band in minor units: from (inclusive) … to (exclusive); null: open-ended. */
  minOverdueMinor?: string | null;
  maxOverdueMinor?: string | null;
}

export interface AssignmentRules {
  rules: AssignmentRule[];
  roundRobin: string[];
}

export interface AssignmentSubject {
  businessUnit: string | null;
  creditClass: string | null;
  overdueMinor: bigint;
}

export function pickCollector(config: AssignmentRules, subject: AssignmentSubject, load: ReadonlyMap<string, number>): string | null {
  const rule = config.rules.find(
    (r) =>
      (r.businessUnit == null || r.businessUnit === subject.businessUnit) &&
      (r.creditClass == null || r.creditClass === subject.creditClass) &&
      (r.minOverdueMinor == null || subject.overdueMinor >= BigInt(r.minOverdueMinor)) &&
      (r.maxOverdueMinor == null || subject.overdueMinor < BigInt(r.maxOverdueMinor)),
  );
  if (rule) return rule.collector;
  const [first] = [...config.roundRobin].sort((a, b) => (load.get(a) ?? 0) - (load.get(b) ?? 0) || a.localeCompare(b));
  return first ?? null;
}

/** Class weights of the priority, in halves (A 1, B 1.5, C 2, D 3): a worse class is chased sooner for the same money. */
export const CLASS_WEIGHTS: Record<string, bigint> = { A: 2n, B: 3n, C: 4n, D: 6n };
/** An unknown class weighs as C. */
const DEFAULT_WEIGHT = 4n;
/** Amounts are compared in ten-thousandths of the major unit, whatever the currency's exponent (0 to 4). */
const PRIORITY_SCALE = 4;

/**
 * The worklist's priority (higher first), an exact integer: overdue amount (in ten-thousandths of the major
 * unit) × class weight in halves (A 2, B 3, C 4, D 6) × (30 + days past due) × (1 + broken promises). That is
 * amount × class weight × (1 + days / 30) × (1 + broken promises), scaled by 600,000 so no fraction or float is
 * ever involved: money is the base so the largest exposure comes first; age, class and broken promises raise it.
 */
export function priorityScore(
  overdueMinor: bigint,
  exponent: number,
  creditClass: string | null,
  daysPastDue: number,
  brokenPromises: number,
): bigint {
  const scaled =
    exponent <= PRIORITY_SCALE
      ? overdueMinor * 10n ** BigInt(PRIORITY_SCALE - exponent)
      : overdueMinor / 10n ** BigInt(exponent - PRIORITY_SCALE);
  const weight = CLASS_WEIGHTS[creditClass ?? ''] ?? DEFAULT_WEIGHT;
  return scaled * weight * BigInt(30 + Math.max(0, Math.trunc(daysPastDue))) * BigInt(1 + Math.max(0, Math.trunc(brokenPromises)));
}
