/*
 * Money invariants of the payment account decider on generated sequences (issue 7): invoices and credit
 * notes reach payments' view late (they travel by topic), payments allocate on that view, invoicing learns
 * the allocations late and asks excess back (InvoiceOverpaid), payments gives it back (ReduceAllocation).
 * After every step the account equals an oracle kept here with plain bigints (its own allocation order:
 * quoted invoice first, then oldest due), no balance is negative, and money is neither lost nor doubled
 * (open AR − unapplied cash = invoiced − credited − received, by the one rule of @arc/receivables). Once
 * every message has arrived, no invoice carries more cash than it charged.
 *
 * The invoicing side is a stand-in written here; invoicing's own decider has the mirror suite there.
 */
import fc from 'fast-check';
import { addDays, type BusinessDate } from '@arc/clock';
import type { PaymentsEvent } from '@arc/contracts';
import { money, type Money } from '@arc/money';
import {
  awaitedReturns,
  excessAllocations,
  excessReturns,
  noFigures,
  openAr,
  unappliedCash as unappliedByRule,
  type PaymentShare,
} from '@arc/receivables';
import {
  allocatedTo,
  openAfterAllocations,
  paymentAccountDecider as decider,
  unappliedCash,
  type OpenInvoice,
  type PaymentAccount,
  type PaymentAccountCommand,
} from './payment-account.decider';

const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';
const DAY = '2026-01-05' as BusinessDate;
const eur = (minor: bigint): Money => money(minor, 'EUR');
const uuid = (kind: number, n: number) => `00000000-0000-4000-8${kind}00-${String(n).padStart(12, '0')}`;

type Op =
  | { kind: 'issue'; total: bigint }
  | { kind: 'credit-note'; invoice: number; permille: number }
  | { kind: 'pay'; amount: bigint; quote: number }
  | { kind: 'deliver-to-payments' }
  | { kind: 'deliver-to-invoicing' };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('issue' as const), total: fc.bigInt({ min: 1n, max: 1_000_000n }) }),
  fc.record({ kind: fc.constant('credit-note' as const), invoice: fc.nat(5), permille: fc.integer({ min: 1, max: 1_000 }) }),
  fc.record({ kind: fc.constant('pay' as const), amount: fc.bigInt({ min: 1n, max: 1_500_000n }), quote: fc.nat(5) }),
  fc.constant({ kind: 'deliver-to-payments' as const }),
  fc.constant({ kind: 'deliver-to-invoicing' as const }),
);

/** Invoicing as a stand-in: the truth of each invoice's charge, and the allocations it has heard of. */
interface InvoicingInvoice {
  invoiceId: string;
  total: bigint;
  credited: bigint;
  allocatedKnown: bigint;
  shares: Map<string, PaymentShare>;
}

type ToPayments =
  | { type: 'issued'; invoice: number }
  | { type: 'credited'; invoice: number; amount: bigint }
  | { type: 'overpaid'; invoice: number; paymentId: string; excess: bigint };
type ToInvoicing = { type: 'allocated' | 'reduced'; invoice: number; paymentId: string; amount: bigint };

class Simulation {
  account: PaymentAccount = decider.initialState;
  readonly invoicing: InvoicingInvoice[] = [];
  /** Payments' view of the invoices it has heard of: what invoicing charged (total − credit notes known). */
  readonly view = new Map<number, OpenInvoice>();
  readonly toPayments: ToPayments[] = [];
  readonly toInvoicing: ToInvoicing[] = [];
  /** The oracle: payment → invoice → cash applied, net of reductions; and Σ received. */
  readonly oracle = new Map<string, Map<number, bigint>>();
  received = 0n;
  private payments = 0;

  private oracleAllocated(invoice: number): bigint {
    let total = 0n;
    for (const byInvoice of this.oracle.values()) total += byInvoice.get(invoice) ?? 0n;
    return total;
  }

  private decide(command: PaymentAccountCommand): PaymentsEvent[] {
    const events = decider.decide(command, this.account);
    this.account = events.reduce(decider.evolve, this.account);
    return events;
  }

  step(op: Op): void {
    switch (op.kind) {
      case 'issue': {
        const index = this.invoicing.length;
        this.invoicing.push({ invoiceId: uuid(1, index), total: op.total, credited: 0n, allocatedKnown: 0n, shares: new Map() });
        this.toPayments.push({ type: 'issued', invoice: index });
        return;
      }
      case 'credit-note': {
        // Invoicing decides on the allocations it has heard of: payments may have allocated more since.
        const invoice = this.invoicing[op.invoice];
        if (invoice === undefined) return;
        const amount = (invoice.total * BigInt(op.permille)) / 1_000n || 1n;
        if (amount > invoice.total - invoice.credited - invoice.allocatedKnown) return;
        invoice.credited += amount;
        this.toPayments.push({ type: 'credited', invoice: op.invoice, amount });
        return;
      }
      case 'pay':
        return this.pay(op.amount, op.quote);
      case 'deliver-to-payments':
        return this.deliverToPayments();
      case 'deliver-to-invoicing':
        return this.deliverToInvoicing();
    }
  }

  private pay(amount: bigint, quote: number): void {
    const paymentId = uuid(3, ++this.payments);
    const quoted = this.invoicing[quote]?.invoiceId;
    const openInvoices = [...this.view.values()];
    const events = this.decide({
      type: 'RecordPayment',
      data: {
        paymentId,
        bankReference: `BANK-${this.payments}`,
        customerId: CUSTOMER,
        amount: eur(amount),
        receivedOn: DAY,
        method: 'bank-transfer',
        remittanceReferences: quoted === undefined ? [] : [quoted],
        openInvoices,
        customerKnown: true,
      },
    });
    this.received += amount;

    // The oracle allocates by itself: the quoted invoice first, then oldest due (here: issued first), each up to
    // what payments' view says it charged less what this account has applied to it.
    const byInvoice = new Map<number, bigint>();
    this.oracle.set(paymentId, byInvoice);
    const order = [...this.view.keys()].sort((a, b) => Number(b === quote) - Number(a === quote) || a - b);
    let remaining = amount;
    for (const index of order) {
      const open = (this.view.get(index) as OpenInvoice).openAmount.amountMinor - this.oracleAllocated(index);
      if (remaining === 0n || open <= 0n) continue;
      const applied = remaining < open ? remaining : open;
      byInvoice.set(index, applied);
      remaining -= applied;
    }
    const allocated = events.filter((e) => e.type === 'PaymentAllocated');
    expect(new Map(allocated.map((e) => [e.data.invoiceId, BigInt(e.data.amount.amountMinor)]))).toEqual(
      new Map([...byInvoice].map(([index, applied]) => [this.invoicing[index]?.invoiceId, applied])),
    );
    for (const e of allocated) {
      const index = this.invoicing.findIndex((i) => i.invoiceId === e.data.invoiceId);
      this.toInvoicing.push({ type: 'allocated', invoice: index, paymentId, amount: BigInt(e.data.amount.amountMinor) });
    }
  }

  private deliverToPayments(): void {
    const message = this.toPayments.shift();
    if (message === undefined) return;
    const invoice = this.invoicing[message.invoice] as InvoicingInvoice;
    if (message.type === 'issued') {
      this.view.set(message.invoice, {
        invoiceId: invoice.invoiceId,
        dueDate: addDays(DAY, 30 + message.invoice),
        openAmount: eur(invoice.total),
      });
    } else if (message.type === 'credited') {
      const known = this.view.get(message.invoice) as OpenInvoice;
      this.view.set(message.invoice, { ...known, openAmount: eur(known.openAmount.amountMinor - message.amount) });
    } else {
      const events = this.decide({
        type: 'ReduceAllocation',
        data: {
          paymentId: message.paymentId,
          customerId: CUSTOMER,
          invoiceId: invoice.invoiceId,
          amount: eur(message.excess),
          reason: 'invoice-overpaid',
        },
      });
      // Gives back what was asked, never more than the payment has applied to the invoice.
      const byInvoice = this.oracle.get(message.paymentId) as Map<number, bigint>;
      const had = byInvoice.get(message.invoice) ?? 0n;
      const given = message.excess < had ? message.excess : had;
      expect(events.map((e) => (e.type === 'PaymentAllocationReduced' ? BigInt(e.data.amount.amountMinor) : -1n))).toEqual(
        given > 0n ? [given] : [],
      );
      if (given > 0n) {
        byInvoice.set(message.invoice, had - given);
        this.toInvoicing.push({ type: 'reduced', invoice: message.invoice, paymentId: message.paymentId, amount: given });
      }
    }
  }

  /** Invoicing hears of cash: beyond its charge, it asks the excess back, latest payments first. */
  private deliverToInvoicing(): void {
    const message = this.toInvoicing.shift();
    if (message === undefined) return;
    const invoice = this.invoicing[message.invoice] as InvoicingInvoice;
    const share = invoice.shares.get(message.paymentId) ?? { paymentId: message.paymentId, allocated: eur(0n), returnRequested: eur(0n) };
    if (message.type === 'allocated') {
      invoice.allocatedKnown += message.amount;
      invoice.shares.set(message.paymentId, { ...share, allocated: eur(share.allocated.amountMinor + message.amount) });
    } else {
      invoice.allocatedKnown -= message.amount;
      const stillAsked = share.returnRequested.amountMinor - message.amount;
      invoice.shares.set(message.paymentId, {
        ...share,
        allocated: eur(share.allocated.amountMinor - message.amount),
        returnRequested: eur(stillAsked > 0n ? stillAsked : 0n),
      });
    }
    const charged = invoice.total - invoice.credited;
    const excess = invoice.allocatedKnown > charged ? invoice.allocatedKnown - charged : 0n;
    const unrequested = excess - awaitedReturns([...invoice.shares.values()], 'EUR').amountMinor;
    if (unrequested <= 0n) return;
    for (const part of excessReturns(eur(unrequested), [...invoice.shares.values()])) {
      const asked = invoice.shares.get(part.paymentId) as PaymentShare;
      invoice.shares.set(part.paymentId, { ...asked, returnRequested: eur(asked.returnRequested.amountMinor + part.amount.amountMinor) });
      this.toPayments.push({ type: 'overpaid', invoice: message.invoice, paymentId: part.paymentId, excess: part.amount.amountMinor });
    }
  }

  drain(): void {
    while (this.toPayments.length > 0 || this.toInvoicing.length > 0) {
      this.deliverToPayments();
      this.deliverToInvoicing();
    }
  }

  /** The account equals the oracle; nothing is negative; money is neither lost nor doubled. */
  check(): void {
    let allocatedTotal = 0n;
    this.invoicing.forEach((invoice, index) => {
      const applied = allocatedTo(this.account, invoice.invoiceId, 'EUR').amountMinor;
      expect(applied).toBe(this.oracleAllocated(index));
      expect(applied >= 0n).toBe(true);
      allocatedTotal += applied;
      const known = this.view.get(index);
      if (known !== undefined) expect(openAfterAllocations(this.account, known).amountMinor >= 0n).toBe(true);
    });
    if (this.account.status === 'active') {
      for (const payment of this.account.payments.values()) expect(payment.unapplied.amountMinor >= 0n).toBe(true);
    }
    const left = unappliedCash(this.account, 'EUR');
    expect(left.amountMinor).toBe(this.received - allocatedTotal);

    // What credit and projections count (the one rule, on every fact known): open AR and unapplied cash,
    // which together always account for every cent invoiced, credited and received.
    const figures = this.invoicing.map((invoice) => ({
      ...noFigures('EUR', eur(invoice.total)),
      credited: eur(invoice.credited),
      allocated: allocatedTo(this.account, invoice.invoiceId, 'EUR'),
    }));
    const open = openAr(figures, 'EUR').amountMinor;
    const unapplied = unappliedByRule(left, excessAllocations(figures, 'EUR')).amountMinor;
    const invoiced = this.invoicing.reduce((s, i) => s + i.total - i.credited, 0n);
    expect(open >= 0n && unapplied >= 0n).toBe(true);
    expect(open - unapplied).toBe(invoiced - this.received);
  }
}

describe('money invariants of a payment account (generated invoices, credit notes and payments on a view that arrives late)', () => {
  const scenario = fc.array(opArbitrary, { minLength: 1, maxLength: 40 });

  it('allocates exactly as the oracle, never below zero, and keeps open AR − unapplied cash = invoiced − credited − received at every step', () => {
    fc.assert(
      fc.property(scenario, (ops) => {
        const simulation = new Simulation();
        for (const op of ops) {
          simulation.step(op);
          simulation.check();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('ends, once every message has arrived, with no invoice carrying more cash than it charged and the excess on account', () => {
    fc.assert(
      fc.property(scenario, (ops) => {
        const simulation = new Simulation();
        for (const op of ops) simulation.step(op);
        simulation.drain();
        simulation.check();
        simulation.invoicing.forEach((invoice, index) => {
          const charged = invoice.total - invoice.credited;
          const applied = allocatedTo(simulation.account, invoice.invoiceId, 'EUR').amountMinor;
          expect(applied <= charged).toBe(true);
          expect(invoice.allocatedKnown).toBe(applied);
          expect(simulation.view.get(index)?.openAmount.amountMinor).toBe(charged);
          expect(openAfterAllocations(simulation.account, simulation.view.get(index) as OpenInvoice).amountMinor).toBe(charged - applied);
        });
      }),
      { numRuns: 150 },
    );
  });
});
