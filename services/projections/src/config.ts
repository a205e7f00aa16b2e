import { isBusinessDate } from '@arc/clock';
import { Topics } from '@arc/contracts';
import { env, loadConfig } from '@arc/platform';

export interface ProjectionsConfig {
  port: number;
  databaseUrl: string;
  kafkaBrokers: string[];
  topics: {
    credit: string;
    invoicing: string;
    payments: string;
    calendar: string;
    /** Where the relay publishes the change events (CustomerExposureChanged, CustomerAgingChanged). */
    changes: string;
  };
  /** Consumer group of the read-model consumer (positions in the service's database). */
  consumerGroup: string;
  /** Names the relay's checkpoint. */
  relayName: string;
  /**
   * The business date before the first BusinessDayClosed has been seen (aging and overdue as of this
   * date). Default 1970-01-01: nothing is overdue until the calendar says what day it is.
   */
  initialBusinessDate: string;
  /** The read-only BI role over the `reporting` schema; not created when no password is configured. */
  bi: { role: string; password: string | null };
}

/** Reads the projections service's configuration; every problem reported at once (ConfigError). */
export function loadProjectionsConfig(source: NodeJS.ProcessEnv = process.env): ProjectionsConfig {
  const { kafkaNames, ...values } = loadConfig(
    {
      port: env.port('ARC_PROJECTIONS_PORT', { default: 3006 }),
      databaseUrl: env.url('ARC_PROJECTIONS_DATABASE_URL', { protocols: ['postgres', 'postgresql'] }),
      kafkaBrokers: env.list('ARC_KAFKA_BROKERS'),
      kafkaNames: env.kafkaNamespace(),
      initialBusinessDate: env.string('ARC_PROJECTIONS_INITIAL_BUSINESS_DATE', { default: '1970-01-01' }),
      biRole: env.string('ARC_PROJECTIONS_BI_ROLE', { default: 'arc_bi' }),
      biPassword: env.optional(env.string('ARC_PROJECTIONS_BI_PASSWORD')),
    },
    source,
    { subject: 'the projections service configuration' },
  );
  if (!isBusinessDate(values.initialBusinessDate)) {
    throw new Error('ARC_PROJECTIONS_INITIAL_BUSINESS_DATE must be a calendar date written YYYY-MM-DD');
  }
  return {
    port: values.port,
    databaseUrl: values.databaseUrl,
    kafkaBrokers: values.kafkaBrokers,
    topics: {
      credit: kafkaNames.of(Topics.credit),
      invoicing: kafkaNames.of(Topics.invoicing),
      payments: kafkaNames.of(Topics.payments),
      calendar: kafkaNames.of(Topics.calendar),
      changes: kafkaNames.of(Topics.projectionChanges),
    },
    consumerGroup: kafkaNames.of('projections'),
    relayName: 'projection-changes',
    initialBusinessDate: values.initialBusinessDate,
    bi: { role: values.biRole, password: values.biPassword ?? null },
  };
}
