import { Topics } from '@arc/contracts';
import { defineService, env, loadServiceConfig, type ServiceConfig } from '@arc/platform';
import type { WebhookOptions } from './delivery/webhook-dispatcher';

/** The risk-alert service at start-up: its topic, and what its consumers read (see ServiceDefinition). */
export const RISK_ALERT = defineService({
  name: 'risk-alert',
  defaultPort: 3005,
  // risk: where the relay publishes AlertRaised and AlertResolved (the rest stays in the store, see app.module).
  topics: {
    risk: Topics.risk,
    projectionChanges: Topics.projectionChanges,
    collections: Topics.collections,
    calendar: Topics.calendar,
    credit: Topics.credit,
    invoicing: Topics.invoicing,
    payments: Topics.payments,
  },
  publishes: 'risk',
  // The read-model changes the rules are evaluated on; collections' broken promises and the calendar's day
  // closes for the broken-promises metric (and covers ending, and the falling-due window); credit's insurance covers;
  // invoicing's and payments' movements for the per-invoice view (invoice metrics, the invoices behind an alert).
  consumes: ['projectionChanges', 'collections', 'calendar', 'credit', 'invoicing', 'payments'],
  relayName: 'risk-events',
});

export interface RiskAlertConfig extends ServiceConfig<keyof typeof RISK_ALERT.topics> {
  /** Department webhooks (see src/delivery); default when absent (tests that do not set it). */
  webhooks?: WebhookOptions;
}

export const DEFAULT_WEBHOOK_OPTIONS: WebhookOptions = { pollMs: 1000, maxAttempts: 10, backoffSeconds: 30, timeoutMs: 10_000 };

/** Reads the risk-alert service's configuration; every problem reported at once (ConfigError). */
export function loadRiskAlertConfig(source: NodeJS.ProcessEnv = process.env): RiskAlertConfig {
  const { pollMs, maxAttempts, backoffSeconds, timeoutMs, ...config } = loadServiceConfig(RISK_ALERT, source, {
    pollMs: env.int('ARC_RISK_ALERT_WEBHOOK_POLL_MS', { default: DEFAULT_WEBHOOK_OPTIONS.pollMs, min: 10, max: 60_000 }),
    maxAttempts: env.int('ARC_RISK_ALERT_WEBHOOK_MAX_ATTEMPTS', { default: DEFAULT_WEBHOOK_OPTIONS.maxAttempts, min: 1, max: 100 }),
    backoffSeconds: env.int('ARC_RISK_ALERT_WEBHOOK_BACKOFF_SECONDS', {
      default: DEFAULT_WEBHOOK_OPTIONS.backoffSeconds,
      min: 1,
      max: 3600,
    }),
    timeoutMs: env.int('ARC_RISK_ALERT_WEBHOOK_TIMEOUT_MS', { default: DEFAULT_WEBHOOK_OPTIONS.timeoutMs, min: 100, max: 60_000 }),
  });
  return { ...config, webhooks: { pollMs, maxAttempts, backoffSeconds, timeoutMs } };
}
