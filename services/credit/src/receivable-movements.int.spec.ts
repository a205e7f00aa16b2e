import { randomUUID } from 'node:crypto';
import { useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { CREDIT, type CreditConfig } from './config';

type Json = Record<string, unknown>;

const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

/*
 * Credit counts open AR by the one rule and the one mapping of events (@arc/receivables), as projections does:
 * the figures below are worked out by hand, in integers, independently of that mapping.
 */
describe('credit exposure after cancellation, debit note, write-off, recovery, discount and reversal (real servers)', () => {
  const suite = useServiceUnderTest<CreditConfig>({ definition: CREDIT, module: (config, options) => AppModule.forRoot(config, options) });
  const { config, producer, call } = suite;

  it('moves open AR and exposure exactly as projections counts them', async () => {
    const customerId = randomUUID();
    const registration = {
      customerId,
      legalName: 'Müller Maschinenbau GmbH',
      registrationNumber: 'HRB 12345',
      industry: 'machinery',
      country: 'DE',
      currency: 'EUR',
      businessUnit: 'industrial',
    };
    const policy = {
      creditClass: 'B',
      creditLimit: EUR('10000000'),
      paymentTermDays: 30,
      acceptedPaymentMethods: ['bank-transfer'],
      nextReviewDate: '2027-06-30',
    };
    expect((await call('POST', '/v1/customers', { body: registration, roles: ['sales'] })).status).toBe(201);
    expect((await call('PUT', `/v1/customers/${customerId}/credit-policy`, { body: policy, roles: ['finance'] })).status).toBe(200);

    const versions = new Map<string, number>();
    const envelope = (eventType: string, streamId: string, data: Json) => {
      const streamVersion = (versions.get(streamId) ?? 0) + 1;
      versions.set(streamId, streamVersion);
      return {
        key: customerId,
        value: JSON.stringify({
          eventId: randomUUID(),
          eventType,
          schemaVersion: 1,
          streamId,
          streamVersion,
          customerId,
          occurredAt: '2026-11-23T10:00:00.000Z',
          recordedAt: '2026-11-23T10:00:00.000Z',
          correlationId: randomUUID(),
          causationId: null,
          actor: 'user:bob',
          data,
        }),
      };
    };
    const invoicing = (eventType: string, invoiceId: string, data: Json) =>
      producer.send({
        topic: config.topics.invoicing,
        messages: [envelope(eventType, `invoice-${invoiceId}`, { invoiceId, customerId, ...data })],
      });
    const payments = (eventType: string, invoiceId: string, data: Json) =>
      producer.send({
        topic: config.topics.payments,
        messages: [envelope(eventType, `payment-account-${customerId}`, { invoiceId, customerId, ...data })],
      });
    const [cancelled, debited, writtenOff, discounted] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    for (const invoiceId of [cancelled, debited, writtenOff, discounted]) {
      await invoicing('InvoiceIssued', invoiceId, {
        invoiceNumber: `INV-${invoiceId.slice(0, 8)}`,
        currency: 'EUR',
        lines: [{ description: 'machines', netAmount: EUR('100000'), taxAmount: EUR('0') }],
        total: EUR('100000'),
        issueDate: '2026-11-22',
        dueDate: '2026-12-22',
        earlyPaymentDiscount: null,
        reservationId: null,
      });
    }
    const exposureOf = async () => {
      const body = (await call('GET', `/v1/customers/${customerId}`, { roles: ['risk'] })).body as Json;
      return { openAr: (body.openAr as Json | undefined)?.amountMinor, exposure: (body.exposure as Json | undefined)?.amountMinor };
    };
    await waitFor(async () => (await exposureOf()).openAr === '400000', { description: 'the four invoices counted' });

    const payment = randomUUID();
    // Cancelled: 0 open. Paid in full, then 41.70 interest debited: 41.70 open.
    await invoicing('InvoiceCancelled', cancelled, { amount: EUR('100000'), cancelledOn: '2026-11-23', reason: 'wrong customer' });
    await payments('PaymentAllocated', debited, { paymentId: payment, amount: EUR('100000'), allocatedOn: '2026-11-23' });
    await invoicing('DebitNoteIssued', debited, {
      debitNoteId: randomUUID(),
      debitNoteNumber: 'DN-1',
      kind: 'adjustment',
      amount: EUR('4170'),
      issueDate: '2026-11-23',
      dueDate: '2026-12-23',
      reason: 'freight',
      lateInterest: null,
    });
    // 600.00 written off, then 700.00 paid, 300.00 of it recovering written-off debt: 0 open.
    await invoicing('InvoiceWrittenOff', writtenOff, {
      writeOffId: randomUUID(),
      amount: EUR('60000'),
      writtenOffOn: '2026-11-23',
      requestedBy: 'user:carol',
      approvedBy: 'user:dave',
      signedOffBy: 'user:erin',
      reason: 'insolvency',
    });
    await payments('PaymentAllocated', writtenOff, { paymentId: payment, amount: EUR('70000'), allocatedOn: '2026-11-24' });
    await invoicing('WriteOffRecovered', writtenOff, { paymentId: payment, amount: EUR('30000'), recoveredOn: '2026-11-24' });
    // 980.00 paid with the 2 % discount taken: 0 open.
    const discounter = randomUUID();
    await payments('PaymentAllocated', discounted, { paymentId: discounter, amount: EUR('98000'), allocatedOn: '2026-11-24' });
    await payments('PaymentDiscountTaken', discounted, {
      paymentId: discounter,
      discount: EUR('2000'),
      basisPoints: 200,
      payBy: '2026-12-02',
      takenOn: '2026-11-24',
    });
    await waitFor(async () => (await exposureOf()).openAr === '4170', { description: 'open AR 41.70 after the movements' });
    expect(await exposureOf()).toEqual({ openAr: '4170', exposure: '4170' });

    // The discounting payment bounces: its allocation is reduced and its discount withdrawn, the invoice owes 1,000.00 again.
    await payments('PaymentAllocationReduced', discounted, { paymentId: discounter, amount: EUR('98000'), reason: 'payment-reversed' });
    await payments('PaymentDiscountWithdrawn', discounted, { paymentId: discounter, discount: EUR('2000'), reason: 'payment-reversed' });
    await waitFor(async () => (await exposureOf()).openAr === '104170', { description: 'open AR 1,041.70 after the reversal' });
    expect(await exposureOf()).toEqual({ openAr: '104170', exposure: '104170' });
    // A credit check decides on that exposure, to the cent: up to the 100,000.00 limit passes, one cent more fails.
    const check = (amountMinor: string) =>
      call('POST', `/v1/customers/${customerId}/credit-checks`, {
        roles: ['sales'],
        body: { checkId: randomUUID(), orderReference: 'SO-1', orderAmount: EUR(amountMinor), openDay: '2026-11-24' },
      });
    expect((await check('9895831')).body).toMatchObject({ passed: false });
    expect((await check('9895830')).body).toMatchObject({ passed: true });
  });
});
