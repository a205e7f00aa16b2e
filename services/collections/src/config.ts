import { Topics } from '@arc/contracts';
import { env, loadConfig } from '@arc/platform';
import type { OutboxOptions } from './channels/outbox-dispatcher';

export interface CollectionsConfig {
  port: number;
  databaseUrl: string;
  kafkaBrokers: string[];
  topics: {
    /** Where the relay publishes the collections events. */
    collections: string;
    /** The read-model changes of projections (CustomerAgingChanged). */
    projectionChanges: string;
    /** Invoices and credit notes, payments' allocations, customers and their class and contacts: the open items dunned. */
    invoicing: string;
    payments: string;
    credit: string;
    /** BusinessDayClosed: each closed day runs the dunning. */
    calendar: string;
  };
  /** Consumer group of the consumers (positions in the service's database). */
  consumerGroup: string;
  /** Names the relay's checkpoint. */
  relayName: string;
  /** E-mail and webhook deliveries of dunning steps (see src/channels). */
  outbox: OutboxOptions;
}

/** Reads the collections service's configuration; every problem reported at once (ConfigError). */
export function loadCollectionsConfig(source: NodeJS.ProcessEnv = process.env): CollectionsConfig {
  const { kafkaNames, smtpUrl, mailFrom, webhookUrl, outboxPollMs, outboxMaxAttempts, outboxBackoffSeconds, ...values } = loadConfig(
    {
      port: env.port('ARC_COLLECTIONS_PORT', { default: 3004 }),
      databaseUrl: env.url('ARC_COLLECTIONS_DATABASE_URL', { protocols: ['postgres', 'postgresql'] }),
      kafkaBrokers: env.list('ARC_KAFKA_BROKERS'),
      kafkaNames: env.kafkaNamespace(),
      smtpUrl: env.optional(env.url('ARC_COLLECTIONS_SMTP_URL', { protocols: ['smtp', 'smtps'] })),
      mailFrom: env.string('ARC_COLLECTIONS_MAIL_FROM', { default: 'ARC Accounts Receivable <collections@arc.local>' }),
      webhookUrl: env.optional(env.url('ARC_COLLECTIONS_WEBHOOK_URL', { protocols: ['http', 'https'] })),
      outboxPollMs: env.int('ARC_COLLECTIONS_OUTBOX_POLL_MS', { default: 1000, min: 10, max: 60_000 }),
      outboxMaxAttempts: env.int('ARC_COLLECTIONS_OUTBOX_MAX_ATTEMPTS', { default: 8, min: 1, max: 100 }),
      outboxBackoffSeconds: env.int('ARC_COLLECTIONS_OUTBOX_BACKOFF_SECONDS', { default: 30, min: 1, max: 3600 }),
    },
    source,
    { subject: 'the collections service configuration' },
  );
  return {
    ...values,
    topics: {
      collections: kafkaNames.of(Topics.collections),
      projectionChanges: kafkaNames.of(Topics.projectionChanges),
      invoicing: kafkaNames.of(Topics.invoicing),
      payments: kafkaNames.of(Topics.payments),
      credit: kafkaNames.of(Topics.credit),
      calendar: kafkaNames.of(Topics.calendar),
    },
    consumerGroup: kafkaNames.of('collections'),
    relayName: 'collections-events',
    outbox: {
      smtpUrl: smtpUrl ?? null,
      mailFrom,
      webhookUrl: webhookUrl ?? null,
      pollMs: outboxPollMs,
      maxAttempts: outboxMaxAttempts,
      backoffSeconds: outboxBackoffSeconds,
    },
  };
}
