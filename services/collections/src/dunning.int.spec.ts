import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Role } from '@arc/auth';
import type { EventEnvelope } from '@arc/contracts';
import { ensureTopics } from '@arc/messaging';
import { startServiceUnderTest, type ServiceUnderTest } from '@arc/platform/testing';
import { createTestDatabase, testKafka, waitFor, type TestDatabase } from '@arc/testing';
import { AppModule } from './app.module';
import type { CollectionsConfig } from './config';
import { STANDARD_DUNNING_STRATEGY } from './domain';
import { startSmtpSink, type SmtpSink } from './testing/smtp-sink';
import { testCollectionsConfig } from './testing/test-config';
import { World } from './testing/world';

type Json = Record<string, unknown>;
const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });
const STEPS = STANDARD_DUNNING_STRATEGY.steps.map(({ stepId, offsetDays, action, channels, template, skippable }) => ({
  stepId,
  offsetDays,
  action,
  channels,
  template,
  skippable,
}));

/**
 * The dunning of issue 13 on real servers: Kafka topics fed with other contexts' events, the service's own
 * PostgreSQL, and a real SMTP server receiving the mails. One business timeline for every customer of the
 * suite (the calendar is shared): the days 2026-02-19 … 2026-04-21 are closed in stages.
 */
describe('dunning: strategies, the daily run, e-mails through the outbox, promises, plans and legal (real Kafka, PostgreSQL, SMTP)', () => {
  jest.setTimeout(240_000);
  let db: TestDatabase;
  let smtp: SmtpSink;
  let service: ServiceUnderTest;
  let config: CollectionsConfig;
  const kafka = testKafka('collections-dunning-test');
  const producer = kafka.producer();
  let world: World;
  const call = (method: string, path: string, body?: unknown, roles: Role[] = ['collections']) =>
    service.call(method, path, { roles, ...(body === undefined ? {} : { body }) });

  // The customers of the timeline, each for its own rule.
  const A = { id: randomUUID(), invoice: randomUUID(), email: `ap-${randomUUID().slice(0, 8)}@acme.example` }; // acceptance
  const B = { id: randomUUID(), invoice: randomUUID(), email: `ap-${randomUUID().slice(0, 8)}@partial.example` }; // partial payment
  const L = { id: randomUUID(), invoice: randomUUID(), email: `ap-${randomUUID().slice(0, 8)}@legal.example` }; // in legal
  const P = { id: randomUUID(), invoice: randomUUID(), email: `ap-${randomUUID().slice(0, 8)}@promise.example` }; // promise partly kept
  const K = { id: randomUUID(), invoice: randomUUID(), email: `ap-${randomUUID().slice(0, 8)}@kept.example` }; // promise kept
  const Q = { id: randomUUID(), invoice: randomUUID(), email: `ap-${randomUUID().slice(0, 8)}@plan.example` }; // plan broken
  const X = { id: randomUUID(), invoice: randomUUID(), email: `ap-${randomUUID().slice(0, 8)}@override.example` }; // class D, override
  const W = { id: randomUUID(), invoice: randomUUID(), email: `ap-${randomUUID().slice(0, 8)}@webhook.example` }; // SMS by webhook
  /** A real HTTP receiver for webhook deliveries; it refuses the first call (500) to show the retry. */
  const webhookCalls: { key: string | undefined; status: number; body: Json }[] = [];
  const receiver = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      const status = webhookCalls.length === 0 ? 500 : 204;
      webhookCalls.push({ key: request.headers['idempotency-key'] as string | undefined, status, body: JSON.parse(text) as Json });
      response.writeHead(status).end();
    });
  });

  const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));
  const steps = async (customerId: string): Promise<Json[]> => {
    const response = await call('GET', `/v1/dunning/steps?customerId=${customerId}&limit=100`);
    expect(response.status).toBe(200);
    return (response.body.steps as Json[]).sort((a, b) => String(a.businessDate).localeCompare(String(b.businessDate)));
  };
  const stepIds = async (customerId: string) => (await steps(customerId)).map((s) => `${s.businessDate} ${s.stepId}`);
  const lastClosedDayIs = async (date: string) => {
    // The worklist's default day is the open day: the day after the last one closed.
    await waitFor(
      async () => {
        const r = await call('GET', '/v1/worklist/tasks?limit=1');
        return r.status === 200 && String(r.body.on) > date;
      },
      { description: `collections to have closed ${date}`, timeoutMs: 120_000 },
    );
  };
  const openItems = async (customerId: string) => (await call('GET', `/v1/customers/${customerId}/open-items`)).body as Json;
  const waitForOpen = async (customerId: string, amountMinor: string) =>
    waitFor(
      async () => {
        const items = (await openItems(customerId)).items as Json[] | undefined;
        return items?.[0] !== undefined && (items[0].open as Json).amountMinor === amountMinor;
      },
      { description: `${customerId} to owe ${amountMinor}`, timeoutMs: 60_000 },
    );
  const outboxSettled = () =>
    waitFor(
      async () => {
        const r = await call('GET', '/v1/outbox?status=pending&limit=1');
        const s = await call('GET', '/v1/outbox?status=sending&limit=1');
        return (r.body.deliveries as Json[]).length === 0 && (s.body.deliveries as Json[]).length === 0;
      },
      { description: 'the outbox to be sent', timeoutMs: 60_000 },
    );

  const readCollectionsTopic = async (predicate: (e: EventEnvelope) => boolean, count = 1): Promise<EventEnvelope[]> => {
    const consumer = kafka.consumer({ groupId: `collections-topic-reader-${randomUUID()}` });
    const seen: EventEnvelope[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: config.topics.collections, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const e = JSON.parse(message.value?.toString() ?? '{}') as EventEnvelope;
          if (predicate(e)) seen.push(e);
        },
      });
      await waitFor(() => seen.length >= count, { description: `${count} matching collections events`, timeoutMs: 60_000 });
    } finally {
      await consumer.disconnect();
    }
    return seen;
  };

  const start = async () => startServiceUnderTest(AppModule.forRoot(config, { logSink: () => undefined }));

  beforeAll(async () => {
    db = await createTestDatabase('collections_dunning');
    smtp = await startSmtpSink();
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/sms`;
    config = testCollectionsConfig(db.url, { smtpUrl: smtp.url, webhookUrl });
    await ensureTopics(
      kafka,
      Object.values(config.topics).map((topic) => ({ topic, partitions: 1 })),
    );
    await producer.connect();
    world = new World(producer, config);
    service = await start();

    // The default strategy of class C (the demo's), and nothing for class D.
    expect((await call('PUT', '/v1/strategies/classes/C', { name: 'Class C: standard', steps: STEPS })).status).toBe(200);
    const rules = { rules: [{ collector: 'dora', creditClass: 'D' }], roundRobin: ['anna', 'bert'] };
    expect((await call('PUT', '/v1/worklist/assignment-rules', rules)).status).toBe(200);
    for (const [c, cls] of [
      [A, 'C'],
      [B, 'C'],
      [L, 'C'],
      [P, 'C'],
      [K, 'C'],
      [Q, 'C'],
      [X, 'D'],
      [W, 'C'],
    ] as const) {
      await world.customer(c.id, cls, c.email);
      await world.invoice(c.id, c.invoice, `INV-${c.id.slice(0, 6)}`, '1000000', '2026-03-01');
    }
    const sms = { stepId: 'sms', offsetDays: 1, action: 'friendly-reminder', channels: ['sms'], template: 'friendly-reminder' };
    expect((await call('PUT', `/v1/strategies/customers/${W.id}`, { name: 'W: SMS only', steps: [sms] })).status).toBe(200);
    await world.payment(B.id, B.invoice, '400000', '2026-02-10');
    await waitForOpen(B.id, '600000');
    await waitForOpen(X.id, '1000000');
    await world.closeDays('2026-02-19', '2026-02-19');
    await lastClosedDayIs('2026-02-19');
  });

  afterAll(async () => {
    await producer.disconnect();
    await service?.close();
    await smtp?.close();
    await new Promise((resolve) => receiver.close(resolve));
    await db?.drop();
  });

  describe('before the timeline runs', () => {
    it('keeps a strategy per class and a customer override, both readable; bad strategies answer 400', async () => {
      expect((await call('GET', '/v1/strategies/classes/C', undefined, ['finance'])).body).toMatchObject({
        scope: { kind: 'class', creditClass: 'C' },
      });
      expect((await call('GET', '/v1/strategies/classes/D')).status).toBe(404);
      expect((await call('PUT', '/v1/strategies/classes/Z', { name: 'x', steps: STEPS })).status).toBe(400);
      expect((await call('PUT', '/v1/strategies/classes/C', { name: 'x', steps: [{ ...STEPS[0], channels: ['pigeon'] }] })).status).toBe(
        400,
      );
      expect((await call('PUT', '/v1/strategies/classes/C', { name: 'x', steps: [] })).status).toBe(400);
      // Two steps with one id is a rule of the strategy, not of a field: 422.
      expect((await call('PUT', '/v1/strategies/classes/B', { name: 'x', steps: [STEPS[0], STEPS[0]] })).status).toBe(422);
    });

    it('hands L over to legal (collections may), and legal alone records the steps; collections cannot record the judgment (403)', async () => {
      const handOver = await call('POST', `/v1/customers/${L.id}/legal/hand-over`, { reason: 'insolvency rumours' });
      expect(handOver.status).toBe(201);
      expect((handOver.body.legalCases as Json[])[0]).toMatchObject({
        status: 'open',
        openedOn: '2026-02-20',
        limitationDate: '2029-02-20',
      });
      const legal: Role[] = ['legal'];
      expect((await call('POST', `/v1/customers/${L.id}/legal/lawyer-letters`, { lawyer: 'Weber & Partner' }, legal)).status).toBe(201);
      expect((await call('POST', `/v1/customers/${L.id}/legal/lawyer-letters`, { lawyer: 'Weber & Partner' })).status).toBe(403);
      const proceedings = {
        kind: 'litigation',
        court: 'Landgericht Berlin',
        caseNumber: '12 O 345/26',
        claim: EUR('1000000'),
        costs: EUR('85000'),
      };
      expect((await call('POST', `/v1/customers/${L.id}/legal/judgment`, { judgment: 'won', awarded: EUR('1085000') }, legal)).status).toBe(
        409,
      );
      expect((await call('POST', `/v1/customers/${L.id}/legal/proceedings`, proceedings, legal)).status).toBe(201);
      expect((await call('POST', `/v1/customers/${L.id}/legal/judgment`, { judgment: 'won', awarded: EUR('1085000') })).status).toBe(403);
      const judged = await call('POST', `/v1/customers/${L.id}/legal/judgment`, { judgment: 'won', awarded: EUR('1085000') }, legal);
      expect(judged.status).toBe(201);
      expect(((judged.body.legalCases as Json[])[0]?.steps as Json[]).map((s) => s.action)).toEqual([
        'lawyer-letter',
        'proceedings-started',
        'judgment',
      ]);
      const ack = await call('POST', `/v1/customers/${L.id}/legal/acknowledgements`, { acknowledgedOn: '2026-03-15' }, legal);
      expect((ack.body.legalCases as Json[])[0]).toMatchObject({ limitationDate: '2029-03-15' });
    });

    it('records a promise for P and K (5,000.00 on 2026-04-20) and a three-instalment plan for Q', async () => {
      const promise = { payments: [{ dueOn: '2026-04-20', amount: EUR('500000') }], note: 'promised by phone' };
      for (const c of [P, K]) {
        const r = await call('POST', `/v1/customers/${c.id}/promises`, promise);
        expect(r.status).toBe(201);
        expect((r.body.arrangements as Json[])[0]).toMatchObject({ kind: 'promise', status: 'open', madeOn: '2026-02-20' });
      }
      const plan = {
        instalments: [
          { dueOn: '2026-03-10', amount: EUR('300000') },
          { dueOn: '2026-03-25', amount: EUR('300000') },
          { dueOn: '2026-04-10', amount: EUR('400000') },
        ],
      };
      expect((await call('POST', `/v1/customers/${Q.id}/repayment-plans`, plan)).status).toBe(201);
      expect((await call('POST', `/v1/customers/${Q.id}/repayment-plans`, { instalments: [plan.instalments[0]] })).status).toBe(400);
      await world.payment(Q.id, Q.invoice, '300000', '2026-03-05');
      await waitForOpen(Q.id, '700000');
    });
  });

  describe('the timeline to 2026-04-15', () => {
    beforeAll(async () => {
      await world.closeDays('2026-02-20', '2026-04-15');
      await lastClosedDayIs('2026-04-15');
      await outboxSettled();
    });

    it('class C, invoice due 2026-03-01, default strategy: sends the −5, +1 and +30 e-mails once each with the open items, creates the +15 call task and requests the hold at +45', async () => {
      expect(await stepIds(A.id)).toEqual([
        '2026-02-24 pre-due-reminder',
        '2026-03-02 friendly-reminder',
        '2026-03-16 call',
        '2026-03-31 demand-letter',
        '2026-04-15 credit-hold',
      ]);
      const mails = mailsTo(A.email);
      // The dispatcher sends the rows of one poll concurrently: the order of arrival is not the order of the steps.
      expect(mails.map((m) => m.subject).sort()).toEqual(
        [
          `Upcoming payment: invoice INV-${A.id.slice(0, 6)} due 2026-03-01`,
          `Payment reminder: invoice INV-${A.id.slice(0, 6)} is overdue`,
          `Formal demand for payment: invoice INV-${A.id.slice(0, 6)}`,
        ].sort(),
      );
      for (const mail of mails) {
        expect(mail.text).toContain(`INV-${A.id.slice(0, 6)}`);
        expect(mail.text).toContain('EUR 10,000.00');
        expect(mail.text).toMatch(/^Dear Erika Muster,/);
        expect(mail.html).toContain('<table>');
      }
      expect(new Set(mails.map((m) => m.messageId)).size).toBe(3);
      const tasks = await call('GET', '/v1/worklist/tasks?on=2026-04-15&limit=1000');
      const mine = (tasks.body.tasks as Json[]).filter((t) => t.customerId === A.id);
      expect(mine.map((t) => `${t.dueOn} ${t.kind}`)).toEqual(['2026-03-16 call', '2026-03-31 letter']);
      const [hold] = await readCollectionsTopic((e) => e.eventType === 'CollectionsCreditHoldRequested' && e.customerId === A.id);
      expect(hold).toMatchObject({ data: { customerId: A.id, requestedOn: '2026-04-15' }, actor: 'system:collections' });
    });

    it('delivers an SMS step to the webhook receiver once, retrying the refused first attempt with backoff', async () => {
      const mine = webhookCalls.filter((c) => (c.body.data as Json | undefined)?.customerId === W.id);
      expect(mine.map((c) => c.status)).toEqual([500, 204]);
      expect(mine[0]?.key).toBe(mine[1]?.key);
      expect(mine[1]?.body).toMatchObject({ eventType: 'DunningStepExecuted', subject: expect.stringContaining('is overdue') });
      const rows = (await call('GET', `/v1/outbox?customerId=${W.id}`)).body.deliveries as Json[];
      expect(rows).toEqual([expect.objectContaining({ channel: 'webhook', status: 'sent', attempts: 2, lastError: null })]);
      expect(mailsTo(W.email)).toEqual([]);
    });

    it('duns what is left after a partial payment', async () => {
      const [friendly] = mailsTo(B.email).filter((m) => m.subject.startsWith('Payment reminder'));
      expect(friendly?.text).toContain('EUR 6,000.00');
      expect(friendly?.text).not.toContain('EUR 10,000.00');
    });

    it('sends a customer in legal no reminders at all', async () => {
      expect(await stepIds(L.id)).toEqual([]);
      expect(mailsTo(L.email)).toEqual([]);
    });

    it('leaves items under an open promise alone', async () => {
      expect(await stepIds(P.id)).toEqual([]);
      expect(mailsTo(K.email)).toEqual([]);
    });

    it('breaks the plan at the missed second instalment and escalates (event, and dunning resumes at the step due)', async () => {
      const [broken] = await readCollectionsTopic((e) => e.eventType === 'PaymentArrangementBroken' && e.customerId === Q.id);
      expect(broken?.data).toMatchObject({ kind: 'plan', instalment: 2, brokenOn: '2026-03-25', partlyKept: false, paid: EUR('300000') });
      expect(await stepIds(Q.id)).toEqual(['2026-03-25 call', '2026-03-31 demand-letter', '2026-04-15 credit-hold']);
      expect(mailsTo(Q.email)[0]?.text).toContain('EUR 7,000.00');
    });

    it('a class without a strategy is not dunned; the dry run lists exactly what the real run then does', async () => {
      expect(await stepIds(X.id)).toEqual([]);
      const override = await call('PUT', `/v1/strategies/customers/${X.id}`, { name: 'X: firm', steps: STEPS });
      expect(override.status).toBe(200);
      const dry = await call('POST', '/v1/dunning/runs', { businessDate: '2026-04-15', dryRun: true });
      expect(dry.status).toBe(200);
      const dryActions = (dry.body.actions as Json[]).filter((a) => a.customerId === X.id);
      expect(dryActions.map((a) => a.stepId ?? a.eventType)).toEqual(['credit-hold', 'CollectionsCreditHoldRequested']);
      expect((await call('POST', '/v1/dunning/runs', { businessDate: '2026-04-16' })).status).toBe(422);
      const real = await call('POST', '/v1/dunning/runs', { businessDate: '2026-04-15' });
      expect(real.status).toBe(200);
      expect(real.body.actions).toEqual(dry.body.actions);
      expect((await call('POST', '/v1/dunning/runs', { businessDate: '2026-04-15' })).body.actions).toEqual([]);
    });
  });

  describe('the worklist on 2026-04-16', () => {
    it('lists the customers with money overdue by priority, each with the collector the rules gave it', async () => {
      const r = await call('GET', '/v1/worklist?on=2026-04-16&limit=1000');
      expect(r.status).toBe(200);
      const ours: string[] = [A.id, B.id, Q.id, X.id, L.id];
      const mine = (r.body.cases as Json[]).filter((c) => ours.includes(String(c.customerId)));
      const byId = new Map(mine.map((c) => [c.customerId, c]));
      expect(byId.get(X.id)).toMatchObject({ collector: 'dora', creditClass: 'D', daysPastDue: 46 });
      expect(['anna', 'bert']).toContain(byId.get(A.id)?.collector);
      expect(byId.get(L.id)).toMatchObject({ inLegal: true });
      // 10,000.00 before 6,000.00 at the same age and class; X's class D before A's class C at the same amount.
      const order = mine.map((c) => c.customerId);
      expect(order.indexOf(A.id)).toBeLessThan(order.indexOf(B.id));
      expect(order.indexOf(X.id)).toBeLessThan(order.indexOf(A.id));
      const priorities = (r.body.cases as Json[]).map((c) => Number(c.priority));
      expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    });

    it('reassigns by hand, logs activities and shows the follow-up among the next actions', async () => {
      expect((await call('POST', `/v1/customers/${A.id}/collector`, { collector: 'carl' })).status).toBe(201);
      const logged = await call('POST', `/v1/customers/${A.id}/activities`, {
        kind: 'call',
        outcome: 'promised to pay Friday',
        nextActionOn: '2026-04-16',
      });
      expect(logged.status).toBe(201);
      expect(logged.body.activities).toEqual([expect.objectContaining({ kind: 'call', on: '2026-04-16', nextActionOn: '2026-04-16' })]);
      expect((await call('POST', `/v1/customers/${A.id}/activities`, { kind: 'fax', outcome: 'x' })).status).toBe(400);
      const carl = await call('GET', '/v1/worklist?collector=carl');
      expect((carl.body.cases as Json[]).map((c) => c.customerId)).toEqual([A.id]);
      const actions = ((carl.body.cases as Json[])[0]?.nextActions as Json[]).map((a) => `${a.dueOn} ${a.kind}`);
      expect(actions).toEqual(['2026-03-16 call', '2026-03-31 letter', '2026-04-16 follow-up']);
      const kpis = await call('GET', '/v1/worklist/kpis?from=2026-04-01&to=2026-04-30');
      expect(kpis.status).toBe(200);
    });
  });

  describe('from 2026-04-16: promises decided, payments, restart and rebuild', () => {
    beforeAll(async () => {
      await world.payment(P.id, P.invoice, '400000', '2026-04-18');
      await world.payment(K.id, K.invoice, '500000', '2026-04-18');
      await waitForOpen(P.id, '600000');
      await waitForOpen(K.id, '500000');
      await world.closeDays('2026-04-16', '2026-04-20');
      await lastClosedDayIs('2026-04-20');
      await outboxSettled();
    });

    it('a promise 4,000.00 short of 5,000.00 is partly kept, broken and escalated', async () => {
      const [broken] = await readCollectionsTopic((e) => e.eventType === 'PaymentArrangementBroken' && e.customerId === P.id);
      expect(broken?.data).toMatchObject({ kind: 'promise', partlyKept: true, paid: EUR('400000'), expected: EUR('500000') });
      expect(await stepIds(P.id)).toEqual(['2026-04-20 credit-hold']);
      const r = await call('GET', `/v1/customers/${P.id}/arrangements`, undefined, ['risk']);
      expect((r.body.arrangements as Json[])[0]).toMatchObject({ status: 'broken', partlyKept: true, decidedOn: '2026-04-20' });
    });

    it('a promise paid in full is kept, and dunning resumes only for what is left', async () => {
      const r = await call('GET', `/v1/customers/${K.id}/arrangements`);
      expect((r.body.arrangements as Json[])[0]).toMatchObject({ status: 'kept', decidedOn: '2026-04-20' });
      const kSteps = await steps(K.id);
      expect(kSteps.map((s) => `${s.businessDate} ${s.stepId}`)).toEqual(['2026-04-20 credit-hold']);
      expect(kSteps[0]?.openAmount).toEqual(EUR('500000'));
    });

    it('paying everything releases the hold collections asked for', async () => {
      await world.payment(A.id, A.invoice, '1000000', '2026-04-21');
      await waitFor(async () => ((await openItems(A.id)).items as Json[]).length === 0, { description: 'A paid' });
      await world.closeDays('2026-04-21', '2026-04-21');
      const [release] = await readCollectionsTopic((e) => e.eventType === 'CollectionsCreditHoldReleaseRequested' && e.customerId === A.id);
      expect(release?.data).toMatchObject({ requestedOn: '2026-04-21' });
    });

    it('restarting the service and rebuilding its read models sends nothing twice', async () => {
      await lastClosedDayIs('2026-04-21');
      await outboxSettled();
      const before = smtp.received.length;
      await service.close();
      service = await start();
      const rebuild = await call('POST', '/v1/admin/read-models/rebuild', undefined, ['admin']);
      expect(rebuild.status).toBeLessThan(300);
      await waitFor(
        async () =>
          ((await call('GET', '/v1/admin/read-models', undefined, ['admin'])).body.readModels as { caughtUp: boolean }[]).every(
            (m) => m.caughtUp,
          ),
        { description: 'the read models rebuilt', timeoutMs: 120_000 },
      );
      await world.closeDays('2026-04-22', '2026-04-22');
      await lastClosedDayIs('2026-04-22');
      // Nothing pending or in flight: every send the outbox made has its outcome, and the server counted it first.
      await outboxSettled();
      expect(smtp.received.length).toBe(before);
      // Every delivery once: no Message-ID twice across the whole suite.
      expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(smtp.received.length);
      expect(await stepIds(A.id)).toHaveLength(5);
    });
  });
});
