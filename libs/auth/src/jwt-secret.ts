/**
 * DEVELOPMENT ONLY. Lets a developer run the services and mint tokens without configuring anything;
 * anyone can read it here, so a service started with NODE_ENV=production refuses it.
 */
export const DEVELOPMENT_JWT_SECRET = 'arc-development-only-jwt-secret--never-use-in-production';

export const JWT_SECRET_VARIABLE = 'ARC_JWT_SECRET';

/** 256 bits, the HMAC-SHA256 key size; a shorter secret is a guessable one. */
const MIN_PRODUCTION_SECRET_LENGTH = 32;

export class JwtSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JwtSecretError';
  }
}

/**
 * The HS256 secret tokens are verified with: `ARC_JWT_SECRET`, or the development default outside
 * production. In production a missing, default or short secret stops the service at start-up, not at
 * the first request.
 */
export function resolveJwtSecret(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[JWT_SECRET_VARIABLE];
  const secret = configured === undefined || configured === '' ? undefined : configured;
  if (env.NODE_ENV !== 'production') return secret ?? DEVELOPMENT_JWT_SECRET;
  if (secret === undefined) throw new JwtSecretError(`${JWT_SECRET_VARIABLE} must be set when NODE_ENV=production`);
  if (secret === DEVELOPMENT_JWT_SECRET) {
    throw new JwtSecretError(`${JWT_SECRET_VARIABLE} is the public development secret; set a real one for NODE_ENV=production`);
  }
  if (secret.length < MIN_PRODUCTION_SECRET_LENGTH) {
    throw new JwtSecretError(`${JWT_SECRET_VARIABLE} must be at least ${MIN_PRODUCTION_SECRET_LENGTH} characters when NODE_ENV=production`);
  }
  return secret;
}
