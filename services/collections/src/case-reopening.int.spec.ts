import { randomUUID } from 'node:crypto';
import { ensureTopics } from '@arc/messaging';
import { startServiceUnderTest, type ServiceUnderTest } from '@arc/platform/testing';
import { createTestDatabase, testKafka, waitFor, type TestDatabase } from '@arc/testing';
import { AppModule } from './app.module';
import type { CollectionsConfig } from './config';
import { testCollectionsConfig } from './testing/test-config';
import { World } from './testing/world';

type Json = Record<string, unknown>;
const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

/**
 * A case closed as written off stays closed for the written-off amount: later aging figures that still show it
 * overdue open nothing; only new overdue money (another invoice, an amount collectable again) opens a case.
 * Real Kafka and PostgreSQL; projections' aging and invoicing's events on the test's topics.
 */
describe('a case closed as written off is not reopened by the same overdue money (real Kafka, PostgreSQL)', () => {
  jest.setTimeout(180_000);
  let db: TestDatabase;
  let service: ServiceUnderTest;
  let config: CollectionsConfig;
  const kafka = testKafka('collections-reopening-test');
  const producer = kafka.producer();
  let world: World;
  const cases = async (customerId: string) => {
    const r = await service.call('GET', `/v1/cases/${customerId}`, { roles: ['collections'] });
    return r.status === 200 ? (r.body.cases as Json[]) : [];
  };
  const waitForCases = (customerId: string, predicate: (cs: Json[]) => boolean, description: string) =>
    waitFor(async () => predicate(await cases(customerId)), { description, timeoutMs: 60_000 });
  /** Aging events are consumed in order (one partition): once a marker's case opens, every earlier figure was reviewed. */
  const agingSettled = async () => {
    const marker = randomUUID();
    await world.aging(marker, '100', '2026-04-30', 1);
    await waitForCases(marker, (cs) => cs.length === 1, 'the marker case');
  };
  const writeOff = (customerId: string, invoiceId: string, amountMinor: string, on: string) =>
    world.invoicing(
      'InvoiceWrittenOff',
      customerId,
      {
        writeOffId: randomUUID(),
        invoiceId,
        customerId,
        amount: EUR(amountMinor),
        writtenOffOn: on,
        requestedBy: 'c1',
        approvedBy: 'f1',
        signedOffBy: 'l1',
        reason: 'uncollectable',
      },
      on,
    );

  beforeAll(async () => {
    db = await createTestDatabase('collections_reopening');
    config = testCollectionsConfig(db.url);
    await ensureTopics(
      kafka,
      Object.values(config.topics).map((topic) => ({ topic, partitions: 1 })),
    );
    await producer.connect();
    world = new World(producer, config);
    service = await startServiceUnderTest(AppModule.forRoot(config, { logSink: () => undefined }));
  });

  afterAll(async () => {
    await producer.disconnect();
    await service?.close();
    await db?.drop();
  });

  it('later aging figures showing the written-off amount open nothing; another invoice falling overdue opens a new case', async () => {
    const customer = randomUUID();
    const invoice = randomUUID();
    await world.invoice(customer, invoice, 'INV-WO-1', '1000000', '2026-03-01');
    await world.aging(customer, '1000000', '2026-03-05', 4);
    await waitForCases(customer, (cs) => cs[0]?.status === 'open', 'the case opened');
    await writeOff(customer, invoice, '1000000', '2026-03-10');
    await waitForCases(customer, (cs) => cs[0]?.status === 'closed', 'the case closed as written off');

    // The aging still counts the written-off invoice, older by the day.
    await world.aging(customer, '1000000', '2026-03-20', 19);
    await world.aging(customer, '1000000', '2026-03-31', 30);
    await agingSettled();
    expect(await cases(customer)).toEqual([expect.objectContaining({ status: 'closed', closeReason: 'written-off' })]);

    // Another invoice falls overdue: money beyond the written-off amount.
    await world.invoice(customer, randomUUID(), 'INV-WO-2', '200000', '2026-04-01');
    await world.aging(customer, '1200000', '2026-04-05', 35);
    await waitForCases(customer, (cs) => cs.length === 2, 'a new case');
    const [current, first] = await cases(customer);
    expect(current).toMatchObject({ status: 'open', openedOn: '2026-04-05', openingOverdue: EUR('1200000') });
    expect(first).toMatchObject({ status: 'closed', closeReason: 'written-off', closedOn: '2026-03-10' });
  });

  it('an amount collectable again (a rejected dispute) after the write-off closed the case opens it again at once', async () => {
    const customer = randomUUID();
    const written = randomUUID();
    const disputed = randomUUID();
    const disputeId = randomUUID();
    await world.invoice(customer, written, 'INV-WO-3', '1000000', '2026-03-01');
    await world.invoice(customer, disputed, 'INV-WO-4', '500000', '2026-03-01');
    await world.invoicing(
      'DisputeRaised',
      customer,
      {
        disputeId,
        invoiceId: disputed,
        customerId: customer,
        amount: EUR('500000'),
        wholeInvoice: true,
        dueSequence: null,
        reasonCode: 'quality',
        note: 'pumps leak',
        evidenceRefs: [],
        raisedOn: '2026-03-02',
        raisedByRole: 'sales',
      },
      '2026-03-02',
    );
    await world.aging(customer, '1500000', '2026-03-05', 4);
    await waitForCases(customer, (cs) => cs[0]?.status === 'open', 'the case opened');
    // The disputed invoice is not dunned: writing off the other leaves nothing overdue to collect.
    await writeOff(customer, written, '1000000', '2026-03-10');
    await waitForCases(customer, (cs) => cs[0]?.status === 'closed', 'the case closed as written off');
    await world.aging(customer, '1500000', '2026-03-20', 19);
    await agingSettled();
    expect(await cases(customer)).toHaveLength(1);

    await world.invoicing(
      'DisputeResolved',
      customer,
      {
        disputeId,
        invoiceId: disputed,
        customerId: customer,
        outcome: 'rejected',
        disputedAmount: EUR('500000'),
        acceptedAmount: EUR('0'),
        collectableAgain: EUR('500000'),
        creditNoteId: null,
        resolvedOn: '2026-03-25',
        note: 'the pumps were fine',
        durationDays: 23,
        reasonCode: 'quality',
      },
      '2026-03-25',
    );
    await waitForCases(customer, (cs) => cs.length === 2, 'the case opened again');
    expect((await cases(customer))[0]).toMatchObject({ status: 'open', openedOn: '2026-03-25', openingOverdue: EUR('1500000') });
  });
});
