import { Topics } from '@arc/contracts';
import { env, loadConfig } from '@arc/platform';

export interface PaymentsConfig {
  port: number;
  databaseUrl: string;
  kafkaBrokers: string[];
  topics: {
    /** Where the relay publishes the payments events. */
    payments: string;
    /** Read by the open-invoices consumer. */
    invoicing: string;
    /** Read by the calendar consumer (the open day, for the receipt-date rule). */
    calendar: string;
    /** Read by the credit consumer (which customers exist). */
    credit: string;
  };
  /** Consumer group of the open-invoices consumer (positions in the service's database). */
  consumerGroup: string;
  /** Names the relay's checkpoint. */
  relayName: string;
}

/** Reads the payments service's configuration; every problem reported at once (ConfigError). */
export function loadPaymentsConfig(source: NodeJS.ProcessEnv = process.env): PaymentsConfig {
  const { kafkaNames, ...values } = loadConfig(
    {
      port: env.port('ARC_PAYMENTS_PORT', { default: 3003 }),
      databaseUrl: env.url('ARC_PAYMENTS_DATABASE_URL', { protocols: ['postgres', 'postgresql'] }),
      kafkaBrokers: env.list('ARC_KAFKA_BROKERS'),
      kafkaNames: env.kafkaNamespace(),
    },
    source,
    { subject: 'the payments service configuration' },
  );
  return {
    ...values,
    topics: {
      payments: kafkaNames.of(Topics.payments),
      invoicing: kafkaNames.of(Topics.invoicing),
      calendar: kafkaNames.of(Topics.calendar),
      credit: kafkaNames.of(Topics.credit),
    },
    consumerGroup: kafkaNames.of('payments'),
    relayName: 'payments-events',
  };
}
