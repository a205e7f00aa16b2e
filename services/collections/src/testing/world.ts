import { randomUUID } from 'node:crypto';
import { contractOf, type EventEnvelope } from '@arc/contracts';
import type { testKafka } from '@arc/testing';
import type { CollectionsConfig } from '../config';

type Producer = ReturnType<ReturnType<typeof testKafka>['producer']>;

/**
 * The other contexts, as a test plays them: valid envelopes of their events (checked against the contracts)
 * produced on the test's own topics.
 */
export class World {
  constructor(
    private readonly producer: Producer,
    private readonly config: CollectionsConfig,
  ) {}

  private envelope(eventType: string, customerId: string, data: Record<string, unknown>, occurredOn: string): EventEnvelope {
    const contract = contractOf(eventType);
    const valid = contract?.validate(data);
    if (!valid?.ok) throw new Error(`test data breaks the ${eventType} contract: ${valid ? valid.problems.join('; ') : 'unknown type'}`);
    const eventId = randomUUID();
    return {
      eventId,
      eventType,
      schemaVersion: contract?.schemaVersion ?? 1,
      // A stream of its own per event: the transport's repeat check (stream version) never mistakes one for another.
      streamId: `test-${eventId}`,
      streamVersion: 1,
      customerId,
      occurredAt: `${occurredOn}T12:00:00.000Z`,
      recordedAt: `${occurredOn}T12:00:00.000Z`,
      correlationId: randomUUID(),
      causationId: null,
      actor: 'test',
      data,
    };
  }

  async send(topic: keyof CollectionsConfig['topics'], ...envelopes: EventEnvelope[]): Promise<void> {
    await this.producer.send({
      topic: this.config.topics[topic],
      messages: envelopes.map((e) => ({ key: e.customerId, value: JSON.stringify(e) })),
    });
  }

  async customer(customerId: string, creditClass: string, email: string | null, name = 'Acme Industrie GmbH'): Promise<void> {
    const on = '2026-01-02';
    await this.send(
      'credit',
      this.envelope(
        'CustomerRegistered',
        customerId,
        {
          customerId,
          legalName: name,
          registrationNumber: 'HRB 1',
          industry: 'machinery',
          country: 'DE',
          currency: 'EUR',
          businessUnit: 'EU',
        },
        on,
      ),
      this.envelope(
        'CreditPolicySet',
        customerId,
        {
          customerId,
          creditClass,
          creditLimit: { amountMinor: '10000000', currency: 'EUR' },
          paymentTermDays: 30,
          acceptedPaymentMethods: ['bank-transfer'],
          earlyPaymentDiscount: null,
          prepaymentBasisPoints: 0,
          insuredAmount: null,
          nextReviewDate: '2026-12-31',
        },
        on,
      ),
      this.envelope(
        'CreditFileContactsSet',
        customerId,
        {
          customerId,
          contacts: [
            { name: 'Sales Desk', role: 'purchasing', email: 'buy@acme.example', phone: null },
            { name: 'Erika Muster', role: 'accounts payable', email, phone: '+49 30 1234' },
          ],
        },
        on,
      ),
    );
  }

  async invoice(
    customerId: string,
    invoiceId: string,
    invoiceNumber: string,
    totalMinor: string,
    dueDate: string,
    dueItems: { dueDate: string; amountMinor: string }[] | null = null,
  ): Promise<void> {
    const total = { amountMinor: totalMinor, currency: 'EUR' };
    const split = dueItems?.map((d, i) => ({
      sequence: i + 1,
      dueDate: d.dueDate,
      amount: { amountMinor: d.amountMinor, currency: 'EUR' },
    }));
    await this.send(
      'invoicing',
      this.envelope(
        'InvoiceIssued',
        customerId,
        {
          invoiceId,
          invoiceNumber,
          customerId,
          currency: 'EUR',
          lines: [{ description: 'Pumps', netAmount: total, taxAmount: { amountMinor: '0', currency: 'EUR' } }],
          total,
          issueDate: '2026-01-30',
          dueDate,
          earlyPaymentDiscount: null,
          reservationId: null,
          ...(split ? { dueItems: split } : {}),
        },
        '2026-01-30',
      ),
    );
  }

  async payment(customerId: string, invoiceId: string, amountMinor: string, on: string): Promise<void> {
    const paymentId = randomUUID();
    await this.send(
      'payments',
      this.envelope(
        'PaymentAllocated',
        customerId,
        { paymentId, customerId, invoiceId, amount: { amountMinor, currency: 'EUR' }, allocatedOn: on },
        on,
      ),
    );
  }

  /** Payments' other events on an invoice: a discount taken or withdrawn. */
  async payments(eventType: string, customerId: string, data: Record<string, unknown>, on: string): Promise<void> {
    await this.send('payments', this.envelope(eventType, customerId, data, on));
  }

  /** Invoicing's events on an invoice: a dispute raised or resolved, a cancellation, a write-off. */
  async invoicing(eventType: string, customerId: string, data: Record<string, unknown>, on: string): Promise<void> {
    await this.send('invoicing', this.envelope(eventType, customerId, data, on));
  }

  /** Projections' aging figures of a customer (all overdue in 1-30): opens or reviews its collection case. */
  async aging(customerId: string, overdueMinor: string, asOf: string, oldestDaysPastDue: number | null): Promise<void> {
    const eur = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });
    const data = {
      customerId,
      asOf,
      currency: 'EUR',
      bucketSetId: 'standard',
      notYetDue: eur('0'),
      buckets: [{ label: '1-30', amount: eur(overdueMinor) }],
      overdue: eur(overdueMinor),
      totalOpen: eur(overdueMinor),
      oldestDaysPastDue,
    };
    await this.send('projectionChanges', this.envelope('CustomerAgingChanged', customerId, data, asOf));
  }

  /** Closes the days from `first` to `last`, in order, on the calendar topic. */
  async closeDays(first: string, last: string): Promise<void> {
    const envelopes: EventEnvelope[] = [];
    for (let d = new Date(`${first}T00:00:00Z`); d.toISOString().slice(0, 10) <= last; d.setUTCDate(d.getUTCDate() + 1)) {
      const date = d.toISOString().slice(0, 10);
      envelopes.push(this.envelope('BusinessDayClosed', '00000000-0000-0000-0000-000000000000', { date }, date));
    }
    await this.send('calendar', ...envelopes);
  }
}
