import { CurrencyMismatchError, money, type Money } from './money';

/**
 * How a quotient that falls between two integers is rounded; the names and meanings are those of
 * java.math.RoundingMode, so an auditor can reproduce a figure with a known tool.
 * - 'half-up': to the nearest, ties away from zero (2.5 → 3, -2.5 → -3). Commercial rounding; the default.
 * - 'half-even': to the nearest, ties to the even neighbour (2.5 → 2, 3.5 → 4). Banker's rounding.
 * - 'down': toward zero (truncation).   - 'up': away from zero.
 */
export type Rounding = 'half-up' | 'half-even' | 'down' | 'up';

/** One basis point is 1/10000: 100 % = 10000 bp, 2 % = 200 bp. */
export const BASIS_POINTS_PER_UNIT = 10_000n;

/** numerator / denominator rounded to an integer; symmetric around zero for the half and up/down modes. */
export function divideRounded(numerator: bigint, denominator: bigint, rounding: Rounding = 'half-up'): bigint {
  if (denominator === 0n) throw new RangeError('division by zero');
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  const awayFromZero = quotient + (numerator < 0n !== denominator < 0n ? -1n : 1n);
  const twiceRemainder = 2n * (remainder < 0n ? -remainder : remainder);
  const absDenominator = denominator < 0n ? -denominator : denominator;
  switch (rounding) {
    case 'down':
      return quotient;
    case 'up':
      return awayFromZero;
    case 'half-up':
      return twiceRemainder >= absDenominator ? awayFromZero : quotient;
    case 'half-even':
      if (twiceRemainder !== absDenominator) return twiceRemainder > absDenominator ? awayFromZero : quotient;
      return quotient % 2n === 0n ? quotient : awayFromZero;
    default: {
      const unknown: never = rounding;
      throw new RangeError(`unknown rounding ${String(unknown)}`);
    }
  }
}

function sameCurrency(part: Money, whole: Money, operation: string): void {
  if (part.currency !== whole.currency)
    throw new CurrencyMismatchError(whole.currency, part.currency, `an amount to ${operation}`, "the whole's currency");
}

/**
 * part / whole in basis points (utilisation 600 000 / 1 000 000 → 6000n), rounded half-up by default.
 * Returns null when whole is zero: the ratio is undefined, and only the caller knows what that means
 * (exposure against a zero limit is a breach; an overdue ratio with no open AR is nothing to report).
 * Do not decide thresholds on the rounded figure (10000.4 bp rounds to a "non-breach" 10000):
 * use `compareRatioToBasisPoints`.
 */
export function ratioBasisPoints(part: Money, whole: Money, rounding: Rounding = 'half-up'): bigint | null {
  sameCurrency(part, whole, 'take a ratio of');
  if (whole.amountMinor === 0n) return null;
  return divideRounded(part.amountMinor * BASIS_POINTS_PER_UNIT, whole.amountMinor, rounding);
}

/**
 * Exact comparison of part / whole against a threshold in basis points, with no rounding: -1, 0 or 1,
 * or null when whole is zero (see `ratioBasisPoints`). For rules like "utilisation above 80 %".
 */
export function compareRatioToBasisPoints(part: Money, whole: Money, basisPoints: bigint): -1 | 0 | 1 | null {
  sameCurrency(part, whole, 'take a ratio of');
  if (whole.amountMinor === 0n) return null;
  // part/whole ? bp/10000  ⇔  part·10000 ? bp·whole, with the inequality flipped when whole is negative.
  const difference = part.amountMinor * BASIS_POINTS_PER_UNIT - basisPoints * whole.amountMinor;
  const oriented = whole.amountMinor < 0n ? -difference : difference;
  return oriented === 0n ? 0 : oriented > 0n ? 1 : -1;
}

/**
 * basisPoints of an amount (an early-payment discount of 2 % is `percentOf(total, 200n)`), rounded to a
 * whole minor unit half-up by default. Pass 'down' where the contract says the fraction is never granted.
 */
export function percentOf(m: Money, basisPoints: bigint, rounding: Rounding = 'half-up'): Money {
  return money(divideRounded(m.amountMinor * basisPoints, BASIS_POINTS_PER_UNIT, rounding), m.currency);
}

/**
 * A ratio (or any integer figure) as a JSON number, exactly: the number when it is a safe integer (|n| ≤ 2^53 − 1),
 * null when it is not — a figure that large (utilisation over 90 billion %: a limit of one cent against a large
 * exposure) would be rounded by Number(), and a rounded ratio must never be shown as if it were exact.
 */
export function exactNumberOrNull(value: bigint | null): number | null {
  if (value === null) return null;
  return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : null;
}
