import { canonicalJson, IDEMPOTENCY_KEY_PATTERN, requestFingerprint } from './request-fingerprint';

const request = { method: 'POST', url: '/v1/invoices', actor: 'user:alice', body: { customerId: 'c-1', lines: [{ amountMinor: '100' }] } };

describe('what counts as the same request for an Idempotency-Key', () => {
  it('ignores the order of JSON object keys', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { y: 1, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[2,{"x":2,"y":1}]},"b":1}');
    expect(requestFingerprint({ ...request, body: { lines: [{ amountMinor: '100' }], customerId: 'c-1' } })).toBe(
      requestFingerprint(request),
    );
  });

  it('tells apart another body, another path, another method and another actor', () => {
    const fingerprints = new Set([
      requestFingerprint(request),
      requestFingerprint({ ...request, body: { ...request.body, customerId: 'c-2' } }),
      requestFingerprint({ ...request, url: '/v1/invoices/i-1/void' }),
      requestFingerprint({ ...request, method: 'PUT' }),
      requestFingerprint({ ...request, actor: 'user:mallory' }),
      requestFingerprint({ ...request, body: { ...request.body, lines: [] } }),
    ]);
    expect(fingerprints.size).toBe(6);
  });

  it('accepts UUIDs as keys and refuses empty, spaced or overlong ones', () => {
    expect(IDEMPOTENCY_KEY_PATTERN.test('0b6f3c2e-6d1d-4a55-9a57-5a5c7d3c1e9b')).toBe(true);
    expect(['', 'two words', 'x'.repeat(256), 'line\nbreak'].some((key) => IDEMPOTENCY_KEY_PATTERN.test(key))).toBe(false);
  });
});
