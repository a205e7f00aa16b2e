import { createHmac } from 'node:crypto';
import { actorFromClaims, canActForBusinessUnit } from './claims';
import { DEVELOPMENT_JWT_SECRET, resolveJwtSecret } from './jwt-secret';
import { durationInSeconds, InvalidTokenError, mintDevelopmentToken, signToken, TokenVerifier } from './tokens';

const SECRET = 'unit-test-secret-of-at-least-thirty-two-chars';
const NOW = Date.parse('2030-01-15T09:00:00Z');
const verifier = new TokenVerifier(SECRET, () => NOW);
const inAnHour = NOW / 1000 + 3600;

/** A token with any header and payload, signed with HMAC of the given hash (or unsigned). */
function craft(header: object, payload: object, hash: 'sha256' | 'sha512' | null = 'sha256', secret = SECRET): string {
  const input = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${hash ? createHmac(hash, secret).update(input).digest('base64url') : ''}`;
}
const HS256 = { alg: 'HS256', typ: 'JWT' };

function reasonOf(token: string): string {
  try {
    verifier.verify(token);
  } catch (error) {
    if (error instanceof InvalidTokenError) return error.reason;
    throw error;
  }
  throw new Error('the token was accepted');
}

describe('token verification', () => {
  it('accepts a token signed with the secret and returns its claims', () => {
    const token = signToken({ sub: 'alice', roles: ['finance'], businessUnits: ['north'], name: 'Alice' }, { secret: SECRET, now: NOW });
    expect(verifier.verify(token)).toEqual({ sub: 'alice', roles: ['finance'], businessUnits: ['north'], name: 'Alice' });
  });

  it('refuses a token signed with another secret', () => {
    const token = signToken({ sub: 'mallory', roles: ['admin'] }, { secret: 'some-other-secret-of-thirty-two-chars!!', now: NOW });
    expect(reasonOf(token)).toBe('invalid');
  });

  it('refuses an expired token as expired', () => {
    const token = signToken({ sub: 'alice', roles: ['finance'] }, { secret: SECRET, now: NOW - 3_600_000, expiresIn: '30m' });
    expect(reasonOf(token)).toBe('expired');
  });

  it('accepts a token up to the few seconds of clock tolerance past its expiry, not beyond', () => {
    const token = signToken({ sub: 'alice', roles: ['finance'] }, { secret: SECRET, now: NOW, expiresIn: 60 });
    expect(new TokenVerifier(SECRET, () => NOW + 63_000).verify(token).sub).toBe('alice');
    expect(() => new TokenVerifier(SECRET, () => NOW + 66_000).verify(token)).toThrow(InvalidTokenError);
  });

  it('refuses a token that never expires', () => {
    expect(reasonOf(craft(HS256, { sub: 'alice', roles: ['finance'] }))).toBe('invalid');
  });

  it('refuses a token that is not valid yet', () => {
    expect(reasonOf(craft(HS256, { sub: 'alice', roles: ['finance'], exp: inAnHour, nbf: inAnHour - 60 }))).toBe('invalid');
  });

  it('refuses a token whose payload was altered after signing', () => {
    const [header, , signature] = signToken({ sub: 'alice', roles: ['sales'] }, { secret: SECRET, now: NOW }).split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'alice', roles: ['admin'], exp: inAnHour })).toString('base64url');
    expect(reasonOf(`${header}.${forged}.${signature}`)).toBe('invalid');
  });

  it('refuses an unsigned (alg: none) token', () => {
    expect(reasonOf(craft({ alg: 'none', typ: 'JWT' }, { sub: 'mallory', roles: ['admin'], exp: inAnHour }, null))).toBe('invalid');
  });

  it('refuses a token signed with another algorithm, even with the right secret', () => {
    expect(reasonOf(craft({ alg: 'HS512', typ: 'JWT' }, { sub: 'alice', roles: ['finance'], exp: inAnHour }, 'sha512'))).toBe('invalid');
  });

  it('refuses a header naming another algorithm even when the HS256 signature matches (the algorithm is pinned)', () => {
    const payload = { sub: 'alice', roles: ['finance'], exp: inAnHour };
    expect(verifier.verify(craft(HS256, payload)).sub).toBe('alice');
    expect(reasonOf(craft({ alg: 'HS384', typ: 'JWT' }, payload))).toBe('invalid');
    expect(reasonOf(craft({ alg: 'none', typ: 'JWT' }, payload))).toBe('invalid');
  });

  it('refuses a correctly signed token whose claims are malformed', () => {
    const noRoles = craft(HS256, { sub: 'alice', exp: inAnHour });
    const noSubject = craft(HS256, { roles: ['finance'], exp: inAnHour });
    const badScope = craft(HS256, { sub: 'alice', roles: ['finance'], businessUnits: 'north', exp: inAnHour });
    expect([reasonOf(noRoles), reasonOf(noSubject), reasonOf(badScope)]).toEqual(['invalid', 'invalid', 'invalid']);
  });

  it('drops role names ARC does not know: they grant nothing', () => {
    const token = craft(HS256, { sub: 'alice', roles: ['finance', 'superuser'], exp: inAnHour });
    expect(verifier.verify(token).roles).toEqual(['finance']);
  });

  it('refuses garbage', () => {
    expect([reasonOf('not-a-jwt'), reasonOf('a.b.c'), reasonOf(`${craft(HS256, { exp: inAnHour })}.extra`)]).toEqual([
      'invalid',
      'invalid',
      'invalid',
    ]);
  });
});

describe('the actor', () => {
  it('is user:<sub>, the actor recorded in event metadata', () => {
    expect(actorFromClaims({ sub: 'alice', roles: ['finance'] })).toMatchObject({
      id: 'user:alice',
      roles: ['finance'],
      businessUnits: undefined,
    });
  });

  it('carries the approval level of its token (credit approvals are read against it), 0 without one', () => {
    const approver = verifier.verify(signToken({ sub: 'fiona', roles: ['finance'], approvalLevel: 2 }, { secret: SECRET, now: NOW }));
    expect([actorFromClaims(approver).approvalLevel, actorFromClaims({ sub: 'sam', roles: ['sales'] }).approvalLevel]).toEqual([2, 0]);
    const levels = [0, 10, '2', 1.5].map((approvalLevel) =>
      reasonOf(craft(HS256, { sub: 'x', roles: ['finance'], approvalLevel, exp: inAnHour })),
    );
    expect(levels).toEqual(['invalid', 'invalid', 'invalid', 'invalid']);
  });

  it('acts only for the business units of its scope', () => {
    const scoped = actorFromClaims({ sub: 'bob', roles: ['sales'], businessUnits: ['north'] });
    expect([canActForBusinessUnit(scoped, 'north'), canActForBusinessUnit(scoped, 'south')]).toEqual([true, false]);
  });

  it('acts for every business unit when the token is not scoped, or as admin', () => {
    const unscoped = actorFromClaims({ sub: 'carol', roles: ['finance'] });
    const admin = actorFromClaims({ sub: 'root', roles: ['admin'], businessUnits: [] });
    expect([canActForBusinessUnit(unscoped, 'south'), canActForBusinessUnit(admin, 'south')]).toEqual([true, true]);
  });
});

describe('the JWT secret', () => {
  it('falls back to the labelled development secret outside production', () => {
    expect(resolveJwtSecret({})).toBe(DEVELOPMENT_JWT_SECRET);
    expect(resolveJwtSecret({ ARC_JWT_SECRET: 'mine' })).toBe('mine');
  });

  it('refuses to start in production without a secret, with the development secret, or with a short one', () => {
    expect(() => resolveJwtSecret({ NODE_ENV: 'production' })).toThrow(/must be set/);
    expect(() => resolveJwtSecret({ NODE_ENV: 'production', ARC_JWT_SECRET: DEVELOPMENT_JWT_SECRET })).toThrow(/development secret/);
    expect(() => resolveJwtSecret({ NODE_ENV: 'production', ARC_JWT_SECRET: 'short' })).toThrow(/at least 32/);
    expect(resolveJwtSecret({ NODE_ENV: 'production', ARC_JWT_SECRET: SECRET })).toBe(SECRET);
  });
});

describe('development tokens', () => {
  it('are verified by a service using the same environment', () => {
    const env = { ARC_JWT_SECRET: SECRET };
    const token = mintDevelopmentToken({ sub: 'alice', roles: ['finance', 'sales'], env });
    expect(new TokenVerifier(resolveJwtSecret(env)).verify(token)).toEqual({ sub: 'alice', roles: ['finance', 'sales'] });
  });

  it('are not minted in production', () => {
    expect(() => mintDevelopmentToken({ sub: 'alice', roles: ['admin'], env: { NODE_ENV: 'production', ARC_JWT_SECRET: SECRET } })).toThrow(
      /not minted/,
    );
  });

  it('read durations with units, and refuse ones without', () => {
    expect([
      durationInSeconds('90s'),
      durationInSeconds('15m'),
      durationInSeconds('8h'),
      durationInSeconds('7d'),
      durationInSeconds(60),
    ]).toEqual([90, 900, 28_800, 604_800, 60]);
    expect(() => durationInSeconds('8 hours')).toThrow(/not a duration/);
  });
});
