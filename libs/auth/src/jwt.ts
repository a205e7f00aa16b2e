import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

/*
 * ARC accepts one token form: a compact JWS signed with HMAC-SHA256 that carries an expiry. The
 * cryptography and parsing are jsonwebtoken's; this file pins the algorithm, insists on `exp` and
 * turns the library's errors into two reasons the guard answers with 401.
 */

export const JWT_ALGORITHM = 'HS256';

export class JwtError extends Error {
  constructor(
    readonly reason: 'expired' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'JwtError';
  }
}

export interface JwtVerifyOptions {
  secret: string;
  /** Milliseconds since the epoch; a parameter so expiry is testable without waiting. */
  now?: number;
  clockToleranceSeconds?: number;
}

/*
 * jsonwebtoken handed a string first tries to parse it as a PEM public key, and only after that throws
 * makes a secret key of it: about 340 µs per verify, most of a request's own CPU. A KeyObject skips both,
 * so each secret becomes one once (a process has one or two; the bound only guards against misuse).
 */
const keys = new Map<string, KeyObject>();

function secretKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (key === undefined) {
    if (keys.size >= 16) keys.clear();
    key = createSecretKey(Buffer.from(secret, 'utf8'));
    keys.set(secret, key);
  }
  return key;
}

/** Signs `payload` (which must carry `exp`, seconds since the epoch) with HS256. */
export function signJwt(payload: Record<string, unknown>, secret: string): string {
  return jwt.sign(payload, secretKey(secret), { algorithm: JWT_ALGORITHM, noTimestamp: true });
}

/**
 * The payload of a token whose HS256 signature matches `secret` and whose validity window contains
 * `now`. A token without `exp` is refused: an ARC token that never expires is a mistake, not a convenience.
 */
export function verifyJwt(
  token: string,
  { secret, now = Date.now(), clockToleranceSeconds = 0 }: JwtVerifyOptions,
): Record<string, unknown> {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, secretKey(secret), {
      algorithms: [JWT_ALGORITHM],
      clockTimestamp: Math.floor(now / 1000),
      clockTolerance: clockToleranceSeconds,
    });
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) throw new JwtError('expired', 'the token has expired');
    // NotBeforeError is a JsonWebTokenError too: a token that is not valid yet cannot be trusted now.
    if (error instanceof jwt.JsonWebTokenError) throw new JwtError('invalid', error.message);
    throw error;
  }
  if (typeof payload === 'string') throw new JwtError('invalid', 'the payload is not a JSON object');
  if (typeof payload.exp !== 'number') throw new JwtError('invalid', 'the token has no numeric expiry (exp)');
  return payload as Record<string, unknown>;
}
