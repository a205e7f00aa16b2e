import { Topics } from '@arc/contracts';
import { defineService, loadServiceConfig, type ServiceConfig } from '@arc/platform';

/** The invoicing service at start-up: its topics, and what its consumers read (see ServiceDefinition). */
export const INVOICING = defineService({
  name: 'invoicing',
  defaultPort: 3002,
  // calendar: where the relay publishes BusinessDayClosed (the business calendar invoicing owns, see app.module).
  topics: {
    invoicing: Topics.invoicing,
    credit: Topics.credit,
    payments: Topics.payments,
    calendar: Topics.calendar,
    collections: Topics.collections,
  },
  publishes: 'invoicing',
  // credit: CreditPolicySet (the customers' payment terms) and reservations; payments: the cash on each invoice and
  // short payments (disputes); calendar: the day closes (late interest, month-end statements); collections:
  // write-offs recommended when a legal case closes.
  consumes: ['credit', 'payments', 'calendar', 'collections'],
  relayName: 'invoicing-events',
});

export type InvoicingConfig = ServiceConfig<keyof typeof INVOICING.topics>;

/** Reads the invoicing service's configuration; every problem reported at once (ConfigError). */
export function loadInvoicingConfig(source: NodeJS.ProcessEnv = process.env): InvoicingConfig {
  return loadServiceConfig(INVOICING, source);
}
