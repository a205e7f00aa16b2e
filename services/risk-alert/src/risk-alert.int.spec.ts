import { randomUUID } from 'node:crypto';
import type { CustomerExposureChangedData, EventEnvelope } from '@arc/contracts';
import { expectEveryRouteGuarded, useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { RISK_ALERT, type RiskAlertConfig } from './config';
import { ProjectionsFeed } from './testing/figures';

type Json = Record<string, unknown>;

const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

/** "Overdue amount per customer > 25,000.00 EUR ⇒ critical" (the contract's highest severity). */
const overdueRule = (ruleId: string) => ({
  ruleId,
  name: 'Overdue above 25k',
  metric: 'customer-overdue-amount',
  comparison: '>',
  threshold: { unit: 'minor-units', amount: EUR('2500000') },
  severity: 'critical',
});

describe('the risk-alert service (HTTP, event store, relay and consumer on real servers)', () => {
  const suite = useServiceUnderTest<RiskAlertConfig>({
    definition: RISK_ALERT,
    module: (config, options) => AppModule.forRoot(config, options),
  });
  const { config, db, kafka, producer, call, eventCount } = suite;
  let reader: ReturnType<typeof kafka.consumer>;
  const published: EventEnvelope[] = [];
  const versions = new Map<string, number>();

  // What the relay publishes on the risk topic, read as it arrives.
  beforeAll(async () => {
    reader = kafka.consumer({ groupId: `risk-topic-reader-${randomUUID()}` });
    await reader.connect();
    await reader.subscribe({ topic: config.topics.risk, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        published.push(JSON.parse(message.value?.toString() ?? '{}') as EventEnvelope);
      },
    });
  });

  afterAll(async () => {
    await reader?.disconnect();
  });

  /** A valid CustomerExposureChanged (no credit limit) with the customer's overdue amount; each one a new version of its row's stream. */
  async function exposureChanged(
    customerId: string,
    overdueMinor: string,
    asOf = '2026-11-22',
  ): Promise<EventEnvelope<CustomerExposureChangedData>> {
    const streamId = `customer-exposure-${customerId}`;
    const streamVersion = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, streamVersion);
    const data: CustomerExposureChangedData = {
      customerId,
      asOf,
      currency: 'EUR',
      creditLimit: null,
      openAr: EUR(overdueMinor),
      overdue: EUR(overdueMinor),
      disputed: EUR('0'),
      reserved: EUR('0'),
      unappliedCash: EUR('0'),
      exposure: EUR(overdueMinor),
      availableCredit: null,
      utilisationBasisPoints: null,
      creditClass: null,
      onHold: false,
    };
    const envelope: EventEnvelope<CustomerExposureChangedData> = {
      eventId: randomUUID(),
      eventType: 'CustomerExposureChanged',
      schemaVersion: 1,
      streamId,
      streamVersion,
      customerId,
      occurredAt: `${asOf}T10:00:00.000Z`,
      recordedAt: `${asOf}T10:00:00.000Z`,
      correlationId: randomUUID(),
      causationId: null,
      actor: 'system:projections',
      data,
    };
    await producer.send({ topic: config.topics.projectionChanges, messages: [{ key: customerId, value: JSON.stringify(envelope) }] });
    return envelope;
  }

  const alertsOf = async (customerId: string, status?: 'open' | 'resolved'): Promise<Json[]> => {
    const response = await call('GET', `/v1/alerts?customerId=${customerId}${status ? `&status=${status}` : ''}`, { roles: ['sales'] });
    expect(response.status).toBe(200);
    return response.body.alerts as Json[];
  };

  const publishedFor = (customerId: string, type?: string) =>
    published.filter((e) => e.customerId === customerId && (type === undefined || e.eventType === type));

  /** Everything sent before a marker on the single partition has been consumed once the marker's alert is listed. */
  async function drain(): Promise<void> {
    const marker = randomUUID();
    await exposureChanged(marker, '9000000');
    await waitFor(async () => (await alertsOf(marker, 'open')).length === 1, { description: 'the marker alert' });
  }

  describe('access', () => {
    it('answers 401 without a token and 403 to the departments outside its roles on every route', async () => {
      await expectEveryRouteGuarded(suite.service);
    });

    it('lets sales read the alerts and collections the rules', async () => {
      expect((await call('GET', '/v1/alerts', { roles: ['sales'] })).status).toBe(200);
      expect((await call('GET', '/v1/alert-rules', { roles: ['collections'] })).status).toBe(200);
    });
  });

  describe('rules', () => {
    it('answers 400 to a threshold that does not fit the metric, and appends nothing', async () => {
      const before = await eventCount();
      const ratioForMoney = { ...overdueRule('ratio-for-money'), threshold: { unit: 'basis-points', basisPoints: 8000 } };
      const response = await call('POST', '/v1/alert-rules', { body: ratioForMoney, roles: ['risk'] });
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toContain('customer-overdue-amount takes a threshold in minor-units');
      const noValue = { ...overdueRule('no-value'), threshold: { unit: 'minor-units' } };
      expect((await call('POST', '/v1/alert-rules', { body: noValue, roles: ['risk'] })).status).toBe(400);
      const unknownMetric = { ...overdueRule('unknown-metric'), metric: 'dso' };
      expect((await call('POST', '/v1/alert-rules', { body: unknownMetric, roles: ['risk'] })).status).toBe(400);
      expect(await eventCount()).toBe(before);
      const rules = (await call('GET', '/v1/alert-rules', { roles: ['risk'] })).body.rules as Json[];
      expect(rules.map((r) => r.ruleId)).not.toEqual(expect.arrayContaining(['ratio-for-money', 'no-value', 'unknown-metric']));
    });

    it('answers 400 problem+json to a ratio threshold above 10,000 % or a day threshold above a century, appending nothing', async () => {
      const before = await eventCount();
      const rule = (ruleId: string, metric: string, threshold: Json) => ({ ...overdueRule(ruleId), metric, threshold });
      for (const body of [
        rule(`too-high-ratio-${randomUUID()}`, 'customer-utilisation', { unit: 'basis-points', basisPoints: 1_000_001 }),
        rule(`too-many-days-${randomUUID()}`, 'customer-oldest-days-past-due', { unit: 'days', days: 36_501 }),
        rule(`huge-ratio-${randomUUID()}`, 'customer-utilisation', { unit: 'basis-points', basisPoints: 1e300 }),
      ]) {
        const response = await call('POST', '/v1/alert-rules', { body, roles: ['risk'] });
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
      }
      const fits = rule(`utilisation-150-${randomUUID()}`, 'customer-utilisation', { unit: 'basis-points', basisPoints: 15_000 });
      expect((await call('POST', '/v1/alert-rules', { body: fits, roles: ['risk'] })).status).toBe(201);
      expect(await eventCount()).toBe(before + 1);
    });

    it('refuses to change or retire a rule that was never defined with 404 problem+json, appending nothing', async () => {
      const before = await eventCount();
      const ruleId = `never-${randomUUID()}`;
      const body = {
        name: 'Oldest item 60+ days',
        metric: 'customer-oldest-days-past-due',
        comparison: '>=',
        threshold: { unit: 'days', days: 60 },
        severity: 'warning',
      };
      const changed = await call('PUT', `/v1/alert-rules/${ruleId}`, { body, roles: ['risk'] });
      expect(changed.status).toBe(404);
      expect(changed.headers.get('content-type')).toContain('application/problem+json');
      expect(changed.body).toMatchObject({ status: 404, code: 'ALERT_RULE_NOT_DEFINED', type: 'urn:arc:problem:alert-rule-not-defined' });
      const retired = await call('POST', `/v1/alert-rules/${ruleId}/retire`, { body: { reason: 'replaced' }, roles: ['risk'] });
      expect(retired.body).toMatchObject({ status: 404, code: 'ALERT_RULE_NOT_DEFINED' });
      expect(await eventCount()).toBe(before);
    });

    it('changes and retires a rule; the list follows', async () => {
      const ruleId = `days-${randomUUID()}`;
      const rule = {
        ruleId,
        name: 'Oldest item 60+ days',
        metric: 'customer-oldest-days-past-due',
        comparison: '>=',
        threshold: { unit: 'days', days: 60 },
        severity: 'warning',
      };
      expect((await call('POST', '/v1/alert-rules', { body: rule, roles: ['risk'] })).status).toBe(201);
      const { ruleId: _id, ...body } = { ...rule, threshold: { unit: 'days', days: 90 } };
      const changed = await call('PUT', `/v1/alert-rules/${ruleId}`, { body, roles: ['risk'] });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ ruleId, threshold: { unit: 'days', days: 90 }, status: 'active' });
      const metricChange = await call('PUT', `/v1/alert-rules/${ruleId}`, {
        body: { ...body, metric: 'customer-overdue-amount', threshold: { unit: 'minor-units', amount: EUR('100') } },
        roles: ['risk'],
      });
      expect(metricChange.status).toBe(422);
      const retired = await call('POST', `/v1/alert-rules/${ruleId}/retire`, { body: { reason: 'replaced' }, roles: ['risk'] });
      expect(retired.status).toBe(200);
      expect(retired.body).toMatchObject({ ruleId, status: 'retired' });
      const active = (await call('GET', '/v1/alert-rules?status=active', { roles: ['finance'] })).body.rules as Json[];
      expect(active.map((r) => r.ruleId)).not.toContain(ruleId);
      const all = (await call('GET', '/v1/alert-rules', { roles: ['finance'] })).body.rules as Json[];
      expect(all.find((r) => r.ruleId === ruleId)).toMatchObject({ status: 'retired' });
    });
  });

  describe('alerts', () => {
    const ruleId = 'overdue-above-25k';
    const customerId = randomUUID();

    beforeAll(async () => {
      const defined = await call('POST', '/v1/alert-rules', { body: overdueRule(ruleId), roles: ['risk'] });
      expect(defined.status).toBe(201);
      expect(defined.body).toMatchObject({ ruleId, metric: 'customer-overdue-amount', severity: 'critical', status: 'active' });
    });

    it('raises exactly one alert while overdue is above the threshold, and publishes AlertRaised', async () => {
      await exposureChanged(customerId, '5000000'); // 50,000.00 EUR
      const [alert] = await waitFor(
        async () => {
          const open = await alertsOf(customerId, 'open');
          return open.length > 0 ? open : undefined;
        },
        { description: 'the open alert' },
      );
      expect(alert).toMatchObject({
        ruleId,
        metric: 'customer-overdue-amount',
        subject: { kind: 'customer', key: customerId },
        severity: 'critical',
        observedValue: '5000000',
        thresholdValue: '2500000',
        unit: 'minor-units',
        currency: 'EUR',
        status: 'open',
        raisedOn: '2026-11-22',
      });
      const raised = await waitFor(() => publishedFor(customerId, 'AlertRaised')[0], { description: 'AlertRaised on the risk topic' });
      expect(raised.data).toMatchObject({ alertId: alert?.alertId, ruleId, severity: 'critical', observedValue: '5000000' });

      // The same figure again: the condition still holds, nothing new.
      await exposureChanged(customerId, '5000000');
      await drain();
      expect(await alertsOf(customerId, 'open')).toHaveLength(1);
      expect(await alertsOf(customerId)).toHaveLength(1);
      expect(publishedFor(customerId, 'AlertRaised')).toHaveLength(1);
    });

    it('records an acknowledgement without publishing it', async () => {
      const [alert] = await alertsOf(customerId, 'open');
      const alertId = String(alert?.alertId);
      expect((await call('POST', `/v1/alerts/${alertId}/acknowledge`, { roles: ['sales'] })).status).toBe(403);
      const acknowledged = await call('POST', `/v1/alerts/${alertId}/acknowledge`, { roles: ['risk'], sub: 'rita' });
      expect(acknowledged.status).toBe(200);
      expect(acknowledged.body).toMatchObject({ alertId, status: 'open', acknowledgedBy: 'user:rita' });
      expect((await call('POST', `/v1/alerts/${randomUUID()}/acknowledge`, { roles: ['risk'] })).status).toBe(404);
    });

    it('resolves the alert by itself when overdue falls below the threshold, and publishes AlertResolved', async () => {
      await exposureChanged(customerId, '2000000'); // 20,000.00 EUR
      const [resolved] = await waitFor(
        async () => {
          const rows = await alertsOf(customerId, 'resolved');
          return rows.length > 0 ? rows : undefined;
        },
        { description: 'the resolved alert' },
      );
      expect(resolved).toMatchObject({ status: 'resolved', resolution: 'condition-cleared', resolvedOn: '2026-11-22' });
      expect(await alertsOf(customerId, 'open')).toHaveLength(0);
      const event = await waitFor(() => publishedFor(customerId, 'AlertResolved')[0], { description: 'AlertResolved on the risk topic' });
      expect(event.data).toMatchObject({ alertId: resolved?.alertId, ruleId, resolution: 'condition-cleared' });
      const late = await call('POST', `/v1/alerts/${String(resolved?.alertId)}/acknowledge`, { roles: ['risk'] });
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({ code: 'ALERT_NOT_OPEN' });
    });

    it('withdraws the open alerts of a rule that retires', async () => {
      const other = randomUUID();
      const small = {
        ...overdueRule('overdue-above-100'),
        name: 'Any overdue',
        threshold: { unit: 'minor-units', amount: EUR('10000') },
        severity: 'warning',
      };
      expect((await call('POST', '/v1/alert-rules', { body: small, roles: ['risk'] })).status).toBe(201);
      await exposureChanged(other, '2000000'); // above 100.00, below 25,000.00
      const [open] = await waitFor(
        async () => {
          const rows = await alertsOf(other, 'open');
          return rows.length > 0 ? rows : undefined;
        },
        { description: 'the alert of the small rule' },
      );
      expect(open).toMatchObject({ ruleId: 'overdue-above-100', severity: 'warning' });
      expect(
        (await call('POST', '/v1/alert-rules/overdue-above-100/retire', { body: { reason: 'too noisy' }, roles: ['risk'] })).status,
      ).toBe(200);
      expect(await alertsOf(other, 'open')).toHaveLength(0);
      expect((await alertsOf(other, 'resolved'))[0]).toMatchObject({ alertId: open?.alertId, resolution: 'rule-withdrawn' });
      const event = await waitFor(() => publishedFor(other, 'AlertResolved')[0], { description: 'the withdrawal on the risk topic' });
      expect(event.data).toMatchObject({ alertId: open?.alertId, resolution: 'rule-withdrawn' });
    });

    it('publishes only the contract events on the risk topic', async () => {
      await drain();
      await waitFor(() => published.length >= 3, { description: 'the relayed alert events' });
      expect(new Set(published.map((e) => e.eventType))).toEqual(new Set(['AlertRaised', 'AlertResolved']));
      const { rows } = await db.pool.query<{ event_type: string }>('SELECT DISTINCT event_type FROM events');
      expect(rows.map((r) => r.event_type)).toEqual(expect.arrayContaining(['AlertRuleDefined', 'AlertAcknowledged', 'AlertRaised']));
    });
  });

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
