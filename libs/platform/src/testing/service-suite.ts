import type { DynamicModule, INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { ensureTopics } from '@arc/messaging';
import { endpoints, reserveTestDatabase, testKafka, uniqueTopicName, type TestDatabase } from '@arc/testing';
import type { ServiceConfig, ServiceDefinition } from '../service/service-config';
import type { ServiceAppOptions } from '../service/service-module';
import { startServiceUnderTest, type CallOptions, type CallResult, type ServiceUnderTest } from './service-under-test';

export interface ServiceSuiteOptions<C extends ServiceConfig> {
  /** The service's definition (its config.ts): each of its topics becomes a topic of the suite's own. */
  definition: ServiceDefinition<keyof C['topics'] & string>;
  /** `(config, options) => AppModule.forRoot(config, options)`. */
  module: (config: C, options: ServiceAppOptions) => DynamicModule;
  /** Names the suite's database; default `<service>_service`. */
  database?: string;
  /** The service's own settings beside the common ones (projections' business date and BI role). */
  extra?: Omit<C, keyof ServiceConfig>;
}

/** What a service's integration suite works with; `service` and `app` exist once its beforeAll has run. */
export interface ServiceSuite<C extends ServiceConfig> {
  config: C;
  /** The suite's own database, the service's too. */
  db: TestDatabase;
  kafka: Kafka;
  /** Connected for the suite: publish what another context's relay would. */
  producer: Producer;
  /** The service's error-level log lines (its other lines are dropped). */
  errorLog: string[];
  readonly service: ServiceUnderTest;
  readonly app: INestApplication;
  /** A real HTTP request to the service (see ServiceUnderTest.call). */
  call(method: string, path: string, options?: CallOptions): Promise<CallResult>;
  /** How many events the service's store holds. */
  eventCount(): Promise<number>;
}

/**
 * The setup every service integration suite shares, registered as the calling describe's beforeAll and
 * afterAll: a database of its own, every topic of the service a fresh one with one partition (so what a
 * test sends is consumed in the order sent; created before the consumers subscribe, as the topics'
 * owners do in production), the service started as main.ts starts it, a connected producer; then all
 * of it closed and dropped. A suite's own hooks declared after it run after it.
 */
export function useServiceUnderTest<C extends ServiceConfig>(options: ServiceSuiteOptions<C>): ServiceSuite<C> {
  const { definition } = options;
  const db = reserveTestDatabase(options.database ?? `${definition.name}_service`);
  const kafka = testKafka(`${definition.name}-test`);
  const producer = kafka.producer();
  const topics = Object.fromEntries(Object.keys(definition.topics).map((key) => [key, uniqueTopicName(key)]));
  const config = {
    ...options.extra,
    port: 0,
    databaseUrl: db.url,
    kafkaBrokers: endpoints().kafkaBrokers,
    topics,
    consumerGroup: `${definition.name}-test-${randomUUID()}`,
    relayName: definition.relayName,
  } as unknown as C;
  const errorLog: string[] = [];
  let started: ServiceUnderTest | undefined;

  beforeAll(async () => {
    await db.create();
    await ensureTopics(
      kafka,
      Object.values<string>(config.topics).map((topic) => ({ topic, partitions: 1 })),
    );
    await producer.connect();
    started = await startServiceUnderTest(
      options.module(config, { logSink: (line) => void (line.includes('"level":"error"') && errorLog.push(line)) }),
    );
  });

  afterAll(async () => {
    await producer.disconnect();
    await started?.close();
    await db.drop();
  });

  const service = (): ServiceUnderTest => {
    if (!started) throw new Error(`the ${definition.name} service is not started: use it inside a test or a later hook`);
    return started;
  };
  return {
    config,
    db,
    kafka,
    producer,
    errorLog,
    get service() {
      return service();
    },
    get app() {
      return service().app;
    },
    call: (method, path, callOptions) => service().call(method, path, callOptions),
    async eventCount() {
      const { rows } = await db.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM events');
      return Number(rows[0]?.n);
    },
  };
}
