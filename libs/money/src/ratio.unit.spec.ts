import { money } from './money';
import { compareRatioToBasisPoints, divideRounded, exactNumberOrNull, percentOf, ratioBasisPoints, type Rounding } from './ratio';

const eur = (minor: bigint) => money(minor, 'EUR');

describe('rounded division', () => {
  const cases: [bigint, bigint, Record<Rounding, bigint>][] = [
    [5n, 2n, { 'half-up': 3n, 'half-even': 2n, down: 2n, up: 3n }],
    [7n, 2n, { 'half-up': 4n, 'half-even': 4n, down: 3n, up: 4n }],
    [-5n, 2n, { 'half-up': -3n, 'half-even': -2n, down: -2n, up: -3n }],
    [5n, -2n, { 'half-up': -3n, 'half-even': -2n, down: -2n, up: -3n }],
    [-5n, -2n, { 'half-up': 3n, 'half-even': 2n, down: 2n, up: 3n }],
    [2n, 3n, { 'half-up': 1n, 'half-even': 1n, down: 0n, up: 1n }],
    [1n, 3n, { 'half-up': 0n, 'half-even': 0n, down: 0n, up: 1n }],
    [-1n, 3n, { 'half-up': 0n, 'half-even': 0n, down: 0n, up: -1n }],
    [6n, 3n, { 'half-up': 2n, 'half-even': 2n, down: 2n, up: 2n }],
  ];
  it.each(cases)('rounds %p / %p as documented in every mode', (numerator, denominator, expected) => {
    for (const [rounding, result] of Object.entries(expected)) {
      expect([rounding, divideRounded(numerator, denominator, rounding as Rounding)]).toEqual([rounding, result]);
    }
  });

  it('refuses to divide by zero', () => {
    expect(() => divideRounded(1n, 0n)).toThrow(RangeError);
  });
});

describe('ratios in basis points', () => {
  it('gives utilisation 60 % as 6000 bp', () => {
    expect(ratioBasisPoints(eur(600_000n), eur(1_000_000n))).toBe(6000n);
  });

  it('rounds a third half-up to 3333 bp and two thirds to 6667 bp', () => {
    expect(ratioBasisPoints(eur(1n), eur(3n))).toBe(3333n);
    expect(ratioBasisPoints(eur(2n), eur(3n))).toBe(6667n);
  });

  it('rounds an exact half-basis-point tie up by default and to even on request', () => {
    // 1 / 20000 = 0.5 bp
    expect(ratioBasisPoints(eur(1n), eur(20_000n))).toBe(1n);
    expect(ratioBasisPoints(eur(1n), eur(20_000n), 'half-even')).toBe(0n);
    expect(ratioBasisPoints(eur(3n), eur(20_000n), 'half-even')).toBe(2n);
  });

  it('has no ratio when the whole is zero (a zero limit or no open AR)', () => {
    expect(ratioBasisPoints(eur(100n), eur(0n))).toBeNull();
    expect(ratioBasisPoints(eur(0n), eur(0n))).toBeNull();
  });

  it('reports utilisation beyond 100 % and negative exposure as they are', () => {
    expect(ratioBasisPoints(eur(1_250_000n), eur(1_000_000n))).toBe(12_500n);
    expect(ratioBasisPoints(eur(-1n), eur(3n))).toBe(-3333n);
  });

  it('stays exact for amounts beyond 2^53', () => {
    expect(ratioBasisPoints(eur(2n ** 60n), eur(2n ** 62n))).toBe(2500n);
  });

  it('refuses a ratio of amounts in different currencies', () => {
    expect(() => ratioBasisPoints(eur(1n), money(2n, 'USD'))).toThrow(
      "an amount to take a ratio of must be in the whole's currency USD, not EUR",
    );
  });
});

describe('exact threshold comparison', () => {
  it('sees a limit breach by one cent that the rounded ratio hides', () => {
    const limit = eur(100_000_000n);
    const exposure = eur(100_000_001n);
    expect(ratioBasisPoints(exposure, limit)).toBe(10_000n);
    expect(compareRatioToBasisPoints(exposure, limit, 10_000n)).toBe(1);
  });

  it('treats exactly 80 % as equal to an 80 % threshold', () => {
    expect(compareRatioToBasisPoints(eur(80n), eur(100n), 8000n)).toBe(0);
    expect(compareRatioToBasisPoints(eur(79n), eur(100n), 8000n)).toBe(-1);
  });

  it('keeps the comparison right when the whole is negative', () => {
    // -80 / -100 = 80 %
    expect(compareRatioToBasisPoints(eur(-80n), eur(-100n), 7000n)).toBe(1);
    expect(compareRatioToBasisPoints(eur(-80n), eur(-100n), 9000n)).toBe(-1);
  });

  it('has no answer when the whole is zero', () => {
    expect(compareRatioToBasisPoints(eur(1n), eur(0n), 8000n)).toBeNull();
  });
});

describe('percent of an amount', () => {
  it('computes a 2 % early-payment discount exactly', () => {
    expect(percentOf(eur(6_000_000n), 200n)).toEqual(eur(120_000n));
  });

  it('rounds 2 % of 12.34 (24.68 cents) half-up to 0.25, or down when the contract says so', () => {
    expect(percentOf(eur(1234n), 200n)).toEqual(eur(25n));
    expect(percentOf(eur(1234n), 200n, 'down')).toEqual(eur(24n));
  });

  it('rounds a tie half-up by default and to even on request', () => {
    // 2 % of 0.25 = 0.5 cent
    expect(percentOf(eur(25n), 200n)).toEqual(eur(1n));
    expect(percentOf(eur(25n), 200n, 'half-even')).toEqual(eur(0n));
  });

  it('mirrors a negative amount (a discount on a credit note)', () => {
    expect(percentOf(eur(-1234n), 200n)).toEqual(eur(-25n));
  });

  it('respects currencies without decimals', () => {
    // 1.5 % of ¥1001 = ¥15.015
    expect(percentOf(money(1001n, 'JPY'), 150n)).toEqual(money(15n, 'JPY'));
  });
});

describe('exactNumberOrNull', () => {
  it('gives a figure as a JSON number only when the number holds it exactly, and null (never a rounded number) beyond', () => {
    expect(exactNumberOrNull(6667n)).toBe(6667);
    expect(exactNumberOrNull(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(exactNumberOrNull(BigInt(Number.MIN_SAFE_INTEGER))).toBe(Number.MIN_SAFE_INTEGER);
    expect(exactNumberOrNull(BigInt(Number.MAX_SAFE_INTEGER) + 2n)).toBeNull();
    expect(exactNumberOrNull(-(10n ** 30n))).toBeNull();
    expect(exactNumberOrNull(null)).toBeNull();
  });
});
