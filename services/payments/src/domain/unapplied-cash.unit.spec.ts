import type { BusinessDate } from '@arc/clock';
import { PaymentsEvents, type PaymentsEvent } from '@arc/contracts';
import { formatMajor, parseMajor } from '@arc/money';
import {
  openAfterAllocations,
  paymentAccountDecider as decider,
  unappliedCash,
  type OpenInvoice,
  type PaymentAccount,
  type PaymentAccountCommand,
  type ReceiptData,
} from './payment-account.decider';
import {
  InsufficientUnappliedCashError,
  InvoiceNotOpenEnoughError,
  PaymentRefundedError,
  PaymentReversedError,
} from './payment-account.errors';

const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';
const A = '7f3c2a1e-0000-4000-8000-00000000000a';
const B = '7f3c2a1e-0000-4000-8000-00000000000b';
const C = '7f3c2a1e-0000-4000-8000-00000000000c';
const P1 = 'b1b2c3d4-0000-4000-8000-000000000001';
const P2 = 'b1b2c3d4-0000-4000-8000-000000000002';
const REFUND = 'e1b2c3d4-0000-4000-8000-000000000001';
const eur = (major: string) => parseMajor(major, 'EUR');
const day = (text: string) => text as BusinessDate;
const inv = (invoiceId: string, major: string, due: string, invoiceNumber: string): OpenInvoice => ({
  invoiceId,
  invoiceNumber,
  dueDate: day(due),
  openAmount: eur(major),
});
const invoices = [inv(A, '300.00', '2026-01-31', 'INV-A-1'), inv(B, '200.00', '2026-02-28', 'INV-B-2')];

const receipt = (paymentId: string, major: string, changes: Partial<ReceiptData> = {}): PaymentAccountCommand => ({
  type: 'RecordPayment',
  data: {
    paymentId,
    bankReference: `BANK-${paymentId.slice(-4)}`,
    customerId: CUSTOMER,
    amount: eur(major),
    receivedOn: day('2026-02-01'),
    method: 'cheque',
    openInvoices: invoices,
    customerKnown: true,
    ...changes,
  },
});

/** Runs commands one after the other, each checked against its contracts, and answers the events and the state. */
function run(commands: PaymentAccountCommand[], start: PaymentAccount = decider.initialState) {
  let state = start;
  const events: PaymentsEvent[] = [];
  for (const command of commands) {
    const decided = decider.decide(command, state);
    for (const e of decided) expect(PaymentsEvents[e.type].validate(e.data)).toMatchObject({ ok: true });
    state = decided.reduce(decider.evolve, state);
    events.push(...decided);
  }
  return { events, state };
}

const settings = (apply: boolean): PaymentAccountCommand => ({
  type: 'SetPaymentSettings',
  data: { customerId: CUSTOMER, unmatchedCash: 'oldest-due-first', applyUnappliedToNewInvoices: apply, discountToleranceMinor: 0n },
});

describe('reversals', () => {
  it('a bounced cheque reverses the allocations to the two invoices it paid and reopens them', () => {
    const { state } = run([receipt(P1, '500.00')]);
    expect(invoices.map((i) => formatMajor(openAfterAllocations(state, i)))).toEqual(['0.00', '0.00']);
    const reversed = run(
      [
        {
          type: 'ReversePayment',
          data: {
            customerId: CUSTOMER,
            paymentId: P1,
            reason: 'cheque-bounced',
            note: 'insufficient funds',
            reversedOn: day('2026-02-05'),
          },
        },
      ],
      state,
    );
    expect(reversed.events.map((e) => e.type)).toEqual(['PaymentAllocationReduced', 'PaymentAllocationReduced', 'PaymentReversed']);
    expect(reversed.events.slice(0, 2).map((e) => (e.data as { reason: string }).reason)).toEqual(['payment-reversed', 'payment-reversed']);
    expect(invoices.map((i) => formatMajor(openAfterAllocations(reversed.state, i)))).toEqual(['300.00', '200.00']);
    expect(formatMajor(unappliedCash(reversed.state, 'EUR'))).toBe('0.00');
  });

  it('withdraws the discount a reversed payment earned', () => {
    const discounted: OpenInvoice = {
      ...inv(C, '1000.00', '2026-03-01', 'INV-C-3'),
      earlyPaymentDiscount: { basisPoints: 200, payBy: day('2026-02-10') },
    };
    const { state } = run([receipt(P1, '980.00', { openInvoices: [discounted], remittanceReferences: ['INV-C-3'] })]);
    expect(formatMajor(openAfterAllocations(state, discounted))).toBe('0.00');
    const reversed = run(
      [
        {
          type: 'ReversePayment',
          data: { customerId: CUSTOMER, paymentId: P1, reason: 'chargeback', note: null, reversedOn: day('2026-02-05') },
        },
      ],
      state,
    );
    expect(reversed.events.map((e) => e.type)).toEqual(['PaymentAllocationReduced', 'PaymentDiscountWithdrawn', 'PaymentReversed']);
    expect(formatMajor(openAfterAllocations(reversed.state, discounted))).toBe('1000.00');
  });

  it('refuses reversing a payment twice, or one already partly refunded', () => {
    const reverse = {
      type: 'ReversePayment' as const,
      data: { customerId: CUSTOMER, paymentId: P1, reason: 'chargeback' as const, note: null, reversedOn: day('2026-02-05') },
    };
    const { state } = run([receipt(P1, '500.00'), reverse]);
    expect(() => decider.decide(reverse, state)).toThrow(PaymentReversedError);
    const refunded = run([
      receipt(P1, '800.00'),
      {
        type: 'RefundUnappliedCash',
        data: { customerId: CUSTOMER, refundId: REFUND, amount: eur('100.00'), refundedOn: day('2026-02-02'), reason: 'asked back' },
      },
    ]);
    expect(() => decider.decide(reverse, refunded.state)).toThrow(PaymentRefundedError);
  });
});

describe('unapplied cash', () => {
  it('is applied automatically to the next invoice of a customer set to do so, and not for another', () => {
    const next = inv(C, '800.00', '2026-03-31', 'INV-C-3');
    const apply = {
      type: 'ApplyUnappliedToNewInvoice' as const,
      data: { customerId: CUSTOMER, invoice: next, appliedOn: day('2026-02-10') },
    };
    const on = run([settings(true), receipt(P1, '500.00', { openInvoices: [] }), apply]);
    expect(
      on.events.filter((e) => e.type === 'PaymentAllocated').map((e) => [e.data.invoiceId, e.data.amount.amountMinor, e.data.matchedBy]),
    ).toEqual([[C, '50000', 'applied-to-new-invoice']]);
    expect(formatMajor(unappliedCash(on.state, 'EUR'))).toBe('0.00');
    const off = run([receipt(P1, '500.00', { openInvoices: [] }), apply]);
    expect(off.events.map((e) => e.type)).toEqual(['PaymentReceived', 'PaymentLeftUnapplied']);
  });

  it('is refunded from the oldest receipts first, and never more than is on account', () => {
    const { events, state } = run([
      receipt(P1, '600.00', { receivedOn: day('2026-02-01') }),
      receipt(P2, '100.00', { receivedOn: day('2026-02-03'), openInvoices: [] }),
      {
        type: 'RefundUnappliedCash',
        data: { customerId: CUSTOMER, refundId: REFUND, amount: eur('150.00'), refundedOn: day('2026-02-04'), reason: 'overpaid' },
      },
    ]);
    expect(events.filter((e) => e.type === 'PaymentRefunded').map((e) => [e.data.paymentId, e.data.amount.amountMinor])).toEqual([
      [P1, '10000'],
      [P2, '5000'],
    ]);
    expect(formatMajor(unappliedCash(state, 'EUR'))).toBe('50.00');
    expect(() =>
      decider.decide(
        {
          type: 'RefundUnappliedCash',
          data: { customerId: CUSTOMER, refundId: REFUND, amount: eur('50.01'), refundedOn: day('2026-02-04'), reason: 'x' },
        },
        state,
      ),
    ).toThrow(InsufficientUnappliedCashError);
  });

  it('is applied later by finance to the invoice it chooses, never beyond what is open', () => {
    const { events, state } = run([
      receipt(P1, '450.00', { openInvoices: [] }),
      {
        type: 'ApplyUnappliedCash',
        data: {
          customerId: CUSTOMER,
          allocations: [{ invoiceId: B, amount: eur('200.00') }],
          openInvoices: invoices,
          appliedOn: day('2026-02-06'),
        },
      },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'PaymentAllocated', data: { invoiceId: B, matchedBy: 'applied-by-finance' } });
    expect(formatMajor(unappliedCash(state, 'EUR'))).toBe('250.00');
    expect(() =>
      decider.decide(
        {
          type: 'ApplyUnappliedCash',
          data: {
            customerId: CUSTOMER,
            allocations: [{ invoiceId: B, amount: eur('0.01') }],
            openInvoices: invoices,
            appliedOn: day('2026-02-06'),
          },
        },
        state,
      ),
    ).toThrow(InvoiceNotOpenEnoughError);
  });
});

describe('short payments recorded by finance', () => {
  it('records the invoice’s open rest as the shortfall, with finance’s reason', () => {
    const { events } = run([
      receipt(P1, '250.00', { remittanceReferences: ['INV-A-1'] }),
      {
        type: 'RecordShortPayment',
        data: {
          customerId: CUSTOMER,
          paymentId: P1,
          invoiceId: A,
          reasonCode: 'pricing',
          reason: 'price list of 2025 applied',
          openInvoices: invoices,
          recordedOn: day('2026-02-02'),
        },
      },
    ]);
    expect(events.at(-1)).toMatchObject({
      type: 'ShortPaymentRecorded',
      data: { shortfall: { amountMinor: '5000' }, source: 'finance', reasonCode: 'pricing' },
    });
  });
});

describe('instalments', () => {
  const split: OpenInvoice = {
    ...inv(C, '900.00', '2026-04-30', 'INV-C-3'),
    dueItems: [
      { dueDate: day('2026-02-28'), amount: eur('300.00') },
      { dueDate: day('2026-03-31'), amount: eur('300.00') },
      { dueDate: day('2026-04-30'), amount: eur('300.00') },
    ],
  };
  const other = inv(A, '1000.00', '2026-03-15', 'INV-A-1');

  it('an amount equal to the instalment due next pays it, and the next receipt of that amount pays the one after', () => {
    const { events, state } = run([
      receipt(P1, '300.00', { openInvoices: [other, split] }),
      receipt(P2, '300.00', { openInvoices: [other, split] }),
    ]);
    const allocations = events.filter((e) => e.type === 'PaymentAllocated');
    expect(allocations.map((e) => [e.data.invoiceId, e.data.amount.amountMinor, e.data.matchedBy])).toEqual([
      [C, '30000', 'exact-amount'],
      [C, '30000', 'exact-amount'],
    ]);
    expect(allocations[1]?.data.matchExplanation).toContain('instalment 2 of INV-C-3');
    expect(formatMajor(openAfterAllocations(state, split))).toBe('300.00');
  });
});
