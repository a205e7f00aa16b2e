import { CURRENCY_CODES, UnknownCurrencyError, currencyCode, isCurrencyCode, minorUnitExponent } from './currency';

describe('currencies', () => {
  it.each([
    ['EUR', 2],
    ['USD', 2],
    ['GBP', 2],
    ['CHF', 2],
    ['CNY', 2],
    ['SEK', 2],
    ['NOK', 2],
    ['DKK', 2],
    ['PLN', 2],
    ['CZK', 2],
    ['HUF', 2],
    ['JPY', 0],
    ['KRW', 0],
    ['KWD', 3],
    ['BHD', 3],
    ['TND', 3],
  ] as const)('knows that %s has %i decimals', (code, exponent) => {
    expect(minorUnitExponent(code)).toBe(exponent);
  });

  it('refuses codes that are not ISO 4217, lower case, or inherited object keys', () => {
    for (const candidate of ['XYZ', 'eur', 'EURO', '', 'toString', '__proto__', 42, null]) {
      expect(isCurrencyCode(candidate)).toBe(false);
      expect(() => currencyCode(candidate)).toThrow(UnknownCurrencyError);
    }
  });

  it('does not know currencies that ISO has withdrawn (HRK became EUR in 2023)', () => {
    expect(isCurrencyCode('HRK')).toBe(false);
  });

  it('lists every code once, sorted', () => {
    expect([...CURRENCY_CODES].sort()).toEqual(CURRENCY_CODES);
    expect(new Set(CURRENCY_CODES).size).toBe(CURRENCY_CODES.length);
    expect(CURRENCY_CODES.every((code) => /^[A-Z]{3}$/.test(code))).toBe(true);
  });
});
