import {
  Injectable,
  Logger,
  type CallHandler,
  type ExecutionContext,
  type INestApplication,
  type INestMicroservice,
  type NestInterceptor,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { Observable } from 'rxjs';
import type { EventEnvelope } from '@arc/contracts';
import { ArcKafkaTransport, createKafka, ensureTopics, type ArcKafkaTransportOptions } from '@arc/messaging';
import { env, loadConfig } from '../config/config';
import { MetricsService } from '../metrics/metrics.service';
import { ReadModels } from '../read-models/read-models';
import { runWithCorrelationId } from '../logging/correlation';
import { ARC_PG_POOL } from '../tokens';
import { EVENT_SOURCING_OPTIONS, type ResolvedEventSourcingOptions } from './tokens';

export interface EventConsumersOptions {
  /** The consumer group, e.g. `credit`; positions live in the service's database under this name. */
  groupId: string;
  topics: string[];
  /** Default: EventSourcingModule's brokers, else ARC_KAFKA_BROKERS. */
  brokers?: string[];
  /** Default: `<groupId>-consumer`. */
  clientId?: string;
  maxAttempts?: ArcKafkaTransportOptions['maxAttempts'];
  retryDelayMs?: ArcKafkaTransportOptions['retryDelayMs'];
  onDeadLetter?: ArcKafkaTransportOptions['onDeadLetter'];
  /**
   * Create the subscribed topics (and their `.dlq`) when missing, with this many partitions, so the
   * service starts before the topics' owners ever ran; default 3. `false`: expect them to exist.
   */
  createMissingTopics?: number | false;
  env?: NodeJS.ProcessEnv;
}

/** Runs each Kafka handler inside the envelope's correlation id, so its logs and the events it causes carry it. */
@Injectable()
export class EnvelopeCorrelationInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const correlationId = context.switchToRpc().getData<Partial<EventEnvelope> | undefined>()?.correlationId;
    if (typeof correlationId !== 'string') return next.handle();
    // The handler runs when the observable is subscribed: subscribe inside the correlation context.
    return new Observable((subscriber) => runWithCorrelationId(correlationId, () => next.handle().subscribe(subscriber)));
  }
}

/**
 * Attaches ARC's exactly-once Kafka transport to a service app (hybrid app): `@EventPattern` handlers of
 * the app's controllers receive the envelopes of `topics`, with effects written through `ctx.tx`.
 * Await it before `app.init()`, then `app.startAllMicroservices()` and `app.listen()` (init first: the
 * handlers' tables are migrated by module init). The app's pool (ARC_PG_POOL) holds the positions.
 */
export async function connectEventConsumers(app: INestApplication, options: EventConsumersOptions): Promise<INestMicroservice> {
  const pool = app.get<Pool>(ARC_PG_POOL);
  const brokers =
    options.brokers ?? brokersOf(app) ?? loadConfig({ brokers: env.list('ARC_KAFKA_BROKERS') }, options.env ?? process.env).brokers;
  const kafka = { brokers, clientId: options.clientId ?? `${options.groupId}-consumer` };
  const partitions = options.createMissingTopics ?? 3;
  if (partitions !== false)
    await ensureTopics(
      createKafka(kafka),
      options.topics.map((topic) => ({ topic, partitions })),
    );
  const metrics = optional(app, MetricsService);
  const deadLetters = metrics?.deadLetters();
  const logger = new Logger(`consumer ${options.groupId}`);
  const strategy = new ArcKafkaTransport({
    kafka,
    groupId: options.groupId,
    topics: options.topics,
    pool,
    ...(options.maxAttempts === undefined ? {} : { maxAttempts: options.maxAttempts }),
    ...(options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs }),
    onDeadLetter: (letter) => {
      // Parked: the read model lacks this message until it is re-published or the model rebuilt.
      logger.error(
        `parked ${letter.topic}/${letter.partition}/${letter.offset} on the dead-letter topic after ${letter.attempts} attempts: ${letter.error}`,
      );
      deadLetters?.inc({ group: options.groupId, topic: letter.topic });
      options.onDeadLetter?.(letter);
    },
    onBatchCommitted: ({ applied }) => {
      const last = applied.at(-1);
      if (last) metrics?.observeProjectionLag(options.groupId, last.recordedAt);
    },
  });
  metrics?.watchConsumerLag(options.groupId, () => strategy.exactlyOnceConsumer.lag());
  optional(app, ReadModels)?.attachConsumer(() => strategy.exactlyOnceConsumer);
  // Registered before connecting: a hybrid app's handlers take their enhancers when connected. On HTTP
  // routes the interceptor passes through.
  app.useGlobalInterceptors(new EnvelopeCorrelationInterceptor());
  // The app's own configuration: the platform's global guard and problem filter know Kafka contexts (the
  // guard lets them through; the filter rethrows the handler's own error, as ArcKafkaExceptionFilter
  // would, so retries and dead letters see it). A separate configuration would put Nest's default RPC
  // filter in their place, which replaces every error with "Internal server error".
  return app.connectMicroservice({ strategy }, { inheritAppConfig: true });
}

function optional<T>(app: INestApplication, token: new (...args: never[]) => T): T | undefined {
  try {
    return app.get(token, { strict: false });
  } catch {
    return undefined;
  }
}

function brokersOf(app: INestApplication): string[] | undefined {
  try {
    return app.get<ResolvedEventSourcingOptions>(EVENT_SOURCING_OPTIONS, { strict: false }).brokers;
  } catch {
    return undefined;
  }
}
