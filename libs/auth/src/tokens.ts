import { parseClaims, type ArcClaims } from './claims';
import { JwtError, signJwt, verifyJwt } from './jwt';
import { resolveJwtSecret } from './jwt-secret';
import { isRole, ROLES, type Role } from './roles';

/** Issuers' and services' clocks drift a little; a few seconds of leeway avoids refusing fresh tokens. */
const CLOCK_TOLERANCE_SECONDS = 5;

export type InvalidTokenReason = 'expired' | 'invalid';

export class InvalidTokenError extends Error {
  constructor(
    readonly reason: InvalidTokenReason,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidTokenError';
  }
}

export class TokenVerifier {
  constructor(
    private readonly secret: string,
    /** Milliseconds since the epoch; replaceable so tests can check expiry without waiting. */
    private readonly now: () => number = Date.now,
  ) {}

  /** The token's claims, or an InvalidTokenError saying whether it expired or cannot be trusted at all. */
  verify(token: string): ArcClaims {
    let payload: unknown;
    try {
      payload = verifyJwt(token, { secret: this.secret, now: this.now(), clockToleranceSeconds: CLOCK_TOLERANCE_SECONDS });
    } catch (error) {
      if (error instanceof JwtError) throw new InvalidTokenError(error.reason, `the token is ${error.reason}: ${error.message}`);
      throw error;
    }
    try {
      return parseClaims(payload);
    } catch (error) {
      throw new InvalidTokenError('invalid', error instanceof Error ? error.message : 'the token claims are invalid');
    }
  }
}

/** A duration as seconds (`3600`) or with a unit: `90s`, `15m`, `8h`, `7d`. */
export type Duration = number | `${number}${'s' | 'm' | 'h' | 'd'}`;

const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

export function durationInSeconds(duration: Duration | string): number {
  if (typeof duration === 'number') {
    if (!Number.isInteger(duration)) throw new Error(`a duration in seconds must be an integer, got ${duration}`);
    return duration;
  }
  const match = /^(-?\d+)([smhd])$/.exec(duration.trim());
  if (!match) throw new Error(`"${duration}" is not a duration such as 90s, 15m, 8h or 7d`);
  return Number(match[1]) * UNIT_SECONDS[match[2] as keyof typeof UNIT_SECONDS];
}

export interface SignTokenOptions {
  secret: string;
  /** Default 8h: a working day. A negative duration yields an already expired token (for tests). */
  expiresIn?: Duration;
  /** Milliseconds since the epoch the token is issued at; default now. */
  now?: number;
}

export function signToken(claims: ArcClaims, { secret, expiresIn = '8h', now = Date.now() }: SignTokenOptions): string {
  const unknown = claims.roles.filter((role) => !isRole(role));
  if (unknown.length > 0) throw new Error(`unknown roles ${unknown.join(', ')}; ARC roles are ${ROLES.join(', ')}`);
  const payload: Record<string, unknown> = { sub: claims.sub, roles: claims.roles };
  if (claims.businessUnits !== undefined) payload.businessUnits = claims.businessUnits;
  if (claims.name !== undefined) payload.name = claims.name;
  if (claims.approvalLevel !== undefined) payload.approvalLevel = claims.approvalLevel;
  const issuedAt = Math.floor(now / 1000);
  payload.iat = issuedAt;
  payload.exp = issuedAt + durationInSeconds(expiresIn);
  return signJwt(payload, secret);
}

export interface DevelopmentTokenRequest {
  sub: string;
  roles: Role[];
  businessUnits?: string[];
  name?: string;
  approvalLevel?: number;
  expiresIn?: Duration;
  /** Default: the secret the services resolve from the same environment (ARC_JWT_SECRET or the development default). */
  secret?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * A token for development, demos and tests. Refused under NODE_ENV=production: there, tokens come from
 * the identity provider, and a minting shortcut next to the real secret is a way around it.
 */
export function mintDevelopmentToken({
  sub,
  roles,
  businessUnits,
  name,
  approvalLevel,
  expiresIn,
  secret,
  env = process.env,
}: DevelopmentTokenRequest): string {
  if (env.NODE_ENV === 'production') throw new Error('development tokens are not minted when NODE_ENV=production');
  const claims: ArcClaims = { sub, roles };
  if (businessUnits !== undefined) claims.businessUnits = businessUnits;
  if (name !== undefined) claims.name = name;
  if (approvalLevel !== undefined) claims.approvalLevel = approvalLevel;
  return signToken(claims, { secret: secret ?? resolveJwtSecret(env), ...(expiresIn === undefined ? {} : { expiresIn }) });
}
