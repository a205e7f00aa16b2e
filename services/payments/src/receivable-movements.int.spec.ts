import { randomUUID } from 'node:crypto';
import type { EventEnvelope, InvoiceIssuedData } from '@arc/contracts';
import { useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { PAYMENTS, type PaymentsConfig } from './config';

type Json = Record<string, unknown>;

const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

describe('cash application on what invoices charge after cancellation, debit note and write-off (real servers)', () => {
  const suite = useServiceUnderTest<PaymentsConfig>({
    definition: PAYMENTS,
    module: (config, options) => AppModule.forRoot(config, options),
  });
  const { config, db, producer, call } = suite;
  const customerId = randomUUID();
  const versions = new Map<string, number>();

  const envelopeOf = <T extends object>(eventType: string, streamId: string, data: T): EventEnvelope<T> => {
    const streamVersion = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, streamVersion);
    return {
      eventId: randomUUID(),
      eventType,
      schemaVersion: 1,
      streamId,
      streamVersion,
      customerId,
      occurredAt: '2026-01-01T10:00:00.000Z',
      recordedAt: '2026-01-01T10:00:00.000Z',
      correlationId: randomUUID(),
      causationId: null,
      actor: 'user:bob',
      data,
    };
  };
  const send = (topic: string, envelope: EventEnvelope<object>) =>
    producer.send({ topic, messages: [{ key: customerId, value: JSON.stringify(envelope) }] });
  const rows = async (sql: string, params: unknown[]) => (await db.pool.query(sql, params)).rowCount ?? 0;

  async function issueInvoice(dueDate: string): Promise<string> {
    const invoiceId = randomUUID();
    const data: InvoiceIssuedData = {
      invoiceId,
      invoiceNumber: `INV-${invoiceId.slice(0, 8)}`,
      customerId,
      currency: 'EUR',
      lines: [{ description: 'machines', netAmount: EUR('100000'), taxAmount: EUR('0') }],
      total: EUR('100000'),
      issueDate: '2026-01-01',
      dueDate,
      earlyPaymentDiscount: null,
      reservationId: null,
    };
    await send(config.topics.invoicing, envelopeOf('InvoiceIssued', `invoice-${invoiceId}`, data));
    return invoiceId;
  }

  /** Publishes an invoicing event on its invoice's stream and waits until the view has it. */
  async function onInvoice(eventType: string, invoiceId: string, data: Json): Promise<void> {
    const envelope = envelopeOf(eventType, `invoice-${invoiceId}`, { invoiceId, customerId, ...data });
    await send(config.topics.invoicing, envelope);
    await waitFor(async () => (await rows('SELECT 1 FROM payments_credit_notes WHERE credit_note_id = $1', [envelope.eventId])) > 0, {
      description: `${eventType} in the open-invoices view`,
    });
  }

  const pay = (amountMinor: string) =>
    call('POST', '/v1/payments', {
      roles: ['finance'],
      body: {
        bankReference: `BANK-${randomUUID()}`,
        customerId,
        amount: EUR(amountMinor),
        receivedOn: '2026-01-20',
        method: 'bank-transfer',
      },
    });

  beforeAll(async () => {
    const registered = {
      customerId,
      legalName: 'Acme GmbH',
      registrationNumber: 'HRB 1',
      industry: 'machinery',
      country: 'DE',
      currency: 'EUR',
      businessUnit: 'emea',
    };
    await send(config.topics.credit, envelopeOf('CustomerRegistered', `customer-${customerId}`, registered));
    await waitFor(async () => (await rows('SELECT 1 FROM payments_customers WHERE customer_id = $1', [customerId])) > 0, {
      description: 'the customer in the customers view',
    });
  });

  it('never applies cash to a cancelled invoice, lets a debit note on a paid invoice be paid, and collects no written-off debt', async () => {
    const cancelled = await issueInvoice('2026-02-28');
    const debited = await issueInvoice('2026-03-31');
    const writtenOff = await issueInvoice('2026-04-30');
    await waitFor(async () => (await rows('SELECT 1 FROM payments_invoices WHERE customer_id = $1', [customerId])) === 3, {
      description: 'the three invoices in the view',
    });
    await onInvoice('InvoiceCancelled', cancelled, { amount: EUR('100000'), cancelledOn: '2026-01-10', reason: 'wrong customer' });
    // Oldest due first would pick the cancelled invoice: it charges nothing, so the next one is paid.
    expect((await pay('100000')).body).toMatchObject({ allocations: [{ invoiceId: debited, amount: EUR('100000') }], unapplied: EUR('0') });

    await onInvoice('DebitNoteIssued', debited, {
      debitNoteId: randomUUID(),
      debitNoteNumber: 'DN-1',
      kind: 'late-interest',
      amount: EUR('4170'),
      issueDate: '2026-01-21',
      dueDate: '2026-02-20',
      reason: 'late interest',
      lateInterest: { accruedFrom: '2026-01-01', accruedThrough: '2026-01-20', exactMinor: '4170.25' },
    });
    await onInvoice('InvoiceWrittenOff', writtenOff, {
      writeOffId: randomUUID(),
      amount: EUR('60000'),
      writtenOffOn: '2026-01-21',
      requestedBy: 'user:carol',
      approvedBy: 'user:dave',
      signedOffBy: 'user:erin',
      reason: 'insolvency',
    });
    // The interest debited on the paid invoice is paid; of the written-off invoice only the 400.00 still collected.
    const response = await pay('50000');
    expect(response.body).toMatchObject({
      allocations: [
        { invoiceId: debited, amount: EUR('4170') },
        { invoiceId: writtenOff, amount: EUR('40000') },
      ],
      unapplied: EUR('5830'),
    });
    const account = await call('GET', `/v1/customers/${customerId}/payment-account`, { roles: ['finance'] });
    const outstanding = Object.fromEntries(
      (account.body.invoices as Array<{ invoiceId: string; outstanding: Json }>).map((i) => [i.invoiceId, i.outstanding.amountMinor]),
    );
    expect(outstanding).toMatchObject({ [debited]: '0', [writtenOff]: '0' });
    expect(outstanding[cancelled] ?? '0').toBe('0');
  });
});
