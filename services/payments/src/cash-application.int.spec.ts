import { randomUUID } from 'node:crypto';
import { useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { PAYMENTS, type PaymentsConfig } from './config';
import { EUR, paymentsFixtures } from './testing/payments-fixtures.spec';

type Json = Record<string, unknown>;
const allocationsOf = (body: Json) =>
  (body.allocations as Array<{ invoiceId: string; amount: { amountMinor: string }; matchedBy: string }>).map((a) => [
    a.invoiceId,
    a.amount.amountMinor,
    a.matchedBy,
  ]);

describe('cash application, discounts, short payments, unapplied cash and reversals (issue 12, on real servers)', () => {
  const suite = useServiceUnderTest<PaymentsConfig>({
    definition: PAYMENTS,
    database: 'payments_cash_application',
    module: (config, options) => AppModule.forRoot(config, options),
  });
  const { call, eventCount } = suite;
  const { issueInvoice, pay, register, streamEvents, account } = paymentsFixtures(suite);
  const outstandingOf = async (customerId: string) =>
    Object.fromEntries(
      ((await account(customerId)).body.invoices as Array<{ invoiceNumber: string; outstanding: { amountMinor: string } }>).map((i) => [
        i.invoiceNumber,
        i.outstanding.amountMinor,
      ]),
    );

  describe('matching', () => {
    it('a remittance "INV-…123, INV-…124" with the exact sum pays both, naming the step on each allocation', async () => {
      const customerId = randomUUID();
      const tag = customerId.slice(0, 6).toUpperCase();
      await issueInvoice(customerId, '50000', '2026-01-05', { invoiceNumber: `INV-${tag}-000122` });
      const a = await issueInvoice(customerId, '100000', '2026-02-10', { invoiceNumber: `INV-${tag}-000123` });
      const b = await issueInvoice(customerId, '70000', '2026-02-20', { invoiceNumber: `INV-${tag}-000124` });
      const response = await pay(customerId, '170000', { remittanceReferences: [`INV-${tag}-000123, INV-${tag}-000124`] });
      expect(response.status).toBe(201);
      expect(allocationsOf(response.body)).toEqual([
        [a.invoiceId, '100000', 'remittance-reference'],
        [b.invoiceId, '70000', 'remittance-reference'],
      ]);
      const [first] = response.body.allocations as Array<{ matchExplanation: string }>;
      expect(first?.matchExplanation).toContain(`INV-${tag}-000123 found in remittance`);
    });

    it('reads shorthand remittance "INV-…123/124" like a person would', async () => {
      const customerId = randomUUID();
      const tag = customerId.slice(0, 6).toUpperCase();
      const a = await issueInvoice(customerId, '100000', '2026-02-10', { invoiceNumber: `INV-${tag}-000123` });
      const b = await issueInvoice(customerId, '70000', '2026-02-20', { invoiceNumber: `INV-${tag}-000124` });
      const response = await pay(customerId, '170000', { remittanceReferences: [`payment INV-${tag}-000123/124 thank you`] });
      expect(allocationsOf(response.body)).toEqual([
        [a.invoiceId, '100000', 'remittance-reference'],
        [b.invoiceId, '70000', 'remittance-reference'],
      ]);
    });

    it('an amount equal to one open item pays that item even though it is not the oldest', async () => {
      const customerId = randomUUID();
      await issueInvoice(customerId, '50000', '2026-01-05');
      const younger = await issueInvoice(customerId, '82500', '2026-03-01');
      const response = await pay(customerId, '82500');
      expect(allocationsOf(response.body)).toEqual([[younger.invoiceId, '82500', 'exact-amount']]);
    });

    it('an ambiguous combination is left to the fallback (oldest due first)', async () => {
      const customerId = randomUUID();
      const oldest = await issueInvoice(customerId, '10000', '2026-01-05');
      const second = await issueInvoice(customerId, '40000', '2026-01-06');
      await issueInvoice(customerId, '20000', '2026-01-07');
      await issueInvoice(customerId, '30000', '2026-01-08');
      // 10,000 + 40,000 and 20,000 + 30,000 both make 50,000: ambiguous.
      const response = await pay(customerId, '50000');
      expect(allocationsOf(response.body)).toEqual([
        [oldest.invoiceId, '10000', 'oldest-due-first'],
        [second.invoiceId, '40000', 'oldest-due-first'],
      ]);
    });

    it('a customer set to leave unmatched cash unapplied keeps it on account', async () => {
      const customerId = randomUUID();
      await register(customerId);
      await issueInvoice(customerId, '50000', '2026-01-05');
      const set = await call('PUT', `/v1/customers/${customerId}/payment-settings`, {
        roles: ['finance'],
        body: { unmatchedCash: 'leave-unapplied', applyUnappliedToNewInvoices: false, discountToleranceMinor: '0' },
      });
      expect(set.status).toBe(200);
      const response = await pay(customerId, '12345');
      expect(response.body).toMatchObject({ allocations: [], unapplied: EUR('12345') });
    });
  });

  describe('early-payment discount: 2/10 net 30 on 60,000.00 issued 2026-01-01 (pay by 2026-01-11)', () => {
    const terms = { basisPoints: 200, payBy: '2026-01-11' };

    it('paid on day 9 at 98 % closes the invoice with a 2 % discount', async () => {
      const customerId = randomUUID();
      const invoice = await issueInvoice(customerId, '6000000', '2026-01-31', { discount: terms });
      const response = await pay(customerId, '5880000', { receivedOn: '2026-01-10', remittanceReferences: [invoice.invoiceNumber] });
      expect(allocationsOf(response.body)).toEqual([[invoice.invoiceId, '5880000', 'remittance-reference']]);
      expect(response.body.discounts).toEqual([{ invoiceId: invoice.invoiceId, discount: EUR('120000'), withdrawn: false }]);
      expect(await outstandingOf(customerId)).toEqual({ [invoice.invoiceNumber]: '0' });
      expect((await streamEvents(`payment-account-${customerId}`)).map((e) => e.type)).toEqual([
        'PaymentReceived',
        'PaymentAllocated',
        'PaymentDiscountTaken',
      ]);
    });

    it('paid on day 11 (after the window) at 98 % leaves 2 % open', async () => {
      const customerId = randomUUID();
      const invoice = await issueInvoice(customerId, '6000000', '2026-01-31', { discount: terms });
      const response = await pay(customerId, '5880000', { receivedOn: '2026-01-12', remittanceReferences: [invoice.invoiceNumber] });
      expect(response.body.discounts).toEqual([]);
      expect(await outstandingOf(customerId)).toEqual({ [invoice.invoiceNumber]: '120000' });
    });
  });

  describe('short payments', () => {
    it('a residual with a reason in the remittance is recorded as a short payment (invoicing opens the dispute from it)', async () => {
      const customerId = randomUUID();
      const invoice = await issueInvoice(customerId, '100000', '2026-02-10');
      const response = await pay(customerId, '90000', {
        remittanceReferences: [`${invoice.invoiceNumber} less 2 pumps damaged in transit`],
      });
      expect(response.body.shortPayments).toEqual([
        {
          invoiceId: invoice.invoiceId,
          shortfall: EUR('10000'),
          reasonCode: 'damaged-goods',
          reason: expect.stringContaining('damaged'),
          source: 'remittance',
        },
      ]);
    });

    it('finance explains a residual after the fact', async () => {
      const customerId = randomUUID();
      const invoice = await issueInvoice(customerId, '100000', '2026-02-10');
      const paid = await pay(customerId, '95000', { remittanceReferences: [invoice.invoiceNumber] });
      const response = await call('POST', `/v1/customers/${customerId}/payments/${String(paid.body.paymentId)}/short-payments`, {
        roles: ['finance'],
        body: { invoiceId: invoice.invoiceId, reasonCode: 'pricing', reason: 'old price list applied', recordedOn: '2026-01-21' },
      });
      expect(response.status).toBe(201);
      expect((await streamEvents(`payment-account-${customerId}`)).at(-1)).toMatchObject({
        type: 'ShortPaymentRecorded',
        data: { shortfall: EUR('5000'), source: 'finance', reasonCode: 'pricing' },
      });
    });
  });

  describe('reversals', () => {
    it('a bounced cheque reopens the two invoices it paid, with its reason', async () => {
      const customerId = randomUUID();
      const a = await issueInvoice(customerId, '30000', '2026-01-10');
      const b = await issueInvoice(customerId, '20000', '2026-01-11');
      const paid = await pay(customerId, '50000', { method: 'cheque', remittanceReferences: [a.invoiceNumber, b.invoiceNumber] });
      expect(await outstandingOf(customerId)).toEqual({ [a.invoiceNumber]: '0', [b.invoiceNumber]: '0' });
      const response = await call('POST', `/v1/customers/${customerId}/payments/${String(paid.body.paymentId)}/reversal`, {
        roles: ['finance'],
        body: { reason: 'cheque-bounced', note: 'returned unpaid: insufficient funds', reversedOn: '2026-01-25' },
      });
      expect(response.status).toBe(201);
      expect(await outstandingOf(customerId)).toEqual({ [a.invoiceNumber]: '30000', [b.invoiceNumber]: '20000' });
      expect(response.body.unappliedCash).toEqual([EUR('0')]);
      const events = await streamEvents(`payment-account-${customerId}`);
      expect(events.slice(-3).map((e) => [e.type, e.data.reason])).toEqual([
        ['PaymentAllocationReduced', 'payment-reversed'],
        ['PaymentAllocationReduced', 'payment-reversed'],
        ['PaymentReversed', 'cheque-bounced'],
      ]);
      const again = await call('POST', `/v1/customers/${customerId}/payments/${String(paid.body.paymentId)}/reversal`, {
        roles: ['finance'],
        body: { reason: 'cheque-bounced', reversedOn: '2026-01-26' },
      });
      expect([again.status, again.body.code]).toEqual([409, 'PAYMENT_REVERSED']);
    });
  });

  describe('unapplied cash', () => {
    it('unapplied 500.00 is applied automatically to the next invoice for a customer set to do so, and refunded for another', async () => {
      const auto = randomUUID();
      await register(auto);
      await call('PUT', `/v1/customers/${auto}/payment-settings`, {
        roles: ['finance'],
        body: { unmatchedCash: 'oldest-due-first', applyUnappliedToNewInvoices: true, discountToleranceMinor: '0' },
      });
      expect((await pay(auto, '50000')).body).toMatchObject({ unapplied: EUR('50000') });
      const next = await issueInvoice(auto, '80000', '2026-03-01');
      await waitFor(async () => (await streamEvents(`payment-account-${auto}`)).some((e) => e.type === 'PaymentAllocated'), {
        description: 'the unapplied cash applied to the new invoice',
      });
      const applied = (await account(auto)).body;
      expect(applied.unappliedCash).toEqual([EUR('0')]);
      expect((applied.payments as Json[])[0]).toMatchObject({
        allocations: [{ invoiceId: next.invoiceId, amount: EUR('50000'), matchedBy: 'applied-to-new-invoice' }],
      });

      const other = randomUUID();
      expect((await pay(other, '50000')).body).toMatchObject({ unapplied: EUR('50000') });
      await issueInvoice(other, '80000', '2026-03-01');
      const refund = await call('POST', `/v1/customers/${other}/refunds`, {
        roles: ['finance'],
        body: { amount: EUR('50000'), refundedOn: '2026-01-22', reason: 'customer asked for it back' },
      });
      expect(refund.status).toBe(201);
      expect(refund.body.unappliedCash).toEqual([EUR('0')]);
      expect((await streamEvents(`payment-account-${other}`)).map((e) => e.type)).toEqual([
        'PaymentReceived',
        'PaymentLeftUnapplied',
        'PaymentRefunded',
      ]);
    });

    it('finance applies unapplied cash later to the invoice it chooses', async () => {
      const customerId = randomUUID();
      expect((await pay(customerId, '30000')).body).toMatchObject({ unapplied: EUR('30000') });
      const invoice = await issueInvoice(customerId, '100000', '2026-03-01');
      const response = await call('POST', `/v1/customers/${customerId}/unapplied-cash/applications`, {
        roles: ['finance'],
        body: { allocations: [{ invoiceId: invoice.invoiceId, amount: EUR('30000') }], appliedOn: '2026-01-22' },
      });
      expect(response.status).toBe(201);
      expect(await outstandingOf(customerId)).toEqual({ [invoice.invoiceNumber]: '70000' });
    });
  });

  describe('every new route answers 401 / 403 / 400 as problem+json, appending nothing', () => {
    const routes = (customerId: string, paymentId: string): Array<[string, string, Json]> => [
      [
        'PUT',
        `/v1/customers/${customerId}/payment-settings`,
        { unmatchedCash: 'newest-first', applyUnappliedToNewInvoices: 'yes', discountToleranceMinor: '-1' },
      ],
      ['POST', `/v1/customers/${customerId}/unapplied-cash/applications`, { allocations: [], appliedOn: '2026-02-30' }],
      ['POST', `/v1/customers/${customerId}/refunds`, { amount: { amountMinor: '1.5', currency: 'EUR' }, refundedOn: 'soon', reason: '' }],
      ['POST', `/v1/customers/${customerId}/payments/${paymentId}/reversal`, { reason: 'changed-mind', reversedOn: '2026-01-01' }],
      [
        'POST',
        `/v1/customers/${customerId}/payments/${paymentId}/short-payments`,
        { invoiceId: 'x', reasonCode: 'dunno', reason: 'r', recordedOn: '2026-01-01' },
      ],
    ];

    it('refuses no token (401), collections and risk (403), and malformed bodies (400)', async () => {
      const before = await eventCount();
      for (const [method, path, body] of routes(randomUUID(), randomUUID())) {
        for (const [roles, status] of [
          [null, 401],
          [['collections'], 403],
          [['risk'], 403],
          [['finance'], 400],
        ] as const) {
          const response = await call(method, path, { roles: roles === null ? null : [...roles], body });
          expect([method, path, response.status]).toEqual([method, path, status]);
          expect(response.headers.get('content-type')).toContain('application/problem+json');
        }
      }
      expect(await eventCount()).toBe(before);
    });
  });
});
