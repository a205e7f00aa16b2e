import { Topics } from '@arc/contracts';
import { defineService, loadServiceConfig, type ServiceConfig } from '@arc/platform';

/** The credit service at start-up: its topic, and what its consumers read (see ServiceDefinition). */
export const CREDIT = defineService({
  name: 'credit',
  defaultPort: 3001,
  topics: {
    credit: Topics.credit,
    invoicing: Topics.invoicing,
    payments: Topics.payments,
    calendar: Topics.calendar,
    collections: Topics.collections,
    risk: Topics.risk,
  },
  publishes: 'credit',
  // Invoicing and payments for open AR; the calendar's BusinessDayClosed for temporary limits falling back; its own
  // topic too, so the temporary-limits view follows approvals and expiries in the consumer's exactly-once batches;
  // collections' credit-hold requests and releases (the dunning's credit-hold step) and PaymentArrangementBroken
  // for the broken promises a review counts; risk-alert's credit-hold requests and releases (a critical alert).
  consumes: ['invoicing', 'payments', 'calendar', 'credit', 'collections', 'risk'],
  relayName: 'credit-events',
});

export type CreditConfig = ServiceConfig<keyof typeof CREDIT.topics>;

/** Reads the credit service's configuration; every problem reported at once (ConfigError). */
export function loadCreditConfig(source: NodeJS.ProcessEnv = process.env): CreditConfig {
  return loadServiceConfig(CREDIT, source);
}
