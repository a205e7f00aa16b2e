import { randomUUID } from 'node:crypto';
import type { CustomerExposureChangedData, EventEnvelope } from '@arc/contracts';
import { expectEveryRouteGuarded, useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { RISK_ALERT, type RiskAlertConfig } from './config';

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
});
