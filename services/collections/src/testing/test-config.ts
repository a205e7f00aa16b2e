import { randomUUID } from 'node:crypto';
import { endpoints, uniqueTopicName } from '@arc/testing';
import type { CollectionsConfig } from '../config';

/** Deliveries as a test wants them: fast polls and few attempts; no SMTP server or webhook unless the test starts one. */
export const TEST_OUTBOX: CollectionsConfig['outbox'] = {
  smtpUrl: null,
  smtpMaxConnections: 2,
  smtpMaxMessages: 100,
  mailFrom: 'ARC <ar@arc.test>',
  webhookUrl: null,
  pollMs: 50,
  maxAttempts: 3,
  backoffSeconds: 1,
  leaseSeconds: 60,
};

/** A configuration for a test: the test's own database, topics nobody else publishes to, its own consumer group. */
export function testCollectionsConfig(databaseUrl: string, outbox: Partial<CollectionsConfig['outbox']> = {}): CollectionsConfig {
  return {
    port: 0,
    databaseUrl,
    kafkaBrokers: endpoints().kafkaBrokers,
    topics: {
      collections: uniqueTopicName('collections'),
      projectionChanges: uniqueTopicName('projection-changes'),
      invoicing: uniqueTopicName('invoicing'),
      payments: uniqueTopicName('payments'),
      credit: uniqueTopicName('credit'),
      calendar: uniqueTopicName('calendar'),
    },
    consumerGroup: `collections-test-${randomUUID()}`,
    relayName: 'collections-events',
    outbox: { ...TEST_OUTBOX, ...outbox },
  };
}
