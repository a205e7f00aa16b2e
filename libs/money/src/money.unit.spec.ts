import { UnknownCurrencyError } from './currency';
import {
  CurrencyMismatchError,
  add,
  compare,
  equals,
  isNegative,
  isPositive,
  isZero,
  max,
  min,
  money,
  negate,
  subtract,
  sum,
  zero,
} from './money';

const eur = (minor: bigint) => money(minor, 'EUR');
const usd = (minor: bigint) => money(minor, 'USD');

describe('money', () => {
  describe('construction', () => {
    it('holds integer minor units of a known currency', () => {
      expect(money(6_000_000n, 'EUR')).toEqual({ amountMinor: 6_000_000n, currency: 'EUR' });
    });

    it('refuses an unknown currency', () => {
      expect(() => money(1n, 'XYZ')).toThrow(UnknownCurrencyError);
      expect(() => money(1n, 'eur')).toThrow('"eur" is not an ISO 4217 currency code ARC knows');
    });

    it('refuses a float amount coming from untyped code', () => {
      expect(() => money(12.5 as unknown as bigint, 'EUR')).toThrow(TypeError);
    });

    it('cannot be mutated after the fact', () => {
      const m = eur(100n);
      expect(() => {
        (m as { amountMinor: bigint }).amountMinor = 1n;
      }).toThrow(TypeError);
      expect(m.amountMinor).toBe(100n);
    });
  });

  describe('arithmetic', () => {
    it('adds and subtracts within a currency', () => {
      expect(add(eur(150n), eur(-50n))).toEqual(eur(100n));
      expect(subtract(eur(100n), eur(250n))).toEqual(eur(-150n));
    });

    it('refuses to add EUR to USD, as a domain refusal (422 currency-mismatch) naming both currencies', () => {
      expect(() => add(eur(1n), usd(1n))).toThrow(CurrencyMismatchError);
      expect(() => add(eur(1n), usd(1n))).toThrow("an amount to add must be in the other amount's currency EUR, not USD");
      expect(() => add(eur(1n), usd(1n))).toThrow(expect.objectContaining({ code: 'CURRENCY_MISMATCH', category: 'invalid-request' }));
    });

    it('refuses to subtract across currencies', () => {
      expect(() => subtract(eur(1n), usd(1n))).toThrow(CurrencyMismatchError);
    });

    it('negates, and negating zero stays zero', () => {
      expect(negate(eur(5n))).toEqual(eur(-5n));
      expect(isZero(negate(eur(0n)))).toBe(true);
    });

    it('stays exact beyond 2^53 minor units', () => {
      const big = eur(2n ** 53n);
      expect(add(big, eur(1n)).amountMinor).toBe(9_007_199_254_740_993n);
      expect(subtract(eur(10n ** 30n), eur(1n)).amountMinor).toBe(999_999_999_999_999_999_999_999_999_999n);
    });
  });

  describe('comparison', () => {
    it('orders amounts like a sort comparator', () => {
      expect(compare(eur(1n), eur(2n))).toBe(-1);
      expect(compare(eur(2n), eur(2n))).toBe(0);
      expect(compare(eur(-1n), eur(-2n))).toBe(1);
    });

    it('refuses to compare EUR with USD', () => {
      expect(() => compare(eur(1n), usd(1n))).toThrow(CurrencyMismatchError);
    });

    it('treats equal amounts in different currencies as different', () => {
      expect(equals(eur(1n), eur(1n))).toBe(true);
      expect(equals(eur(1n), usd(1n))).toBe(false);
    });

    it('tells zero, negative and positive apart', () => {
      expect([isZero(eur(0n)), isNegative(eur(0n)), isPositive(eur(0n))]).toEqual([true, false, false]);
      expect([isZero(eur(-1n)), isNegative(eur(-1n)), isPositive(eur(-1n))]).toEqual([false, true, false]);
      expect([isZero(eur(1n)), isNegative(eur(1n)), isPositive(eur(1n))]).toEqual([false, false, true]);
    });

    it('finds the smallest and largest amount', () => {
      expect(min(eur(3n), eur(-7n), eur(5n))).toEqual(eur(-7n));
      expect(max(eur(3n), eur(-7n), eur(5n))).toEqual(eur(5n));
      expect(min(eur(3n))).toEqual(eur(3n));
    });

    it('refuses min/max over mixed currencies', () => {
      expect(() => min(eur(1n), usd(0n))).toThrow(CurrencyMismatchError);
      expect(() => max(eur(1n), usd(0n))).toThrow(CurrencyMismatchError);
    });
  });

  describe('sum', () => {
    it('totals a list in its currency', () => {
      expect(sum([eur(100n), eur(-30n), eur(5n)], 'EUR')).toEqual(eur(75n));
    });

    it('gives a zero of the stated currency for an empty list', () => {
      expect(sum([], 'JPY')).toEqual(zero('JPY'));
    });

    it('refuses a list with one amount in another currency', () => {
      expect(() => sum([eur(1n), usd(1n)], 'EUR')).toThrow(CurrencyMismatchError);
      expect(() => sum([usd(1n)], 'EUR')).toThrow(CurrencyMismatchError);
    });
  });
});
