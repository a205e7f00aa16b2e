import { MoneyParseError, formatMajor, parseMajor, parseMoney, toJson } from './json';
import { MAX_AMOUNT_MINOR, MAX_FIGURE_MINOR } from './bounds';
import { money } from './money';

function problemsOf(value: unknown, field?: string): readonly string[] {
  try {
    parseMoney(value, field);
  } catch (error) {
    if (error instanceof MoneyParseError) return error.problems;
    throw error;
  }
  return [];
}

describe('money on the wire', () => {
  it('writes the amount as a string of minor units', () => {
    expect(toJson(money(6_000_000n, 'EUR'))).toEqual({ amountMinor: '6000000', currency: 'EUR' });
    expect(JSON.stringify(toJson(money(-5n, 'JPY')))).toBe('{"amountMinor":"-5","currency":"JPY"}');
  });

  it('round-trips figures (sums of amounts) beyond 2^53 exactly', () => {
    const huge = money(123_456_789_012_345_678_901_234_567_890n, 'KWD');
    expect(parseMoney(JSON.parse(JSON.stringify(toJson(huge))), 'openAr', { bound: 'figure' })).toEqual(huge);
  });

  describe('the bound on every amount (±999,999,999,999,999 minor units)', () => {
    it('accepts an amount of exactly 15 digits either side of zero', () => {
      expect(parseMoney({ amountMinor: '999999999999999', currency: 'EUR' }).amountMinor).toBe(MAX_AMOUNT_MINOR);
      expect(parseMoney({ amountMinor: '-999999999999999', currency: 'EUR' }).amountMinor).toBe(-MAX_AMOUNT_MINOR);
    });

    it('refuses one minor unit more, and a 40-digit amount, saying the bound without echoing every digit', () => {
      expect(problemsOf({ amountMinor: '1000000000000000', currency: 'EUR' }, 'amount')).toEqual([
        'amount.amountMinor must be at most 999999999999999 minor units either side of zero (got 1000000000000000)',
      ]);
      expect(problemsOf({ amountMinor: '-1000000000000000', currency: 'JPY' })).toHaveLength(1);
      const forty = '1234567890'.repeat(4);
      expect(problemsOf({ amountMinor: forty, currency: 'EUR' })).toEqual([
        'money.amountMinor must be at most 999999999999999 minor units either side of zero (got 123456789012…(40 digits))',
      ]);
    });

    it('keeps the bound below 2^53, so a reader that takes the amount as a double still reads it exactly', () => {
      expect(MAX_AMOUNT_MINOR < 2n ** 53n).toBe(true);
      expect(BigInt(Number(MAX_AMOUNT_MINOR))).toBe(MAX_AMOUNT_MINOR);
    });

    it('lets 9,000 of the largest amounts add up within a PostgreSQL bigint', () => {
      expect(MAX_AMOUNT_MINOR * 9_000n < 2n ** 63n - 1n).toBe(true);
    });

    it('reads figures (sums) up to what numeric(38, 0) holds, and no further', () => {
      expect(parseMoney({ amountMinor: '9'.repeat(38), currency: 'EUR' }, 'exposure', { bound: 'figure' }).amountMinor).toBe(
        MAX_FIGURE_MINOR,
      );
      expect(() => parseMoney({ amountMinor: '1' + '0'.repeat(38), currency: 'EUR' }, 'exposure', { bound: 'figure' })).toThrow(/at most/);
    });
  });

  it('reads the canonical form back', () => {
    expect(parseMoney({ amountMinor: '0', currency: 'USD' })).toEqual(money(0n, 'USD'));
    expect(parseMoney({ amountMinor: '-150', currency: 'EUR' })).toEqual(money(-150n, 'EUR'));
  });

  it.each([
    [60000.5, 'amountMinor must be a string of integer minor units, got the number 60000.5'],
    [6000000, 'amountMinor must be a string of integer minor units, got the number 6000000'],
    ['60000.00', 'amountMinor must be whole minor units, not a decimal ("60000.00")'],
    ['6e6', 'amountMinor must not use exponent notation ("6e6")'],
    ['+100', "amountMinor must not have a leading '+'"],
    ['', 'amountMinor must not be empty'],
    ['007', 'amountMinor must not have leading zeros ("007")'],
    ['-0', "amountMinor must not be negative zero ('-0')"],
    [' 100', 'amountMinor must be an integer of minor units: digits with an optional leading \'-\' (got " 100")'],
    ['1,000', 'amountMinor must be an integer of minor units: digits with an optional leading \'-\' (got "1,000")'],
    ['NaN', 'amountMinor must be an integer of minor units: digits with an optional leading \'-\' (got "NaN")'],
  ])('refuses the amount %p', (amountMinor, message) => {
    expect(problemsOf({ amountMinor, currency: 'EUR' })).toEqual([`money.${message}`]);
  });

  it('refuses unknown, lower-case and non-string currencies', () => {
    expect(problemsOf({ amountMinor: '1', currency: 'XYZ' })).toEqual(['money.currency "XYZ" is not an ISO 4217 currency code ARC knows']);
    expect(problemsOf({ amountMinor: '1', currency: 'eur' })).toEqual(['money.currency must be three upper-case letters (got "eur")']);
    expect(problemsOf({ amountMinor: '1', currency: 978 })).toEqual([
      'money.currency must be an ISO 4217 code as a string, got the number 978',
    ]);
  });

  it('reports every problem at once, under the caller-given field name', () => {
    expect(problemsOf({ amountMinor: 1.5, extra: true }, 'total')).toEqual([
      'total.amountMinor must be a string of integer minor units, got the number 1.5',
      'total.currency is missing',
      'total.extra is not a money field',
    ]);
    expect(problemsOf({}, 'total')).toEqual(['total.amountMinor is missing', 'total.currency is missing']);
  });

  it('refuses something that is not an object', () => {
    for (const value of [null, '6000000', 6000000, ['6000000', 'EUR']]) {
      expect(problemsOf(value)).toHaveLength(1);
    }
    expect(problemsOf(null)[0]).toMatch(/^money must be an object like .*, got null$/);
  });
});

describe('major units', () => {
  it.each([
    ['60000.00', 'EUR', 6_000_000n],
    ['60000', 'EUR', 6_000_000n],
    ['0.5', 'EUR', 50n],
    ['-12.34', 'USD', -1234n],
    ['1500', 'JPY', 1500n],
    ['1.234', 'KWD', 1234n],
    ['0.001', 'BHD', 1n],
    ['92233720368547758.07', 'EUR', 9_223_372_036_854_775_807n],
  ])('reads %s %s as %p minor units', (text, currency, minor) => {
    expect(parseMajor(text, currency)).toEqual(money(minor, currency));
  });

  it('refuses more decimals than the currency has instead of rounding them away', () => {
    expect(() => parseMajor('10.005', 'EUR')).toThrow('"10.005" has 3 decimals but EUR has 2');
    expect(() => parseMajor('100.0', 'JPY')).toThrow('"100.0" has 1 decimals but JPY has 0');
    expect(() => parseMajor('1.2345', 'KWD')).toThrow('"1.2345" has 4 decimals but KWD has 3');
  });

  it.each(['', '+1.00', '1e3', '.50', '1.', '1,000.00', ' 1.00', '1.00 ', 'abc', '--1'])('refuses the major amount %p', (text) => {
    expect(() => parseMajor(text, 'EUR')).toThrow(MoneyParseError);
  });

  it('refuses an unknown currency', () => {
    expect(() => parseMajor('1.00', 'XYZ')).toThrow('currency "XYZ" is not an ISO 4217 currency code ARC knows');
  });

  it.each([
    [6_000_000n, 'EUR', '60000.00'],
    [5n, 'EUR', '0.05'],
    [-5n, 'EUR', '-0.05'],
    [0n, 'EUR', '0.00'],
    [1500n, 'JPY', '1500'],
    [-1n, 'JPY', '-1'],
    [1n, 'KWD', '0.001'],
    [-1234n, 'BHD', '-1.234'],
    [2n ** 64n, 'USD', '184467440737095516.16'],
  ])('formats %p minor units of %s as %s', (minor, currency, text) => {
    expect(formatMajor(money(minor, currency))).toBe(text);
  });

  it('round-trips every formatted amount through parseMajor', () => {
    for (const currency of ['EUR', 'JPY', 'KWD']) {
      for (const minor of [0n, 1n, -1n, 9n, 10n, 99n, 100n, 101n, -1001n, 10n ** 20n + 7n]) {
        const m = money(minor, currency);
        expect(parseMajor(formatMajor(m), currency)).toEqual(m);
      }
    }
  });
});
