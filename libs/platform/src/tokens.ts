/** The service's pg.Pool (its own database): idempotency keys and the readiness check use it. */
export const ARC_PG_POOL = Symbol.for('arc.platform.pgPool');

/** The resolved PlatformModule options. */
export const PLATFORM_OPTIONS = Symbol.for('arc.platform.options');
