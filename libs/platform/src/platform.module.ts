import {
  Inject,
  Injectable,
  Module,
  Optional,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { APP_FILTER, APP_PIPE, DiscoveryModule, HttpAdapterHost } from '@nestjs/core';
import { Pool } from 'pg';
import { AuthModule } from '@arc/auth';
import { queriesJoinTheOpenTransaction } from '@arc/event-store';
import { env, loadConfig } from './config/config';
import { ProblemFilter } from './errors/problem.filter';
import { DEFAULT_DOMAIN_ERROR_MAPPINGS } from './errors/problem-mapping';
import { createValidationPipe } from './errors/validation';
import { HealthChecks } from './health/health-checks';
import { HealthController } from './health/health.controller';
import { IdempotencyStore } from './idempotency/idempotency.store';
import { JsonLogger, LOG_LEVELS } from './logging/json-logger';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsService } from './metrics/metrics.service';
import type { PlatformOptions, ResolvedPlatformOptions } from './platform-options';
import { READ_MODELS, ReadModels } from './read-models/read-models';
import { ReadModelsController } from './read-models/read-models.controller';
import { ARC_PG_POOL, PLATFORM_OPTIONS } from './tokens';

const OWNS_POOL = Symbol.for('arc.platform.ownsPool');

/** Start-up checks and shutdown duties of the platform itself. */
@Injectable()
export class PlatformLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  /** Set by configureServiceApp(); an HTTP app started without it would lack its correlation ids, metrics and docs. */
  configured = false;

  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(OWNS_POOL) private readonly ownsPool: boolean,
    @Optional() @Inject(ARC_PG_POOL) private readonly pool?: Pool,
  ) {}

  onApplicationBootstrap(): void {
    if (this.adapterHost.httpAdapter && !this.configured) {
      throw new Error('an ARC service app must go through createServiceApp() or configureServiceApp(app) before init()');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.ownsPool && this.pool) await this.pool.end();
  }
}

function poolProviders(options: PlatformOptions): Provider[] {
  const { databaseUrl } = options;
  const pgPool = databaseUrl === undefined ? options.pgPool : { useFactory: () => poolFor(databaseUrl) };
  if (pgPool === undefined) return [{ provide: OWNS_POOL, useValue: false }];
  if ('useFactory' in pgPool) {
    return [
      { provide: ARC_PG_POOL, useFactory: pgPool.useFactory as (...deps: unknown[]) => Pool | Promise<Pool>, inject: pgPool.inject ?? [] },
      { provide: OWNS_POOL, useValue: true },
    ];
  }
  return [
    { provide: ARC_PG_POOL, useValue: pgPool },
    { provide: OWNS_POOL, useValue: false },
  ];
}

/**
 * Everything a service gets from the platform: auth (one global guard), validation, problem+json errors,
 * JSON logs, health, metrics and idempotency keys. Imported once, by the service's root module.
 */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const source = options.env ?? process.env;
    const { logLevel } = loadConfig({ logLevel: env.oneOf('ARC_LOG_LEVEL', LOG_LEVELS, { default: 'info' }) }, source, {
      subject: `the ${options.service} platform configuration`,
    });
    const resolved: ResolvedPlatformOptions = {
      service: options.service,
      apiVersion: options.apiVersion ?? '1',
      description: options.description,
      problemMappings: [...(options.problems ?? []), ...DEFAULT_DOMAIN_ERROR_MAPPINGS],
      idempotencyStaleAfterMs: options.idempotencyStaleAfterMs ?? 60_000,
    };
    const logger = new JsonLogger({
      service: options.service,
      level: options.logLevel ?? logLevel,
      ...(options.logSink ? { sink: options.logSink } : {}),
    });
    const readinessChecks = options.readinessChecks ?? [];
    return {
      module: PlatformModule,
      global: true,
      imports: [AuthModule.forRoot({ ...(options.jwtSecret ? { secret: options.jwtSecret } : {}), env: source }), DiscoveryModule],
      controllers: [HealthController, MetricsController, ReadModelsController],
      providers: [
        { provide: PLATFORM_OPTIONS, useValue: resolved },
        { provide: JsonLogger, useValue: logger },
        { provide: MetricsService, useValue: new MetricsService(options.service) },
        ...poolProviders(options),
        {
          provide: HealthChecks,
          useFactory: (pool?: Pool) => {
            const checks = new HealthChecks(logger, pool);
            for (const check of readinessChecks) checks.register(check);
            return checks;
          },
          inject: [{ token: ARC_PG_POOL, optional: true }],
        },
        IdempotencyStore,
        PlatformLifecycle,
        { provide: READ_MODELS, useValue: options.readModels ?? [] },
        ReadModels,
        { provide: APP_FILTER, useClass: ProblemFilter },
        { provide: APP_PIPE, useValue: createValidationPipe() },
      ],
      exports: [
        PLATFORM_OPTIONS,
        JsonLogger,
        MetricsService,
        HealthChecks,
        IdempotencyStore,
        PlatformLifecycle,
        ReadModels,
        ...(options.pgPool || options.databaseUrl ? [ARC_PG_POOL] : []),
      ],
    };
  }
}

/** The service's own pool: a query on it inside a command or a consumer's batch runs in that transaction. */
function poolFor(connectionString: string): Pool {
  const pool = queriesJoinTheOpenTransaction(new Pool({ connectionString, max: 20 }));
  // An idle connection the server dropped is replaced on the next query; the error itself needs no handling.
  pool.on('error', () => undefined);
  return pool;
}
