import { hostileJsonProblems, unstorableStringProblem } from './hostile-input';
import { jsonDepthExceeds } from './json-body';

const bytes = (text: string) => Buffer.from(text);

describe('the depth of a JSON body, read before it is parsed', () => {
  it('counts objects and arrays, not brackets inside strings or escaped quotes', () => {
    expect(jsonDepthExceeds(bytes('{"a":[{"b":1}]}'), 3)).toBe(false);
    expect(jsonDepthExceeds(bytes('{"a":[{"b":[1]}]}'), 3)).toBe(true);
    expect(jsonDepthExceeds(bytes(`{"a":"${'['.repeat(50)}"}`), 2)).toBe(false);
    expect(jsonDepthExceeds(bytes(`{"a":"\\"${'{'.repeat(50)}"}`), 2)).toBe(false);
  });

  it('stops at the limit however deep the text goes', () => {
    expect(jsonDepthExceeds(bytes('['.repeat(1_000_000)), 32)).toBe(true);
  });
});

describe('strings PostgreSQL cannot store', () => {
  it('are those with a NUL or a lone surrogate; a well-formed pair is text like any other', () => {
    expect(unstorableStringProblem('a\u0000')).toMatch(/NUL/);
    expect(unstorableStringProblem('\ud800x')).toMatch(/surrogate/);
    expect(unstorableStringProblem('x\udc00')).toMatch(/surrogate/);
    expect(unstorableStringProblem('Müller 😀 ‮')).toBeNull();
  });
});

describe('hostile parts of a parsed body', () => {
  it('are listed with dotted paths: NUL values, NUL field names and prototype-reaching keys at any depth', () => {
    const body = JSON.parse('{"a":[{"b":"x\\u0000"}],"c\\u0000":1,"d":{"__proto__":{}},"constructor":1,"ok":"fine"}') as unknown;
    expect(hostileJsonProblems(body)).toEqual([
      { field: 'a.0.b', constraint: 'storableText', detail: 'a.0.b must not contain the NUL character (\\u0000)' },
      { field: '"c\\u0000"', constraint: 'storableText', detail: 'a field name must not contain the NUL character (\\u0000)' },
      { field: 'd.__proto__', constraint: 'whitelistValidation', detail: 'property __proto__ should not exist' },
      { field: 'constructor', constraint: 'whitelistValidation', detail: 'property constructor should not exist' },
    ]);
  });

  it('reports at most 20, however many there are', () => {
    expect(hostileJsonProblems(Array.from({ length: 1000 }, () => '\u0000'))).toHaveLength(20);
  });
});
