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

/** Class weights of the priority: a worse class is chased sooner for the same money. */
export const CLASS_WEIGHTS: Record<string, number> = { A: 1, B: 1.5, C: 2, D: 3 };

/**
 * The worklist's priority (higher first): overdue amount (major units) × class weight × (1 + days past due / 30)
 * × (1 + broken promises). Money is the base so the largest exposure comes first; age, class and broken
 * promises raise it.
 */
export function priorityScore(
  overdueMinor: bigint,
  exponent: number,
  creditClass: string | null,
  daysPastDue: number,
  brokenPromises: number,
): number {
  const major = Number(overdueMinor) / 10 ** exponent;
  return major * (CLASS_WEIGHTS[creditClass ?? ''] ?? 2) * (1 + Math.max(0, daysPastDue) / 30) * (1 + brokenPromises);
}
