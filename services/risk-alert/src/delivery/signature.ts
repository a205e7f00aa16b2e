/*
 * The signature of a webhook delivery. Headers:
 *   X-ARC-Timestamp: <unix seconds when sent>
 *   X-ARC-Signature: v1=<hex HMAC-SHA256 over "<timestamp>.<raw body>" with the subscription's secret>
 *   X-ARC-Delivery-Id: <subscriptionId>:<eventId> (the same on every retry of one alert state: deduplicate on it)
 * A receiver recomputes the HMAC over the raw body it received, compares in constant time, and refuses a
 * timestamp older than it tolerates (5 minutes, say) so a captured request cannot be replayed later.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-arc-signature';
export const TIMESTAMP_HEADER = 'x-arc-timestamp';
export const DELIVERY_ID_HEADER = 'x-arc-delivery-id';

export function signature(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** True when `header` is the signature of `body` at `timestamp` with `secret`, and the timestamp is within `toleranceSeconds` of `nowSeconds`. */
export function verifySignature(
  secret: string,
  header: string | undefined,
  timestampHeader: string | undefined,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  if (header === undefined || timestampHeader === undefined || !/^\d+$/.test(timestampHeader)) return false;
  const timestamp = Number(timestampHeader);
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signature(secret, timestamp, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
