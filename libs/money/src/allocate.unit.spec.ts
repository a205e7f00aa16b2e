import { allocate } from './allocate';
import { money, sum, type Money } from './money';

const eur = (minor: bigint) => money(minor, 'EUR');
const amounts = (parts: Money[]) => parts.map((m) => m.amountMinor);

describe('allocation', () => {
  it('splits 1.00 in three without losing a cent, the first part taking the extra', () => {
    expect(amounts(allocate(eur(100n), [1n, 1n, 1n]))).toEqual([34n, 33n, 33n]);
  });

  it('gives leftover units to the largest remainders, not to the first parts', () => {
    // shares 0.2, 0.3, 0.5 of 0.07 → 1.4, 2.1, 3.5 → floors 1, 2, 3, one cent to the 0.5 remainder
    expect(amounts(allocate(eur(7n), [2n, 3n, 5n]))).toEqual([1n, 2n, 4n]);
  });

  it('splits in exact proportion when it divides evenly', () => {
    expect(amounts(allocate(eur(1000n), [1n, 3n]))).toEqual([250n, 750n]);
  });

  it('gives nothing to a zero weight', () => {
    expect(amounts(allocate(eur(5n), [0n, 1n, 0n, 1n]))).toEqual([0n, 3n, 0n, 2n]);
  });

  it('mirrors a negative amount so a reversal undoes the original split', () => {
    const forward = allocate(eur(100n), [1n, 1n, 1n]);
    const backward = allocate(eur(-100n), [1n, 1n, 1n]);
    expect(amounts(backward)).toEqual(amounts(forward).map((a) => -a));
  });

  it('always adds back up to the total, for JPY, KWD and amounts beyond 2^53', () => {
    const weights = [7n, 13n, 1n, 0n, 29n];
    for (const total of [money(1001n, 'JPY'), money(99_999n, 'KWD'), eur(2n ** 70n + 3n), eur(-12_345n)]) {
      const parts = allocate(total, weights);
      expect(sum(parts, total.currency)).toEqual(total);
      expect(parts.every((p) => p.currency === total.currency)).toBe(true);
    }
  });

  it('uses invoice amounts as weights to spread a payment pro rata', () => {
    expect(amounts(allocate(eur(10_000n), [30_000n, 10_000n, 10_000n]))).toEqual([6000n, 2000n, 2000n]);
  });

  it('refuses no weights, negative weights and all-zero weights', () => {
    expect(() => allocate(eur(1n), [])).toThrow('at least one weight');
    expect(() => allocate(eur(1n), [1n, -1n])).toThrow('non-negative');
    expect(() => allocate(eur(1n), [0n, 0n])).toThrow('must not all be zero');
  });
});
