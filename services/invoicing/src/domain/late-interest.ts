/*
 * Late-payment interest, exact. Pure.
 *
 * The rule (stated in the README):
 * - Interest accrues for each day of lateness — every day after an instalment's due date on which part of
 *   it is still open — on the overdue open principal at that day's close, less the part of it in open
 *   dispute. Debit notes (interest included) bear no interest: no compounding.
 * - Day count actual/actual: one day's interest is principal × annual rate / the number of days in that
 *   day's year (366 in a leap year, so 29 February is a day like any other, at 1/366 of the annual rate).
 * - The annual rate is the contract's fixed rate, or the reference rate in force on that day plus the
 *   contract's margin (EU Late Payment Directive 2011/7/EU: the ECB's rate + at least 8 points).
 * - Each day's interest is kept exactly, as a fraction of a minor unit over INTEREST_DENOMINATOR; nothing
 *   is rounded until a charge. A charge (a debit note) is round-half-up(Σ accrued so far) − Σ charged
 *   before, so the charges always add up to the exact accrual rounded half up once: no cent is gained or
 *   lost to rounding however often interest is charged.
 */
import { isLeapYear, toParts, type BusinessDate } from '@arc/clock';
import { divideRounded } from '@arc/money';

export type LateInterestRule =
  | { kind: 'fixed'; annualRateBasisPoints: number }
  /** The reference rate in force on each day (set by finance, see the reference-rates stream) + the margin. */
  | { kind: 'reference-plus-margin'; marginBasisPoints: number };

/** 10 000 (basis points) × 365 × 366: a day's interest is an exact multiple of 1 / this, in either kind of year. */
export const INTEREST_DENOMINATOR = 10_000n * 365n * 366n;

/** The annual rate in basis points on a day; null when the rule needs a reference rate and none is in force. */
export function annualRateOn(rule: LateInterestRule, referenceRateBasisPoints: number | null): number | null {
  if (rule.kind === 'fixed') return rule.annualRateBasisPoints;
  if (referenceRateBasisPoints === null) return null;
  return Math.max(0, referenceRateBasisPoints + rule.marginBasisPoints);
}

/** One day's interest on `principalMinor`, in units of 1 / INTEREST_DENOMINATOR of a minor unit. */
export function dayInterestNumerator(principalMinor: bigint, annualRateBasisPoints: number, day: BusinessDate): bigint {
  const daysInYear = isLeapYear(toParts(day).year) ? 366n : 365n;
  // principal × rate / (10 000 × daysInYear) = principal × rate × (365 × 366 / daysInYear) / DENOMINATOR
  return principalMinor * BigInt(annualRateBasisPoints) * ((365n * 366n) / daysInYear);
}

/** What a charge adds: round-half-up(accrued) − charged before (never negative). */
export function interestToCharge(accruedNumerator: bigint, chargedMinor: bigint): bigint {
  const due = divideRounded(accruedNumerator, INTEREST_DENOMINATOR, 'half-up') - chargedMinor;
  return due > 0n ? due : 0n;
}

/** The exact accrual in minor units as a decimal string, to 6 places (truncated), for the debit note's record. */
export function exactMinorText(numerator: bigint): string {
  const whole = numerator / INTEREST_DENOMINATOR;
  const fraction = ((numerator % INTEREST_DENOMINATOR) * 1_000_000n) / INTEREST_DENOMINATOR;
  return fraction === 0n ? whole.toString() : `${whole}.${fraction.toString().padStart(6, '0').replace(/0+$/, '')}`;
}
