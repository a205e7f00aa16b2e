import { ForbiddenException } from '@nestjs/common';
import { isRole, type Role } from './roles';

/** What an ARC access token says about its bearer. */
export interface ArcClaims {
  sub: string;
  roles: Role[];
  /** The business units the bearer may act for; absent means the token is not scoped. */
  businessUnits?: string[];
  name?: string;
  /** How much credit the bearer may approve (1, 2, 3 …, read against an approval matrix); absent: none. */
  approvalLevel?: number;
}

/** The authenticated caller as controllers see it; `id` is what goes into event metadata as the actor. */
export interface AuthenticatedActor {
  /** `user:<sub>` */
  id: string;
  sub: string;
  roles: readonly Role[];
  /** Undefined when the token carries no business-unit scope. */
  businessUnits: readonly string[] | undefined;
  name: string | undefined;
  /** 0 when the token carries no approval level. */
  approvalLevel: number;
}

export class InvalidClaimsError extends Error {
  constructor(reason: string) {
    super(`token claims are invalid: ${reason}`);
    this.name = 'InvalidClaimsError';
  }
}

/**
 * Checks the shape of a verified token's payload. A signature proves who issued the token, not that the
 * issuer wrote what ARC expects, so a malformed payload is refused rather than half-trusted. Role names
 * ARC does not know are dropped: they grant nothing, and an issuer that already knows a future role
 * must not lock its users out of services that do not.
 */
export function parseClaims(payload: unknown): ArcClaims {
  if (typeof payload !== 'object' || payload === null) throw new InvalidClaimsError('payload is not an object');
  const { sub, roles, businessUnits, name, approvalLevel } = payload as Record<string, unknown>;
  if (typeof sub !== 'string' || sub.trim() === '') throw new InvalidClaimsError('"sub" must be a non-empty string');
  if (!Array.isArray(roles) || !roles.every((role) => typeof role === 'string')) {
    throw new InvalidClaimsError('"roles" must be an array of strings');
  }
  if (businessUnits !== undefined && (!Array.isArray(businessUnits) || !businessUnits.every((unit) => typeof unit === 'string'))) {
    throw new InvalidClaimsError('"businessUnits" must be an array of strings when present');
  }
  if (name !== undefined && typeof name !== 'string') throw new InvalidClaimsError('"name" must be a string when present');
  if (
    approvalLevel !== undefined &&
    !(Number.isSafeInteger(approvalLevel) && (approvalLevel as number) >= 1 && (approvalLevel as number) <= 9)
  ) {
    throw new InvalidClaimsError('"approvalLevel" must be an integer from 1 to 9 when present');
  }
  const claims: ArcClaims = { sub, roles: [...new Set(roles.filter(isRole))] };
  if (businessUnits !== undefined) claims.businessUnits = [...businessUnits];
  if (name !== undefined) claims.name = name;
  if (approvalLevel !== undefined) claims.approvalLevel = approvalLevel as number;
  return claims;
}

export function actorFromClaims(claims: ArcClaims): AuthenticatedActor {
  return {
    id: `user:${claims.sub}`,
    sub: claims.sub,
    roles: Object.freeze([...claims.roles]),
    businessUnits: claims.businessUnits ? Object.freeze([...claims.businessUnits]) : undefined,
    name: claims.name,
    approvalLevel: claims.approvalLevel ?? 0,
  };
}

/**
 * Whether the actor may act for a business unit. Route-level roles cannot decide this (the unit belongs
 * to the resource, e.g. the customer), so handlers ask once they have loaded it.
 */
export function canActForBusinessUnit(actor: AuthenticatedActor, businessUnit: string): boolean {
  if (actor.roles.includes('admin') || actor.businessUnits === undefined) return true;
  return actor.businessUnits.includes(businessUnit);
}

export function assertCanActForBusinessUnit(actor: AuthenticatedActor, businessUnit: string): void {
  if (!canActForBusinessUnit(actor, businessUnit)) {
    throw new ForbiddenException(`${actor.id} may not act for business unit ${businessUnit}`);
  }
}
