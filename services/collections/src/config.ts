import { Topics } from '@arc/contracts';
import { defineService, env, loadServiceConfig, type ServiceConfig } from '@arc/platform';
import type { OutboxOptions } from './channels/outbox-dispatcher';

/** The collections service at start-up: its topic, and what its consumers read (see ServiceDefinition). */
export const COLLECTIONS = defineService({
  name: 'collections',
  defaultPort: 3004,
  topics: {
    collections: Topics.collections,
    projectionChanges: Topics.projectionChanges,
    invoicing: Topics.invoicing,
    payments: Topics.payments,
    credit: Topics.credit,
    calendar: Topics.calendar,
  },
  publishes: 'collections',
  // The projections' changes (aging) open and close cases; invoicing, payments and credit are the open items and
  // customers dunned; the calendar's BusinessDayClosed runs the day's dunning.
  consumes: ['projectionChanges', 'invoicing', 'payments', 'credit', 'calendar'],
  relayName: 'collections-events',
});

export interface CollectionsConfig extends ServiceConfig<keyof typeof COLLECTIONS.topics> {
  /** E-mail and webhook deliveries of dunning steps (see src/channels). */
  outbox: OutboxOptions;
}

/** Reads the collections service's configuration; every problem reported at once (ConfigError). */
export function loadCollectionsConfig(source: NodeJS.ProcessEnv = process.env): CollectionsConfig {
  const {
    smtpUrl,
    smtpMaxConnections,
    smtpMaxMessages,
    mailFrom,
    webhookUrl,
    outboxPollMs,
    outboxMaxAttempts,
    outboxBackoffSeconds,
    outboxLeaseSeconds,
    ...config
  } = loadServiceConfig(COLLECTIONS, source, {
    smtpUrl: env.optional(env.url('ARC_COLLECTIONS_SMTP_URL', { protocols: ['smtp', 'smtps'] })),
    smtpMaxConnections: env.int('ARC_COLLECTIONS_SMTP_MAX_CONNECTIONS', { default: 5, min: 1, max: 50 }),
    smtpMaxMessages: env.int('ARC_COLLECTIONS_SMTP_MAX_MESSAGES', { default: 100, min: 1, max: 100_000 }),
    mailFrom: env.string('ARC_COLLECTIONS_MAIL_FROM', { default: 'ARC Accounts Receivable <collections@arc.local>' }),
    webhookUrl: env.optional(env.url('ARC_COLLECTIONS_WEBHOOK_URL', { protocols: ['http', 'https'] })),
    outboxPollMs: env.int('ARC_COLLECTIONS_OUTBOX_POLL_MS', { default: 1000, min: 10, max: 60_000 }),
    outboxMaxAttempts: env.int('ARC_COLLECTIONS_OUTBOX_MAX_ATTEMPTS', { default: 8, min: 1, max: 100 }),
    outboxBackoffSeconds: env.int('ARC_COLLECTIONS_OUTBOX_BACKOFF_SECONDS', { default: 30, min: 1, max: 3600 }),
    outboxLeaseSeconds: env.int('ARC_COLLECTIONS_OUTBOX_LEASE_SECONDS', { default: 60, min: 4, max: 3600 }),
  });
  return {
    ...config,
    outbox: {
      smtpUrl: smtpUrl ?? null,
      smtpMaxConnections,
      smtpMaxMessages,
      mailFrom,
      webhookUrl: webhookUrl ?? null,
      pollMs: outboxPollMs,
      maxAttempts: outboxMaxAttempts,
      backoffSeconds: outboxBackoffSeconds,
      leaseSeconds: outboxLeaseSeconds,
    },
  };
}
