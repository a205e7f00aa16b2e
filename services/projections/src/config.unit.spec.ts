import { loadProjectionsConfig } from './config';

describe('loadProjectionsConfig', () => {
  const base = { ARC_PROJECTIONS_DATABASE_URL: 'postgres://arc@db/projections', ARC_KAFKA_BROKERS: 'k1:9092,k2:9092' };

  it('applies the defaults: port 3006, the ARC topics, BI role arc_bi without a password (not created)', () => {
    const config = loadProjectionsConfig(base);
    expect(config).toMatchObject({
      port: 3006,
      kafkaBrokers: ['k1:9092', 'k2:9092'],
      topics: {
        credit: 'arc.credit.events',
        invoicing: 'arc.invoicing.events',
        payments: 'arc.payments.events',
        calendar: 'arc.calendar',
        changes: 'arc.projections.changes',
      },
      initialBusinessDate: '1970-01-01',
      bi: { role: 'arc_bi', password: null },
    });
  });

  it('reads the port, the BI role and its password', () => {
    const config = loadProjectionsConfig({
      ...base,
      ARC_PROJECTIONS_PORT: '4006',
      ARC_PROJECTIONS_BI_PASSWORD: 's3cret',
      ARC_PROJECTIONS_BI_ROLE: 'bi_reader',
    });
    expect(config).toMatchObject({ port: 4006, bi: { role: 'bi_reader', password: 's3cret' } });
  });

  it('refuses an initial business date that is not a calendar date', () => {
    expect(() => loadProjectionsConfig({ ...base, ARC_PROJECTIONS_INITIAL_BUSINESS_DATE: '2026-02-30' })).toThrow(/INITIAL_BUSINESS_DATE/);
  });

  it('refuses a configuration without a database URL', () => {
    expect(() => loadProjectionsConfig({ ARC_KAFKA_BROKERS: 'k1:9092' })).toThrow(/ARC_PROJECTIONS_DATABASE_URL/);
  });
});
