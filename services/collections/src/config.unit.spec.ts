import { ConfigError } from '@arc/platform';
import { loadCollectionsConfig } from './config';

describe('loadCollectionsConfig', () => {
  it('reads the port (default 3004), database and brokers, and names the topics, group and relay', () => {
    const config = loadCollectionsConfig({ ARC_COLLECTIONS_DATABASE_URL: 'postgres://db/collections', ARC_KAFKA_BROKERS: 'a:9092,b:9092' });
    expect(config).toEqual({
      port: 3004,
      databaseUrl: 'postgres://db/collections',
      kafkaBrokers: ['a:9092', 'b:9092'],
      topics: { collections: 'arc.collections.events', projectionChanges: 'arc.projections.changes' },
      consumerGroup: 'collections',
      relayName: 'collections-events',
    });
    expect(
      loadCollectionsConfig({ ARC_COLLECTIONS_PORT: '4004', ARC_COLLECTIONS_DATABASE_URL: 'postgresql://db/c', ARC_KAFKA_BROKERS: 'a:1' })
        .port,
    ).toBe(4004);
  });

  it('reports every missing variable at once', () => {
    expect(() => loadCollectionsConfig({})).toThrow(ConfigError);
    expect(() => loadCollectionsConfig({})).toThrow(
      /ARC_COLLECTIONS_DATABASE_URL[\s\S]*ARC_KAFKA_BROKERS|ARC_KAFKA_BROKERS[\s\S]*ARC_COLLECTIONS_DATABASE_URL/,
    );
  });
});
