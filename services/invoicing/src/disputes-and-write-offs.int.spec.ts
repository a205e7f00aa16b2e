import { randomUUID } from 'node:crypto';
import type { Role } from '@arc/auth';
import type { EventEnvelope } from '@arc/contracts';
import { useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { INVOICING, type InvoicingConfig } from './config';
import { EUR, receivablesFixtures, type Json } from './testing/receivables-fixtures';

/* Cancellation, disputes, write-off and the routes' refusals, over HTTP on the real servers (no calendar: no date rule). */
describe('cancelling, disputing and writing off an invoice (real servers)', () => {
  const suite = useServiceUnderTest<InvoicingConfig>({
    definition: INVOICING,
    module: (config, options) => AppModule.forRoot(config, options),
  });
  const { call, eventCount, config, kafka } = suite;
  const { agreeContract, issueInvoice, invoice, allocate, produce } = receivablesFixtures(suite);

  const customerId = randomUUID();
  let contractId = '';
  const newInvoice = async (totalMinor = '100000') => {
    if (contractId === '') contractId = await agreeContract(customerId);
    return (await issueInvoice(customerId, contractId, totalMinor, '2026-03-02')).invoiceId as string;
  };
  const post = (path: string, body: Json, roles: Role[], sub = 'alice') => call('POST', path, { body, roles, sub });
  const expectProblem = (response: { status: number; headers: Headers; body: Json }, status: number, code?: string) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    if (code !== undefined) expect(response.body).toMatchObject({ status, code });
  };

  describe('cancellation', () => {
    it('a cancelled invoice leaves open AR: its open balance is zero and InvoiceCancelled carries its total', async () => {
      const invoiceId = await newInvoice();
      const cancelled = await post(`/v1/invoices/${invoiceId}/cancel`, { reason: 'order withdrawn', cancelledOn: '2026-03-03' }, [
        'finance',
      ]);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({
        status: 'cancelled',
        openBalance: EUR('0'),
        cancellation: { cancelledOn: '2026-03-03', reason: 'order withdrawn' },
      });
      const credited = await post(
        `/v1/invoices/${invoiceId}/credit-notes`,
        { number: 'CN-X', amount: EUR('1'), reason: 'x', issueDate: '2026-03-04' },
        ['finance'],
      );
      expect(credited.status).toBe(409);
    });

    it('cancelling a partly paid invoice is 409 problem+json and appends nothing', async () => {
      const invoiceId = await newInvoice();
      await allocate(customerId, invoiceId, '100', '2026-03-03');
      const before = await eventCount();
      const refused = await post(`/v1/invoices/${invoiceId}/cancel`, { reason: 'order withdrawn', cancelledOn: '2026-03-03' }, ['finance']);
      expectProblem(refused, 409, 'INVOICE_NOT_CANCELLABLE');
      expect(String(refused.body.detail)).toContain('cash is allocated to it');
      expect(await eventCount()).toBe(before);
    });
  });

  describe('a dispute on 40 % of an invoice', () => {
    const raise = (invoiceId: string, roles: Role[] = ['sales']) =>
      post(
        `/v1/invoices/${invoiceId}/disputes`,
        { amount: EUR('40000'), reasonCode: 'quality', note: '4 of 10 pumps leak', evidenceRefs: ['mail:claim-7'], raisedOn: '2026-03-10' },
        roles,
      );

    it('is shown disputed by the ledger and excluded from what is collectable (collections reads DisputeRaised)', async () => {
      const invoiceId = await newInvoice();
      const raised = await raise(invoiceId);
      expect(raised.status).toBe(201);
      expect(raised.body).toMatchObject({ status: 'disputed', disputed: EUR('40000'), openBalance: EUR('100000') });
      expect(raised.body.disputes).toEqual([
        expect.objectContaining({ amount: EUR('40000'), reasonCode: 'quality', status: 'open', raisedOn: '2026-03-10' }),
      ]);
      // Only 60 % is left to dispute.
      const tooMuch = await post(
        `/v1/invoices/${invoiceId}/disputes`,
        { amount: EUR('60001'), reasonCode: 'pricing', note: 'x', raisedOn: '2026-03-10' },
        ['collections'],
      );
      expectProblem(tooMuch, 409, 'AMOUNT_EXCEEDS_OPEN_BALANCE');
    });

    it('accepting it issues the credit note for the accepted amount in the same command', async () => {
      const invoiceId = await newInvoice();
      const disputeId = ((await raise(invoiceId)).body.disputes as Json[])[0]?.disputeId;
      const accepted = await post(
        `/v1/invoices/${invoiceId}/disputes/${String(disputeId)}/resolve`,
        { outcome: 'accepted', resolvedOn: '2026-03-20', note: 'inspection confirmed the leaks' },
        ['finance'],
      );
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ credited: EUR('40000'), openBalance: EUR('60000'), disputed: EUR('0'), status: 'open' });
      expect(accepted.body.creditNotes).toEqual([expect.objectContaining({ amount: EUR('40000'), issueDate: '2026-03-20' })]);
      expect(accepted.body.disputes).toEqual([expect.objectContaining({ status: 'accepted', acceptedAmount: EUR('40000') })]);
    });

    it('rejecting it restores the collectable amount', async () => {
      const invoiceId = await newInvoice();
      const disputeId = ((await raise(invoiceId, ['collections'])).body.disputes as Json[])[0]?.disputeId;
      const rejected = await post(
        `/v1/invoices/${invoiceId}/disputes/${String(disputeId)}/resolve`,
        { outcome: 'rejected', resolvedOn: '2026-03-15', note: 'the pumps passed inspection' },
        ['finance'],
      );
      expect(rejected.body).toMatchObject({ disputed: EUR('0'), openBalance: EUR('100000'), credited: EUR('0'), status: 'open' });
      const twice = await post(
        `/v1/invoices/${invoiceId}/disputes/${String(disputeId)}/resolve`,
        { outcome: 'accepted', resolvedOn: '2026-03-16', note: 'changed our mind' },
        ['finance'],
      );
      expectProblem(twice, 409, 'DISPUTE_ALREADY_RESOLVED');
    });

    it('a short payment with a reason (payments) opens a dispute for the shortfall without a manual step', async () => {
      const invoiceId = await newInvoice();
      const paymentId = randomUUID();
      await produce(config.topics.payments, 'ShortPaymentRecorded', customerId, {
        paymentId,
        customerId,
        invoiceId,
        shortfall: EUR('25000'),
        reasonCode: 'damaged-goods',
        reason: '2 pumps damaged in transit',
        source: 'remittance',
        recordedOn: '2026-03-12',
      });
      await waitFor(async () => ((await invoice(invoiceId)).disputes as unknown[]).length === 1, {
        description: 'the short-payment dispute',
      });
      expect((await invoice(invoiceId)).disputes).toEqual([
        expect.objectContaining({ amount: EUR('25000'), reasonCode: 'quality', note: '2 pumps damaged in transit', status: 'open' }),
      ]);
    });
  });

  it('reports disputes by reason code: open, accepted and rejected counts, amounts and mean days to resolve', async () => {
    const report = await call('GET', '/v1/disputes/by-reason', { roles: ['collections'] });
    expect(report.status).toBe(200);
    // quality: 40 % left open, 40 % accepted after 10 days, 40 % rejected after 5, the short payment's 250.00 open.
    expect(report.body.reasons).toEqual([
      {
        reasonCode: 'quality',
        currency: 'EUR',
        open: 2,
        accepted: 1,
        rejected: 1,
        disputedMinor: '145000',
        acceptedMinor: '40000',
        averageDaysToResolve: 7.5,
      },
    ]);
  });

  describe('write-off', () => {
    const request = (invoiceId: string, roles: Role[] = ['collections'], sub = 'carl') =>
      post(`/v1/invoices/${invoiceId}/write-offs`, { reason: 'customer insolvent', requestedOn: '2026-06-01' }, roles, sub);
    const step = (invoiceId: string, writeOffId: unknown, action: string, roles: Role[], sub: string) =>
      post(`/v1/invoices/${invoiceId}/write-offs/${String(writeOffId)}/${action}`, { on: '2026-06-02' }, roles, sub);

    it('needs finance then legal: sign-off before approval is 409, legal cannot approve, sales cannot request', async () => {
      const invoiceId = await newInvoice();
      expectProblem(await request(invoiceId, ['sales'], 'sam'), 403);
      const writeOffId = ((await request(invoiceId)).body.writeOffs as Json[])[0]?.writeOffId;
      expectProblem(await step(invoiceId, writeOffId, 'sign-off', ['legal'], 'lena'), 409, 'WRITE_OFF_WRONG_STEP');
      expectProblem(await step(invoiceId, writeOffId, 'approve', ['legal'], 'lena'), 403);
      expect((await step(invoiceId, writeOffId, 'approve', ['finance'], 'fay')).body.writeOffs).toEqual([
        expect.objectContaining({ status: 'approved', approvedBy: 'fay', requestedBy: 'carl' }),
      ]);
    });

    it('one person holding both roles cannot do both steps: 409 WRITE_OFF_SAME_SUBJECT, nothing appended', async () => {
      const invoiceId = await newInvoice();
      const writeOffId = ((await request(invoiceId)).body.writeOffs as Json[])[0]?.writeOffId;
      expect((await step(invoiceId, writeOffId, 'approve', ['finance', 'legal'], 'max')).status).toBe(200);
      const before = await eventCount();
      expectProblem(await step(invoiceId, writeOffId, 'sign-off', ['finance', 'legal'], 'max'), 409, 'WRITE_OFF_SAME_SUBJECT');
      expect(await eventCount()).toBe(before);
    });

    it('the written-off amount leaves open AR (InvoiceWrittenOff); a payment after it is recorded as a recovery', async () => {
      const invoiceId = await newInvoice();
      await allocate(customerId, invoiceId, '20000', '2026-05-01');
      const writeOffId = ((await request(invoiceId)).body.writeOffs as Json[])[0]?.writeOffId;
      await step(invoiceId, writeOffId, 'approve', ['finance'], 'fay');
      const signed = await step(invoiceId, writeOffId, 'sign-off', ['legal'], 'lena');
      expect(signed.status).toBe(200);
      expect(signed.body).toMatchObject({ openBalance: EUR('0'), writtenOff: EUR('80000'), status: 'written-off' });
      await allocate(customerId, invoiceId, '5000', '2026-09-01');
      expect(await invoice(invoiceId)).toMatchObject({ openBalance: EUR('0'), writtenOff: EUR('75000'), recovered: EUR('5000') });
    });
  });

  it('publishes the cancellation, disputes, resolutions and write-offs on arc.invoicing.events', async () => {
    const consumer = kafka.consumer({ groupId: `invoicing-reader-${randomUUID()}` });
    const seen = new Set<string>();
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: config.topics.invoicing, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          seen.add((JSON.parse(message.value?.toString() ?? '{}') as EventEnvelope).eventType);
        },
      });
      const expected = [
        'InvoiceCancelled',
        'DisputeRaised',
        'DisputeResolved',
        'CreditNoteIssued',
        'WriteOffRequested',
        'WriteOffApproved',
        'InvoiceWrittenOff',
        'WriteOffRecovered',
      ];
      await waitFor(() => expected.every((type) => seen.has(type)), { description: `${expected.join(', ')} on the topic` });
    } finally {
      await consumer.disconnect();
    }
  });

  it('every new route answers 400 problem+json to an invalid body, and appends nothing', async () => {
    const invoiceId = await newInvoice();
    const id = randomUUID();
    const statement = randomUUID();
    const before = await eventCount();
    const invalid: Array<[string, Json]> = [
      ['/v1/contracts', { customerId: 'not-a-uuid' }],
      ['/v1/reference-rates', { effectiveFrom: '2026-02-30', basisPoints: 1.5 }],
      [`/v1/invoices/${invoiceId}/cancel`, { reason: '' }],
      [`/v1/invoices/${invoiceId}/debit-notes`, { number: 'DN', kind: 'late-interest', amount: EUR('1.5') }],
      [`/v1/invoices/${invoiceId}/disputes`, { reasonCode: 'mood', note: 'x', raisedOn: '2026-03-10' }],
      [`/v1/invoices/${invoiceId}/disputes/${id}/resolve`, { outcome: 'maybe', resolvedOn: '2026-03-10', note: 'x' }],
      [`/v1/invoices/${invoiceId}/write-offs`, { reason: 'x', requestedOn: 'tomorrow' }],
      [`/v1/invoices/${invoiceId}/write-offs/${id}/approve`, { on: 20260602 }],
      [`/v1/invoices/${invoiceId}/write-offs/${id}/sign-off`, {}],
      [`/v1/invoices/${invoiceId}/write-offs/${id}/reject`, { on: '2026-06-02', reason: 'x', extra: true }],
      ['/v1/statements', { customerId, periodFrom: '2026-01-01' }],
      [`/v1/statements/${statement}/confirm`, { confirmedOn: '2026-01-01' }],
      [`/v1/statements/${statement}/objection`, { objectedOn: '2026-01-01', objectedBy: 'x', note: 'x', items: [] }],
    ];
    for (const [path, body] of invalid) {
      const response = await post(path, body, ['admin']);
      expect([path, response.status, response.headers.get('content-type')?.split(';')[0]]).toEqual([path, 400, 'application/problem+json']);
    }
    expect(await eventCount()).toBe(before);
  });
});
