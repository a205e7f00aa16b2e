import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: two encodings of the same value give the same text. */
export function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, inner: unknown) => {
      if (typeof inner !== 'object' || inner === null || Array.isArray(inner)) return inner;
      return Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }) ?? 'null'
  );
}

export interface FingerprintedRequest {
  method: string;
  /** The path actually requested, ids included: the same key on another invoice is another request. */
  url: string;
  /** Who asks: another actor reusing a key gets a 422, never the first actor's stored response. */
  actor: string | undefined;
  body: unknown;
}

/** What "the same request" means for an Idempotency-Key (IETF draft-ietf-httpapi-idempotency-key-header). */
export function requestFingerprint({ method, url, actor, body }: FingerprintedRequest): string {
  return createHash('sha256')
    .update(canonicalJson([method.toUpperCase(), url, actor ?? null, body ?? null]))
    .digest('hex');
}

/** Printable ASCII without spaces, at most 255 characters: a UUID fits, a forged log line does not. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
