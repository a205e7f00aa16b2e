import { ConfigError } from '@arc/platform';
import { loadCollectionsConfig } from './config';

describe('loadCollectionsConfig', () => {
  it('reads the port (default 3004), database and brokers, and names the topics, group and relay', () => {
    const config = loadCollectionsConfig({ ARC_COLLECTIONS_DATABASE_URL: 'postgres://db/collections', ARC_KAFKA_BROKERS: 'a:9092,b:9092' });
    expect(config).toEqual({
      port: 3004,
      databaseUrl: 'postgres://db/collections',
      kafkaBrokers: ['a:9092', 'b:9092'],
      topics: {
        collections: 'arc.collections.events',
        projectionChanges: 'arc.projections.changes',
        invoicing: 'arc.invoicing.events',
        payments: 'arc.payments.events',
        credit: 'arc.credit.events',
        calendar: 'arc.calendar',
      },
      consumerGroup: 'collections',
      relayName: 'collections-events',
      outbox: {
        smtpUrl: null,
        smtpMaxConnections: 5,
        smtpMaxMessages: 100,
        mailFrom: 'ARC Accounts Receivable <collections@arc.local>',
        webhookUrl: null,
        pollMs: 1000,
        maxAttempts: 8,
        backoffSeconds: 30,
        leaseSeconds: 60,
      },
    });
    expect(
      loadCollectionsConfig({
        ARC_COLLECTIONS_DATABASE_URL: 'postgres://db/c',
        ARC_KAFKA_BROKERS: 'a:1',
        ARC_COLLECTIONS_SMTP_URL: 'smtp://127.0.0.1:2525',
      }).outbox.smtpUrl,
    ).toBe('smtp://127.0.0.1:2525');
    expect(
      loadCollectionsConfig({ ARC_COLLECTIONS_PORT: '4004', ARC_COLLECTIONS_DATABASE_URL: 'postgresql://db/c', ARC_KAFKA_BROKERS: 'a:1' })
        .port,
    ).toBe(4004);
  });

  it('refuses an SMTP address that is not smtp:// or smtps://', () => {
    expect(() =>
      loadCollectionsConfig({
        ARC_COLLECTIONS_DATABASE_URL: 'postgres://db/c',
        ARC_KAFKA_BROKERS: 'a:1',
        ARC_COLLECTIONS_SMTP_URL: 'http://mail',
      }),
    ).toThrow(/ARC_COLLECTIONS_SMTP_URL/);
  });

  it('reports every missing variable at once', () => {
    expect(() => loadCollectionsConfig({})).toThrow(ConfigError);
    expect(() => loadCollectionsConfig({})).toThrow(
      /ARC_COLLECTIONS_DATABASE_URL[\s\S]*ARC_KAFKA_BROKERS|ARC_KAFKA_BROKERS[\s\S]*ARC_COLLECTIONS_DATABASE_URL/,
    );
  });
});
