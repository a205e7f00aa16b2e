import { isCountryCode } from './codes';

describe('country codes', () => {
  it('accepts assigned ISO 3166-1 alpha-2 codes in capitals', () => {
    for (const code of ['DE', 'FR', 'NL', 'AT', 'ES', 'IT', 'US', 'JP', 'CH']) expect(isCountryCode(code)).toBe(true);
  });

  it('refuses codes that are not assigned (ZZ, XX), lower case, three letters and non-strings', () => {
    for (const code of ['ZZ', 'XX', 'AA', 'de', 'DEU', 'D', '', 49, null]) expect(isCountryCode(code)).toBe(false);
  });
});
