import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { mintDevelopmentToken, type Role } from '@arc/auth';
import { ensureTopics } from '@arc/messaging';
import { startServiceUnderTest, type ServiceUnderTest } from '@arc/platform/testing';
import { createTestDatabase, endpoints, spawnTs, testKafka, waitFor, type TestDatabase, type TsProcess } from '@arc/testing';
import { AppModule } from './app.module';
import { loadCollectionsConfig, type CollectionsConfig } from './config';
import { STANDARD_DUNNING_STRATEGY } from './domain';
import { startSmtpSink, type SmtpSink } from './testing/smtp-sink';
import { World } from './testing/world';

type Json = Record<string, unknown>;
const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * Collections and credit together on one Kafka namespace: the credit service as its own process (its src/main.ts),
 * collections in-process, each with its own database. The customer is registered in credit (its events reach
 * collections), the invoice, payment and day closes are played on the namespace's topics. The +45 step's hold
 * request reaches credit, which then refuses a credit check; paying releases the hold and the next check passes.
 */
describe('the credit-hold step across services: collections requests, credit refuses a check, paying releases (real Kafka)', () => {
  jest.setTimeout(300_000);
  let collectionsDb: TestDatabase;
  let creditDb: TestDatabase;
  let smtp: SmtpSink;
  let collections: ServiceUnderTest;
  let credit: TsProcess | undefined;
  let creditUrl = '';
  let config: CollectionsConfig;
  const kafka = testKafka('collections-credit-hold-test');
  const producer = kafka.producer();
  const customerId = randomUUID();
  const invoiceId = randomUUID();

  const creditCall = async (method: string, path: string, roles: Role[], body?: unknown): Promise<{ status: number; body: Json }> => {
    const response = await fetch(`${creditUrl}/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${mintDevelopmentToken({ sub: 'hold-test', roles })}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Json };
  };
  const check = (openDay: string) =>
    creditCall('POST', `/customers/${customerId}/credit-checks`, ['sales'], {
      checkId: randomUUID(),
      orderReference: `PO-${randomUUID().slice(0, 6)}`,
      orderAmount: EUR('10000'),
      openDay,
    });
  const onHold = async () => ((await creditCall('GET', `/customers/${customerId}`, ['finance'])).body.hold ?? null) !== null;

  beforeAll(async () => {
    collectionsDb = await createTestDatabase('collections_hold');
    creditDb = await createTestDatabase('credit_hold');
    smtp = await startSmtpSink();
    const creditPort = await freePort();
    creditUrl = `http://127.0.0.1:${creditPort}`;
    const namespace = `hold-${randomUUID().slice(0, 8)}`;
    const common = { ARC_KAFKA_BROKERS: endpoints().kafkaBrokers.join(','), ARC_KAFKA_NAMESPACE: namespace, ARC_LOG_LEVEL: 'warn' };
    const loaded = loadCollectionsConfig({ ...process.env, ...common, ARC_COLLECTIONS_DATABASE_URL: collectionsDb.url });
    config = {
      ...loaded,
      port: 0,
      outbox: {
        ...loaded.outbox,
        smtpUrl: smtp.url,
        mailFrom: 'ARC <ar@arc.test>',
        webhookUrl: null,
        pollMs: 50,
        maxAttempts: 3,
        backoffSeconds: 1,
      },
    };
    await ensureTopics(
      kafka,
      Object.values(config.topics).map((topic) => ({ topic, partitions: 1 })),
    );
    credit = spawnTs(join(__dirname, '..', '..', 'credit', 'src', 'main.ts'), {
      ...common,
      ARC_CREDIT_DATABASE_URL: creditDb.url,
      ARC_CREDIT_PORT: String(creditPort),
    });
    collections = await startServiceUnderTest(AppModule.forRoot(config, { logSink: () => undefined }));
    await waitFor(async () => (await fetch(`${creditUrl}/health/ready`).catch(() => null))?.ok === true, {
      description: `credit ready (log: ${credit.logFile})`,
      timeoutMs: 120_000,
    });
    await producer.connect();
  });

  afterAll(async () => {
    await producer.disconnect();
    await collections?.close();
    await credit?.kill('SIGTERM');
    await smtp?.close();
    await collectionsDb?.drop();
    await creditDb?.drop();
  });

  it('the +45 step puts the customer on hold in credit (a check is refused); paying everything releases it (a check passes)', async () => {
    const world = new World(producer, config);
    const steps = STANDARD_DUNNING_STRATEGY.steps.map(({ stepId, offsetDays, action, channels, template, skippable }) => ({
      stepId,
      offsetDays,
      action,
      channels,
      template,
      skippable,
    }));
    expect((await collections.call('PUT', '/v1/strategies/classes/C', { roles: ['collections'], body: { name: 'C', steps } })).status).toBe(
      200,
    );
    // The customer as credit registers it: its events are what collections knows of it.
    const registered = await creditCall('POST', '/customers', ['sales'], {
      customerId,
      legalName: 'Holdfast Industrie GmbH',
      registrationNumber: 'HRB 4545',
      industry: 'machinery',
      country: 'DE',
      currency: 'EUR',
      businessUnit: 'EU',
    });
    expect(registered.status).toBe(201);
    const policy = await creditCall('PUT', `/customers/${customerId}/credit-policy`, ['finance'], {
      creditClass: 'C',
      creditLimit: EUR('10000000'),
      paymentTermDays: 30,
      acceptedPaymentMethods: ['bank-transfer'],
      nextReviewDate: '2026-12-31',
    });
    expect(policy.status).toBe(200);
    const contacts = await creditCall('PUT', `/customers/${customerId}/credit-file/contacts`, ['finance'], {
      contacts: [{ name: 'Paula Payables', role: 'accounts payable', email: 'ap@holdfast.example', phone: null }],
    });
    expect(contacts.status).toBe(200);
    await world.invoice(customerId, invoiceId, 'INV-HOLD-1', '1000000', '2026-03-01');
    await waitFor(
      async () => {
        const items = (await collections.call('GET', `/v1/customers/${customerId}/open-items`, { roles: ['collections'] })).body.items as
          Json[] | undefined;
        return items?.length === 1;
      },
      { description: 'the invoice in collections', timeoutMs: 60_000 },
    );

    await world.closeDays('2026-02-19', '2026-04-15');
    await waitFor(onHold, { description: 'credit to hold the customer', timeoutMs: 120_000 });
    const standing = await creditCall('GET', `/customers/${customerId}`, ['finance']);
    expect(standing.body.hold).toMatchObject({ source: 'collections' });
    const refused = await check('2026-04-16');
    expect(refused.status).toBe(201);
    expect(refused.body).toMatchObject({ passed: false });
    // The reminders went to the dunning contact credit's file names.
    await waitFor(() => smtp.received.filter((m) => m.to.includes('ap@holdfast.example')).length === 3, {
      description: 'the −5, +1 and +30 mails to the contact from credit',
    });

    await world.payment(customerId, invoiceId, '1000000', '2026-04-16');
    await waitFor(
      async () =>
        ((await collections.call('GET', `/v1/customers/${customerId}/open-items`, { roles: ['collections'] })).body.items as Json[])
          .length === 0,
      { description: 'the payment in collections', timeoutMs: 60_000 },
    );
    await world.closeDays('2026-04-16', '2026-04-16');
    await waitFor(async () => !(await onHold()), { description: 'credit to release the hold', timeoutMs: 120_000 });
    const passed = await check('2026-04-17');
    expect(passed.status).toBe(201);
    expect(passed.body).toMatchObject({ passed: true });
  });
});
