import { ConfigError } from '@arc/platform';
import { loadInvoicingConfig } from './config';

describe('loadInvoicingConfig', () => {
  it('reads the port (default 3002), database and brokers, and names its topics, group and relay', () => {
    const config = loadInvoicingConfig({
      ARC_INVOICING_DATABASE_URL: 'postgres://u@db:5432/invoicing',
      ARC_KAFKA_BROKERS: 'k1:9092,k2:9092',
    });
    expect(config).toEqual({
      port: 3002,
      databaseUrl: 'postgres://u@db:5432/invoicing',
      kafkaBrokers: ['k1:9092', 'k2:9092'],
      topics: { invoicing: 'arc.invoicing.events', credit: 'arc.credit.events', payments: 'arc.payments.events', calendar: 'arc.calendar' },
      consumerGroup: 'invoicing',
      relayName: 'invoicing-events',
    });
    expect(
      loadInvoicingConfig({ ARC_INVOICING_PORT: '4002', ARC_INVOICING_DATABASE_URL: 'postgres://db/x', ARC_KAFKA_BROKERS: 'k:1' }).port,
    ).toBe(4002);
  });

  it('reports every missing or malformed variable at once', () => {
    let error: unknown;
    try {
      loadInvoicingConfig({ ARC_INVOICING_PORT: 'x' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
      'ARC_INVOICING_DATABASE_URL',
      'ARC_INVOICING_PORT',
      'ARC_KAFKA_BROKERS',
    ]);
  });
});
