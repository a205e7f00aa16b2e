import { Topics } from '@arc/contracts';
import { defineService, loadServiceConfig, type ServiceConfig } from '@arc/platform';

/** The collections service at start-up: its topic, and what its consumers read (see ServiceDefinition). */
export const COLLECTIONS = defineService({
  name: 'collections',
  defaultPort: 3004,
  topics: { collections: Topics.collections, projectionChanges: Topics.projectionChanges },
  publishes: 'collections',
  // The projections' read-model changes (CustomerAgingChanged) open and close cases.
  consumes: ['projectionChanges'],
  relayName: 'collections-events',
});

export type CollectionsConfig = ServiceConfig<keyof typeof COLLECTIONS.topics>;

/** Reads the collections service's configuration; every problem reported at once (ConfigError). */
export function loadCollectionsConfig(source: NodeJS.ProcessEnv = process.env): CollectionsConfig {
  return loadServiceConfig(COLLECTIONS, source);
}
