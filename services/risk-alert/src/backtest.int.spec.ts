import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@arc/contracts';
import { useServiceUnderTest } from '@arc/platform/testing';
import { messagesOnTopic, waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { RISK_ALERT, type RiskAlertConfig } from './config';
import { ProjectionsFeed } from './testing/figures';

type Json = Record<string, unknown>;
const EUR = (major: number) => BigInt(Math.round(major * 100));

/** "90+ above 10,000.00": the amount overdue 90+ days per customer > 10,000.00 EUR. */
const ninetyPlusRule = {
  ruleId: 'ninety-plus-above-10k',
  name: '90+ above 10,000.00',
  metric: 'customer-overdue-90-plus',
  comparison: '>',
  threshold: { unit: 'minor-units', amount: { amountMinor: '1000000', currency: 'EUR' } },
  severity: 'warning',
};

/** Every Monday from 2 February to 27 April 2026. */
const MONDAYS = Array.from({ length: 13 }, (_, i) => new Date(Date.UTC(2026, 1, 2 + 7 * i)).toISOString().slice(0, 10));

describe('backtest (a proposed rule set over a past period of the change log, raising nothing)', () => {
  jest.setTimeout(120_000);
  const suite = useServiceUnderTest<RiskAlertConfig>({
    definition: RISK_ALERT,
    module: (config, options) => AppModule.forRoot(config, options),
    database: 'risk_alert_backtest',
  });
  const { config, kafka, producer, call, eventCount } = suite;
  const feed = new ProjectionsFeed();
  const customers = { rising: randomUUID(), atThreshold: randomUUID(), always: randomUUID(), never: randomUUID() };

  /** 90+ per customer and week: raised, resolved, raised again, resolved; exactly 10,000.00 (not above); always above; never. */
  const series: Record<keyof typeof customers, number[]> = {
    rising: [0, 4_000, 10_000.01, 15_000, 22_000, 22_000, 6_000, 6_000, 12_500, 12_500, 30_000, 0, 0],
    atThreshold: [9_000, 10_000, 10_000, 10_000, 9_999.99, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000],
    always: [12_000, 12_000, 13_000, 14_000, 15_000, 16_000, 17_000, 18_000, 19_000, 20_000, 21_000, 22_000, 23_000],
    never: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  };

  const liveAlerts = async (customerId: string): Promise<Json[]> =>
    (await call('GET', `/v1/alerts?customerId=${customerId}`, { roles: ['risk'] })).body.alerts as Json[];
  const comparable = (a: Json) => ({
    alertId: a.alertId,
    ruleId: a.ruleId,
    subject: a.subject,
    severity: a.severity,
    raisedOn: a.raisedOn,
    observedValue: a.observedValue,
    thresholdValue: a.thresholdValue,
    message: a.message,
    resolvedOn: a.resolvedOn,
    resolution: a.resolution,
  });

  it('a backtest of "90+ above 10,000.00" over February–April lists the same alerts the live rule raises when replayed', async () => {
    expect((await call('POST', '/v1/alert-rules', { body: ninetyPlusRule, roles: ['risk'] })).status).toBe(201);
    const envelopes: EventEnvelope[] = [];
    MONDAYS.forEach((monday, week) => {
      for (const [name, customerId] of Object.entries(customers)) {
        envelopes.push(feed.aging(customerId, EUR(series[name as keyof typeof customers][week] as number), monday, 95 + 7 * week));
      }
    });
    await producer.send({
      topic: config.topics.projectionChanges,
      messages: envelopes.map((e) => ({ key: e.customerId, value: JSON.stringify(e) })),
    });
    // A marker after the period, on the same partition: once its alert is listed, the replay has been evaluated.
    const marker = randomUUID();
    const markerAging = feed.aging(marker, EUR(50_000), '2026-05-04');
    await producer.send({ topic: config.topics.projectionChanges, messages: [{ key: marker, value: JSON.stringify(markerAging) }] });
    await waitFor(async () => (await liveAlerts(marker)).length === 1, { description: 'the marker alert', timeoutMs: 30_000 });
    const live = (await Promise.all(Object.values(customers).map(liveAlerts))).flat().map(comparable);
    // rising: raised 16 Feb, resolved 16 Mar, raised again 30 Mar, resolved 20 Apr; always: raised 2 Feb, still open.
    expect(live.map((a) => [a.raisedOn, a.resolvedOn]).sort()).toEqual([
      ['2026-02-02', null],
      ['2026-02-16', '2026-03-16'],
      ['2026-03-30', '2026-04-20'],
    ]);

    const eventsBefore = await eventCount();
    const publishedBefore = await messagesOnTopic(kafka, config.topics.risk);
    const response = await call('POST', '/v1/alert-backtests', {
      body: { from: '2026-02-01', to: '2026-04-30', rules: [ninetyPlusRule] },
      roles: ['risk'],
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ period: { from: '2026-02-01', to: '2026-04-30' }, changesEvaluated: envelopes.length });
    const backtested = (response.body.alerts as Json[]).map(comparable);
    const order = (a: Json, b: Json) => String(a.alertId).localeCompare(String(b.alertId));
    expect(backtested.sort(order)).toEqual(live.sort(order));

    // Raised nothing: no event appended, nothing published, no delivery queued.
    expect(await eventCount()).toBe(eventsBefore);
    expect(await messagesOnTopic(kafka, config.topics.risk)).toBe(publishedBefore);
    expect((await call('GET', '/v1/alert-deliveries', { roles: ['risk'] })).body.deliveries).toEqual([]);
  });

  it('lists what a stricter proposed rule would have raised over a shorter period, and only from the changes in it', async () => {
    const stricter = {
      ...ninetyPlusRule,
      ruleId: 'ninety-plus-above-20k',
      threshold: { unit: 'minor-units', amount: { amountMinor: '2000000', currency: 'EUR' } },
    };
    const response = await call('POST', '/v1/alert-backtests', {
      body: { from: '2026-03-01', to: '2026-03-31', rules: [stricter] },
      roles: ['risk'],
    });
    expect(response.status).toBe(200);
    // March: rising at 22,000 on 2 and 9 March (raised 2 March, resolved 16 March); always not above 20,000 until April.
    expect(response.body.changesEvaluated).toBe(5 * 4);
    expect((response.body.alerts as Json[]).map((a) => [a.subject, a.raisedOn, a.resolvedOn])).toEqual([
      [{ kind: 'customer', key: customers.rising }, '2026-03-02', '2026-03-16'],
    ]);
  });

  it('answers 400 problem+json to an invalid proposal and 401/403 outside risk, appending nothing', async () => {
    const before = await eventCount();
    for (const body of [
      { from: '2026-04-30', to: '2026-02-01', rules: [ninetyPlusRule] },
      { from: '2026-02-01', to: '2026-04-30', rules: [] },
      { from: '2026-02-01', to: '2026-04-30', rules: [{ ...ninetyPlusRule, threshold: { unit: 'days', days: 90 } }] },
      { from: '2026-02-01', to: '2026-04-30', rules: [{ ...ninetyPlusRule, ruleId: undefined }] },
      { from: '2026-02-01', to: '2026-04-30', rules: [ninetyPlusRule, ninetyPlusRule] },
      { from: 'February', to: '2026-04-30', rules: [ninetyPlusRule] },
    ]) {
      const response = await call('POST', '/v1/alert-backtests', { body, roles: ['risk'] });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
    const body = { from: '2026-02-01', to: '2026-04-30', rules: [ninetyPlusRule] };
    expect((await call('POST', '/v1/alert-backtests', { body, roles: null })).status).toBe(401);
    expect((await call('POST', '/v1/alert-backtests', { body, roles: ['sales'] })).status).toBe(403);
    expect(await eventCount()).toBe(before);
  });
});
