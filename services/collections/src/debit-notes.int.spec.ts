import { randomUUID } from 'node:crypto';
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
 * A debit note (late interest) is dunned as an item of its own, from its own due date, on real Kafka, PostgreSQL and
 * SMTP: invoicing's and payments' events on the test's topics, the days closed on its calendar topic, class C.
 */
describe('debit notes are dunned as items of their own (real Kafka, PostgreSQL, SMTP)', () => {
  jest.setTimeout(180_000);
  let db: TestDatabase;
  let smtp: SmtpSink;
  let service: ServiceUnderTest;
  let config: CollectionsConfig;
  const kafka = testKafka('collections-debit-notes-test');
  const producer = kafka.producer();
  let world: World;
  const call = (method: string, path: string, body?: unknown) =>
    service.call(method, path, { roles: ['collections'], ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    db = await createTestDatabase('collections_debit_notes');
    smtp = await startSmtpSink();
    config = testCollectionsConfig(db.url, { smtpUrl: smtp.url });
    await ensureTopics(
      kafka,
      Object.values(config.topics).map((topic) => ({ topic, partitions: 1 })),
    );
    await producer.connect();
    world = new World(producer, config);
    service = await startServiceUnderTest(AppModule.forRoot(config, { logSink: () => undefined }));
    expect((await call('PUT', '/v1/strategies/classes/C', { name: 'Class C: standard', steps: STEPS })).status).toBe(200);
  });

  afterAll(async () => {
    await producer.disconnect();
    await service?.close();
    await smtp?.close();
    await db?.drop();
  });

  it('late interest on a paid invoice is dunned from its own due date: its reminders sent once each, for its amount only', async () => {
    const customer = randomUUID();
    const invoice = randomUUID();
    const email = `ap-${randomUUID().slice(0, 8)}@interest.example`;
    await world.customer(customer, 'C', email);
    await world.invoice(customer, invoice, 'INV-DN-1', '1000000', '2026-03-01');
    // Paid late, in full; invoicing charges the interest for the 19 days late, due on 2026-04-15.
    await world.payment(customer, invoice, '1000000', '2026-03-20');
    await world.invoicing(
      'DebitNoteIssued',
      customer,
      {
        debitNoteId: randomUUID(),
        debitNoteNumber: 'DN-2026-0001',
        invoiceId: invoice,
        customerId: customer,
        kind: 'late-interest',
        amount: EUR('4685'),
        issueDate: '2026-03-25',
        dueDate: '2026-04-15',
        reason: 'late payment interest',
        lateInterest: { accruedFrom: '2026-03-02', accruedThrough: '2026-03-20', exactMinor: '4684.9315' },
      },
      '2026-03-25',
    );
    await waitFor(
      async () => {
        const items = ((await call('GET', `/v1/customers/${customer}/open-items`)).body.items as Json[] | undefined) ?? [];
        return items.length === 1 && items[0]?.dueDate === '2026-04-15';
      },
      { description: 'the debit note as the open item', timeoutMs: 60_000 },
    );
    // An open invoice with a fee due on the same day as itself: both items dunned, each step recorded for each.
    const feeCustomer = randomUUID();
    const feeInvoice = randomUUID();
    const feeEmail = `ap-${randomUUID().slice(0, 8)}@fee.example`;
    await world.customer(feeCustomer, 'C', feeEmail);
    await world.invoice(feeCustomer, feeInvoice, 'INV-DN-2', '500000', '2026-04-15');
    await world.invoicing(
      'DebitNoteIssued',
      feeCustomer,
      {
        debitNoteId: randomUUID(),
        debitNoteNumber: 'DN-2026-0002',
        invoiceId: feeInvoice,
        customerId: feeCustomer,
        kind: 'fixed-compensation',
        amount: EUR('4000'),
        issueDate: '2026-04-01',
        dueDate: '2026-04-15',
        reason: 'recovery costs',
        lateInterest: null,
      },
      '2026-04-01',
    );
    await waitFor(
      async () => (((await call('GET', `/v1/customers/${feeCustomer}/open-items`)).body.items as Json[] | undefined) ?? []).length === 2,
      { description: 'the invoice and its fee as open items', timeoutMs: 60_000 },
    );
    await world.closeDays('2026-04-09', '2026-04-16');
    await waitFor(
      async () => {
        const r = await call('GET', `/v1/dunning/steps?customerId=${customer}&limit=100`);
        return (r.body.steps as Json[]).length >= 2 && smtp.received.filter((m) => m.to.includes(email)).length >= 2;
      },
      { description: 'the debit note reminders', timeoutMs: 120_000 },
    );
    // Both reminders once, and nothing of the invoice itself (paid): the steps are the debit note's.
    await world.closeDays('2026-04-17', '2026-04-17');
    await waitFor(async () => String((await call('GET', '/v1/worklist/tasks?limit=1')).body.on) > '2026-04-17', {
      description: 'collections to have closed 2026-04-17',
      timeoutMs: 60_000,
    });
    const steps = (await call('GET', `/v1/dunning/steps?customerId=${customer}&limit=100`)).body.steps as Json[];
    expect(steps.map((s) => `${String(s.businessDate)} ${String(s.stepId)} ${String(s.dueDate)}`).sort()).toEqual([
      '2026-04-10 pre-due-reminder 2026-04-15',
      '2026-04-16 friendly-reminder 2026-04-15',
    ]);
    expect(steps.every((s) => s.debitNoteNumber === 'DN-2026-0002' || s.debitNoteNumber === 'DN-2026-0001')).toBe(true);
    const feeSteps = (await call('GET', `/v1/dunning/steps?customerId=${feeCustomer}&limit=100`)).body.steps as Json[];
    expect(feeSteps.map((s) => `${String(s.stepId)} ${String(s.debitNoteNumber ?? s.invoiceNumber)}`).sort()).toEqual([
      'friendly-reminder DN-2026-0002',
      'friendly-reminder INV-DN-2',
      'pre-due-reminder DN-2026-0002',
      'pre-due-reminder INV-DN-2',
    ]);
    expect(smtp.received.filter((m) => m.to.includes(feeEmail))).toHaveLength(4);
    const mails = smtp.received.filter((m) => m.to.includes(email));
    expect(mails).toHaveLength(2);
    for (const mail of mails) {
      expect(mail.subject).toContain('INV-DN-1 (debit note DN-2026-0001)');
      expect(mail.text).toContain('EUR 46.85');
      expect(mail.text).not.toContain('EUR 10,000.00');
    }
  });
});
