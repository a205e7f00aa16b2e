import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@arc/contracts';
import { useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { RISK_ALERT, type RiskAlertConfig } from './config';
import { ProjectionsFeed } from './testing/figures';

type Json = Record<string, unknown>;

const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

/** "Overdue amount per customer > 25,000.00 EUR ⇒ critical". */
const overdueRule = (ruleId: string) => ({
  ruleId,
  name: 'Overdue above 25k',
  metric: 'customer-overdue-amount',
  comparison: '>',
  threshold: { unit: 'minor-units', amount: EUR('2500000') },
  severity: 'critical',
});

/** The metrics beyond a customer's exposure and aging, each on real Kafka and PostgreSQL over real HTTP. */
describe('risk-alert metrics (segment KPIs, credit class, broken promises, insured cover)', () => {
  jest.setTimeout(120_000);
  const suite = useServiceUnderTest<RiskAlertConfig>({
    definition: RISK_ALERT,
    module: (config, options) => AppModule.forRoot(config, options),
    database: 'risk_alert_metrics',
  });
  const { config, producer, call, eventCount } = suite;

  const alertsOf = async (customerId: string, status?: 'open' | 'resolved'): Promise<Json[]> => {
    const response = await call('GET', `/v1/alerts?customerId=${customerId}${status ? `&status=${status}` : ''}`, { roles: ['sales'] });
    expect(response.status).toBe(200);
    return response.body.alerts as Json[];
  };

  describe('segment KPIs (PortfolioKpisChanged), credit class and broken promises', () => {
    const feed = new ProjectionsFeed();
    const emea = { kind: 'business-unit' as const, key: `EMEA-${randomUUID().slice(0, 8)}` };
    const kpis = (asOf: string, totalAr: bigint, creditSales: bigint, currency = 'EUR') =>
      feed.kpis(emea, asOf, { totalAr, overdue: totalAr / 4n, creditSales, arTurnoverBasisPoints: 40_000 }, currency);
    const send = (envelope: EventEnvelope) =>
      producer.send({ topic: config.topics.projectionChanges, messages: [{ key: envelope.customerId, value: JSON.stringify(envelope) }] });
    const alertsOfRule = async (ruleId: string): Promise<Json[]> =>
      (await call('GET', `/v1/alerts?ruleId=${ruleId}`, { roles: ['risk'] })).body.alerts as Json[];

    it('raises "DSO above target" on a business unit in the rule currency only, escalates it, and resolves it when DSO falls back', async () => {
      const rule = {
        ruleId: 'dso-above-45',
        name: 'DSO above target',
        metric: 'segment-dso',
        comparison: '>',
        threshold: { unit: 'days', days: 45 },
        severity: 'warning',
        escalations: [{ threshold: { unit: 'days', days: 60 }, severity: 'critical' }],
        currency: 'EUR',
      };
      expect((await call('POST', '/v1/alert-rules', { body: rule, roles: ['risk'] })).status).toBe(201);
      await send(kpis('2026-03-31', 5_000_000n, 10_000_000n)); // DSO 45: not above
      await send(kpis('2026-03-31', 9_000_000n, 10_000_000n, 'USD')); // DSO 81 in USD: another currency, not watched
      await send(kpis('2026-04-01', 5_500_000n, 10_000_000n)); // DSO 50 (49.5 half-up): warning
      await waitFor(async () => (await alertsOfRule('dso-above-45')).length === 1, { description: 'the DSO alert' });
      expect((await alertsOfRule('dso-above-45'))[0]).toMatchObject({
        subject: emea,
        severity: 'warning',
        observedValue: '50',
        unit: 'days',
      });
      await send(kpis('2026-04-02', 7_000_000n, 10_000_000n)); // DSO 63: critical
      await waitFor(async () => (await alertsOfRule('dso-above-45'))[0]?.severity === 'critical', { description: 'the escalation' });
      await send(kpis('2026-04-03', 4_000_000n, 10_000_000n)); // DSO 36: clear
      await waitFor(async () => (await alertsOfRule('dso-above-45'))[0]?.status === 'resolved', { description: 'the resolution' });
      expect(await alertsOfRule('dso-above-45')).toHaveLength(1);
    });

    it('raises "turnover below target" and "overdue ratio" per segment', async () => {
      const turnover = {
        ruleId: 'turnover-below-5',
        name: 'AR turnover below 5',
        metric: 'segment-ar-turnover',
        comparison: '<',
        threshold: { unit: 'basis-points', basisPoints: 50_000 },
        severity: 'info',
        currency: 'EUR',
      };
      const ratio = {
        ...turnover,
        ruleId: 'segment-overdue-above-20',
        name: 'Overdue ratio',
        metric: 'segment-overdue-ratio',
        comparison: '>',
        threshold: { unit: 'basis-points', basisPoints: 2000 },
      };
      for (const body of [turnover, ratio]) expect((await call('POST', '/v1/alert-rules', { body, roles: ['risk'] })).status).toBe(201);
      await send(kpis('2026-04-10', 4_000_000n, 10_000_000n)); // turnover 4.0 < 5; overdue 25 % > 20 %
      await waitFor(
        async () => (await alertsOfRule('turnover-below-5')).length === 1 && (await alertsOfRule('segment-overdue-above-20')).length === 1,
        {
          description: 'both segment alerts',
        },
      );
      expect((await alertsOfRule('segment-overdue-above-20'))[0]).toMatchObject({ observedValue: '2500', subject: emea });
    });

    it('warns when a customer is reclassified downward to C or worse, and resolves when it is upgraded again', async () => {
      const rule = {
        ruleId: 'class-c-or-worse',
        name: 'Reclassified to C or worse',
        metric: 'customer-credit-class',
        comparison: '>=',
        threshold: { unit: 'count', count: 3 },
        severity: 'warning',
        escalations: [{ threshold: { unit: 'count', count: 4 }, severity: 'critical' }],
      };
      expect((await call('POST', '/v1/alert-rules', { body: rule, roles: ['risk'] })).status).toBe(201);
      const customer = randomUUID();
      await send(feed.exposure(customer, 100_000n, 1_000_000n, '2026-04-01', 'B'));
      await send(feed.exposure(customer, 100_000n, 1_000_000n, '2026-04-02', 'C'));
      await waitFor(async () => (await alertsOf(customer, 'open')).length === 1, { description: 'the reclassification alert' });
      expect((await alertsOf(customer, 'open'))[0]).toMatchObject({
        ruleId: 'class-c-or-worse',
        observedValue: '3',
        unit: 'count',
        raisedOn: '2026-04-02',
      });
      await send(feed.exposure(customer, 100_000n, 1_000_000n, '2026-04-03', 'D'));
      await waitFor(async () => (await alertsOf(customer, 'open'))[0]?.severity === 'critical', { description: 'the escalation to D' });
      await send(feed.exposure(customer, 100_000n, 1_000_000n, '2026-04-04', 'B'));
      await waitFor(async () => (await alertsOf(customer, 'resolved')).length === 1, { description: 'the upgrade resolving it' });
    });

    it('warns on the second broken promise within 365 days, and resolves when the first one ages out at a day close', async () => {
      const rule = {
        ruleId: 'broken-promises-2',
        name: 'Two broken promises in a year',
        metric: 'customer-broken-promises',
        comparison: '>=',
        threshold: { unit: 'count', count: 2 },
        severity: 'warning',
      };
      expect((await call('POST', '/v1/alert-rules', { body: rule, roles: ['risk'] })).status).toBe(201);
      const customer = randomUUID();
      const streamVersions = new Map<string, number>();
      const envelope = (topicEvent: string, streamId: string, customerId: string, on: string, data: Json): EventEnvelope => ({
        eventId: randomUUID(),
        eventType: topicEvent,
        schemaVersion: 1,
        streamId,
        streamVersion: streamVersions.set(streamId, (streamVersions.get(streamId) ?? 0) + 1).get(streamId) as number,
        customerId,
        occurredAt: `${on}T23:00:00.000Z`,
        recordedAt: `${on}T23:00:00.000Z`,
        correlationId: randomUUID(),
        causationId: null,
        actor: 'system:collections',
        data,
      });
      const broken = (on: string) =>
        envelope('PaymentArrangementBroken', `arrangement-${randomUUID()}`, customer, on, {
          customerId: customer,
          arrangementId: randomUUID(),
          kind: 'promise',
          brokenOn: on,
          instalment: 1,
          expected: EUR('500000'),
          paid: EUR('0'),
          partlyKept: false,
        });
      const calendarStream = `calendar-${randomUUID()}`;
      const dayClosed = (date: string) => envelope('BusinessDayClosed', calendarStream, 'calendar', date, { date });
      const sendTo = (topic: string, e: EventEnvelope) =>
        producer.send({ topic, messages: [{ key: e.customerId, value: JSON.stringify(e) }] });
      await sendTo(config.topics.collections, broken('2026-02-10'));
      await sendTo(config.topics.collections, broken('2026-05-04'));
      await waitFor(async () => (await alertsOf(customer, 'open')).length === 1, { description: 'the broken-promises alert' });
      expect((await alertsOf(customer, 'open'))[0]).toMatchObject({ observedValue: '2', raisedOn: '2026-05-04', unit: 'count' });
      await sendTo(config.topics.calendar, dayClosed('2027-02-09')); // 10 Feb 2026 is still within 365 days
      await sendTo(config.topics.calendar, dayClosed('2027-02-10')); // it is not any more
      await waitFor(async () => (await alertsOf(customer, 'resolved')).length === 1, {
        description: 'the alert resolved by the day close',
      });
      expect((await alertsOf(customer, 'resolved'))[0]).toMatchObject({ resolvedOn: '2027-02-10' });
    });

    it('warns when the exposure exceeds the insured cover, resolves below it, and warns again when the cover ends', async () => {
      const rule = {
        ruleId: 'insured-cover-exceeded',
        name: 'Insured cover exceeded',
        metric: 'customer-uninsured-exposure',
        comparison: '>',
        threshold: { unit: 'minor-units', amount: EUR('0') },
        severity: 'critical',
      };
      expect((await call('POST', '/v1/alert-rules', { body: rule, roles: ['risk'] })).status).toBe(201);
      const customer = randomUUID();
      const cover: EventEnvelope = {
        eventId: randomUUID(),
        eventType: 'CreditInsuranceCoverSet',
        schemaVersion: 1,
        streamId: `customer-credit-${customer}`,
        streamVersion: 1,
        customerId: customer,
        occurredAt: '2026-04-01T09:00:00.000Z',
        recordedAt: '2026-04-01T09:00:00.000Z',
        correlationId: randomUUID(),
        causationId: null,
        actor: 'user:risk-1',
        data: { customerId: customer, insurer: 'Atradius', policyNumber: 'P-1', insuredAmount: EUR('5000000'), validUntil: '2026-06-30' },
      };
      await producer.send({ topic: config.topics.credit, messages: [{ key: customer, value: JSON.stringify(cover) }] });
      const exposure = (major: bigint, asOf: string) => send(feed.exposure(customer, major * 100n, 10_000_000n, asOf));
      await exposure(40_000n, '2026-04-02');
      await exposure(60_000n, '2026-04-03');
      await waitFor(async () => (await alertsOf(customer, 'open')).length === 1, { description: 'the cover-exceeded alert' });
      expect((await alertsOf(customer, 'open'))[0]).toMatchObject({ observedValue: '1000000', currency: 'EUR', raisedOn: '2026-04-03' });
      await exposure(45_000n, '2026-04-04');
      await waitFor(async () => (await alertsOf(customer, 'resolved')).length === 1, { description: 'back under the cover' });
      const dayClosed: EventEnvelope = {
        ...cover,
        eventId: randomUUID(),
        eventType: 'BusinessDayClosed',
        streamId: `calendar-${randomUUID()}`,
        customerId: 'calendar',
        occurredAt: '2026-07-01T23:00:00.000Z',
        data: { date: '2026-07-01' },
      };
      await producer.send({ topic: config.topics.calendar, messages: [{ key: 'calendar', value: JSON.stringify(dayClosed) }] });
      await waitFor(async () => (await alertsOf(customer, 'open')).length === 1, { description: 'the alert once the cover ended' });
      expect((await alertsOf(customer, 'open'))[0]).toMatchObject({ observedValue: '4500000', raisedOn: '2026-07-01' });
    });

    it('refuses a segment rule without its currency, and a currency on a customer rule (400, nothing appended)', async () => {
      const before = await eventCount();
      const noCurrency = {
        ruleId: 'dso-no-currency',
        name: 'DSO',
        metric: 'segment-dso',
        comparison: '>',
        threshold: { unit: 'days', days: 45 },
        severity: 'warning',
      };
      expect((await call('POST', '/v1/alert-rules', { body: noCurrency, roles: ['risk'] })).status).toBe(400);
      expect(
        (await call('POST', '/v1/alert-rules', { body: { ...overdueRule('with-currency'), currency: 'EUR' }, roles: ['risk'] })).status,
      ).toBe(400);
      expect(await eventCount()).toBe(before);
    });
  });
});
