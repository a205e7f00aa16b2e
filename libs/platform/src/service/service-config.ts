import { env, loadConfig, type ConfigField, type ConfigValues } from '../config/config';

/**
 * What sets one service apart at start-up, declared once in its `config.ts`: its name (the
 * `ARC_<NAME>_` variables, the consumer group, the Kafka client ids), its default port, the topics it
 * knows by the names its code uses, which one its relay publishes to and which ones its consumers read.
 */
export interface ServiceDefinition<Topic extends string = string> {
  /** `credit`, `risk-alert`: reads ARC_CREDIT_PORT, ARC_RISK_ALERT_DATABASE_URL... */
  readonly name: string;
  readonly defaultPort: number;
  /** `{ credit: Topics.credit, invoicing: Topics.invoicing }`: each in the Kafka namespace at load. */
  readonly topics: Readonly<Record<Topic, string>>;
  /** The topic the relay publishes the service's events to (unless the module's `routes` say otherwise). */
  readonly publishes: Topic;
  /** The topics the service's consumers subscribe to; empty when it has none. */
  readonly consumes: readonly Topic[];
  /** Names the relay's checkpoint in the service's database. */
  readonly relayName: string;
}

/** The configuration every service has; a service's own settings come on top (see loadServiceConfig's `extra`). */
export interface ServiceConfig<Topic extends string = string> {
  port: number;
  databaseUrl: string;
  kafkaBrokers: string[];
  topics: Record<Topic, string>;
  /** Consumer group of the service's consumers (positions in the service's database). */
  consumerGroup: string;
  relayName: string;
}

/** Keeps the topic names as a type, so `config.topics.<name>` is checked. */
export function defineService<const Topics extends Record<string, string>>(
  definition: Omit<ServiceDefinition, 'topics' | 'publishes' | 'consumes'> & {
    topics: Topics;
    publishes: keyof Topics & string;
    consumes: readonly (keyof Topics & string)[];
  },
): ServiceDefinition<keyof Topics & string> {
  return definition;
}

/** `risk-alert` → `ARC_RISK_ALERT`. */
export function envPrefixOf(service: string): string {
  return `ARC_${service.toUpperCase().replace(/-/g, '_')}`;
}

type Schema = Record<string, ConfigField<unknown>>;

/**
 * Reads a service's configuration: ARC_<NAME>_PORT, ARC_<NAME>_DATABASE_URL, ARC_KAFKA_BROKERS and
 * ARC_KAFKA_NAMESPACE, plus the service's own variables in `extra`, whose values come back beside the
 * common ones. Every problem, common or the service's own, is reported at once (ConfigError).
 */
export function loadServiceConfig<Topic extends string, Extra extends Schema = Record<never, never>>(
  definition: ServiceDefinition<Topic>,
  source: NodeJS.ProcessEnv = process.env,
  extra?: Extra,
): ServiceConfig<Topic> & ConfigValues<Extra> {
  const prefix = envPrefixOf(definition.name);
  const { kafkaNames, ...values } = loadConfig(
    {
      ...extra,
      port: env.port(`${prefix}_PORT`, { default: definition.defaultPort }),
      databaseUrl: env.url(`${prefix}_DATABASE_URL`, { protocols: ['postgres', 'postgresql'] }),
      kafkaBrokers: env.list('ARC_KAFKA_BROKERS'),
      kafkaNames: env.kafkaNamespace(),
    },
    source,
    { subject: `the ${definition.name} service configuration` },
  );
  const topics = Object.fromEntries(Object.entries<string>(definition.topics).map(([key, topic]) => [key, kafkaNames.of(topic)]));
  return {
    ...(values as ConfigValues<Extra> & Omit<ServiceConfig, 'topics' | 'consumerGroup' | 'relayName'>),
    topics: topics as Record<Topic, string>,
    consumerGroup: kafkaNames.of(definition.name),
    relayName: definition.relayName,
  };
}
