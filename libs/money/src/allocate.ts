import { money, type Money } from './money';

/**
 * Splits an amount in proportion to integer weights so that the parts add up to exactly the total
 * (largest remainder method): each part gets the floor of its share, then the minor units left over go
 * one each to the parts with the largest remainders, earlier parts first on a tie. A zero weight always
 * gets zero. A negative total is split like its positive and negated, so a reversal mirrors the original.
 */
export function allocate(total: Money, weights: readonly bigint[]): Money[] {
  if (weights.length === 0) throw new RangeError('allocate needs at least one weight');
  let weightSum = 0n;
  for (const weight of weights) {
    if (typeof weight !== 'bigint' || weight < 0n) {
      throw new RangeError(`allocation weights must be non-negative bigints, got ${String(weight)}`);
    }
    weightSum += weight;
  }
  if (weightSum === 0n) throw new RangeError('allocation weights must not all be zero');

  const negative = total.amountMinor < 0n;
  const amount = negative ? -total.amountMinor : total.amountMinor;
  const shares = weights.map((weight) => (amount * weight) / weightSum);
  const remainders = weights.map((weight) => (amount * weight) % weightSum);
  let leftover = amount - shares.reduce((a, b) => a + b, 0n);

  const byRemainder = weights
    .map((_, index) => index)
    .sort((a, b) => {
      const ra = remainders[a] ?? 0n;
      const rb = remainders[b] ?? 0n;
      return ra === rb ? a - b : ra > rb ? -1 : 1;
    });
  for (const index of byRemainder) {
    if (leftover === 0n) break;
    shares[index] = (shares[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return shares.map((share) => money(negative ? -share : share, total.currency));
}
