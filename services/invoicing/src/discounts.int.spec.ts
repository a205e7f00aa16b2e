import { randomUUID } from 'node:crypto';
import type { CreditPolicySetData, EventEnvelope } from '@arc/contracts';
import { useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { INVOICING, type InvoicingConfig } from './config';

type Json = Record<string, unknown>;

const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

describe('the invoice balance after an early-payment discount taken and withdrawn (real servers)', () => {
  const suite = useServiceUnderTest<InvoicingConfig>({
    definition: INVOICING,
    module: (config, options) => AppModule.forRoot(config, options),
  });
  const { config, db, producer, call } = suite;
  const customerId = randomUUID();
  const versions = new Map<string, number>();

  const envelopeOf = (eventType: string, streamId: string, data: Json): EventEnvelope<Json> => {
    const streamVersion = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, streamVersion);
    return {
      eventId: randomUUID(),
      eventType,
      schemaVersion: 1,
      streamId,
      streamVersion,
      customerId,
      occurredAt: '2026-01-05T10:00:00.000Z',
      recordedAt: '2026-01-05T10:00:00.000Z',
      correlationId: randomUUID(),
      causationId: null,
      actor: 'user:tess',
      data,
    };
  };
  const payments = (eventType: string, data: Json) =>
    producer.send({
      topic: config.topics.payments,
      messages: [
        { key: customerId, value: JSON.stringify(envelopeOf(eventType, `payment-account-${customerId}`, { customerId, ...data })) },
      ],
    });
  const openBalanceOf = async (invoiceId: string): Promise<unknown> =>
    ((await call('GET', `/v1/invoices/${invoiceId}`, { roles: ['finance'] })).body.openBalance as { amountMinor?: string } | undefined)
      ?.amountMinor;

  beforeAll(async () => {
    const policy: CreditPolicySetData = {
      customerId,
      creditClass: 'B',
      creditLimit: EUR('10000000'),
      paymentTermDays: 30,
      acceptedPaymentMethods: ['bank-transfer'],
      earlyPaymentDiscount: { basisPoints: 200, withinDays: 10 },
      prepaymentBasisPoints: 0,
      insuredAmount: null,
      nextReviewDate: '2027-06-30',
    };
    await producer.send({
      topic: config.topics.credit,
      messages: [{ key: customerId, value: JSON.stringify(envelopeOf('CreditPolicySet', `customer-${customerId}`, { ...policy })) }],
    });
    await waitFor(
      async () => ((await db.pool.query('SELECT 1 FROM invoicing_payment_terms WHERE customer_id = $1', [customerId])).rowCount ?? 0) > 0,
      { description: 'the customer’s terms in the view' },
    );
  });

  it('drops by the discount taken (paid in full with the 2 % off) and owes it again once the paying payment is reversed', async () => {
    const invoiceId = randomUUID();
    const issued = await call('POST', '/v1/invoices', {
      roles: ['finance'],
      body: {
        invoiceId,
        number: `INV-${randomUUID().slice(0, 13)}`,
        customerId,
        currency: 'EUR',
        lines: [{ description: 'Pump P-200 ×10', netAmount: EUR('5042017'), taxAmount: EUR('957983') }],
        issueDate: '2026-01-01',
      },
    });
    expect(issued.status).toBe(201);
    expect(issued.body.earlyPaymentDiscount).toMatchObject({ basisPoints: 200, discountedAmount: EUR('5880000') });
    const paymentId = randomUUID();
    await payments('PaymentAllocated', { paymentId, invoiceId, amount: EUR('5880000'), allocatedOn: '2026-01-05' });
    await payments('PaymentDiscountTaken', {
      paymentId,
      invoiceId,
      discount: EUR('120000'),
      basisPoints: 200,
      payBy: String((issued.body.earlyPaymentDiscount as Json).payBy),
      takenOn: '2026-01-05',
    });
    await waitFor(async () => (await openBalanceOf(invoiceId)) === '0', { description: 'the discount taken off the balance' });
    const paid = await call('GET', `/v1/invoices/${invoiceId}`, { roles: ['finance'] });
    expect(paid.body).toMatchObject({ openBalance: EUR('0'), status: 'paid' });
    expect((paid.body.dueItems as Json[]).map((item) => item.open)).toEqual([EUR('0')]);

    await payments('PaymentAllocationReduced', { paymentId, invoiceId, amount: EUR('5880000'), reason: 'payment-reversed' });
    await payments('PaymentDiscountWithdrawn', { paymentId, invoiceId, discount: EUR('120000'), reason: 'payment-reversed' });
    await waitFor(async () => (await openBalanceOf(invoiceId)) === '6000000', { description: 'the whole invoice open again' });
  });
});
