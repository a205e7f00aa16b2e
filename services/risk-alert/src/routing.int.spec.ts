import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventEnvelope } from '@arc/contracts';
import { useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { RISK_ALERT, type RiskAlertConfig } from './config';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './delivery/signature';
import { ProjectionsFeed } from './testing/figures';

type Json = Record<string, unknown>;
const SECRET = 'collections-shared-secret-0123456789';
const EUR = (major: number) => BigInt(major) * 100n;

/** A department's webhook endpoint: a real HTTP server that can go down and come back on the same port. */
class Receiver {
  readonly received: { headers: IncomingHttpHeaders; body: string; json: Json; validSignature: boolean }[] = [];
  private server: Server | null = null;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        const header = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
        const validSignature = verifySignature(
          SECRET,
          header(SIGNATURE_HEADER),
          header(TIMESTAMP_HEADER),
          body,
          Math.floor(Date.now() / 1000),
        );
        this.received.push({ headers: req.headers, body, json: JSON.parse(body) as Json, validSignature });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/arc/alerts`;
  }

  of(alertId: string) {
    return this.received.filter((r) => r.json.alertId === alertId);
  }
}

describe('escalation, department webhooks and the credit-hold request (risk-alert on real Kafka, PostgreSQL and HTTP)', () => {
  jest.setTimeout(120_000);
  const suite = useServiceUnderTest<RiskAlertConfig>({
    definition: RISK_ALERT,
    module: (config, options) => AppModule.forRoot(config, options),
    database: 'risk_alert_routing',
    extra: { webhooks: { pollMs: 100, maxAttempts: 4, backoffSeconds: 1, timeoutMs: 2000 } },
  });
  const { config, kafka, producer, call, eventCount } = suite;
  const feed = new ProjectionsFeed();
  const receiver = new Receiver();
  const published: EventEnvelope[] = [];
  let reader: ReturnType<typeof kafka.consumer>;

  beforeAll(async () => {
    await receiver.start();
    reader = kafka.consumer({ groupId: `risk-routing-reader-${randomUUID()}` });
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
    await receiver.stop();
  });

  const send = async (envelope: EventEnvelope) =>
    producer.send({ topic: config.topics.projectionChanges, messages: [{ key: envelope.customerId, value: JSON.stringify(envelope) }] });
  const alertsOf = async (customerId: string): Promise<Json[]> =>
    (await call('GET', `/v1/alerts?customerId=${customerId}`, { roles: ['risk'] })).body.alerts as Json[];
  const deliveries = async (query: string): Promise<Json[]> =>
    (await call('GET', `/v1/alert-deliveries?${query}`, { roles: ['risk'] })).body.deliveries as Json[];
  const publishedTypes = (customerId: string) => published.filter((e) => e.customerId === customerId).map((e) => e.eventType);

  /** Utilisation > 80 % warning, > 100 % critical with a credit hold. */
  const utilisationRule = {
    ruleId: 'utilisation',
    name: 'Utilisation',
    metric: 'customer-utilisation',
    comparison: '>',
    threshold: { unit: 'basis-points', basisPoints: 8000 },
    severity: 'warning',
    escalations: [{ threshold: { unit: 'basis-points', basisPoints: 10000 }, severity: 'critical' }],
    holdOnCritical: true,
  };
  const LIMIT = EUR(100_000);

  beforeAll(async () => {
    expect((await call('POST', '/v1/alert-rules', { body: utilisationRule, roles: ['risk'] })).status).toBe(201);
    const subscription = {
      subscriptionId: 'collections-utilisation',
      department: 'collections',
      url: receiver.url,
      secret: SECRET,
      ruleIds: ['utilisation'],
      minSeverity: 'warning',
      scope: { kind: 'customer' },
    };
    const created = await call('POST', '/v1/alert-subscriptions', { body: subscription, roles: ['risk'] });
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('secret');
    // Critical only, for another department: it must get the escalation and the resolution, not the warning.
    const critical = { ...subscription, subscriptionId: 'credit-critical', department: 'credit-management', minSeverity: 'critical' };
    expect((await call('POST', '/v1/alert-subscriptions', { body: critical, roles: ['risk'] })).status).toBe(201);
  });

  it('a customer crossing 80 % then 100 % utilisation gets one alert that escalates (and asks credit for a hold), not two alerts', async () => {
    const customer = randomUUID();
    await send(feed.exposure(customer, EUR(85_000), LIMIT, '2026-03-02'));
    await waitFor(async () => (await alertsOf(customer)).length === 1, { description: 'the warning' });
    expect((await alertsOf(customer))[0]).toMatchObject({
      severity: 'warning',
      status: 'open',
      observedValue: '8500',
      thresholdValue: '8000',
    });
    await send(feed.exposure(customer, EUR(90_000), LIMIT, '2026-03-03'));
    await send(feed.exposure(customer, EUR(105_000), LIMIT, '2026-03-04'));
    await waitFor(async () => (await alertsOf(customer))[0]?.severity === 'critical', { description: 'the escalation' });
    const alerts = await alertsOf(customer);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      severity: 'critical',
      observedValue: '10500',
      thresholdValue: '10000',
      escalatedOn: '2026-03-04',
      holdRequested: true,
      message: 'credit utilisation 105.00 % > 100.00 % (Utilisation)',
    });
    await waitFor(async () => publishedTypes(customer).length === 3, { description: 'the published events' });
    expect(publishedTypes(customer)).toEqual(['AlertRaised', 'AlertEscalated', 'RiskCreditHoldRequested']);
    const hold = published.find((e) => e.customerId === customer && e.eventType === 'RiskCreditHoldRequested');
    expect(hold?.data).toMatchObject({ alertId: alerts[0]?.alertId, customerId: customer, ruleId: 'utilisation' });
  });

  it('the webhook receiver gets each alert state once with a valid signature, including after it was down for a while', async () => {
    const customer = randomUUID();
    await send(feed.exposure(customer, EUR(85_000), LIMIT, '2026-03-02'));
    await waitFor(async () => (await alertsOf(customer)).length === 1, { description: 'the warning' });
    const alertId = (await alertsOf(customer))[0]?.alertId as string;
    await waitFor(async () => receiver.of(alertId).length === 1, { description: 'the warning delivered' });

    // The receiver goes down; the escalation waits in the outbox, retried with backoff, its failure visible.
    await receiver.stop();
    const escalation = feed.exposure(customer, EUR(105_000), LIMIT, '2026-03-04');
    await send(escalation);
    await waitFor(
      async () => (await deliveries(`alertId=${alertId}&status=pending`)).some((d) => (d.attempts as number) >= 2 && d.lastError !== null),
      { description: 'failed attempts recorded', timeoutMs: 20_000 },
    );
    const metrics = await fetch(`${suite.service.baseUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/arc_risk_alert_deliveries_total\{outcome="retry"[^}]*\} [1-9]/);
    // The same change event again (a redelivery) queues nothing more.
    await send(escalation);
    await receiver.start();
    await waitFor(async () => receiver.of(alertId).length === 3, {
      description: 'the escalation delivered to both subscriptions',
      timeoutMs: 20_000,
    });

    await send(feed.exposure(customer, EUR(10_000), LIMIT, '2026-03-09'));
    await waitFor(async () => receiver.of(alertId).length === 5, { description: 'the resolution delivered to both', timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 1500)); // nothing more may arrive
    const got = receiver.of(alertId);
    expect(got.every((r) => r.validSignature)).toBe(true);
    const states = got.map((r) => `${r.json.subscriptionId as string} ${r.json.eventType as string} ${r.json.severity as string}`).sort();
    expect(states).toEqual([
      'collections-utilisation AlertEscalated critical',
      'collections-utilisation AlertRaised warning',
      'collections-utilisation AlertResolved critical',
      'credit-critical AlertEscalated critical',
      'credit-critical AlertResolved critical',
    ]);
    expect(new Set(got.map((r) => r.headers['x-arc-delivery-id'])).size).toBe(5);
    expect(await deliveries(`alertId=${alertId}&status=sent`)).toHaveLength(5);
    expect(publishedTypes(customer)).toContain('RiskCreditHoldReleaseRequested');
  });

  it('leaves a delivery to a receiver that never answers failed, visible, and lets risk retry it', async () => {
    const subscription = {
      subscriptionId: `nowhere-${randomUUID()}`,
      department: 'sales',
      url: 'http://127.0.0.1:9/nobody-listens',
      secret: SECRET,
      ruleIds: ['utilisation'],
    };
    expect((await call('POST', '/v1/alert-subscriptions', { body: subscription, roles: ['risk'] })).status).toBe(201);
    const customer = randomUUID();
    await send(feed.exposure(customer, EUR(85_000), LIMIT, '2026-03-02'));
    await waitFor(async () => (await deliveries(`subscriptionId=${subscription.subscriptionId}&status=failed`)).length === 1, {
      description: 'the failed delivery',
      timeoutMs: 30_000,
    });
    const [failed] = await deliveries(`subscriptionId=${subscription.subscriptionId}&status=failed`);
    expect(failed).toMatchObject({ attempts: 4, eventType: 'AlertRaised' });
    expect(String(failed?.lastError)).toMatch(/fetch failed|ECONNREFUSED/);
    const metrics = await fetch(`${suite.service.baseUrl}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/arc_risk_alert_outbox_rows\{status="failed"[^}]*\} [1-9]/);
    const retried = await call('POST', `/v1/alert-deliveries/${String(failed?.deliveryId)}/retry`, { roles: ['risk'] });
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual({ deliveryId: failed?.deliveryId, status: 'pending' });
    await call('POST', `/v1/alert-subscriptions/${subscription.subscriptionId}/cancel`, { roles: ['risk'] });
  });

  describe('the subscription and delivery routes', () => {
    it('answer 400 problem+json to invalid input and append nothing', async () => {
      const before = await eventCount();
      const valid = { department: 'collections', url: receiver.url, secret: SECRET };
      for (const body of [
        { ...valid, url: 'ftp://example.com/x' },
        { ...valid, secret: 'short' },
        { ...valid, minSeverity: 'panic' },
        { ...valid, department: 'Collections Dept' },
        { ...valid, ruleIds: [] },
        { ...valid, scope: { kind: 'galaxy' } },
      ]) {
        const response = await call('POST', '/v1/alert-subscriptions', { body, roles: ['risk'] });
        expect(response.status).toBe(400);
        expect(response.headers.get('content-type')).toContain('application/problem+json');
      }
      for (const path of ['/v1/alert-deliveries?status=lost', '/v1/alert-deliveries?alertId=x', '/v1/alert-subscriptions?status=gone']) {
        expect((await call('GET', path, { roles: ['risk'] })).status).toBe(400);
      }
      expect((await call('POST', '/v1/alert-deliveries/not-an-id/retry', { roles: ['risk'] })).status).toBe(400);
      const unknown = await call('POST', '/v1/alert-subscriptions/never-created/cancel', { roles: ['risk'] });
      expect(unknown.status).toBe(404);
      expect(unknown.headers.get('content-type')).toContain('application/problem+json');
      expect(await eventCount()).toBe(before);
    });

    it('answer 401 without a token and 403 to a department outside the role', async () => {
      const body = { department: 'collections', url: receiver.url, secret: SECRET };
      expect((await call('POST', '/v1/alert-subscriptions', { body, roles: null })).status).toBe(401);
      expect((await call('POST', '/v1/alert-subscriptions', { body, roles: ['sales'] })).status).toBe(403);
      expect((await call('GET', '/v1/alert-deliveries', { roles: ['collections'] })).status).toBe(403);
    });

    it('are documented in OpenAPI, the commands with request examples', async () => {
      const doc = (await fetch(`${suite.service.baseUrl}/openapi.json`).then((r) => r.json())) as {
        paths: Record<
          string,
          Record<string, { requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> } }>
        >;
      };
      for (const path of ['/v1/alert-rules', '/v1/alert-subscriptions', '/v1/alert-backtests']) {
        const examples = doc.paths[path]?.post?.requestBody?.content['application/json']?.examples ?? {};
        expect(Object.keys(examples).length).toBeGreaterThan(0);
      }
      expect(doc.paths['/v1/alert-deliveries']?.get).toBeDefined();
      expect(doc.paths['/v1/alert-deliveries/{id}/retry']?.post).toBeDefined();
      expect(doc.paths['/v1/alert-subscriptions/{id}/cancel']?.post).toBeDefined();
      expect(JSON.stringify(doc)).toContain('"escalations"');
    });

    it('list the subscriptions without their secrets', async () => {
      const listed = (await call('GET', '/v1/alert-subscriptions?department=collections', { roles: ['collections'] })).body
        .subscriptions as Json[];
      expect(listed.map((s) => s.subscriptionId)).toContain('collections-utilisation');
      expect(JSON.stringify(listed)).not.toContain(SECRET);
    });
  });
});
