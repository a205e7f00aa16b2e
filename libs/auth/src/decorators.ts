import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { resolveAccessRule, type AccessRule, type DeclaredAccess } from './access';
import type { AuthenticatedActor } from './claims';
import { isRole, ROLES, type Role } from './roles';

export const ROLES_METADATA = 'arc:auth:roles';
export const PUBLIC_METADATA = 'arc:auth:public';

/** Where the guard leaves the authenticated actor on the request. Symbol.for: one key even if two copies of this lib load. */
export const ACTOR_KEY: unique symbol = Symbol.for('arc.auth.actor') as never;

/**
 * The roles allowed on a route (or on every route of a controller), usually straight from the service's
 * role matrix: `@Roles(ROLE_MATRIX.issueInvoice)`. `admin` is always allowed and need not be listed.
 */
export function Roles(...roles: Array<Role | readonly Role[]>): MethodDecorator & ClassDecorator {
  const flat = [...new Set(roles.flat())];
  const unknown = flat.filter((role) => !isRole(role));
  // Thrown while the controller class is being defined, so a bad declaration never reaches a running service.
  if (flat.length === 0) throw new Error('@Roles() needs at least one role; a route open to everyone is @Public()');
  if (unknown.length > 0) throw new Error(`@Roles(): unknown roles ${unknown.join(', ')}; ARC roles are ${ROLES.join(', ')}`);
  return SetMetadata(ROLES_METADATA, Object.freeze(flat));
}

/** Opens a route to unauthenticated callers: health, metrics, documentation. Business routes are never public. */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(PUBLIC_METADATA, true);
}

function declared(target: object): DeclaredAccess {
  const isPublic: unknown = Reflect.getMetadata(PUBLIC_METADATA, target);
  const roles: unknown = Reflect.getMetadata(ROLES_METADATA, target);
  return { isPublic: isPublic === true, ...(Array.isArray(roles) ? { roles: roles as Role[] } : {}) };
}

/**
 * The access rule of a route handler, from its own and its controller's declarations. The guard enforces
 * it; @arc/platform documents it in the OpenAPI document. One reader, so the two cannot disagree.
 */
export function declaredAccessRule(handler: object, controller: object): AccessRule {
  return resolveAccessRule(declared(handler), declared(controller));
}

export function actorOf(request: object): AuthenticatedActor | undefined {
  return (request as { [ACTOR_KEY]?: AuthenticatedActor })[ACTOR_KEY];
}

/**
 * The authenticated caller, `{ id: 'user:<sub>', roles, businessUnits, ... }`; `id` is the actor of the
 * events the request causes. Only meaningful on routes with @Roles: on a @Public route nobody was
 * authenticated, and asking for an actor there is a programming error.
 */
export const Actor = createParamDecorator((_data: unknown, context: ExecutionContext): AuthenticatedActor => {
  const actor = actorOf(context.switchToHttp().getRequest<object>());
  if (!actor) throw new Error('@Actor() used on a route without authentication (a @Public route, or outside the ARC auth guard)');
  return actor;
});
