/**
 * Catalogues of values every ARC route must refuse (or, for the noise ones, survive), by what they attack.
 * Kept as data so a reader sees at a glance what the generated requests throw at a service.
 */

/** Never valid as any id ARC routes take (UUIDs, rule ids): percent-encoded as sent in a path. */
export const BAD_PATH_IDS = [
  '%00',
  'a%00b',
  'not%20a%20uuid',
  '%E0%A4%A', // truncated UTF-8
  '%ED%A0%80', // an encoded lone surrogate
  'x'.repeat(300),
  '%27%3B%20DROP%20TABLE%20events%3B--',
  '..%2F..%2Fetc%2Fpasswd',
  '%F0%9F%98%80',
  '-1',
  '7f3c2a1e-4b5d-4c6e-8f90-123456789abcd',
  '%7B%7D',
] as const;

export const BAD_UUIDS: readonly unknown[] = [
  'not-a-uuid',
  '7f3c2a1e-4b5d-4c6e-8f90-12345678',
  '7f3c2a1e-4b5d-4c6e-8f90-123456789abg',
  '{7f3c2a1e-4b5d-4c6e-8f90-123456789abc}',
  '',
  12345,
  'x'.repeat(300),
];

export const BAD_DATES: readonly unknown[] = [
  '2026-02-30',
  '2026-13-01',
  '2026-00-10',
  '26-01-01',
  '2026-1-1',
  '2026-01-01T00:00:00Z',
  'tomorrow',
  '',
  '20260101',
  20260101,
  '2026-02-29',
];

export const BAD_CURRENCIES: readonly unknown[] = ['ZZZ', 'XXX', 'eur', 'EURO', 'E1R', '', 978, 'EUR\u200b'];

export const BAD_AMOUNTS_MINOR: readonly unknown[] = [
  '1234567890123456789012345678901234567890', // 40 digits
  '1000000000000000', // one past the bound
  '-1000000000000000',
  '9'.repeat(1000),
  '12.50', // a float for money
  '1e6',
  '-0',
  '',
  ' 1',
  '0x10',
  '+5',
  '007',
  12.5,
  1e21,
  100,
  -1,
  true,
  ['1'],
  {},
];

/** Not valid where the schema declares an integer: floats, and magnitudes no field of ARC means. */
export const BAD_INTEGERS: readonly unknown[] = [
  1.5,
  -0.5,
  1e300,
  -1e300,
  2 ** 53 + 2,
  1e21,
  Number.MAX_VALUE,
  -2147483649,
  2147483648,
  0.1,
];

/** Strings that are valid text but exercise encodings and injections: noise, survived, not necessarily refused. */
export const ODD_STRINGS: readonly string[] = [
  'Müller Maschinenbau GmbH',
  '😀👍🏽',
  '\u202eevil', // right-to-left override
  'e\u0301',
  "' OR 1=1 --",
  '${7*7}{{7*7}}',
  '<script>alert(1)</script>',
  '\\u0000',
  '%00',
  ' ',
  '\t\r\n',
  'null',
  '١٢٣',
];

/** Certainly refused where any string is expected: NUL, lone surrogates, and strings longer than any ARC field. */
export function nulInside(text: string, at: number): string {
  const position = text.length === 0 ? 0 : at % (text.length + 1);
  return `${text.slice(0, position)}\u0000${text.slice(position)}`;
}

export const LONE_SURROGATES: readonly string[] = ['\ud800', 'a\udc00b', '\udbff\ud800'];

export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

/** Whole bodies no route takes: not an object, or not JSON at all. */
export const BAD_BODY_SHAPES: readonly string[] = ['[]', '[{}]', '"text"', '42', 'null', 'true', '{}'.repeat(2)];
export const MALFORMED_JSON: readonly string[] = [
  '{"a":',
  "{'a':1}",
  '{"a":1}}',
  '{"a":1,}',
  'NaN',
  '{"a":01}',
  '{"a":"\\x00"}',
  '{"a":undefined}',
  '\u0000',
];
export const NON_JSON_CONTENT_TYPES: readonly string[] = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/jsonx',
];

export const DEEP_NESTING_DEPTHS: readonly number[] = [33, 64, 1_000, 5_000, 20_000];

export function deeplyNested(depth: number, style: number): string {
  return style % 2 === 0 ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

export const GARBAGE_AUTHORIZATION: readonly string[] = [
  'Bearer not.a.token',
  'Bearer ',
  'Basic YWxpY2U6c2VjcmV0',
  'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJldmUiLCJyb2xlcyI6WyJhZG1pbiJdfQ.',
  `Bearer ${'a'.repeat(4000)}`,
  'bearer',
];

/** Idempotency-Key and correlation-id values: some valid, some refused, none may cause a 5xx. Latin-1 only (fetch sends no more). */
export const ODD_HEADER_VALUES: readonly string[] = ['k-1', 'x'.repeat(300), 'with space', 'clé', '', '\t', 'a,b', '"quoted"', '../../etc'];
