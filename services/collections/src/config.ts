import { Topics } from '@arc/contracts';
import { env, loadConfig } from '@arc/platform';

export interface CollectionsConfig {
  port: number;
  databaseUrl: string;
  kafkaBrokers: string[];
  topics: {
    /** Where the relay publishes the collections events. */
    collections: string;
    /** The read-model changes of projections (CustomerAgingChanged). */
    projectionChanges: string;
  };
  /** Consumer group of the aging consumer (positions in the service's database). */
  consumerGroup: string;
  /** Names the relay's checkpoint. */
  relayName: string;
}

/** Reads the collections service's configuration; every problem reported at once (ConfigError). */
export function loadCollectionsConfig(source: NodeJS.ProcessEnv = process.env): CollectionsConfig {
  const { kafkaNames, ...values } = loadConfig(
    {
      port: env.port('ARC_COLLECTIONS_PORT', { default: 3004 }),
      databaseUrl: env.url('ARC_COLLECTIONS_DATABASE_URL', { protocols: ['postgres', 'postgresql'] }),
      kafkaBrokers: env.list('ARC_KAFKA_BROKERS'),
      kafkaNames: env.kafkaNamespace(),
    },
    source,
    { subject: 'the collections service configuration' },
  );
  return {
    ...values,
    topics: { collections: kafkaNames.of(Topics.collections), projectionChanges: kafkaNames.of(Topics.projectionChanges) },
    consumerGroup: kafkaNames.of('collections'),
    relayName: 'collections-events',
  };
}
