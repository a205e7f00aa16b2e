import type { Money } from './money';

/**
 * The largest magnitude of one amount ARC accepts: 999,999,999,999,999 minor units (15 digits; just under
 * ten trillion EUR, a quadrillion JPY). Every amount that enters — an invoice line and its total, a payment,
 * a credit limit, an insured amount, a threshold — is within ±MAX_AMOUNT_MINOR. Why this bound:
 * - it is below 2^53, so even a reader that turns the string into a double (a BI tool, a spreadsheet) reads
 *   it exactly;
 * - about 9,200 such amounts add up within a PostgreSQL `bigint` (2^63 - 1), and sums of any realistic number
 *   of them fit the read models' `numeric(38, 0)` columns by twenty orders of magnitude, so no figure a read
 *   model derives (open AR, exposure, aging buckets) can overflow, live or rebuilt.
 */
export const MAX_AMOUNT_MINOR = 999_999_999_999_999n;

/**
 * The largest magnitude of a figure that adds amounts up (a customer's open AR, exposure, a portfolio total):
 * what the read models' `numeric(38, 0)` columns hold. Only sums are read against it, never input.
 */
export const MAX_FIGURE_MINOR = 10n ** 38n - 1n;

/** Which bound a value is read against: one amount (the default, for anything that is input) or a sum of them. */
export type MoneyBound = 'amount' | 'figure';

export function boundOf(bound: MoneyBound): bigint {
  return bound === 'figure' ? MAX_FIGURE_MINOR : MAX_AMOUNT_MINOR;
}

/** Whether one amount is within ±MAX_AMOUNT_MINOR: what a decider checks on an amount it computes (a total of lines). */
export function isWithinAmountBound(m: Money): boolean {
  return m.amountMinor <= MAX_AMOUNT_MINOR && m.amountMinor >= -MAX_AMOUNT_MINOR;
}
