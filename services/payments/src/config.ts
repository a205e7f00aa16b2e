import { Topics } from '@arc/contracts';
import { defineService, loadServiceConfig, type ServiceConfig } from '@arc/platform';

/** The payments service at start-up: its topic, and what its consumers read (see ServiceDefinition). */
export const PAYMENTS = defineService({
  name: 'payments',
  defaultPort: 3003,
  topics: { payments: Topics.payments, invoicing: Topics.invoicing, calendar: Topics.calendar, credit: Topics.credit },
  publishes: 'payments',
  // invoicing: the open invoices; calendar: the open day (receipt-date rule); credit: which customers exist.
  consumes: ['invoicing', 'calendar', 'credit'],
  relayName: 'payments-events',
});

export type PaymentsConfig = ServiceConfig<keyof typeof PAYMENTS.topics>;

/** Reads the payments service's configuration; every problem reported at once (ConfigError). */
export function loadPaymentsConfig(source: NodeJS.ProcessEnv = process.env): PaymentsConfig {
  return loadServiceConfig(PAYMENTS, source);
}
