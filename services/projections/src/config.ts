import { isBusinessDate } from '@arc/clock';
import { Topics } from '@arc/contracts';
import { defineService, env, loadServiceConfig, type ServiceConfig } from '@arc/platform';

/** The projections service at start-up: its topic, and what its consumers read (see ServiceDefinition). */
export const PROJECTIONS = defineService({
  name: 'projections',
  defaultPort: 3006,
  topics: {
    credit: Topics.credit,
    invoicing: Topics.invoicing,
    payments: Topics.payments,
    calendar: Topics.calendar,
    collections: Topics.collections,
    changes: Topics.projectionChanges,
  },
  // Where the relay publishes the change events (CustomerExposureChanged, CustomerAgingChanged).
  publishes: 'changes',
  consumes: ['credit', 'invoicing', 'payments', 'calendar', 'collections'],
  relayName: 'projection-changes',
});

export interface ProjectionsConfig extends ServiceConfig<keyof typeof PROJECTIONS.topics> {
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
  const { biRole, biPassword, ...config } = loadServiceConfig(PROJECTIONS, source, {
    initialBusinessDate: env.string('ARC_PROJECTIONS_INITIAL_BUSINESS_DATE', { default: '1970-01-01' }),
    biRole: env.string('ARC_PROJECTIONS_BI_ROLE', { default: 'arc_bi' }),
    biPassword: env.optional(env.string('ARC_PROJECTIONS_BI_PASSWORD')),
  });
  if (!isBusinessDate(config.initialBusinessDate)) {
    throw new Error('ARC_PROJECTIONS_INITIAL_BUSINESS_DATE must be a calendar date written YYYY-MM-DD');
  }
  return { ...config, bi: { role: biRole, password: biPassword ?? null } };
}
