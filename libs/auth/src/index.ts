// The public API of @arc/auth. Anything not listed here is internal.
export { ROLES, isRole, defineRoleMatrix, type Role, type RoleMatrix } from './roles';
export { Roles, Public, Actor, actorOf, declaredAccessRule } from './decorators';
export { canActForBusinessUnit, assertCanActForBusinessUnit, type ArcClaims, type AuthenticatedActor } from './claims';
export { decideAccess, type AccessRule, type AccessDecision } from './access';
export { AuthModule, type AuthModuleOptions } from './auth.module';
export { ArcAuthGuard } from './auth.guard';
export {
  TokenVerifier,
  InvalidTokenError,
  signToken,
  mintDevelopmentToken,
  type Duration,
  type SignTokenOptions,
  type DevelopmentTokenRequest,
} from './tokens';
export { resolveJwtSecret, DEVELOPMENT_JWT_SECRET, JWT_SECRET_VARIABLE, JwtSecretError } from './jwt-secret';
