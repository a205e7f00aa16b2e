import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { mintDevelopmentToken } from '@arc/auth';
import { Topics } from '@arc/contracts';
import { deletePlatformTopics, launchPlatform, type Platform, type ServiceName } from '@arc/launcher';
import { endpoints, waitFor } from '@arc/testing';

// Issue 14, "a critical rule puts the customer on hold", across the real servers: credit, projections and risk-alert as
// the launcher runs them (separate processes, their own databases, Kafka between them). The limit comes from credit's
// API, the exposure is projections' (from credit's policy and an issued invoice), the alert risk-alert's, and the hold
// credit's again: credit → projections → risk-alert → credit. The invoice is produced on the invoicing topic as
// invoicing publishes it (invoicing itself is not needed for the rule). Each half is also tested on its own
// (services/risk-alert/src/routing.int.spec.ts, services/credit/src/risk-holds.int.spec.ts).

jest.setTimeout(300_000);

type Json = Record<string, unknown>;
const eur = (major: number) => ({ amountMinor: String(major * 100), currency: 'EUR' });

describe('a critical risk rule puts the customer on hold in credit (credit, projections and risk-alert on the real servers)', () => {
  const run = randomBytes(3).toString('hex');
  const namespace = `risk-hold-${run}`;
  let platform: Platform;
  let producer: Producer;

  beforeAll(async () => {
    const { kafkaBrokers, databaseUrl } = endpoints();
    platform = await launchPlatform({
      kafkaBrokers,
      databaseUrl,
      services: ['credit', 'projections', 'risk-alert'],
      databasePrefix: `arc_risk_hold_${run}`,
      kafkaNamespace: namespace,
      ports: 'free',
    });
    producer = new Kafka({ clientId: `risk-hold-${run}`, brokers: kafkaBrokers, logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
  }, 240_000);

  afterAll(async () => {
    await producer?.disconnect();
    if (!platform) return;
    await platform.stop(10_000);
    await platform.dropDatabases();
    await deletePlatformTopics(endpoints().kafkaBrokers, namespace).catch(() => undefined);
  }, 120_000);

  const token = mintDevelopmentToken({ sub: 'e2e-risk-hold', roles: ['admin'], name: 'E2E' });
  const call = async (service: ServiceName, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> => {
    const response = await fetch(`${platform.url(service)}/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Json) };
  };
  const ok = async (service: ServiceName, method: string, path: string, body?: unknown): Promise<Json> => {
    const answer = await call(service, method, path, body);
    if (answer.status >= 300) throw new Error(`${service} ${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const policy = (limitMajor: number) => ({
    creditClass: 'B',
    creditLimit: eur(limitMajor),
    paymentTermDays: 30,
    acceptedPaymentMethods: ['bank-transfer'],
    nextReviewDate: '2026-12-31',
  });
  const alertsOf = async (customerId: string) => (await ok('risk-alert', 'GET', `/alerts?customerId=${customerId}`)).alerts as Json[];
  const holdOf = async (customerId: string) => (await ok('credit', 'GET', `/customers/${customerId}`)).hold as Json | null;

  it('utilisation above 100 % of the limit credit set raises a critical alert that puts the customer on hold, lifted when it resolves', async () => {
    // Risk: utilisation > 80 % warning, escalating to critical above 100 %, with a credit hold on critical.
    await ok('risk-alert', 'POST', '/alert-rules', {
      ruleId: 'utilisation',
      name: 'Utilisation',
      metric: 'customer-utilisation',
      comparison: '>',
      threshold: { unit: 'basis-points', basisPoints: 8000 },
      severity: 'warning',
      escalations: [{ threshold: { unit: 'basis-points', basisPoints: 10000 }, severity: 'critical' }],
      holdOnCritical: true,
    });

    // Credit: the customer and a limit of 100,000.00.
    const customerId = randomUUID();
    await ok('credit', 'POST', '/customers', {
      customerId,
      legalName: 'Hold Test GmbH',
      registrationNumber: 'HRB 14014',
      industry: 'machinery',
      country: 'DE',
      currency: 'EUR',
      businessUnit: 'emea-north',
    });
    await ok('credit', 'PUT', `/customers/${customerId}/credit-policy`, policy(100_000));

    // Invoicing: an invoice of 90,000.00 (90 % of the limit).
    const invoiceId = randomUUID();
    const envelope = {
      eventId: randomUUID(),
      eventType: 'InvoiceIssued',
      schemaVersion: 1,
      streamId: `invoice-${invoiceId}`,
      streamVersion: 1,
      customerId,
      occurredAt: '2026-04-01T10:00:00.000Z',
      recordedAt: '2026-04-01T10:00:00.000Z',
      correlationId: randomUUID(),
      causationId: null,
      actor: 'user:e2e',
      data: {
        invoiceId,
        invoiceNumber: 'INV-E2E-14',
        customerId,
        currency: 'EUR',
        lines: [{ description: 'pumps', netAmount: eur(90_000), taxAmount: eur(0) }],
        total: eur(90_000),
        issueDate: '2026-04-01',
        dueDate: '2026-05-01',
        earlyPaymentDiscount: null,
        reservationId: null,
      },
    };
    await producer.send({ topic: `${namespace}.${Topics.invoicing}`, messages: [{ key: customerId, value: JSON.stringify(envelope) }] });

    const warning = await waitFor(
      async () => {
        const [alert] = await alertsOf(customerId);
        return alert?.severity === 'warning' ? alert : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500, description: 'the 90 % warning' },
    );
    expect(await holdOf(customerId)).toBeNull();

    // Credit cuts the limit to 80,000.00: 112.5 % utilised. The same alert escalates to critical; credit holds the customer.
    await ok('credit', 'PUT', `/customers/${customerId}/credit-policy`, policy(80_000));
    const hold = await waitFor(
      async () => {
        const current = await holdOf(customerId);
        return current?.source === 'risk-alert' ? current : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500, description: "credit's hold on the critical alert" },
    );
    const alerts = await alertsOf(customerId);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ alertId: warning.alertId, severity: 'critical', thresholdValue: '10000', observedValue: '11250' });
    expect(String(hold.reason)).toContain(`[alert ${String(warning.alertId)}]`);

    // The limit raised to 200,000.00 (45 %): the alert resolves and credit lifts the hold that alert placed.
    await ok('credit', 'PUT', `/customers/${customerId}/credit-policy`, policy(200_000));
    await waitFor(async () => (await holdOf(customerId)) === null, {
      timeoutMs: 120_000,
      intervalMs: 500,
      description: 'the hold lifted when the alert resolved',
    });
    expect((await alertsOf(customerId))[0]).toMatchObject({ alertId: warning.alertId, status: 'resolved' });
  });
});
