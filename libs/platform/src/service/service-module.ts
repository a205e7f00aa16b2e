import type { DynamicModule, Provider, Type } from '@nestjs/common';
import type { DomainErrorMapping } from '../errors/problem-mapping';
import type { EventConsumersOptions } from '../event-sourcing/event-consumers';
import { EventSourcingModule } from '../event-sourcing/event-sourcing.module';
import { PlatformModule } from '../platform.module';
import type { ReadModel } from '../read-models/read-models';
import type { ServiceConfig, ServiceDefinition } from './service-config';

/** How a test (or a tool) adjusts a service it starts; production passes none. */
export interface ServiceAppOptions {
  /** Default: ARC_JWT_SECRET or the development default (see @arc/auth). */
  jwtSecret?: string;
  /** Default: stdout. */
  logSink?: (line: string) => void;
}

/** What is a service's own: the rest (platform, event store, relay, consumer wiring) is the same for all six. */
export interface ServiceParts {
  /** The OpenAPI description: what the service does, in a line. */
  description: string;
  /** HTTP controllers (`api/`). */
  controllers?: Type[];
  /** Kafka consumers (`consumers/`): controllers whose @EventPattern handlers read the definition's `consumes` topics. */
  consumers?: Type[];
  /** Views, registers, command sequences and anything else injected. */
  providers?: Provider[];
  /** Listed and rebuilt under /v1/admin/read-models. */
  readModels?: ReadModel[];
  /** How the service's own domain errors answer, where the default mapping is not what it means. */
  problems?: DomainErrorMapping[];
  /** Event types the relay publishes elsewhere than the service's topic, or (null) keeps in the store. */
  routes?: Readonly<Record<string, string | null>>;
}

/** Where runService and the test harness find which topics the service's consumers read. */
export const SERVICE_CONSUMERS = Symbol.for('arc.platform.serviceConsumers');

/** The consumer wiring of a service module; absent when the service consumes nothing. */
export type ServiceConsumers = Pick<EventConsumersOptions, 'groupId' | 'topics' | 'brokers' | 'clientId'>;

/**
 * A service's root module: the platform (auth, problems, logs, health, metrics, idempotency, read
 * models) on the service's database, the event store with its relay to the service's topic, and the
 * service's own parts. Called from the service's `AppModule.forRoot(config, options)`.
 */
export function serviceModule<Topic extends string>(
  module: Type,
  definition: ServiceDefinition<Topic>,
  config: ServiceConfig<Topic>,
  parts: ServiceParts,
  options: ServiceAppOptions = {},
): DynamicModule {
  const consumers: ServiceConsumers = {
    groupId: config.consumerGroup,
    topics: definition.consumes.map((topic) => config.topics[topic]),
    brokers: config.kafkaBrokers,
    clientId: `${definition.name}-consumer`,
  };
  return {
    module,
    imports: [
      PlatformModule.forRoot({
        service: definition.name,
        description: parts.description,
        databaseUrl: config.databaseUrl,
        readModels: parts.readModels ?? [],
        ...(parts.problems ? { problems: parts.problems } : {}),
        ...(options.jwtSecret ? { jwtSecret: options.jwtSecret } : {}),
        ...(options.logSink ? { logSink: options.logSink } : {}),
      }),
      EventSourcingModule.forRoot({
        topic: config.topics[definition.publishes],
        ...(parts.routes ? { routes: parts.routes } : {}),
        relayName: config.relayName,
        brokers: config.kafkaBrokers,
        clientId: definition.name,
      }),
    ],
    controllers: [...(parts.controllers ?? []), ...(parts.consumers ?? [])],
    providers: [...(parts.providers ?? []), ...(consumers.topics.length > 0 ? [{ provide: SERVICE_CONSUMERS, useValue: consumers }] : [])],
  };
}
