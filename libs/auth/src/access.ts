import type { Role } from './roles';

/** What a route declared: open to anyone, allowed to some roles, or nothing at all. */
export type AccessRule = { kind: 'public' } | { kind: 'roles'; roles: readonly Role[] } | { kind: 'undeclared' };

export interface DeclaredAccess {
  isPublic?: boolean;
  roles?: readonly Role[];
}

/**
 * The handler's declaration wins over its controller's, whichever kind each is, so a controller can be
 * `@Roles('finance')` with one `@Public()` handler, or `@Public()` with one restricted handler.
 */
export function resolveAccessRule(handler: DeclaredAccess, controller: DeclaredAccess): AccessRule {
  for (const level of [handler, controller]) {
    if (level.isPublic) return { kind: 'public' };
    if (level.roles) return { kind: 'roles', roles: level.roles };
  }
  return { kind: 'undeclared' };
}

export type AccessDecision =
  { outcome: 'allow' } | { outcome: 'authenticate' } | { outcome: 'forbid'; reason: 'undeclared-route' | 'missing-role' };

/**
 * The one place ARC decides access. Authentication comes first (no valid token ⇒ 401 whatever the
 * route), then the rule: a route that declared nothing is refused even to admin, so a forgotten
 * declaration shows up in the first test instead of shipping open.
 */
export function decideAccess(rule: AccessRule, roles: readonly Role[] | undefined): AccessDecision {
  if (rule.kind === 'public') return { outcome: 'allow' };
  if (roles === undefined) return { outcome: 'authenticate' };
  if (rule.kind === 'undeclared') return { outcome: 'forbid', reason: 'undeclared-route' };
  if (roles.includes('admin') || roles.some((role) => rule.roles.includes(role))) return { outcome: 'allow' };
  return { outcome: 'forbid', reason: 'missing-role' };
}
