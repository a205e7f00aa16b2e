import { Topics } from '@arc/contracts';
import { env, loadConfig } from '@arc/platform';

export interface InvoicingConfig {
  port: number;
  databaseUrl: string;
  kafkaBrokers: string[];
  topics: {
    /** Where the relay publishes the invoicing events. */
    invoicing: string;
    /** Read for CreditPolicySet (the customers' payment terms). */
    credit: string;
    /** Read for PaymentAllocated and PaymentAllocationReduced (the cash on each invoice). */
    payments: string;
    /** Where the relay publishes BusinessDayClosed (the business calendar invoicing owns). */
    calendar: string;
  };
  /** Consumer group of the terms and cash consumers (positions in the service's database). */
  consumerGroup: string;
  /** Names the relay's checkpoint. */
  relayName: string;
}

/** Reads the invoicing service's configuration; every problem reported at once (ConfigError). */
export function loadInvoicingConfig(source: NodeJS.ProcessEnv = process.env): InvoicingConfig {
  const { kafkaNames, ...values } = loadConfig(
    {
      port: env.port('ARC_INVOICING_PORT', { default: 3002 }),
      databaseUrl: env.url('ARC_INVOICING_DATABASE_URL', { protocols: ['postgres', 'postgresql'] }),
      kafkaBrokers: env.list('ARC_KAFKA_BROKERS'),
      kafkaNames: env.kafkaNamespace(),
    },
    source,
    { subject: 'the invoicing service configuration' },
  );
  return {
    ...values,
    topics: {
      invoicing: kafkaNames.of(Topics.invoicing),
      credit: kafkaNames.of(Topics.credit),
      payments: kafkaNames.of(Topics.payments),
      calendar: kafkaNames.of(Topics.calendar),
    },
    consumerGroup: kafkaNames.of('invoicing'),
    relayName: 'invoicing-events',
  };
}
