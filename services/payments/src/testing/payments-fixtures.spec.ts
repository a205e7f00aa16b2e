import { randomUUID } from 'node:crypto';
import type { Role } from '@arc/auth';
import type { EventEnvelope, InvoiceIssuedData } from '@arc/contracts';
import type { ServiceSuite } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import type { PaymentsConfig } from '../config';

export const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

export function envelopeOf<T extends object>(eventType: string, streamId: string, customerId: string, data: T): EventEnvelope<T> {
  return {
    eventId: randomUUID(),
    eventType,
    schemaVersion: 1,
    streamId,
    streamVersion: 1,
    customerId,
    occurredAt: '2026-01-01T10:00:00.000Z',
    recordedAt: '2026-01-01T10:00:00.000Z',
    correlationId: randomUUID(),
    causationId: null,
    actor: 'user:bob',
    data,
  };
}

/** What the integration suites of payments do to the servers: invoices and customers as other contexts publish them, HTTP calls. */
export function paymentsFixtures(suite: ServiceSuite<PaymentsConfig>) {
  const { config, db, producer, call } = suite;
  const registered = new Set<string>();

  async function register(customerId: string): Promise<void> {
    if (registered.has(customerId)) return;
    const data = {
      customerId,
      legalName: 'Acme GmbH',
      registrationNumber: 'HRB 1',
      industry: 'machinery',
      country: 'DE',
      currency: 'EUR',
      businessUnit: 'emea',
    };
    const envelope = envelopeOf('CustomerRegistered', `customer-${customerId}`, customerId, data);
    await producer.send({ topic: config.topics.credit, messages: [{ key: customerId, value: JSON.stringify(envelope) }] });
    await waitFor(
      async () => ((await db.pool.query('SELECT 1 FROM payments_customers WHERE customer_id = $1', [customerId])).rowCount ?? 0) > 0,
      {
        description: `customer ${customerId} in the customers view`,
      },
    );
    registered.add(customerId);
  }

  /** Produces an InvoiceIssued on the invoicing topic and waits until the view has it. */
  async function issueInvoice(
    customerId: string,
    total: string,
    dueDate: string,
    options: { invoiceNumber?: string; issueDate?: string; discount?: InvoiceIssuedData['earlyPaymentDiscount'] } = {},
  ): Promise<InvoiceIssuedData> {
    const invoiceId = randomUUID();
    const data: InvoiceIssuedData = {
      invoiceId,
      invoiceNumber: options.invoiceNumber ?? `INV-${invoiceId.slice(0, 8)}`,
      customerId,
      currency: 'EUR',
      lines: [{ description: 'machines', netAmount: EUR(total), taxAmount: EUR('0') }],
      total: EUR(total),
      issueDate: options.issueDate ?? '2026-01-01',
      dueDate,
      earlyPaymentDiscount: options.discount ?? null,
      reservationId: null,
    };
    const envelope = envelopeOf('InvoiceIssued', `invoice-${invoiceId}`, customerId, data);
    await producer.send({ topic: config.topics.invoicing, messages: [{ key: customerId, value: JSON.stringify(envelope) }] });
    await waitFor(
      async () => ((await db.pool.query('SELECT 1 FROM payments_invoices WHERE invoice_id = $1', [invoiceId])).rowCount ?? 0) > 0,
      {
        description: `invoice ${invoiceId} in the open-invoices view`,
      },
    );
    return data;
  }

  const pay = async (customerId: string, amountMinor: string, overrides: Record<string, unknown> = {}, roles: Role[] = ['finance']) => {
    await register(customerId);
    return call('POST', '/v1/payments', {
      body: {
        bankReference: `BANK-${randomUUID()}`,
        customerId,
        amount: EUR(amountMinor),
        receivedOn: '2026-01-20',
        method: 'bank-transfer',
        ...overrides,
      },
      roles,
    });
  };

  const streamEvents = async (streamId: string): Promise<Array<{ type: string; data: Record<string, unknown> }>> => {
    const { rows } = await db.pool.query<{ event_type: string; data: Record<string, unknown> }>(
      'SELECT event_type, data FROM events WHERE stream_id = $1 ORDER BY stream_version',
      [streamId],
    );
    return rows.map((row) => ({ type: row.event_type, data: row.data }));
  };

  const account = async (customerId: string) => call('GET', `/v1/customers/${customerId}/payment-account`, { roles: ['finance'] });

  return { register, issueInvoice, pay, streamEvents, account };
}
