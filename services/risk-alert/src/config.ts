import { Topics } from '@arc/contracts';
import { env, loadConfig } from '@arc/platform';

export interface RiskAlertConfig {
  port: number;
  databaseUrl: string;
  kafkaBrokers: string[];
  topics: {
    /** Where the relay publishes the alert events (AlertRaised, AlertResolved only). */
    risk: string;
    /** The read-model changes the rules are evaluated on. */
    projectionChanges: string;
  };
  /** Consumer group of the projection-changes consumer (positions in the service's database). */
  consumerGroup: string;
  /** Names the relay's checkpoint. */
  relayName: string;
}

/** Reads the risk-alert service's configuration; every problem reported at once (ConfigError). */
export function loadRiskAlertConfig(source: NodeJS.ProcessEnv = process.env): RiskAlertConfig {
  const { kafkaNames, ...values } = loadConfig(
    {
      port: env.port('ARC_RISK_ALERT_PORT', { default: 3005 }),
      databaseUrl: env.url('ARC_RISK_ALERT_DATABASE_URL', { protocols: ['postgres', 'postgresql'] }),
      kafkaBrokers: env.list('ARC_KAFKA_BROKERS'),
      kafkaNames: env.kafkaNamespace(),
    },
    source,
    { subject: 'the risk-alert service configuration' },
  );
  return {
    ...values,
    topics: { risk: kafkaNames.of(Topics.risk), projectionChanges: kafkaNames.of(Topics.projectionChanges) },
    consumerGroup: kafkaNames.of('risk-alert'),
    relayName: 'risk-events',
  };
}
