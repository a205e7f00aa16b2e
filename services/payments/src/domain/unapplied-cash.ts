/*
 * What happens to a payment after it is recorded: finance's settings for the customer, unapplied cash applied later
 * (by finance, or automatically to a new invoice), refunded, the payment reversed, a short payment explained. Pure.
 */
import type { BusinessDate } from '@arc/clock';
import type { PaymentsEvent, ReversalReason, ShortPaymentReasonCode, UnmatchedCashFallback } from '@arc/contracts';
import { isPositive, min, money, subtract, toJson, zero, type Money } from '@arc/money';
import {
  AccountCustomerMismatchError,
  CurrencyMismatchError,
  InsufficientUnappliedCashError,
  InvoiceNotOpenEnoughError,
  InvoiceNotOpenError,
  PaymentAmountNotPositiveError,
  PaymentNotFoundError,
  PaymentRefundedError,
  PaymentReversedError,
} from './payment-account.errors';
import { openAfterAllocations, type OpenInvoice, type PaymentAccount, type RecordedPayment } from './payment-account.state';

export type SetPaymentSettings = {
  type: 'SetPaymentSettings';
  data: { customerId: string; unmatchedCash: UnmatchedCashFallback; applyUnappliedToNewInvoices: boolean; discountToleranceMinor: bigint };
};

/** Finance applies unapplied cash to invoices it chose (from one payment, or from the oldest receipts first). */
export type ApplyUnappliedCash = {
  type: 'ApplyUnappliedCash';
  data: {
    customerId: string;
    paymentId?: string | null;
    allocations: Array<{ invoiceId: string; amount: Money }>;
    /** The customer's open invoices from the view. */
    openInvoices: OpenInvoice[];
    appliedOn: BusinessDate;
  };
};

/** An invoice was issued: the customer's unapplied cash goes to it if the customer's setting says so. */
export type ApplyUnappliedToNewInvoice = {
  type: 'ApplyUnappliedToNewInvoice';
  data: { customerId: string; invoice: OpenInvoice; appliedOn: BusinessDate };
};

export type RefundUnappliedCash = {
  type: 'RefundUnappliedCash';
  data: { customerId: string; refundId: string; paymentId?: string | null; amount: Money; refundedOn: BusinessDate; reason: string };
};

export type ReversePayment = {
  type: 'ReversePayment';
  data: { customerId: string; paymentId: string; reason: ReversalReason; note: string | null; reversedOn: BusinessDate };
};

export type RecordShortPayment = {
  type: 'RecordShortPayment';
  data: {
    customerId: string;
    paymentId: string;
    invoiceId: string;
    reasonCode: ShortPaymentReasonCode;
    reason: string;
    openInvoices: OpenInvoice[];
    recordedOn: BusinessDate;
  };
};

type Active = Extract<PaymentAccount, { status: 'active' }>;

function sameCustomer(account: PaymentAccount, customerId: string): void {
  if (account.status === 'active' && account.customerId !== customerId)
    throw new AccountCustomerMismatchError(account.customerId, customerId);
}

/** Payments with unapplied cash in the currency, oldest receipt first (or only the one named). */
function sources(account: PaymentAccount, currency: string, paymentId: string | null | undefined): Array<[string, RecordedPayment]> {
  if (account.status !== 'active') {
    if (paymentId != null) throw new PaymentNotFoundError(paymentId);
    return [];
  }
  if (paymentId != null) {
    const payment = account.payments.get(paymentId);
    if (payment === undefined) throw new PaymentNotFoundError(paymentId);
    if (payment.reversed) throw new PaymentReversedError(paymentId);
    if (payment.amount.currency !== currency)
      throw new CurrencyMismatchError(currency, payment.amount.currency, `payment ${paymentId}`, 'the amount asked for');
    return [[paymentId, payment]];
  }
  return [...account.payments.entries()]
    .filter(([, p]) => !p.reversed && p.unapplied.currency === currency && isPositive(p.unapplied))
    .sort(([a, p], [b, q]) => (p.receivedOn < q.receivedOn ? -1 : p.receivedOn > q.receivedOn ? 1 : a < b ? -1 : a > b ? 1 : 0));
}

/** Draws `amount` from the sources' unapplied cash, in order: [paymentId, amount drawn][]; throws when there is not enough. */
function draw(from: Array<[string, RecordedPayment]>, amount: Money, used: Map<string, Money>): Array<[string, Money]> {
  const out: Array<[string, Money]> = [];
  let left = amount;
  for (const [paymentId, payment] of from) {
    if (!isPositive(left)) break;
    const available = subtract(payment.unapplied, used.get(paymentId) ?? zero(amount.currency));
    if (!isPositive(available)) continue;
    const take = min(available, left);
    out.push([paymentId, take]);
    used.set(paymentId, add0(used.get(paymentId), take));
    left = subtract(left, take);
  }
  // What the sources had before this draw: what it took plus what it left short.
  if (isPositive(left))
    throw new InsufficientUnappliedCashError(amount.amountMinor, amount.amountMinor - left.amountMinor, amount.currency);
  return out;
}

const add0 = (a: Money | undefined, b: Money): Money => (a === undefined ? b : money(a.amountMinor + b.amountMinor, b.currency));

export function setPaymentSettings(command: SetPaymentSettings, account: PaymentAccount): PaymentsEvent[] {
  const d = command.data;
  sameCustomer(account, d.customerId);
  const s = account.settings;
  if (
    s.unmatchedCash === d.unmatchedCash &&
    s.applyUnappliedToNewInvoices === d.applyUnappliedToNewInvoices &&
    s.discountToleranceMinor === d.discountToleranceMinor
  ) {
    return [];
  }
  return [
    {
      type: 'CustomerPaymentSettingsSet',
      data: {
        customerId: d.customerId,
        unmatchedCash: d.unmatchedCash,
        applyUnappliedToNewInvoices: d.applyUnappliedToNewInvoices,
        discountToleranceMinor: d.discountToleranceMinor.toString(),
      },
    },
  ];
}

export function applyUnappliedCash(command: ApplyUnappliedCash, account: PaymentAccount): PaymentsEvent[] {
  const d = command.data;
  sameCustomer(account, d.customerId);
  const invoices = new Map(d.openInvoices.map((i) => [i.invoiceId, i]));
  const used = new Map<string, Money>();
  const events: PaymentsEvent[] = [];
  const applied = new Map<string, bigint>();
  for (const { invoiceId, amount } of d.allocations) {
    if (!isPositive(amount)) throw new PaymentAmountNotPositiveError(amount.amountMinor);
    const invoice = invoices.get(invoiceId);
    if (invoice === undefined || invoice.openAmount.currency !== amount.currency) throw new InvoiceNotOpenError(invoiceId);
    const open = openAfterAllocations(account, invoice).amountMinor - (applied.get(invoiceId) ?? 0n);
    if (amount.amountMinor > open) throw new InvoiceNotOpenEnoughError(invoiceId, amount.amountMinor, open);
    applied.set(invoiceId, (applied.get(invoiceId) ?? 0n) + amount.amountMinor);
    for (const [paymentId, cash] of draw(sources(account, amount.currency, d.paymentId), amount, used)) {
      events.push({
        type: 'PaymentAllocated',
        data: {
          paymentId,
          customerId: d.customerId,
          invoiceId,
          amount: toJson(cash),
          allocatedOn: d.appliedOn,
          matchedBy: 'applied-by-finance',
          matchExplanation: `unapplied cash applied by finance to ${invoice.invoiceNumber ?? invoiceId}`,
        },
      });
    }
  }
  return events;
}

export function applyUnappliedToNewInvoice(command: ApplyUnappliedToNewInvoice, account: PaymentAccount): PaymentsEvent[] {
  const { customerId, invoice, appliedOn } = command.data;
  sameCustomer(account, customerId);
  if (account.status !== 'active' || !account.settings.applyUnappliedToNewInvoices) return [];
  const open = openAfterAllocations(account, invoice);
  const from = sources(account, open.currency, null);
  const available = from.reduce((s, [, p]) => s + p.unapplied.amountMinor, 0n);
  const amount = min(open, money(available, open.currency));
  if (!isPositive(amount)) return [];
  return draw(from, amount, new Map()).map(([paymentId, cash]) => ({
    type: 'PaymentAllocated' as const,
    data: {
      paymentId,
      customerId,
      invoiceId: invoice.invoiceId,
      amount: toJson(cash),
      allocatedOn: appliedOn,
      matchedBy: 'applied-to-new-invoice' as const,
      matchExplanation: `unapplied cash applied to the new invoice ${invoice.invoiceNumber ?? invoice.invoiceId}: the customer is set to apply it automatically`,
    },
  }));
}

export function refundUnappliedCash(command: RefundUnappliedCash, account: PaymentAccount): PaymentsEvent[] {
  const d = command.data;
  sameCustomer(account, d.customerId);
  if (!isPositive(d.amount)) throw new PaymentAmountNotPositiveError(d.amount.amountMinor);
  return draw(sources(account, d.amount.currency, d.paymentId), d.amount, new Map()).map(([paymentId, cash]) => ({
    type: 'PaymentRefunded' as const,
    data: { refundId: d.refundId, paymentId, customerId: d.customerId, amount: toJson(cash), refundedOn: d.refundedOn, reason: d.reason },
  }));
}

export function reversePayment(command: ReversePayment, account: PaymentAccount): PaymentsEvent[] {
  const d = command.data;
  sameCustomer(account, d.customerId);
  const payment = account.status === 'active' ? account.payments.get(d.paymentId) : undefined;
  if (payment === undefined) throw new PaymentNotFoundError(d.paymentId);
  if (payment.reversed) throw new PaymentReversedError(d.paymentId);
  if (isPositive(payment.refunded)) throw new PaymentRefundedError(d.paymentId);
  const events: PaymentsEvent[] = [];
  for (const [invoiceId, amount] of payment.allocations) {
    if (!isPositive(amount)) continue;
    events.push({
      type: 'PaymentAllocationReduced',
      data: { paymentId: d.paymentId, customerId: d.customerId, invoiceId, amount: toJson(amount), reason: 'payment-reversed' },
    });
  }
  for (const [invoiceId, discount] of payment.discounts) {
    if (!isPositive(discount)) continue;
    events.push({
      type: 'PaymentDiscountWithdrawn',
      data: { paymentId: d.paymentId, customerId: d.customerId, invoiceId, discount: toJson(discount), reason: 'payment-reversed' },
    });
  }
  events.push({
    type: 'PaymentReversed',
    data: {
      paymentId: d.paymentId,
      customerId: d.customerId,
      amount: toJson(payment.amount),
      reversedOn: d.reversedOn,
      reason: d.reason,
      note: d.note,
    },
  });
  return events;
}

export function recordShortPayment(command: RecordShortPayment, account: PaymentAccount): PaymentsEvent[] {
  const d = command.data;
  sameCustomer(account, d.customerId);
  const payment = (account as Active).payments?.get(d.paymentId);
  if (account.status !== 'active' || payment === undefined) throw new PaymentNotFoundError(d.paymentId);
  if (payment.reversed) throw new PaymentReversedError(d.paymentId);
  const invoice = d.openInvoices.find((i) => i.invoiceId === d.invoiceId);
  if (invoice === undefined) throw new InvoiceNotOpenError(d.invoiceId);
  const shortfall = openAfterAllocations(account, invoice);
  if (!isPositive(shortfall)) throw new InvoiceNotOpenEnoughError(d.invoiceId, 1n, 0n);
  return [
    {
      type: 'ShortPaymentRecorded',
      data: {
        paymentId: d.paymentId,
        customerId: d.customerId,
        invoiceId: d.invoiceId,
        shortfall: toJson(shortfall),
        reasonCode: d.reasonCode,
        reason: d.reason,
        source: 'finance',
        recordedOn: d.recordedOn,
      },
    },
  ];
}
