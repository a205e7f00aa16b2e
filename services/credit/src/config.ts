import { Topics } from '@arc/contracts';
import { env, loadConfig } from '@arc/platform';

export interface CreditConfig {
  port: number;
  databaseUrl: string;
  kafkaBrokers: string[];
  topics: {
    /** Where the relay publishes the credit events. */
    credit: string;
    invoicing: string;
    payments: string;
    /** BusinessDayClosed: temporary limits fall back when the day after their end date is closed. */
    calendar: string;
    /** PaymentArrangementBroken: broken promises count in a customer's review. */
    collections: string;
  };
  /** Consumer group of the open-AR consumer (positions in the service's database). */
  consumerGroup: string;
  /** Names the relay's checkpoint. */
  relayName: string;
}

/** Reads the credit service's configuration; every problem reported at once (ConfigError). */
export function loadCreditConfig(source: NodeJS.ProcessEnv = process.env): CreditConfig {
  const { kafkaNames, ...values } = loadConfig(
    {
      port: env.port('ARC_CREDIT_PORT', { default: 3001 }),
      databaseUrl: env.url('ARC_CREDIT_DATABASE_URL', { protocols: ['postgres', 'postgresql'] }),
      kafkaBrokers: env.list('ARC_KAFKA_BROKERS'),
      kafkaNames: env.kafkaNamespace(),
    },
    source,
    { subject: 'the credit service configuration' },
  );
  return {
    ...values,
    topics: {
      credit: kafkaNames.of(Topics.credit),
      invoicing: kafkaNames.of(Topics.invoicing),
      payments: kafkaNames.of(Topics.payments),
      calendar: kafkaNames.of(Topics.calendar),
      collections: kafkaNames.of(Topics.collections),
    },
    consumerGroup: kafkaNames.of('credit'),
    relayName: 'credit-events',
  };
}
