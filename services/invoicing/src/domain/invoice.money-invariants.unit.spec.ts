/*
 * Money invariants of the invoice decider on generated sequences (issue 7): invoices, credit notes, cash that
 * payments allocated on a view that may be stale (so it can exceed the balance), payments' answers to
 * InvoiceOverpaid (PaymentAllocationReduced) arriving late, and redelivered cash events. After every step
 * the invoice's figures equal an oracle kept here with plain bigints, and no open balance is negative; once
 * every answer has arrived, no allocation exceeds what the invoice charged.
 *
 * The payments side is a stand-in written here (it gives back what it is asked, never more than the payment
 * allocated to the invoice); payments' own decider has the mirror suite in services/payments.
 */
import fc from 'fast-check';
import type { BusinessDate } from '@arc/clock';
import { money, type Money } from '@arc/money';
import { openBalance } from '@arc/receivables';
import {
  balanceOf,
  invoiceDecider as decider,
  invoiceFigures,
  type Invoice,
  type InvoiceCommand,
  type InvoiceStreamEvent,
} from './invoice.decider';
import { CreditNoteExceedsBalanceError } from './invoice.errors';

const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';
const eur = (minor: bigint): Money => money(minor, 'EUR');
const DAY = '2026-01-05' as BusinessDate;
/** A UUID per kind and number, so the events pass their contracts. */
const uuid = (kind: number, n: number) => `00000000-0000-4000-8${kind}00-${String(n).padStart(12, '0')}`;

type Op =
  | { kind: 'credit-note'; invoice: number; permille: number }
  | { kind: 'allocate'; invoice: number; payment: number; permille: number }
  | { kind: 'answer-overpaid'; pick: number }
  | { kind: 'redeliver'; pick: number };

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('credit-note' as const), invoice: fc.nat(2), permille: fc.integer({ min: 1, max: 1_100 }) }),
  fc.record({
    kind: fc.constant('allocate' as const),
    invoice: fc.nat(2),
    payment: fc.nat(3),
    permille: fc.integer({ min: 1, max: 1_100 }),
  }),
  fc.record({ kind: fc.constant('answer-overpaid' as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant('redeliver' as const), pick: fc.nat() }),
);

/** What the oracle knows of one invoice: plain bigints, the brief's definitions written out. */
interface OracleInvoice {
  total: bigint;
  credited: bigint;
  /** Σ allocations recorded, net of reductions recorded. */
  allocated: bigint;
  /** Σ allocations ever recorded (before any reduction). */
  allocatedGross: bigint;
  /** payment → its allocation to this invoice, net (what the payments stand-in can give back). */
  byPayment: Map<string, bigint>;
}
const charged = (o: OracleInvoice) => o.total - o.credited;
const oracleOpen = (o: OracleInvoice) => (charged(o) > o.allocated ? charged(o) - o.allocated : 0n);
const oracleExcess = (o: OracleInvoice) => (o.allocated > charged(o) ? o.allocated - charged(o) : 0n);

class Simulation {
  readonly states: Invoice[] = [];
  readonly oracle: OracleInvoice[] = [];
  /** InvoiceOverpaid requests payments has not answered yet. */
  readonly pendingOverpaid: { invoice: number; paymentId: string; excess: bigint }[] = [];
  readonly cashCommands: { invoice: number; command: InvoiceCommand }[] = [];
  private sequence = 0;

  constructor(totals: bigint[]) {
    totals.forEach((total, i) => {
      const events = decider.decide(
        {
          type: 'IssueInvoice',
          data: {
            invoiceId: uuid(1, i),
            invoiceNumber: `INV-${i}`,
            customerId: CUSTOMER,
            currency: 'EUR',
            lines: [{ description: 'goods', netAmount: eur(total), taxAmount: eur(0n) }],
            issueDate: DAY,
            paymentTerms: { netDays: 30 },
          },
        },
        decider.initialState,
      );
      this.states.push(events.reduce(decider.evolve, decider.initialState));
      this.oracle.push({ total, credited: 0n, allocated: 0n, allocatedGross: 0n, byPayment: new Map() });
    });
  }

  private apply(index: number, command: InvoiceCommand): InvoiceStreamEvent[] {
    const events = decider.decide(command, this.states[index] as Invoice);
    this.states[index] = events.reduce(decider.evolve, this.states[index] as Invoice);
    for (const event of events) {
      if (event.type === 'InvoiceOverpaid') {
        this.pendingOverpaid.push({ invoice: index, paymentId: event.data.paymentId, excess: BigInt(event.data.excess.amountMinor) });
      }
    }
    return events;
  }

  step(op: Op): void {
    switch (op.kind) {
      case 'credit-note': {
        const o = this.oracle[op.invoice] as OracleInvoice;
        const amount = (o.total * BigInt(op.permille)) / 1_000n || 1n;
        const command: InvoiceCommand = {
          type: 'IssueCreditNote',
          data: {
            creditNoteId: uuid(2, ++this.sequence),
            creditNoteNumber: `CN-${this.sequence}`,
            amount: eur(amount),
            reason: 'r',
            issueDate: DAY,
          },
        };
        if (amount <= oracleOpen(o)) {
          expect(this.apply(op.invoice, command).map((e) => e.type)).toEqual(['CreditNoteIssued']);
          o.credited += amount;
        } else {
          expect(() => this.apply(op.invoice, command)).toThrow(CreditNoteExceedsBalanceError);
        }
        return;
      }
      case 'allocate': {
        // Payments decided on a view that may not know a credit note yet: the amount may exceed the balance.
        const o = this.oracle[op.invoice] as OracleInvoice;
        const amount = (o.total * BigInt(op.permille)) / 1_000n || 1n;
        const paymentId = uuid(3, op.payment);
        const command: InvoiceCommand = {
          type: 'RecordPaymentAllocation',
          data: { sourceEventId: uuid(4, ++this.sequence), paymentId, customerId: CUSTOMER, amount: eur(amount), allocatedOn: DAY },
        };
        this.cashCommands.push({ invoice: op.invoice, command });
        const excessBefore = oracleExcess(o);
        const events = this.apply(op.invoice, command);
        o.allocated += amount;
        o.allocatedGross += amount;
        o.byPayment.set(paymentId, (o.byPayment.get(paymentId) ?? 0n) + amount);
        // What the allocation brought beyond the balance is asked back at once, exactly, and no more.
        const asked = events.filter((e) => e.type === 'InvoiceOverpaid').reduce((s, e) => s + BigInt(e.data.excess.amountMinor), 0n);
        expect(asked).toBe(oracleExcess(o) - excessBefore);
        return;
      }
      case 'answer-overpaid': {
        if (this.pendingOverpaid.length === 0) return;
        const [request] = this.pendingOverpaid.splice(op.pick % this.pendingOverpaid.length, 1);
        this.answer(request as (typeof this.pendingOverpaid)[number]);
        return;
      }
      case 'redeliver': {
        // Kafka delivers at least once: a cash event recorded before changes nothing the second time.
        if (this.cashCommands.length === 0) return;
        const { invoice, command } = this.cashCommands[op.pick % this.cashCommands.length] as (typeof this.cashCommands)[number];
        expect(this.apply(invoice, command)).toEqual([]);
        return;
      }
    }
  }

  /** The payments stand-in: gives back what it is asked, at most what the payment has allocated to the invoice. */
  answer(request: { invoice: number; paymentId: string; excess: bigint }): void {
    const o = this.oracle[request.invoice] as OracleInvoice;
    const allocatedByPayment = o.byPayment.get(request.paymentId) ?? 0n;
    const given = request.excess < allocatedByPayment ? request.excess : allocatedByPayment;
    if (given <= 0n) return;
    const command: InvoiceCommand = {
      type: 'RecordAllocationReduction',
      data: { sourceEventId: uuid(4, ++this.sequence), paymentId: request.paymentId, customerId: CUSTOMER, amount: eur(given) },
    };
    this.cashCommands.push({ invoice: request.invoice, command });
    this.apply(request.invoice, command);
    o.allocated -= given;
    o.byPayment.set(request.paymentId, allocatedByPayment - given);
  }

  drain(): void {
    while (this.pendingOverpaid.length > 0) this.answer(this.pendingOverpaid.shift() as (typeof this.pendingOverpaid)[number]);
  }

  /** The invoice's figures equal the oracle's and nothing is negative. */
  check(): void {
    this.states.forEach((state, i) => {
      const o = this.oracle[i] as OracleInvoice;
      const balance = balanceOf(state);
      if (state.status !== 'issued' || balance === null) throw new Error('every invoice was issued');
      expect(state.credited.amountMinor).toBe(o.credited);
      expect(state.allocated.amountMinor).toBe(o.allocated);
      expect(balance.open.amountMinor).toBe(oracleOpen(o));
      expect(balance.excess.amountMinor).toBe(oracleExcess(o));
      expect(balance.open.amountMinor >= 0n).toBe(true);
      expect(balance.charged.amountMinor >= 0n).toBe(true);
      // The one rule (@arc/receivables) gives every context the same figure from the same facts.
      expect(openBalance(invoiceFigures(state)).amountMinor).toBe(oracleOpen(o));
    });
  }
}

describe('money invariants of an invoice (generated sequences of credit notes, allocations and their reductions)', () => {
  const scenario = fc.record({
    totals: fc.array(fc.bigInt({ min: 1n, max: 99_999_999_999n }), { minLength: 3, maxLength: 3 }),
    ops: fc.array(opArbitrary, { minLength: 1, maxLength: 40 }),
  });

  it('never shows a negative open balance, refuses exactly the credit notes beyond the open balance, and equals the oracle after every step', () => {
    fc.assert(
      fc.property(scenario, ({ totals, ops }) => {
        const simulation = new Simulation(totals);
        for (const op of ops) {
          simulation.step(op);
          simulation.check();
        }
      }),
      { numRuns: 150 },
    );
  });

  it('ends with every excess back on account: allocations = min(all cash allocated, what was charged), none above the charge', () => {
    fc.assert(
      fc.property(scenario, ({ totals, ops }) => {
        const simulation = new Simulation(totals);
        for (const op of ops) simulation.step(op);
        simulation.drain();
        simulation.check();
        simulation.oracle.forEach((o, i) => {
          const state = simulation.states[i] as Invoice;
          if (state.status !== 'issued') throw new Error('issued');
          const expected = o.allocatedGross < charged(o) ? o.allocatedGross : charged(o);
          expect(state.allocated.amountMinor).toBe(expected);
          expect(balanceOf(state)?.excess.amountMinor).toBe(0n);
          // Every payment's share stays within what it allocated: no payment was asked back more than it gave.
          for (const share of state.payments.values()) expect(share.allocated.amountMinor >= 0n).toBe(true);
        });
      }),
      { numRuns: 150 },
    );
  });
});
