import { randomUUID } from 'node:crypto';
import type { RetryingClient, Outcome } from './client';

/**
 * A steady load of invoices, payments quoting an invoice, and credit notes, and the oracle: what every
 * service must show once the load has settled, kept from the answers the client got. An operation on an
 * invoice waits for the previous one on that invoice to be answered (as one clerk would), and never asks
 * for more than the oracle says is open.
 *
 * Where a payment lands is the payments service's answer (it lists the allocations it made): on a view that
 * is stale under faults, a payment can miss the invoice it quotes and go to the oldest due, or meet a credit
 * note on its way. The oracle books each allocation where the answer says, and applies the rule the platform
 * must keep whatever the timing (issue 7, item 11): an invoice never absorbs more cash than it charged
 * (total − credit notes); the excess ends on account as unapplied cash. So, once settled:
 *   paid(invoice) = min(Σ allocated to it, total − credited), open = total − credited − paid ≥ 0,
 *   unapplied(customer) = Σ received − Σ paid.
 */

export const BUSINESS_DATE = '2026-01-05';

export interface OracleInvoice {
  invoiceId: string;
  number: string;
  customerId: string;
  total: bigint;
  credited: bigint;
  /** Σ cash the payments service said it allocated to this invoice (before any excess went back on account). */
  allocated: bigint;
}

export interface OracleCustomer {
  customerId: string;
  invoices: Map<string, OracleInvoice>;
  paymentsTotal: bigint;
}

/** What the invoice charged: total − credit notes (never negative: a credit note never exceeds the open balance). */
export const chargedOf = (invoice: OracleInvoice): bigint => invoice.total - invoice.credited;
/** Cash the invoice keeps: its allocations up to what it charged; the rest is the customer's unapplied cash. */
export const paidOf = (invoice: OracleInvoice): bigint => (invoice.allocated < chargedOf(invoice) ? invoice.allocated : chargedOf(invoice));
export const openOf = (invoice: OracleInvoice): bigint => chargedOf(invoice) - paidOf(invoice);
/** Σ received − Σ kept by the invoices. */
export const unappliedOf = (customer: OracleCustomer): bigint =>
  customer.paymentsTotal - [...customer.invoices.values()].reduce((s, i) => s + paidOf(i), 0n);

export interface LoadCounts {
  invoices: number;
  payments: number;
  /** Payments that did not land (wholly) on the invoice they quoted: the view was stale, or the invoice was paid meanwhile. */
  missedQuoted: number;
  creditNotes: number;
  refused: Record<string, number>;
  unknown: { operation: string; lastError: string }[];
  /** When each successful command was answered (ms since epoch), to find the longest stall. */
  appliedAt: number[];
}

const eur = (minor: bigint) => ({ amountMinor: minor.toString(), currency: 'EUR' });

export class Oracle {
  readonly customers = new Map<string, OracleCustomer>();
  readonly counts: LoadCounts = { invoices: 0, payments: 0, missedQuoted: 0, creditNotes: 0, refused: {}, unknown: [], appliedAt: [] };
  private readonly busy = new Set<string>();
  private sequence = 0;

  constructor(
    private readonly client: RetryingClient,
    private readonly run: string,
  ) {}

  /** Registers customers with a limit large enough for the whole run, and starts the calendar. */
  async setUp(customerCount: number, creditLimitMinor = 100_000_000_000n, startCalendar = true): Promise<void> {
    if (startCalendar) {
      await this.expectApplied('calendar', this.client.send('invoicing', 'POST', '/calendar/start', { date: BUSINESS_DATE }));
    }
    for (let i = 0; i < customerCount; i++) {
      const customerId = randomUUID();
      await this.expectApplied(
        'customer',
        this.client.send('credit', 'POST', '/customers', {
          customerId,
          legalName: `Chaos ${this.run} ${i}`,
          registrationNumber: `HRB-${this.run}-${i}`,
          industry: 'machinery',
          country: 'DE',
          currency: 'EUR',
          businessUnit: 'emea',
        }),
      );
      await this.expectApplied(
        'credit policy',
        this.client.send('credit', 'PUT', `/customers/${customerId}/credit-policy`, {
          creditClass: 'B',
          creditLimit: eur(creditLimitMinor),
          paymentTermDays: 30,
          acceptedPaymentMethods: ['bank-transfer'],
          nextReviewDate: '2026-12-31',
        }),
      );
      this.customers.set(customerId, { customerId, invoices: new Map(), paymentsTotal: 0n });
    }
  }

  /** One operation of the mix: an invoice, a payment quoting an open invoice, or a credit note on one. */
  async step(random: () => number): Promise<void> {
    const roll = random();
    const open = [...this.customers.values()]
      .flatMap((c) => [...c.invoices.values()])
      .filter((i) => openOf(i) > 0n && !this.busy.has(i.invoiceId));
    if (roll < 0.4 || open.length === 0) {
      await this.issueInvoice(random);
      return;
    }
    const invoice = open[Math.floor(random() * open.length)] as OracleInvoice;
    this.busy.add(invoice.invoiceId);
    try {
      if (roll < 0.8) await this.pay(invoice, random);
      else await this.creditNote(invoice, random);
    } finally {
      this.busy.delete(invoice.invoiceId);
    }
  }

  async issueInvoice(random: () => number, customerId?: string): Promise<OracleInvoice | undefined> {
    const customers = [...this.customers.values()];
    const customer = customerId
      ? (this.customers.get(customerId) as OracleCustomer)
      : (customers[Math.floor(random() * customers.length)] as OracleCustomer);
    const net = BigInt(100_000 + Math.floor(random() * 1_900_000)); // 1,000.00 – 20,000.00
    const tax = (net * 19n) / 100n;
    const invoiceId = randomUUID();
    const number = `CH-${this.run}-${String(++this.sequence).padStart(6, '0')}`;
    const body = {
      invoiceId,
      number,
      customerId: customer.customerId,
      currency: 'EUR',
      issueDate: BUSINESS_DATE,
      lines: [{ description: `Order ${number}`, netAmount: eur(net), taxAmount: eur(tax) }],
    };
    const outcome = await this.client.send('invoicing', 'POST', '/invoices', body, `invoice-${invoiceId}`);
    if (!this.settle('invoice', outcome)) return undefined;
    const invoice: OracleInvoice = { invoiceId, number, customerId: customer.customerId, total: net + tax, credited: 0n, allocated: 0n };
    customer.invoices.set(invoiceId, invoice);
    this.counts.invoices++;
    return invoice;
  }

  private async pay(invoice: OracleInvoice, random: () => number): Promise<void> {
    const amount = this.portionOf(openOf(invoice), random);
    const paymentId = randomUUID();
    const body = {
      paymentId,
      bankReference: `BANK-${paymentId}`,
      customerId: invoice.customerId,
      amount: eur(amount),
      receivedOn: BUSINESS_DATE,
      method: 'bank-transfer',
      remittanceReferences: [invoice.number],
    };
    const outcome = await this.client.send('payments', 'POST', '/payments', body, `payment-${paymentId}`);
    if (!this.settle('payment', outcome) || outcome.kind !== 'applied') return;
    const customer = this.customers.get(invoice.customerId) as OracleCustomer;
    customer.paymentsTotal += amount;
    this.counts.payments++;
    const allocations = (outcome.body.allocations ?? []) as { invoiceId: string; amount: { amountMinor: string } }[];
    for (const allocation of allocations) {
      const target = customer.invoices.get(allocation.invoiceId);
      // Payments allocates only to invoices it saw issued, and only the test issues this customer's invoices.
      if (target === undefined) throw new Error(`payment ${paymentId} was allocated to ${allocation.invoiceId}, an invoice never issued`);
      target.allocated += BigInt(allocation.amount.amountMinor);
    }
    const onQuoted = allocations.filter((a) => a.invoiceId === invoice.invoiceId).reduce((s, a) => s + BigInt(a.amount.amountMinor), 0n);
    if (onQuoted !== amount) this.counts.missedQuoted++;
  }

  private async creditNote(invoice: OracleInvoice, random: () => number): Promise<void> {
    const amount = this.portionOf(openOf(invoice), random);
    const creditNoteId = randomUUID();
    const body = {
      creditNoteId,
      number: `CN-${creditNoteId.slice(0, 8)}`,
      amount: eur(amount),
      reason: 'chaos: goods returned',
      issueDate: BUSINESS_DATE,
    };
    const outcome = await this.client.send(
      'invoicing',
      'POST',
      `/invoices/${invoice.invoiceId}/credit-notes`,
      body,
      `credit-note-${creditNoteId}`,
    );
    if (!this.settle('credit note', outcome)) return;
    invoice.credited += amount;
    this.counts.creditNotes++;
  }

  /** A quarter, a half or all of what is open (at least one cent). */
  private portionOf(open: bigint, random: () => number): bigint {
    const part = [4n, 2n, 1n][Math.floor(random() * 3)] as bigint;
    const amount = open / part;
    return amount > 0n ? amount : open;
  }

  /** True when the command took effect; a refusal or an unknown outcome is counted. */
  private settle(operation: string, outcome: Outcome): boolean {
    if (outcome.kind === 'applied') {
      this.counts.appliedAt.push(Date.now());
      return true;
    }
    if (outcome.kind === 'refused') {
      const key = `${operation} ${outcome.status} ${String(outcome.body.type ?? outcome.body.title ?? '')}`;
      this.counts.refused[key] = (this.counts.refused[key] ?? 0) + 1;
    } else {
      this.counts.unknown.push({ operation, lastError: outcome.lastError });
    }
    return false;
  }

  private async expectApplied(what: string, pending: Promise<Outcome>): Promise<void> {
    const outcome = await pending;
    if (outcome.kind !== 'applied') throw new Error(`${what}: ${JSON.stringify(outcome)}`);
  }
}
