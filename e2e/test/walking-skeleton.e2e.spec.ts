import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { Topics } from '@arc/contracts';
import { mintDevelopmentToken, type Role } from '@arc/auth';
import {
  deletePlatformTopics,
  launchPlatform,
  readModelStatus,
  rebuildReadModels,
  SERVICES,
  type Platform,
  type ServiceName,
} from '@arc/launcher';
import { endpoints, waitFor } from '@arc/testing';
import { readModelRows } from './read-model-rows';

// The walking skeleton (issue 3): the six services as separate processes, started by the launcher
// `npm start` uses, driven over HTTP only. Databases, topics and consumer groups are this run's own (a
// Kafka namespace), so a demo running on the same infrastructure is left alone.

jest.setTimeout(240_000);

interface MoneyJson {
  amountMinor: string;
  currency: string;
}
type Json = Record<string, unknown>;

const eur = (amountMinor: string): MoneyJson => ({ amountMinor, currency: 'EUR' });
const tokens = new Map<string, string>();
function token(roles: Role[]): string {
  const key = roles.join(',');
  let t = tokens.get(key);
  if (t === undefined) {
    t = mintDevelopmentToken({ sub: `e2e-${key}`, roles });
    tokens.set(key, t);
  }
  return t;
}

let platform: Platform;

interface Reply {
  status: number;
  contentType: string;
  body: Json;
}
async function call(
  service: ServiceName,
  method: string,
  path: string,
  options: { roles?: Role[] | null; body?: unknown } = {},
): Promise<Reply> {
  const roles = options.roles === undefined ? (['admin'] as Role[]) : options.roles;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (roles !== null) headers.authorization = `Bearer ${token(roles)}`;
  const response = await fetch(`${platform.url(service)}/v1${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: text ? (JSON.parse(text) as Json) : {} };
}
async function ok(service: ServiceName, method: string, path: string, body?: unknown): Promise<Json> {
  const reply = await call(service, method, path, { body });
  if (reply.status >= 300) throw new Error(`${method} ${service} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}
const minor = (value: unknown): string => (value as MoneyJson).amountMinor;

describe('walking skeleton: six processes over HTTP', () => {
  const acme = randomUUID();
  const run = randomBytes(3).toString('hex');

  beforeAll(async () => {
    const { kafkaBrokers, databaseUrl } = endpoints();
    platform = await launchPlatform({
      kafkaBrokers,
      databaseUrl,
      databasePrefix: `arc_e2e_${run}`,
      kafkaNamespace: `e2e-${run}`,
      ports: 'free',
    });
  }, 180_000);

  afterAll(async () => {
    if (!platform) return;
    await platform.stop(10_000);
    await platform.dropDatabases();
    await deletePlatformTopics(endpoints().kafkaBrokers, `e2e-${run}`);
  }, 60_000);

  const exposure = async (): Promise<Json> => ok('projections', 'GET', `/customers/${acme}/exposure`);
  const standing = async (): Promise<Json> => ok('credit', 'GET', `/customers/${acme}`);
  const aging = async (): Promise<Json> => ((await ok('projections', 'GET', `/customers/${acme}/aging`)).aging as Json[])[0] as Json;
  const acmeAlerts = async (): Promise<Json[]> =>
    ((await ok('risk-alert', 'GET', '/alerts')).alerts as Json[]).filter((a) => (a.subject as Json).key === acme);
  const acmeCases = async (): Promise<Json[]> => (await ok('collections', 'GET', `/cases/${acme}`)).cases as Json[];
  const pay = (amountMinor: string, receivedOn: string, reference: string): Promise<Json> =>
    ok('payments', 'POST', '/payments', {
      bankReference: `${reference}-${run}`,
      customerId: acme,
      amount: eur(amountMinor),
      receivedOn,
      method: 'bank-transfer',
    });

  it('runs the credit-to-cash acceptance scenario for ACME (steps 1–8)', async () => {
    await ok('invoicing', 'POST', '/calendar/start', { date: '2026-01-01' });
    await ok('credit', 'POST', '/customers', {
      customerId: acme,
      legalName: `ACME ${run}`,
      registrationNumber: `HRB-${run}`,
      industry: 'machinery',
      country: 'DE',
      currency: 'EUR',
      businessUnit: 'emea',
    });
    await ok('credit', 'PUT', `/customers/${acme}/credit-policy`, {
      creditClass: 'B',
      creditLimit: eur('10000000'),
      paymentTermDays: 30,
      acceptedPaymentMethods: ['bank-transfer'],
      nextReviewDate: '2026-12-31',
    });
    // Invoicing learns the payment terms from CreditPolicySet; projections the limit.
    await waitFor(async () => minor((await exposure()).creditLimit) === '10000000', {
      description: 'projections to see the credit policy',
    });

    // (1) a check for 60,000.00 passes and reserves it
    const reservationId = randomUUID();
    const check = await ok('credit', 'POST', `/customers/${acme}/credit-checks`, {
      checkId: reservationId,
      orderReference: `PO-${run}-1`,
      orderAmount: eur('6000000'),
      openDay: '2026-01-01',
    });
    expect(check).toMatchObject({ passed: true, exposure: eur('6000000'), utilisationBasisPoints: 6000 });
    await waitFor(async () => minor((await exposure()).exposure) === '6000000', { description: 'exposure 60,000.00 in projections' });
    expect(await exposure()).toMatchObject({ reserved: eur('6000000'), utilisationBasisPoints: 6000 });

    // (2) the invoice against that reservation, due 2026-01-31
    const invoice = await waitFor(
      async () => {
        const reply = await call('invoicing', 'POST', '/invoices', {
          body: {
            invoiceId: randomUUID(),
            number: `INV-${run}-1`,
            customerId: acme,
            currency: 'EUR',
            lines: [{ description: 'Pump P-200 ×10', netAmount: eur('6000000'), taxAmount: eur('0') }],
            issueDate: '2026-01-01',
            reservationId,
          },
        });
        return reply.status === 201 ? reply.body : undefined;
      },
      { description: 'the invoice to be issued (invoicing knows the terms)' },
    );
    expect(invoice).toMatchObject({ dueDate: '2026-01-31', total: eur('6000000') });
    await waitFor(
      async () => {
        const s = await standing();
        return minor(s.openAr) === '6000000' && minor(s.openReservations) === '0';
      },
      { description: 'credit: open AR 60,000.00, no reservation' },
    );
    expect(await standing()).toMatchObject({ exposure: eur('6000000') });
    await waitFor(
      async () => {
        const e = await exposure();
        return minor(e.openAr) === '6000000' && minor(e.reserved) === '0';
      },
      { description: 'projections: open AR 60,000.00, no reservation' },
    );
    expect(await exposure()).toMatchObject({ exposure: eur('6000000') });

    // (3) a check for 50,000.00 fails and reserves nothing
    const refused = await ok('credit', 'POST', `/customers/${acme}/credit-checks`, {
      checkId: randomUUID(),
      orderReference: `PO-${run}-2`,
      orderAmount: eur('5000000'),
      openDay: '2026-01-01',
    });
    expect(refused).toMatchObject({ passed: false, exposure: eur('6000000') });
    expect(await standing()).toMatchObject({ openReservations: eur('0'), exposure: eur('6000000') });

    // (4) 10,000.00 paid on 2026-01-20: open AR 50,000.00, nothing due yet
    await pay('1000000', '2026-01-20', 'BANK-1');
    await waitFor(async () => minor((await aging()).totalOpen) === '5000000', { description: 'aging: open AR 50,000.00' });
    expect(await aging()).toMatchObject({ notYetDue: eur('5000000'), overdue: eur('0') });
    await waitFor(async () => minor((await standing()).openAr) === '5000000', { description: 'credit: open AR 50,000.00' });

    // (5) overdue per customer > 25,000.00 ⇒ the contract's highest severity
    await ok('risk-alert', 'POST', '/alert-rules', {
      ruleId: `overdue-above-25k-${run}`,
      name: 'Overdue above 25k',
      metric: 'customer-overdue-amount',
      comparison: '>',
      threshold: { unit: 'minor-units', amount: eur('2500000') },
      severity: 'critical',
    });

    // (6) close the days until 2026-02-15
    await ok('invoicing', 'POST', '/calendar/close-days', { until: '2026-02-15' });
    await waitFor(async () => (await aging()).asOf === '2026-02-15', { description: 'aging as of 2026-02-15' });
    const aged = await aging();
    expect((aged.buckets as Json[]).find((b) => b.label === '1-30')).toMatchObject({ amount: eur('5000000') });
    expect(aged).toMatchObject({ overdue: eur('5000000'), overdueRatioBasisPoints: 10000 });
    const alerts = await waitFor(
      async () => {
        const open = (await acmeAlerts()).filter((a) => a.status === 'open');
        return open.length > 0 ? open : undefined;
      },
      { description: 'an open alert for ACME' },
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'critical', metric: 'customer-overdue-amount' });
    const cases = await waitFor(
      async () => {
        const open = (await acmeCases()).filter((c) => c.status === 'open');
        return open.length > 0 ? open : undefined;
      },
      { description: 'an open collection case for ACME' },
    );
    expect(cases).toHaveLength(1);

    // (7) 30,000.00 on 2026-02-16: overdue 20,000.00, the alert resolves, the case stays open
    await pay('3000000', '2026-02-16', 'BANK-2');
    await waitFor(async () => minor((await aging()).overdue) === '2000000', { description: 'overdue 20,000.00' });
    await waitFor(async () => (await acmeAlerts()).every((a) => a.status !== 'open'), { description: 'the alert to resolve itself' });
    await waitFor(
      async () => {
        const c = await acmeCases();
        return c.length === 1 && minor(c[0]?.overdue) === '2000000';
      },
      { description: 'the case to see overdue 20,000.00' },
    );
    expect((await acmeCases()).filter((c) => c.status === 'open')).toHaveLength(1);

    // (8) 20,000.00: the case closes, open AR 0, exposure 0
    await pay('2000000', '2026-02-16', 'BANK-3');
    await waitFor(async () => (await acmeCases()).every((c) => c.status !== 'open'), { description: 'the case to close' });
    await waitFor(async () => minor((await exposure()).openAr) === '0', { description: 'projections: open AR 0' });
    expect(await exposure()).toMatchObject({ exposure: eur('0') });
    await waitFor(async () => minor((await standing()).exposure) === '0', { description: 'credit: exposure 0' });
    expect(await standing()).toMatchObject({ openAr: eur('0') });
  });

  it('answers 401 without a token and 403 to a role outside the department, on every service', async () => {
    const samples: { service: ServiceName; method: string; path: string; outsider: Role; body?: unknown }[] = [
      { service: 'credit', method: 'POST', path: '/customers', outsider: 'collections', body: {} },
      { service: 'invoicing', method: 'POST', path: '/invoices', outsider: 'sales', body: {} },
      { service: 'payments', method: 'POST', path: '/payments', outsider: 'sales', body: {} },
      { service: 'collections', method: 'GET', path: '/cases', outsider: 'sales' },
      { service: 'risk-alert', method: 'POST', path: '/alert-rules', outsider: 'finance', body: {} },
      { service: 'projections', method: 'GET', path: `/customers/${acme}/exposure`, outsider: 'legal' },
    ];
    for (const s of samples) {
      const anonymous = await call(s.service, s.method, s.path, { roles: null, body: s.body });
      expect({ service: s.service, status: anonymous.status }).toEqual({ service: s.service, status: 401 });
      const outsider = await call(s.service, s.method, s.path, { roles: [s.outsider], body: s.body });
      expect({ service: s.service, status: outsider.status }).toEqual({ service: s.service, status: 403 });
    }
  });

  it('rejects an invalid payload with 400 problem+json and appends nothing', async () => {
    const customerId = randomUUID();
    const reply = await call('credit', 'POST', '/customers', {
      roles: ['sales'],
      body: {
        customerId,
        legalName: '',
        registrationNumber: 'X',
        industry: 'x',
        country: 'Germany',
        currency: 'EUR',
        businessUnit: 'emea',
      },
    });
    expect(reply.status).toBe(400);
    expect(reply.contentType).toContain('application/problem+json');
    // Nothing was appended: the customer does not exist.
    expect((await call('credit', 'GET', `/customers/${customerId}`)).status).toBe(404);
  });

  it('gives the BI role read access to the reporting views and no write access', async () => {
    const projections = platform.service('projections');
    const url = new URL(projections.databaseUrl);
    url.username = platform.biRole;
    url.password = platform.biPassword;
    const client = new Client({ connectionString: url.toString() });
    await client.connect();
    try {
      await client.query('SELECT * FROM reporting.customer_exposure LIMIT 1');
      await expect(client.query("INSERT INTO reporting.customer_exposure (customer_id) VALUES ('x')")).rejects.toThrow(
        /permission denied|cannot insert/i,
      );
    } finally {
      await client.end();
    }
  });

  it("keeps its events on its own Kafka namespace's topics", async () => {
    const kafka = new Kafka({ clientId: 'e2e-namespace-check', brokers: endpoints().kafkaBrokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const messages = async (topic: string) => (await admin.fetchTopicOffsets(topic)).reduce((n, p) => n + Number(p.high), 0);
      for (const topic of Object.values(Topics)) {
        expect({ topic, messages: (await messages(`e2e-${run}.${topic}`)) > 0 }).toEqual({ topic, messages: true });
      }
    } finally {
      await admin.disconnect();
    }
  });

  // (9) Last, as it empties every read model. Rows are compared whole, but for `updated_at`.
  it('rebuilds every read model of every service from its source into exactly the same rows', async () => {
    const targets = SERVICES.map((s) => ({ service: s.name, baseUrl: platform.url(s.name) }));
    const admin = token(['admin']);
    const tablesOf = await readModelStatus(targets, admin);
    const snapshot = () => readModelRows(platform, tablesOf);
    // Every service declares what it keeps, and each of those the scenario feeds holds this test's rows.
    expect(Object.fromEntries([...tablesOf].map(([service, models]) => [service, models.map((m) => `${m.name}:${m.source}`)]))).toEqual({
      credit: ['open-ar:topics', 'temporary-limits:topics', 'review-schedule:topics'],
      invoicing: ['receivables:store', 'payment-terms:topics', 'credit-reservations:topics', 'customer-names:topics'],
      payments: ['open-invoices:topics', 'business-calendar:topics', 'customers:topics'],
      collections: ['cases:store', 'dunning:store', 'receivables:topics'],
      'risk-alert': ['alert-rules:store', 'alerts:store', 'alert-subscriptions:store'],
      projections: ['receivables:topics'],
    });
    const before = await snapshot();
    // The scenario grants no temporary limit, subscribes no department to alerts, and dunns nobody.
    const notFed = new Set([
      'credit/temporary-limits',
      'credit/review-schedule',
      'collections/dunning',
      'collections/receivables',
      'risk-alert/alert-subscriptions',
    ]);
    for (const [service, models] of tablesOf) {
      for (const m of models.filter((model) => !notFed.has(`${service}/${model.name}`))) {
        const rows = m.tables.reduce((n, table) => n + (before[`${service}.${table}`]?.length ?? 0), 0);
        expect({ readModel: `${service}/${m.name}`, empty: rows === 0 }).toEqual({ readModel: `${service}/${m.name}`, empty: false });
      }
    }

    await rebuildReadModels(targets, admin);
    expect(await snapshot()).toEqual(before);
    // A rebuild announces nothing again: the alert stays resolved, the case closed, nothing new raised.
    expect(await exposure()).toMatchObject({ openAr: eur('0'), exposure: eur('0') });
    expect((await acmeAlerts()).map((a) => a.status)).toEqual(['resolved']);
    expect((await acmeCases()).map((c) => c.status)).toEqual(['closed']);

    // /metrics: each consumer group's lag per partition (caught up: 0), the age of the last event a batch
    // applied, and no message parked on a dead-letter topic along the way.
    for (const { service } of targets) {
      const metrics = await (await fetch(`${platform.url(service)}/metrics`)).text();
      const lags = [...metrics.matchAll(/^arc_consumer_lag_messages\{[^}]*\} (\S+)$/gm)].map((m) => Number(m[1]));
      expect({ service, partitions: lags.length > 0, behind: lags.filter((lag) => lag !== 0) }).toEqual({
        service,
        partitions: true,
        behind: [],
      });
      expect(metrics).toMatch(/^arc_projection_lag_seconds\{projection="[^"]+"[^}]*\} \d/m);
      expect({ service, deadLetters: metrics.match(/^arc_dead_letters_total\{.*$/gm) }).toEqual({ service, deadLetters: null });
    }
  });
});
