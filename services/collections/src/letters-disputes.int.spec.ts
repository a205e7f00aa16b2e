import { randomUUID } from 'node:crypto';
import { mintDevelopmentToken, type Role } from '@arc/auth';
import type { EventEnvelope } from '@arc/contracts';
import { pdfToText } from '@arc/documents/testing';
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
 * PDF letters, invoicing's disputes, cancellations, write-offs and instalments, and how collection ends (a
 * completed plan, a write-off, a written-off legal case), on real Kafka, PostgreSQL and SMTP: other contexts'
 * events on the test's topics, the days closed on its calendar topic, the class C default strategy.
 */
describe('dunning letters (PDF), disputes, instalments and the end of collection (real Kafka, PostgreSQL, SMTP)', () => {
  jest.setTimeout(240_000);
  let db: TestDatabase;
  let smtp: SmtpSink;
  let service: ServiceUnderTest;
  let config: CollectionsConfig;
  const kafka = testKafka('collections-letters-test');
  const producer = kafka.producer();
  let world: World;
  const call = (method: string, path: string, body?: unknown, roles: Role[] | null = ['collections']) =>
    service.call(method, path, { roles, ...(body === undefined ? {} : { body }) });

  const customer = (tag: string) => ({
    id: randomUUID(),
    invoice: randomUUID(),
    number: `INV-${tag}-${randomUUID().slice(0, 4)}`,
    email: `ap-${randomUUID().slice(0, 8)}@${tag}.example`,
  });
  const LTR = customer('letter'); // the demand letter as PDF
  const DSP = customer('dispute'); // disputed whole, rejected on 2026-04-01
  const PRT = customer('partial'); // 4,000.00 of 10,000.00 disputed
  const INS = customer('instalments'); // 5,000.00 due 2026-03-01 and 5,000.00 due 2026-04-01
  const CAN = customer('cancelled'); // cancelled before its due date
  const WO = customer('writeoff'); // written off by invoicing
  const PLN = customer('plan'); // a repayment plan paid in full
  const LGW = customer('legal'); // a legal case closed as written off
  const KPI = customer('kpi'); // class B, alone with its collector: 4,000.00 of 10,000.00 paid in March
  const DSC = customer('discount'); // 9,800.00 paid inside a 2 % discount window, the 200.00 discount taken

  const mailsTo = (email: string) => smtp.received.filter((m) => m.to.includes(email));
  const stepIds = async (customerId: string): Promise<string[]> => {
    const r = await call('GET', `/v1/dunning/steps?customerId=${customerId}&limit=100`);
    expect(r.status).toBe(200);
    return (r.body.steps as Json[])
      .map((s) => `${String(s.businessDate)} ${String(s.stepId)}${s.dueSequence === null ? '' : ` #${String(s.dueSequence)}`}`)
      .sort();
  };
  const lastClosedDayIs = async (date: string) =>
    waitFor(
      async () => {
        const r = await call('GET', '/v1/worklist/tasks?limit=1');
        return r.status === 200 && String(r.body.on) > date;
      },
      { description: `collections to have closed ${date}`, timeoutMs: 120_000 },
    );
  const outboxSettled = () =>
    waitFor(
      async () => {
        const pending = await call('GET', '/v1/outbox?status=pending&limit=1');
        const sending = await call('GET', '/v1/outbox?status=sending&limit=1');
        return (pending.body.deliveries as Json[]).length === 0 && (sending.body.deliveries as Json[]).length === 0;
      },
      { description: 'the outbox to be sent', timeoutMs: 60_000 },
    );
  const openItems = async (customerId: string) =>
    ((await call('GET', `/v1/customers/${customerId}/open-items`)).body.items as Json[] | undefined) ?? [];
  const waitForOpenItems = async (customerId: string, expected: string[]) =>
    waitFor(
      async () =>
        JSON.stringify((await openItems(customerId)).map((i) => `${String(i.dueDate)} ${String((i.open as Json).amountMinor)}`)) ===
        JSON.stringify(expected),
      { description: `${customerId}'s open items to be ${expected.join(', ')}`, timeoutMs: 60_000 },
    );
  const currentCase = async (customerId: string) => (await call('GET', `/v1/cases/${customerId}`)).body.current as Json | undefined;
  const readCollectionsTopic = async (predicate: (e: EventEnvelope) => boolean, count: number): Promise<EventEnvelope[]> => {
    const consumer = kafka.consumer({ groupId: `collections-letters-reader-${randomUUID()}` });
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
  const dispute = (c: typeof DSP, amountMinor: string, disputeId: string) =>
    world.invoicing(
      'DisputeRaised',
      c.id,
      {
        disputeId,
        invoiceId: c.invoice,
        customerId: c.id,
        amount: EUR(amountMinor),
        wholeInvoice: amountMinor === '1000000',
        dueSequence: null,
        reasonCode: 'quality',
        note: 'pumps leak',
        evidenceRefs: [],
        raisedOn: '2026-02-20',
        raisedByRole: 'sales',
      },
      '2026-02-20',
    );
  const dspDispute = randomUUID();
  let lgwWriteOffId = '';

  beforeAll(async () => {
    db = await createTestDatabase('collections_letters');
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
    const rules = { rules: [{ collector: 'kpi-kim', creditClass: 'B' }], roundRobin: ['kim'] };
    expect((await call('PUT', '/v1/worklist/assignment-rules', rules)).status).toBe(200);
    await world.customer(KPI.id, 'B', KPI.email);
    await world.invoice(KPI.id, KPI.invoice, KPI.number, '1000000', '2026-03-01');
    await world.payment(KPI.id, KPI.invoice, '400000', '2026-03-20');

    for (const c of [LTR, DSP, PRT, CAN, WO, PLN, LGW]) {
      await world.customer(c.id, 'C', c.email, `Customer ${c.number}`);
      await world.invoice(c.id, c.invoice, c.number, '1000000', '2026-03-01');
    }
    await world.customer(DSC.id, 'C', DSC.email);
    await world.invoice(DSC.id, DSC.invoice, DSC.number, '1000000', '2026-03-01');
    await world.payment(DSC.id, DSC.invoice, '980000', '2026-02-10');
    const discountPayment = randomUUID();
    await world.payments(
      'PaymentDiscountTaken',
      DSC.id,
      {
        paymentId: discountPayment,
        customerId: DSC.id,
        invoiceId: DSC.invoice,
        discount: EUR('20000'),
        basisPoints: 200,
        payBy: '2026-02-10',
        takenOn: '2026-02-10',
      },
      '2026-02-10',
    );
    await world.customer(INS.id, 'C', INS.email);
    await world.invoice(INS.id, INS.invoice, INS.number, '1000000', '2026-04-01', [
      { dueDate: '2026-03-01', amountMinor: '500000' },
      { dueDate: '2026-04-01', amountMinor: '500000' },
    ]);
    await dispute(DSP, '1000000', dspDispute);
    await dispute(PRT, '400000', randomUUID());
    await world.invoicing(
      'InvoiceCancelled',
      CAN.id,
      { invoiceId: CAN.invoice, customerId: CAN.id, amount: EUR('1000000'), cancelledOn: '2026-02-19', reason: 'ordered twice' },
      '2026-02-19',
    );
    // Projections' aging opens the cases of WO and PLN (nothing else here publishes aging figures).
    await world.aging(WO.id, '1000000', '2026-03-05', 4);
    await world.aging(PLN.id, '1000000', '2026-03-05', 4);
    await waitForOpenItems(INS.id, ['2026-03-01 500000', '2026-04-01 500000']);
    await waitForOpenItems(PRT.id, ['2026-03-01 600000']);
    await waitForOpenItems(DSP.id, []);
    await waitForOpenItems(CAN.id, []);
    await waitForOpenItems(DSC.id, []);
    await world.closeDays('2026-02-19', '2026-02-19');
    await lastClosedDayIs('2026-02-19');
  });

  afterAll(async () => {
    await producer.disconnect();
    await service?.close();
    await smtp?.close();
    await db?.drop();
  });

  describe('on the open day 2026-02-20', () => {
    it('a repayment plan paid in full, and a legal case closed as written off: one WriteOffRecommended per invoice for invoicing', async () => {
      const plan = {
        instalments: [
          { dueOn: '2026-03-10', amount: EUR('500000') },
          { dueOn: '2026-03-20', amount: EUR('500000') },
        ],
      };
      expect((await call('POST', `/v1/customers/${PLN.id}/repayment-plans`, plan)).status).toBe(201);
      await world.payment(PLN.id, PLN.invoice, '500000', '2026-03-08');
      await world.payment(PLN.id, PLN.invoice, '500000', '2026-03-18');
      await waitForOpenItems(PLN.id, []);

      expect((await call('POST', `/v1/customers/${LGW.id}/legal/hand-over`, { reason: 'insolvency' })).status).toBe(201);
      const outcome = { outcome: 'written-off', recovered: EUR('0'), note: 'no assets' };
      expect((await call('POST', `/v1/customers/${LGW.id}/legal/outcome`, outcome)).status).toBe(403);
      expect((await call('POST', `/v1/customers/${LGW.id}/legal/outcome`, outcome, ['legal'])).status).toBe(201);
      const [recommended] = await readCollectionsTopic((e) => e.eventType === 'WriteOffRecommended' && e.customerId === LGW.id, 1);
      expect(recommended?.data).toMatchObject({
        invoiceId: LGW.invoice,
        invoiceNumber: LGW.number,
        amount: EUR('1000000'),
        recommendedOn: '2026-02-20',
        recommendedBy: 'alice',
        reason: 'legal case closed as written off: no assets',
      });
      lgwWriteOffId = String((recommended?.data as Json).writeOffId);
    });
  });

  describe('the timeline to 2026-03-31', () => {
    beforeAll(async () => {
      await world.closeDays('2026-02-20', '2026-03-31');
      await lastClosedDayIs('2026-03-31');
      await outboxSettled();
    });

    it('the demand letter is a PDF attached to its e-mail and readable over the API, saying what is open', async () => {
      expect(await stepIds(LTR.id)).toEqual([
        '2026-02-24 pre-due-reminder',
        '2026-03-02 friendly-reminder',
        '2026-03-16 call',
        '2026-03-31 demand-letter',
      ]);
      const mails = mailsTo(LTR.email);
      expect(mails).toHaveLength(3);
      // Only the demand letter's step has a letter; the reminders carry none.
      const withLetter = mails.filter((m) => m.attachments.length > 0);
      expect(withLetter.map((m) => m.subject)).toEqual([`Formal demand for payment: invoice ${LTR.number}`]);
      const [attachment] = withLetter[0]?.attachments ?? [];
      expect(attachment).toMatchObject({ filename: `demand-letter-${LTR.number}-2026-03-31.pdf`, contentType: 'application/pdf' });
      const attached = await pdfToText(attachment?.content ?? Buffer.alloc(0));
      expect(attached).toContain(`Formal demand for payment: invoice ${LTR.number}`);
      expect(attached).toContain(`Customer ${LTR.number}`);
      expect(attached).toContain('Date: 2026-03-31');
      expect(attached).toMatch(new RegExp(`${LTR.number}\\s+2026-03-01\\s+EUR 10,000\\.00`));
      expect(attached).toMatch(/Total open\s+EUR 10,000\.00/);

      const list = await call('GET', `/v1/customers/${LTR.id}/letters`, undefined, ['legal']);
      expect(list.status).toBe(200);
      const letters = list.body.letters as Json[];
      expect(letters).toEqual([expect.objectContaining({ invoiceId: LTR.invoice, stepId: 'demand-letter', businessDate: '2026-03-31' })]);
      const response = await fetch(`${service.baseUrl}/v1/letters/${String(letters[0]?.letterId)}`, {
        headers: { authorization: `Bearer ${mintDevelopmentToken({ sub: 'c1', roles: ['collections'] })}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/pdf');
      expect(await pdfToText(Buffer.from(await response.arrayBuffer()))).toBe(attached);
      // The letter is also a task on the worklist (to print and post).
      const tasks = (await call('GET', '/v1/worklist/tasks?on=2026-03-31&limit=1000')).body.tasks as Json[];
      expect(tasks.filter((t) => t.customerId === LTR.id).map((t) => t.kind)).toEqual(['call', 'letter']);
    });

    it('the letter routes answer 401 without a token, 403 outside their roles, 400 to a bad id or limit, 404 to an unknown letter', async () => {
      const letterPath = `/v1/letters/${randomUUID()}`;
      expect((await call('GET', `/v1/customers/${LTR.id}/letters`, undefined, null)).status).toBe(401);
      expect((await call('GET', letterPath, undefined, null)).status).toBe(401);
      expect((await call('GET', `/v1/customers/${LTR.id}/letters`, undefined, ['risk'])).status).toBe(403);
      expect((await call('GET', letterPath, undefined, ['sales'])).status).toBe(403);
      const bad = await call('GET', '/v1/letters/not-a-uuid');
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
      expect((await call('GET', `/v1/customers/${LTR.id}/letters?limit=0`)).status).toBe(400);
      expect((await call('GET', '/v1/customers/nope/letters')).status).toBe(400);
      expect((await call('GET', letterPath)).status).toBe(404);
    });

    it('a disputed invoice is not dunned while the dispute is open; a partly disputed one is dunned for the rest only', async () => {
      expect(await stepIds(DSP.id)).toEqual([]);
      expect(mailsTo(DSP.email)).toEqual([]);
      const [friendly] = mailsTo(PRT.email).filter((m) => m.subject.startsWith('Payment reminder'));
      expect(friendly?.text).toContain('EUR 6,000.00');
      expect(friendly?.text).not.toContain('EUR 10,000.00');
      const worklist = (await call('GET', '/v1/worklist?on=2026-04-01&limit=1000')).body.cases as Json[];
      const ids = worklist.map((c) => c.customerId);
      expect(ids).not.toContain(DSP.id);
      expect(worklist.find((c) => c.customerId === PRT.id)).toMatchObject({ overdue: EUR('600000') });
      expect(typeof worklist[0]?.priority).toBe('string');
      const prt = (await call('GET', `/v1/customers/${PRT.id}/open-items`)).body;
      expect(prt.disputes).toEqual([expect.objectContaining({ invoiceId: PRT.invoice, amount: EUR('400000'), dueSequence: null })]);
    });

    it('an early-payment discount the payer took is not dunned', async () => {
      expect(await stepIds(DSC.id)).toEqual([]);
      expect(mailsTo(DSC.email)).toEqual([]);
    });

    it('a cancelled invoice is not dunned at all', async () => {
      expect(await stepIds(CAN.id)).toEqual([]);
      expect(mailsTo(CAN.email)).toEqual([]);
    });

    it('instalments are dunned each on its own due date', async () => {
      expect(await stepIds(INS.id)).toEqual([
        '2026-02-24 pre-due-reminder #1',
        '2026-03-02 friendly-reminder #1',
        '2026-03-16 call #1',
        '2026-03-27 pre-due-reminder #2',
        '2026-03-31 demand-letter #1',
      ]);
      const subjects = mailsTo(INS.email).map((m) => m.subject);
      expect(subjects).toContain(`Upcoming payment: invoice ${INS.number} (instalment 2) due 2026-04-01`);
    });

    it('a completed repayment plan closes the case (plan-completed)', async () => {
      await waitFor(async () => (await currentCase(PLN.id))?.status === 'closed', { description: 'PLN case closed' });
      expect(await currentCase(PLN.id)).toMatchObject({ status: 'closed', closeReason: 'plan-completed', closedOn: '2026-03-20' });
      const arrangements = (await call('GET', `/v1/customers/${PLN.id}/arrangements`)).body.arrangements as Json[];
      expect(arrangements[0]).toMatchObject({ kind: 'plan', status: 'kept' });
      expect(await stepIds(PLN.id)).toEqual([]);
    });

    it("a collector's KPIs: amount collected and CEI over the period, exact integers", async () => {
      const r = await call('GET', '/v1/worklist/kpis?from=2026-03-01&to=2026-03-31');
      expect(r.status).toBe(200);
      const kim = (r.body.collectors as Json[]).find((c) => c.collector === 'kpi-kim');
      // CEI = (beginning 10,000.00 + sales 0 − ending 6,000.00) ÷ (10,000.00 + 0 − current 0) = 40.00 %.
      expect(kim).toMatchObject({
        amountCollected: [EUR('400000')],
        cei: [{ currency: 'EUR', basisPoints: '4000', beginning: '1000000', sales: '0', ending: '600000', endingCurrent: '0' }],
      });
      const february = await call('GET', '/v1/worklist/kpis?from=2026-02-01&to=2026-02-28');
      const kimInFebruary = (february.body.collectors as Json[]).find((c) => c.collector === 'kpi-kim');
      // Nothing collected in February; all 10,000.00 was still current at its end: nothing was collectible yet.
      expect(kimInFebruary).toMatchObject({ amountCollected: [EUR('0')], cei: [expect.objectContaining({ basisPoints: null })] });
    });

    it('a customer in legal receives no reminders, nor after its case closed as written off (the write-off is with invoicing)', async () => {
      expect(await stepIds(LGW.id)).toEqual([]);
      expect(mailsTo(LGW.email)).toEqual([]);
    });
  });

  describe('from 2026-04-01', () => {
    it('a rejected dispute, or a rejected write-off, makes the amount collectable again: dunning resumes at the step due', async () => {
      await world.invoicing(
        'WriteOffRejected',
        LGW.id,
        {
          writeOffId: lgwWriteOffId,
          invoiceId: LGW.invoice,
          customerId: LGW.id,
          rejectedOn: '2026-04-01',
          rejectedBy: 'f1',
          step: 'finance-approval',
          reason: 'the guarantor can pay',
        },
        '2026-04-01',
      );
      await world.invoicing(
        'DisputeResolved',
        DSP.id,
        {
          disputeId: dspDispute,
          invoiceId: DSP.invoice,
          customerId: DSP.id,
          outcome: 'rejected',
          disputedAmount: EUR('1000000'),
          acceptedAmount: EUR('0'),
          collectableAgain: EUR('1000000'),
          creditNoteId: null,
          resolvedOn: '2026-04-01',
          note: 'the pumps were fine',
          durationDays: 40,
          reasonCode: 'quality',
        },
        '2026-04-01',
      );
      await waitForOpenItems(DSP.id, ['2026-03-01 1000000']);
      await world.closeDays('2026-04-01', '2026-04-02');
      await lastClosedDayIs('2026-04-02');
      await outboxSettled();
      expect(await stepIds(DSP.id)).toEqual(['2026-04-01 demand-letter']);
      const mails = mailsTo(DSP.email);
      expect(mails).toHaveLength(1);
      expect(mails[0]?.text).toContain('EUR 10,000.00');
      expect(mails[0]?.attachments).toHaveLength(1);
      expect(await stepIds(INS.id)).toContain('2026-04-02 friendly-reminder #2');
      expect(await stepIds(LGW.id)).toEqual(['2026-04-01 demand-letter']);
    });

    it('a write-off takes the amount out of dunning and closes the case when nothing else is overdue', async () => {
      expect((await currentCase(WO.id))?.status).toBe('open');
      await world.invoicing(
        'InvoiceWrittenOff',
        WO.id,
        {
          writeOffId: randomUUID(),
          invoiceId: WO.invoice,
          customerId: WO.id,
          amount: EUR('1000000'),
          writtenOffOn: '2026-04-03',
          requestedBy: 'c1',
          approvedBy: 'f1',
          signedOffBy: 'l1',
          reason: 'uncollectable',
        },
        '2026-04-03',
      );
      await waitForOpenItems(WO.id, []);
      await waitFor(async () => (await currentCase(WO.id))?.status === 'closed', { description: 'WO case closed' });
      expect(await currentCase(WO.id)).toMatchObject({ closeReason: 'written-off', closedOn: '2026-04-03' });
      const stepsBefore = await stepIds(WO.id);
      await world.closeDays('2026-04-03', '2026-04-20');
      await lastClosedDayIs('2026-04-20');
      expect(await stepIds(WO.id)).toEqual(stepsBefore);
    });
  });
});
