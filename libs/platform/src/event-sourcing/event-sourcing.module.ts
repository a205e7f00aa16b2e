import {
  Inject,
  Injectable,
  Logger,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import type { Pool } from 'pg';
import { PostgresEventStore } from '@arc/event-store';
import { createKafka, ensureTopics, Relay, routeByEventType } from '@arc/messaging';
import { env, loadConfig } from '../config/config';
import { HealthChecks } from '../health/health-checks';
import { ARC_PG_POOL } from '../tokens';
import { Commands } from './commands';
import { EVENT_SOURCING_OPTIONS, type ResolvedEventSourcingOptions } from './tokens';

export interface EventSourcingOptions {
  /** The context's topic, e.g. `arc.credit.events`; the relay publishes every stored event there unless `routes` says otherwise. */
  topic: string;
  /**
   * Event types published elsewhere than `topic`: `{ BusinessDayClosed: Topics.calendar }`; null keeps a
   * type in the store only (an event private to the context). The one place a service's routing is declared.
   */
  routes?: Readonly<Record<string, string | null>>;
  /** Partitions when a topic (`topic` or a route's) is created here (an existing topic is left as it is); default 3. */
  partitions?: number;
  /** Names the relay's checkpoint in the service's database, e.g. `credit-events`. */
  relayName: string;
  /** Default: ARC_KAFKA_BROKERS (required). */
  brokers?: string[];
  /** Kafka client id; default the relay name. */
  clientId?: string;
  /** Start the relay on application bootstrap; default true. */
  relay?: boolean;
  /** Default: process.env. */
  env?: NodeJS.ProcessEnv;
}

type Kafka = ReturnType<typeof createKafka>;
const KAFKA = Symbol.for('arc.platform.eventSourcing.kafka');

/**
 * Migrates the event store (module init); ensures every topic it publishes to, registers the `kafka` readiness check and
 * starts the relay (bootstrap); stops the relay and the store's listener before the pool closes.
 */
@Injectable()
export class EventSourcingLifecycle implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('EventSourcing');
  private relay: Relay | undefined;

  constructor(
    @Inject(EVENT_SOURCING_OPTIONS) private readonly options: ResolvedEventSourcingOptions,
    @Inject(PostgresEventStore) private readonly store: PostgresEventStore,
    @Inject(ARC_PG_POOL) private readonly pool: Pool,
    @Inject(KAFKA) private readonly kafka: Kafka,
    @Inject(HealthChecks) private readonly health: HealthChecks,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.store.migrate();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.health.register({ name: 'kafka', check: () => kafkaReachable(this.kafka) });
    const { topic, routes, partitions, relayName } = this.options;
    await ensureTopics(
      this.kafka,
      publishedTopics(this.options).map((name) => ({ topic: name, partitions })),
    );
    if (!this.options.relay) return;
    this.relay = new Relay({
      name: relayName,
      store: this.store,
      pool: this.pool,
      kafka: this.kafka,
      topic: routeByEventType(topic, routes),
      onError: (error) =>
        this.logger.warn(
          `relay ${relayName} to ${publishedTopics(this.options).join(', ')} failed, retrying: ${error instanceof Error ? error.message : String(error)}`,
        ),
    });
    await this.relay.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay?.stop();
    await this.store.close();
  }
}

/** The default topic and every route's, each once. */
export function publishedTopics({ topic, routes }: Pick<ResolvedEventSourcingOptions, 'topic' | 'routes'>): string[] {
  return [...new Set([topic, ...Object.values(routes).filter((t): t is string => t !== null)])];
}

async function kafkaReachable(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.describeCluster();
  } finally {
    await admin.disconnect();
  }
}

/**
 * The write side of an event-sourced service, on the pool PlatformModule provides (ARC_PG_POOL):
 * `PostgresEventStore` (migrated at start-up), `Commands` (decider commands with event metadata), the
 * relay to the service's topic (and the topics `routes` names) and a `kafka` readiness check. Import once, after PlatformModule.forRoot.
 */
@Module({})
export class EventSourcingModule {
  static forRoot(options: EventSourcingOptions): DynamicModule {
    const brokers =
      options.brokers ??
      loadConfig({ brokers: env.list('ARC_KAFKA_BROKERS') }, options.env ?? process.env, { subject: 'the event-sourcing configuration' })
        .brokers;
    const resolved: ResolvedEventSourcingOptions = {
      topic: options.topic,
      routes: { ...options.routes },
      partitions: options.partitions ?? 3,
      relayName: options.relayName,
      brokers,
      clientId: options.clientId ?? options.relayName,
      relay: options.relay ?? true,
    };
    return {
      module: EventSourcingModule,
      global: true,
      providers: [
        { provide: EVENT_SOURCING_OPTIONS, useValue: resolved },
        { provide: PostgresEventStore, useFactory: (pool: Pool) => new PostgresEventStore({ pool }), inject: [ARC_PG_POOL] },
        { provide: KAFKA, useFactory: () => createKafka({ brokers: resolved.brokers, clientId: resolved.clientId }) },
        Commands,
        EventSourcingLifecycle,
      ],
      exports: [EVENT_SOURCING_OPTIONS, PostgresEventStore, Commands],
    };
  }
}
