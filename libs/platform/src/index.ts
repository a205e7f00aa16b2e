// The public API of @arc/platform. Anything not listed here is internal.
export { createServiceApp, configureServiceApp, API_PREFIX, OPERATIONAL_ROUTES } from './bootstrap';
export { PlatformModule } from './platform.module';
export * from './service';
export type { PlatformOptions, PgPoolProvider } from './platform-options';
export { ARC_PG_POOL } from './tokens';

export { env, loadConfig, ConfigError, KafkaNames, type ConfigField, type ConfigValues, type ConfigProblem } from './config/config';

export {
  ProblemException,
  ConflictProblem,
  UnprocessableProblem,
  ValidationProblem,
  PROBLEM_TYPES,
  PROBLEM_CONTENT_TYPE,
  type ProblemDetails,
  type ProblemInit,
  type FieldError,
} from './errors/problem';
export {
  mapDomainError,
  toProblem,
  DEFAULT_DOMAIN_ERROR_MAPPINGS,
  type DomainErrorMapping,
  type DomainErrorProblem,
} from './errors/problem-mapping';

export { JsonLogger, LOG_LEVELS, type LogLevelName, type JsonLoggerOptions, type LogRecord } from './logging/json-logger';
export { CorrelationId, currentCorrelationId, runWithCorrelationId, CORRELATION_ID_HEADER } from './logging/correlation';

export { HealthChecks, type ReadinessCheck, type ReadinessReport, type CheckResult } from './health/health-checks';
export { MetricsService, ARC_METRIC_NAMES, type PartitionLagFigure } from './metrics/metrics.service';
export { ReadModels, READ_MODELS, type ReadModel, type ReadModelStatus } from './read-models/read-models';
export { RequiresReadModel, ReadModelsRebuiltGuard } from './read-models/requires-read-model';

export {
  Idempotent,
  IdempotencyKey,
  IdempotencyInterceptor,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  type IdempotentOptions,
} from './idempotency/idempotency.interceptor';
export { IDEMPOTENCY_TABLE, migrateIdempotencyKeys } from './idempotency/idempotency.store';
export * from './event-sourcing';
export * from './dto/money-and-dates';
export * from './dto/codes';
