import { Topics } from '@arc/contracts';
import { defineService, loadServiceConfig, type ServiceConfig } from '@arc/platform';

/** The risk-alert service at start-up: its topic, and what its consumers read (see ServiceDefinition). */
export const RISK_ALERT = defineService({
  name: 'risk-alert',
  defaultPort: 3005,
  // risk: where the relay publishes AlertRaised and AlertResolved (the rest stays in the store, see app.module).
  topics: { risk: Topics.risk, projectionChanges: Topics.projectionChanges },
  publishes: 'risk',
  // The read-model changes the rules are evaluated on.
  consumes: ['projectionChanges'],
  relayName: 'risk-events',
});

export type RiskAlertConfig = ServiceConfig<keyof typeof RISK_ALERT.topics>;

/** Reads the risk-alert service's configuration; every problem reported at once (ConfigError). */
export function loadRiskAlertConfig(source: NodeJS.ProcessEnv = process.env): RiskAlertConfig {
  return loadServiceConfig(RISK_ALERT, source);
}
