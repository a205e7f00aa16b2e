import type { InjectionToken } from '@nestjs/common';
import type { Pool } from 'pg';
import type { DomainErrorMapping } from './errors/problem-mapping';
import type { ReadinessCheck } from './health/health-checks';
import type { LogLevelName } from './logging/json-logger';
import type { ReadModel } from './read-models/read-models';

/**
 * The service's pg.Pool. A Pool instance stays the caller's to end; a factory's pool is created and
 * ended by the platform (at application shutdown), since nobody else holds it.
 */
export type PgPoolProvider = Pool | { useFactory: (...deps: never[]) => Pool | Promise<Pool>; inject?: InjectionToken[] };

export interface PlatformOptions {
  /** `credit`, `invoicing`, ...: in every log line, metric and the OpenAPI title. */
  service: string;
  /** The OpenAPI document's version; default `1` (the `/v1` API). */
  apiVersion?: string;
  description?: string;
  /** Enables @Idempotent() routes and the `postgres` readiness check; injectable as ARC_PG_POOL. */
  pgPool?: PgPoolProvider;
  /** The service's own database: the platform creates (and ends) the pool; an alternative to `pgPool`. */
  databaseUrl?: string;
  /** Readiness checks known up front; others can be registered at run time on HealthChecks. */
  readinessChecks?: ReadinessCheck[];
  /** How the service's domain errors answer (in addition to DEFAULT_DOMAIN_ERROR_MAPPINGS). */
  problems?: DomainErrorMapping[];
  /** Default: ARC_JWT_SECRET, or the development default outside production (see @arc/auth). */
  jwtSecret?: string;
  /** Default: ARC_LOG_LEVEL, else `info`. */
  logLevel?: LogLevelName;
  /** Default: stdout. */
  logSink?: (line: string) => void;
  /** The service's read models, listed and rebuilt under /v1/admin/read-models. */
  readModels?: ReadModel[];
  /** An in-progress idempotency claim older than this is taken to be abandoned (its request crashed); default 60 s. */
  idempotencyStaleAfterMs?: number;
  /** Default: process.env. */
  env?: NodeJS.ProcessEnv;
}

export interface ResolvedPlatformOptions {
  service: string;
  apiVersion: string;
  description: string | undefined;
  problemMappings: readonly DomainErrorMapping[];
  idempotencyStaleAfterMs: number;
}
