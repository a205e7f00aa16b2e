import { ConfigError, env } from '../config/config';
import { defineService, envPrefixOf, loadServiceConfig } from './service-config';

const RISK = defineService({
  name: 'risk-alert',
  defaultPort: 3005,
  topics: { risk: 'arc.risk.alerts', changes: 'arc.projections.changes' },
  publishes: 'risk',
  consumes: ['changes'],
  relayName: 'risk-events',
});

const required = { ARC_RISK_ALERT_DATABASE_URL: 'postgres://db/risk', ARC_KAFKA_BROKERS: 'k1:9092,k2:9092' };

function variablesWrongIn(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => p.variable).sort();
    throw error;
  }
  return [];
}

describe('a service configuration read from the environment', () => {
  it('reads the service’s own ARC_<NAME>_ variables, a dash becoming an underscore', () => {
    expect(envPrefixOf('risk-alert')).toBe('ARC_RISK_ALERT');
    expect(loadServiceConfig(RISK, { ...required, ARC_RISK_ALERT_PORT: '4005' }).port).toBe(4005);
  });

  it('applies the default port and names the topics, consumer group and relay', () => {
    expect(loadServiceConfig(RISK, required)).toEqual({
      port: 3005,
      databaseUrl: 'postgres://db/risk',
      kafkaBrokers: ['k1:9092', 'k2:9092'],
      topics: { risk: 'arc.risk.alerts', changes: 'arc.projections.changes' },
      consumerGroup: 'risk-alert',
      relayName: 'risk-events',
    });
  });

  it('puts topics and the consumer group in the Kafka namespace, so platforms sharing a cluster stay apart', () => {
    const config = loadServiceConfig(RISK, { ...required, ARC_KAFKA_NAMESPACE: 'demo-1' });
    expect(config.topics).toEqual({ risk: 'demo-1.arc.risk.alerts', changes: 'demo-1.arc.projections.changes' });
    expect(config.consumerGroup).toBe('demo-1.risk-alert');
  });

  it('reports every missing or malformed variable at once, the service’s own ones with the common ones', () => {
    const extra = { threshold: env.int('ARC_RISK_ALERT_THRESHOLD') };
    expect(variablesWrongIn(() => loadServiceConfig(RISK, { ARC_RISK_ALERT_PORT: 'x' }, extra))).toEqual([
      'ARC_KAFKA_BROKERS',
      'ARC_RISK_ALERT_DATABASE_URL',
      'ARC_RISK_ALERT_PORT',
      'ARC_RISK_ALERT_THRESHOLD',
    ]);
  });

  it('returns the service’s own settings beside the common ones', () => {
    const config = loadServiceConfig(
      RISK,
      { ...required, ARC_RISK_ALERT_THRESHOLD: '7' },
      { threshold: env.int('ARC_RISK_ALERT_THRESHOLD') },
    );
    expect(config.threshold).toBe(7);
    expect(config.port).toBe(3005);
  });
});
