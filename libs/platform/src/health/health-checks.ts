import { Inject, Injectable, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import { ARC_PG_POOL } from '../tokens';
import { JsonLogger } from '../logging/json-logger';

export interface ReadinessCheck {
  /** `postgres`, `kafka`, ...: what the readiness report and the logs call it. */
  name: string;
  /** Resolves when the dependency answers; throws (or rejects) when it does not. */
  check: () => Promise<unknown> | unknown;
  /** Default 2 s: a dependency that hangs is as unready as one that refuses. */
  timeoutMs?: number;
}

export interface CheckResult {
  name: string;
  status: 'up' | 'down';
  durationMs: number;
  error?: string;
}

export interface ReadinessReport {
  ready: boolean;
  checks: CheckResult[];
}

export const DEFAULT_CHECK_TIMEOUT_MS = 2_000;

export async function runCheck({ name, check, timeoutMs = DEFAULT_CHECK_TIMEOUT_MS }: ReadinessCheck): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.resolve().then(check), timeout]);
    return { name, status: 'up', durationMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      name,
      status: 'down',
      durationMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** The readiness checks of the service, run on every GET /health/ready. */
@Injectable()
export class HealthChecks implements BeforeApplicationShutdown {
  private readonly checks = new Map<string, ReadinessCheck>();
  private shuttingDown = false;

  constructor(
    @Inject(JsonLogger) private readonly logger: JsonLogger,
    @Optional() @Inject(ARC_PG_POOL) pool?: Pool,
  ) {
    if (pool) this.register({ name: 'postgres', check: () => pool.query('SELECT 1') });
  }

  /** Adds (or replaces, by name) a check, e.g. the Kafka consumer's, from a service module's onModuleInit. */
  register(check: ReadinessCheck): void {
    this.checks.set(check.name, check);
  }

  async run(): Promise<ReadinessReport> {
    const checks = await Promise.all([...this.checks.values()].map(runCheck));
    // Stopping: the load balancer should send nothing new while in-flight requests finish.
    if (this.shuttingDown) checks.push({ name: 'shutdown', status: 'down', durationMs: 0, error: 'the service is shutting down' });
    for (const failed of checks.filter((check) => check.status === 'down')) {
      this.logger.warn({ msg: `readiness check ${failed.name} failed: ${failed.error}`, check: failed.name }, 'HealthChecks');
    }
    return { ready: checks.every((check) => check.status === 'up'), checks };
  }

  beforeApplicationShutdown(): void {
    this.shuttingDown = true;
  }
}
