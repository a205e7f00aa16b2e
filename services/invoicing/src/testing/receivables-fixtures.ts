import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@arc/contracts';
import type { ServiceSuite } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import type { InvoicingConfig } from '../config';

export type Json = Record<string, unknown>;
export const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

/** Helpers of the receivable integration tests: contracts, invoices and other contexts' events, over the real servers. */
export function receivablesFixtures(suite: ServiceSuite<InvoicingConfig>) {
  const { call, producer, config } = suite;

  async function agreeContract(customerId: string, terms: Json = {}): Promise<string> {
    const contractId = randomUUID();
    const response = await call('POST', '/v1/contracts', {
      roles: ['finance'],
      body: {
        contractId,
        customerId,
        reference: `MSA-${contractId.slice(0, 6)}`,
        signedOn: '2027-12-01',
        paymentTerms: { kind: 'net', netDays: 30 },
        disputeResolution: { method: 'arbitration', venue: 'DIS, Frankfurt am Main', governingLaw: 'German law' },
        evidenceRefs: ['dms:contracts/msa.pdf'],
        ...terms,
      },
    });
    if (response.status !== 201) throw new Error(`contract refused: ${JSON.stringify(response.body)}`);
    return contractId;
  }

  async function issueInvoice(
    customerId: string,
    contractId: string,
    totalMinor: string,
    issueDate: string,
    changes: Json = {},
  ): Promise<Json> {
    const response = await call('POST', '/v1/invoices', {
      roles: ['finance'],
      body: {
        invoiceId: randomUUID(),
        number: `INV-${randomUUID().slice(0, 13)}`,
        customerId,
        contractId,
        currency: 'EUR',
        lines: [{ description: 'Pump P-200', netAmount: EUR(totalMinor), taxAmount: EUR('0') }],
        issueDate,
        ...changes,
      },
    });
    if (response.status !== 201) throw new Error(`invoice refused: ${JSON.stringify(response.body)}`);
    return response.body;
  }

  const invoice = async (invoiceId: unknown): Promise<Json> =>
    (await call('GET', `/v1/invoices/${String(invoiceId)}`, { roles: ['finance'] })).body;

  let streamVersion = 0;

  /** Produces another context's event on its topic, as that context's relay would (its stream's next version). */
  async function produce(topic: string, eventType: string, customerId: string, data: Json): Promise<string> {
    const envelope: EventEnvelope = {
      eventId: randomUUID(),
      eventType,
      schemaVersion: 1,
      streamId: `test-${customerId}`,
      streamVersion: ++streamVersion,
      customerId,
      occurredAt: '2028-01-20T10:00:00.000Z',
      recordedAt: '2028-01-20T10:00:00.000Z',
      correlationId: randomUUID(),
      causationId: null,
      actor: 'user:tess',
      data,
    };
    await producer.send({ topic, messages: [{ key: customerId, value: JSON.stringify(envelope) }] });
    return envelope.eventId;
  }

  /** A PaymentAllocated as payments publishes it, and the wait until the invoice has it. */
  async function allocate(customerId: string, invoiceId: unknown, amountMinor: string, allocatedOn: string): Promise<string> {
    const paymentId = randomUUID();
    const allocated = async () => BigInt(((await invoice(invoiceId)).allocated as { amountMinor: string }).amountMinor);
    const before = await allocated();
    await produce(config.topics.payments, 'PaymentAllocated', customerId, {
      paymentId,
      customerId,
      invoiceId,
      amount: EUR(amountMinor),
      allocatedOn,
    });
    await waitFor(async () => (await allocated()) === before + BigInt(amountMinor), {
      description: `the allocation of ${amountMinor} to ${String(invoiceId)}`,
    });
    return paymentId;
  }

  async function closeDays(until: string): Promise<void> {
    const response = await call('POST', '/v1/calendar/close-days', { roles: ['finance'], body: { until } });
    if (response.status !== 200) throw new Error(`close-days refused: ${JSON.stringify(response.body)}`);
  }

  return { agreeContract, issueInvoice, invoice, produce, allocate, closeDays };
}
