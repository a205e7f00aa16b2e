/*
 * Cash application as a person would do it (pure: no clock, no database). The steps, in this order, each
 * named on the allocation it produces (MatchStep, in @arc/contracts):
 *
 * 1. remittance-reference: invoice numbers (or ids) found in the payer's references or free remittance text,
 *    shorthand included ("INV-2026-000123/124", "INV-2026-000123, 124"); the quoted invoices are settled together
 *    (early-payment discount when paid inside the window for the discounted amount, within the tolerance), in the
 *    order quoted; what they do not need goes on to step 2. Paid less than they need: the shortfall stays open,
 *    and with a reason (remittance words or finance's) it becomes a short payment.
 * 2. exact-amount: what is left equals the open amount (or, inside its window, the discounted amount; or the rest
 *    of the instalment due next) of exactly one open item: that item, even if it is not the oldest.
 * 3. amount-combination: exactly one set of 2–4 open items sums to what is left (bounded search; two or more sets,
 *    or a search that hits its bound, is ambiguous and goes to step 4).
 * 4. the customer's fallback: oldest-due-first (ties by invoice id), or leave-unapplied.
 * Whatever is left stays unapplied cash on account.
 */
import { compare as compareDates, type BusinessDate } from '@arc/clock';
import type { MatchStep, ShortPaymentReasonCode, UnmatchedCashFallback } from '@arc/contracts';
import { formatMajor, money, percentOf, type Money } from '@arc/money';
import { normal, referencedNumbers, shortPaymentReasonIn } from './remittance';

export { referencedNumbers, shortPaymentReasonIn };

/** An open item as cash application sees it: what is still open after this account's allocations and discounts. */
export interface MatchCandidate {
  invoiceId: string;
  invoiceNumber?: string;
  dueDate: BusinessDate;
  /** Open now, > 0. */
  open: Money;
  /** The invoice total the discount is a percentage of, and the offer; absent when the invoice offers none. */
  discount?: { total: Money; basisPoints: number; payBy: BusinessDate };
  /**
   * For an invoice in instalments: what is still open of the instalment due next (the earliest not yet paid) and its
   * number; `dueDate` is then that instalment's due date. Absent for an invoice of one due item.
   */
  instalment?: { sequence: number; open: Money };
}

export interface MatchSettings {
  unmatchedCash: UnmatchedCashFallback;
  /** How far below the discounted amount a payment may fall and still earn the discount, minor units. */
  discountToleranceMinor: bigint;
}

export interface MatchInput {
  amount: Money;
  receivedOn: BusinessDate;
  /** Structured references and free text, as the payer sent them. */
  remittance: readonly string[];
  /** Open items in the payment's currency, each listed once. */
  candidates: readonly MatchCandidate[];
  settings: MatchSettings;
  /** A reason finance gave for paying less than the quoted invoices need (beats the remittance's words). */
  shortPaymentReason?: { code: ShortPaymentReasonCode; text: string } | null;
}

export interface PlannedAllocation {
  invoiceId: string;
  cash: Money;
  step: MatchStep;
  explanation: string;
  /** The early-payment discount that closes the invoice with this cash. */
  discount?: { amount: Money; basisPoints: number; payBy: BusinessDate };
}

export interface PlannedShortPayment {
  invoiceId: string;
  shortfall: Money;
  reasonCode: ShortPaymentReasonCode;
  reason: string;
  source: 'remittance' | 'finance';
}

export interface MatchPlan {
  allocations: PlannedAllocation[];
  shortPayments: PlannedShortPayment[];
  unapplied: Money;
}

/** Bounds of the combination search (step 3). */
export const COMBINATION_LIMITS = { maxItems: 4, maxCandidatesForTriples: 120, maxCandidatesForQuads: 40, maxVisits: 200_000 };

// ------------------------------------------------------------------------------------------------- steps

const byDue = (a: MatchCandidate, b: MatchCandidate): number =>
  compareDates(a.dueDate, b.dueDate) || (a.invoiceId < b.invoiceId ? -1 : a.invoiceId > b.invoiceId ? 1 : 0);

const label = (c: MatchCandidate): string => c.invoiceNumber ?? c.invoiceId;

/** Oldest due first; the view already lists them so, and checking costs one pass where sorting costs n log n. */
function inDueOrder(list: MatchCandidate[]): MatchCandidate[] {
  for (let i = 1; i < list.length; i++) if (byDue(list[i - 1] as MatchCandidate, list[i] as MatchCandidate) > 0) return list.sort(byDue);
  return list;
}

/** The discount the invoice's offer grants on a payment received that day (0 outside the window or without offer). */
function discountOn(candidate: MatchCandidate, receivedOn: BusinessDate): bigint {
  const offer = candidate.discount;
  if (offer === undefined || compareDates(receivedOn, offer.payBy) > 0) return 0n;
  const granted = percentOf(offer.total, BigInt(offer.basisPoints)).amountMinor;
  // Never more than is open, and leaving something to pay.
  return granted < candidate.open.amountMinor ? granted : 0n;
}

interface Settling {
  candidate: MatchCandidate;
  cash: bigint;
  discount: bigint;
}

/**
 * Settles `items` together from `available`: in full when it covers them all; with their early-payment discounts
 * when it covers the discounted amounts (within the tolerance), the gap between the cash and the open amount of each
 * recorded as its discount; else in the given order until the cash runs out (the rest stays open).
 */
function settleTogether(items: readonly MatchCandidate[], available: bigint, input: MatchInput): Settling[] {
  const full = items.reduce((s, c) => s + c.open.amountMinor, 0n);
  if (available >= full) return items.map((candidate) => ({ candidate, cash: candidate.open.amountMinor, discount: 0n }));
  const discounts = items.map((c) => discountOn(c, input.receivedOn));
  const discounted = full - discounts.reduce((s, d) => s + d, 0n);
  const anyDiscount = discounts.some((d) => d > 0n);
  if (anyDiscount && available >= discounted - input.settings.discountToleranceMinor) {
    // Each pays its discounted amount; cash above that lowers the discounts (first items first), cash below it
    // (within the tolerance) raises the last discounted item's discount.
    const settled = items.map((candidate, i) => ({
      candidate,
      cash: candidate.open.amountMinor - (discounts[i] ?? 0n),
      discount: discounts[i] ?? 0n,
    }));
    let extra = available - discounted;
    for (const s of settled) {
      if (extra <= 0n) break;
      const take = extra < s.discount ? extra : s.discount;
      s.cash += take;
      s.discount -= take;
      extra -= take;
    }
    if (extra < 0n) {
      const last = [...settled].reverse().find((s) => s.discount > 0n && s.cash + extra > 0n);
      if (last === undefined) return greedy(items, available);
      last.cash += extra;
      last.discount -= extra;
    }
    return settled;
  }
  return greedy(items, available);
}

function greedy(items: readonly MatchCandidate[], available: bigint): Settling[] {
  const out: Settling[] = [];
  let left = available;
  for (const candidate of items) {
    if (left <= 0n) break;
    const cash = left < candidate.open.amountMinor ? left : candidate.open.amountMinor;
    out.push({ candidate, cash, discount: 0n });
    left -= cash;
  }
  return out;
}

/**
 * Exactly one set of 2..maxItems candidates summing to `target`, or null (none, several, or the visit bound was hit).
 * Pairs by a hash of amounts (any number of candidates); triples only among at most 120 candidates below the target,
 * quads among at most 40 (a customer with more is searched for pairs only: "unique" means unique among the sets
 * searched).
 */
export function uniqueCombination(candidates: readonly MatchCandidate[], target: bigint): MatchCandidate[] | null {
  const usable = inDueOrder(candidates.filter((c) => c.open.amountMinor < target));
  const solutions: MatchCandidate[][] = [];
  // Pairs: one pass with a map from amount to the candidates seen with it.
  // Keyed by the amount as a number (exact: amounts are far below 2^53 minor units, see @arc/money's bounds).
  const seen = new Map<number, MatchCandidate[]>();
  const goal = Number(target);
  for (const c of usable) {
    const amount = Number(c.open.amountMinor);
    for (const partner of seen.get(goal - amount) ?? []) {
      solutions.push([partner, c]);
      if (solutions.length > 1) return null;
    }
    const list = seen.get(amount);
    if (list) list.push(c);
    else seen.set(amount, [c]);
  }
  const limits = COMBINATION_LIMITS;
  const sizes = [3, 4].filter(
    (k) => k <= limits.maxItems && usable.length <= (k === 3 ? limits.maxCandidatesForTriples : limits.maxCandidatesForQuads),
  );
  if (sizes.length === 0) return solutions.length === 1 ? [...(solutions[0] as MatchCandidate[])].sort(byDue) : null;
  // Ascending amounts (as numbers: exact far below 2^53), so a branch stops as soon as the next amount overshoots,
  // or as soon as even the largest amounts left cannot reach what is left.
  const sorted = [...usable].sort((a, b) =>
    a.open.amountMinor < b.open.amountMinor ? -1 : a.open.amountMinor > b.open.amountMinor ? 1 : 0,
  );
  const amounts = sorted.map((c) => Number(c.open.amountMinor));
  /** largest[r][i]: the sum of the r largest amounts at or after i (the last r of the list). */
  const largestFrom = (r: number, i: number): number => {
    let sum = 0;
    for (let k = Math.max(i, amounts.length - r); k < amounts.length; k++) sum += amounts[k] as number;
    return sum;
  };
  let visits = 0;
  let exhausted = false;
  const pick: number[] = [];
  const search = (from: number, left: number, size: number): void => {
    if (solutions.length > 1 || exhausted) return;
    const still = size - pick.length;
    if (still === 0) {
      if (left === 0) solutions.push(pick.map((i) => sorted[i] as MatchCandidate));
      return;
    }
    if (largestFrom(still, from) < left) return;
    for (let i = from; i <= amounts.length - still; i++) {
      if (++visits > limits.maxVisits) {
        exhausted = true;
        return;
      }
      const amount = amounts[i] as number;
      if (amount * still > left) break; // ascending: every later pick is at least this much
      pick.push(i);
      search(i + 1, left - amount, size);
      pick.pop();
      if (solutions.length > 1 || exhausted) return;
    }
  };
  for (const size of sizes) search(0, goal, size);
  if (exhausted || solutions.length !== 1) return null;
  return [...(solutions[0] as MatchCandidate[])].sort(byDue);
}

// ------------------------------------------------------------------------------------------------ the plan

export function planCashApplication(input: MatchInput): MatchPlan {
  const { amount, receivedOn, remittance } = input;
  const currency = amount.currency;
  const allocations: PlannedAllocation[] = [];
  const shortPayments: PlannedShortPayment[] = [];
  const open = new Map(input.candidates.filter((c) => c.open.amountMinor > 0n).map((c) => [c.invoiceId, c]));
  let left = amount.amountMinor;

  const take = (settled: Settling[], step: MatchStep, why: (c: MatchCandidate) => string): void => {
    for (const { candidate, cash, discount } of settled) {
      if (cash <= 0n) continue;
      const planned: PlannedAllocation = { invoiceId: candidate.invoiceId, cash: money(cash, currency), step, explanation: why(candidate) };
      if (discount > 0n && candidate.discount !== undefined) {
        planned.discount = {
          amount: money(discount, currency),
          basisPoints: candidate.discount.basisPoints,
          payBy: candidate.discount.payBy,
        };
        planned.explanation += `; paid inside the discount window (by ${candidate.discount.payBy}): ${formatMajor(money(discount, currency))} discount taken`;
      }
      allocations.push(planned);
      left -= cash;
      open.delete(candidate.invoiceId);
    }
  };

  // 1. Invoice numbers in the remittance.
  const quotedNumbers = referencedNumbers(remittance);
  if (quotedNumbers.length > 0) {
    const byNumber = new Map<string, MatchCandidate>();
    for (const c of open.values()) {
      byNumber.set(normal(c.invoiceId), c);
      if (c.invoiceNumber !== undefined) byNumber.set(normal(c.invoiceNumber), c);
    }
    const quoted: MatchCandidate[] = [];
    for (const n of quotedNumbers) {
      const c = byNumber.get(n);
      if (c !== undefined && !quoted.includes(c)) quoted.push(c);
    }
    if (quoted.length > 0) {
      const text = remittance.join(' | ');
      const settled = settleTogether(quoted, left, input);
      take(settled, 'remittance-reference', (c) => `${label(c)} found in remittance '${text}'`);
      // What the quoted invoices still lack after this payment: with a reason, a short payment.
      const reason =
        input.shortPaymentReason != null
          ? { ...input.shortPaymentReason, source: 'finance' as const }
          : (() => {
              const words = shortPaymentReasonIn(remittance);
              return words === null ? null : { ...words, source: 'remittance' as const };
            })();
      if (reason !== null) {
        for (const c of quoted) {
          const s = settled.find((x) => x.candidate === c);
          const short = c.open.amountMinor - (s?.cash ?? 0n) - (s?.discount ?? 0n);
          if (short > 0n) {
            shortPayments.push({
              invoiceId: c.invoiceId,
              shortfall: money(short, currency),
              reasonCode: reason.code,
              reason: reason.text,
              source: reason.source,
            });
          }
        }
      }
    }
  }

  // 2. An exact amount: one open item (or one inside its discount window at its discounted amount, within the tolerance).
  if (left > 0n) {
    const exact: MatchCandidate[] = [];
    for (const c of open.values()) if (c.open.amountMinor === left) exact.push(c);
    // An instalment is an open item too: the open rest of the instalment due next on exactly one invoice.
    const instalments: MatchCandidate[] = [];
    if (exact.length === 0) {
      for (const c of open.values()) if (c.instalment !== undefined && c.instalment.open.amountMinor === left) instalments.push(c);
    }
    if (exact.length === 1) {
      const c = exact[0] as MatchCandidate;
      take(
        [{ candidate: c, cash: left, discount: 0n }],
        'exact-amount',
        () => `the amount equals the open amount of ${label(c)}, and of no other open item`,
      );
    } else if (instalments.length === 1) {
      const c = instalments[0] as MatchCandidate;
      take(
        [{ candidate: c, cash: left, discount: 0n }],
        'exact-amount',
        () => `the amount equals instalment ${c.instalment?.sequence ?? ''} of ${label(c)} (due ${c.dueDate}), and no other open item`,
      );
    } else if (exact.length === 0 && instalments.length === 0) {
      const tolerance = input.settings.discountToleranceMinor;
      const discounted = [...open.values()].filter((c) => {
        if (c.discount === undefined) return false;
        const d = discountOn(c, receivedOn);
        const need = c.open.amountMinor - d;
        return d > 0n && left <= need && left >= need - tolerance;
      });
      if (discounted.length === 1) {
        const c = discounted[0] as MatchCandidate;
        take(
          [{ candidate: c, cash: left, discount: c.open.amountMinor - left }],
          'exact-amount',
          () => `the amount equals the discounted amount of ${label(c)}, and of no other open item`,
        );
      }
    }
  }

  // 3. One combination of open items summing exactly.
  if (left > 0n) {
    const combination = uniqueCombination([...open.values()], left);
    if (combination !== null) {
      const names = combination.map(label).join(' + ');
      take(
        combination.map((candidate) => ({ candidate, cash: candidate.open.amountMinor, discount: 0n })),
        'amount-combination',
        () => `the amount equals ${names}, the only combination of open items that sums to it`,
      );
    }
  }

  // 4. The customer's fallback.
  if (left > 0n && input.settings.unmatchedCash === 'oldest-due-first') {
    const oldest = inDueOrder([...open.values()]);
    take(
      greedy(oldest, left),
      'oldest-due-first',
      (c) => `no reference, amount or combination matched: oldest due first (${label(c)} due ${c.dueDate})`,
    );
  }

  return { allocations, shortPayments, unapplied: money(left, currency) };
}
