/*
 * Customer payment account (stream `payment-account-<customerId>`): the receipts of one customer, the cash
 * applied from them to its invoices, and what is left unapplied on account.
 * The invariant it protects: cash applied to an invoice never exceeds its open amount as far as payments
 * knows it, and one bank receipt is recorded once. All of a customer's payments append to this one stream,
 * so the handler's expected-version check serialises them and two payments cannot both take the same open
 * amount. What payments cannot know (a credit note still on its way) invoicing, the owner of the balance,
 * reports as InvoiceOverpaid: ReduceAllocation then puts the excess back on the payment's unapplied cash.
 */
import { bookingDateVerdict, compare as compareDates, type BusinessDate } from '@arc/clock';
import {
  validated,
  PaymentsEvents,
  schemaVersionsOf,
  type AllocationReductionReason,
  type PaymentMethod,
  type PaymentsEvent,
} from '@arc/contracts';
import type { Decider } from '@arc/decider';
import { add, equals, isPositive, min, parseMoney, subtract, sum, toJson, zero, type Money } from '@arc/money';
import { invoiceBalance, noFigures, type InvoiceFigures } from '@arc/receivables';
import {
  AccountCustomerMismatchError,
  BankReferenceConflictError,
  CurrencyMismatchError,
  OpenInvoiceListedTwiceError,
  PaymentAmountNotPositiveError,
  CustomerUnknownError,
  PaymentIdReusedError,
  ReceiptDateRefusedError,
} from './payment-account.errors';

export const paymentAccountStreamId = (customerId: string): string => `payment-account-${customerId}`;

// ---------------------------------------------------------------------------------------------- commands

/** An open invoice of the customer as the payments service's view knows it from invoicing events. */
export interface OpenInvoice {
  invoiceId: string;
  /** Matched against the payer's remittance references; optional. */
  invoiceNumber?: string;
  dueDate: BusinessDate;
  /**
   * What invoicing says is owed: total − credit notes (− write-offs + debit notes, once they exist).
   * NOT reduced by payments: this account's own allocations are its state and are subtracted here, so a
   * view that also subtracted them would count them twice.
   */
  openAmount: Money;
}

export type RecordPayment = {
  type: 'RecordPayment';
  data: {
    paymentId: string;
    /** Identifies the receipt: recording the same reference again changes nothing, whatever the payment id. */
    bankReference: string;
    customerId: string;
    amount: Money;
    receivedOn: BusinessDate;
    method: PaymentMethod;
    /** Invoice numbers (or ids) the payer quoted: those invoices are paid first. */
    remittanceReferences?: string[];
    /** The customer's open invoices; may be empty (the payment arrived before any invoice was known). */
    openInvoices: OpenInvoice[];
    /** The business calendar's open day as payments knows it; null before any close reached it (no date rule then). */
    openDay?: BusinessDate | null;
    /** Required to date the receipt on a day already closed; recorded on PaymentReceived. */
    backdatingReason?: string | null;
    /** Whether the credit service registered the customer, as payments' view knows it. */
    customerKnown: boolean;
  };
};

/** Puts part of a payment's allocation to an invoice back on account (invoicing said the invoice was overpaid). */
export type ReduceAllocation = {
  type: 'ReduceAllocation';
  data: {
    paymentId: string;
    customerId: string;
    invoiceId: string;
    /** What invoicing asked back; at most what the payment has allocated to the invoice is given back. */
    amount: Money;
    reason: AllocationReductionReason;
  };
};

export type PaymentAccountCommand = RecordPayment | ReduceAllocation;

// ------------------------------------------------------------------------------------------------- state

export interface RecordedPayment {
  bankReference: string;
  amount: Money;
  receivedOn: string;
  /** What is left of this payment after the cash applied from it. */
  unapplied: Money;
  /** invoice id → Σ cash applied from this payment to it, net of reductions. */
  allocations: ReadonlyMap<string, Money>;
}

export type PaymentAccount =
  | { status: 'no-payments' }
  | {
      status: 'active';
      customerId: string;
      payments: ReadonlyMap<string, RecordedPayment>;
      /** bank reference → payment id */
      bankReferences: ReadonlyMap<string, string>;
      /** invoice id → Σ cash this account applied to it */
      allocated: ReadonlyMap<string, Money>;
    };

export const initialState: PaymentAccount = { status: 'no-payments' };

// ------------------------------------------------------------------------------------------ pure figures

/** Cash this account has applied to the invoice so far. */
export function allocatedTo(account: PaymentAccount, invoiceId: string, currency: string): Money {
  return (account.status === 'active' ? account.allocated.get(invoiceId) : undefined) ?? zero(currency);
}

/**
 * The invoice's figures for the one rule (@arc/receivables): what invoicing charged as the view knows it
 * (total − credit notes, carried as `openAmount`) and this account's allocations.
 */
export function invoiceFigures(account: PaymentAccount, invoice: OpenInvoice): InvoiceFigures {
  const { currency } = invoice.openAmount;
  return { ...noFigures(currency, invoice.openAmount), allocated: allocatedTo(account, invoice.invoiceId, currency) };
}

/** The invoice's open balance once this account's allocations are taken off, by the one rule: never negative. */
export function openAfterAllocations(account: PaymentAccount, invoice: OpenInvoice): Money {
  return invoiceBalance(invoiceFigures(account, invoice)).open;
}

/** Unapplied cash on account in a currency: Σ received − Σ allocated (the contract's definition). */
export function unappliedCash(account: PaymentAccount, currency: string): Money {
  if (account.status !== 'active') return zero(currency);
  return sum(
    [...account.payments.values()].map((p) => p.unapplied).filter((m) => m.currency === currency),
    currency,
  );
}

/**
 * The order cash is applied in: invoices the payer quoted first, then oldest due date first; ties by
 * invoice id, so the same inputs always allocate the same way.
 */
export function allocationOrder(openInvoices: readonly OpenInvoice[], remittanceReferences: readonly string[]): OpenInvoice[] {
  const quoted = new Set(remittanceReferences);
  const isQuoted = (i: OpenInvoice) => quoted.has(i.invoiceId) || (i.invoiceNumber !== undefined && quoted.has(i.invoiceNumber));
  return [...openInvoices].sort(
    (a, b) =>
      Number(isQuoted(b)) - Number(isQuoted(a)) ||
      compareDates(a.dueDate, b.dueDate) ||
      (a.invoiceId < b.invoiceId ? -1 : a.invoiceId > b.invoiceId ? 1 : 0),
  );
}

// ------------------------------------------------------------------------------------------ the commands

export function recordPayment(command: RecordPayment, account: PaymentAccount): PaymentsEvent[] {
  const { paymentId, bankReference, customerId, amount, receivedOn, method, remittanceReferences = [], openInvoices } = command.data;
  if (account.status === 'active' && account.customerId !== customerId) {
    throw new AccountCustomerMismatchError(account.customerId, customerId);
  }
  if (amount.amountMinor <= 0n) throw new PaymentAmountNotPositiveError(amount.amountMinor);
  // A customer with receipts on its account existed; only a first receipt can name nobody.
  if (account.status === 'no-payments' && !command.data.customerKnown) throw new CustomerUnknownError(customerId);

  if (account.status === 'active') {
    const recordedId = account.bankReferences.get(bankReference);
    if (recordedId !== undefined) {
      const recorded = account.payments.get(recordedId);
      if (recorded !== undefined && equals(recorded.amount, amount)) return [];
      throw new BankReferenceConflictError(bankReference, recordedId);
    }
    const samePaymentId = account.payments.get(paymentId);
    if (samePaymentId !== undefined) throw new PaymentIdReusedError(paymentId, samePaymentId.bankReference);
  }

  // After the repeat check: a receipt recorded before its day closed is still answered as recorded.
  const { openDay = null, backdatingReason = null } = command.data;
  const dated = bookingDateVerdict(receivedOn, openDay, backdatingReason);
  if (!dated.ok) throw new ReceiptDateRefusedError(receivedOn, dated);

  const seen = new Set<string>();
  for (const invoice of openInvoices) {
    if (seen.has(invoice.invoiceId)) throw new OpenInvoiceListedTwiceError(invoice.invoiceId);
    seen.add(invoice.invoiceId);
    if (invoice.openAmount.currency !== amount.currency) {
      throw new CurrencyMismatchError(
        amount.currency,
        invoice.openAmount.currency,
        `open invoice ${invoice.invoiceId}`,
        "the payment's currency",
      );
    }
  }

  const events: PaymentsEvent[] = [
    {
      type: 'PaymentReceived',
      data: {
        paymentId,
        customerId,
        bankReference,
        amount: toJson(amount),
        receivedOn,
        method,
        remittanceReferences: [...remittanceReferences],
        // Only on a back-dated receipt: every other PaymentReceived stays exactly as before the field existed.
        ...(dated.backdated ? { backdatingReason } : {}),
      },
    },
  ];
  let remaining = amount;
  for (const invoice of allocationOrder(openInvoices, remittanceReferences)) {
    if (remaining.amountMinor === 0n) break;
    const open = openAfterAllocations(account, invoice);
    if (open.amountMinor <= 0n) continue;
    const applied = min(remaining, open);
    events.push({
      type: 'PaymentAllocated',
      data: { paymentId, customerId, invoiceId: invoice.invoiceId, amount: toJson(applied), allocatedOn: receivedOn },
    });
    remaining = subtract(remaining, applied);
  }
  if (remaining.amountMinor > 0n) {
    events.push({ type: 'PaymentLeftUnapplied', data: { paymentId, customerId, unapplied: toJson(remaining) } });
  }
  return events;
}

/**
 * Gives back at most what the payment has allocated to the invoice (nothing, when it has none left: the
 * request is then answered by an earlier reduction). Repeats are made no-ops by the command id.
 */
export function reduceAllocation(command: ReduceAllocation, account: PaymentAccount): PaymentsEvent[] {
  const { paymentId, customerId, invoiceId, amount, reason } = command.data;
  if (account.status === 'active' && account.customerId !== customerId) {
    throw new AccountCustomerMismatchError(account.customerId, customerId);
  }
  if (!isPositive(amount)) throw new PaymentAmountNotPositiveError(amount.amountMinor);
  const payment = account.status === 'active' ? account.payments.get(paymentId) : undefined;
  const allocated = payment?.allocations.get(invoiceId);
  if (allocated === undefined || !isPositive(allocated)) return [];
  if (allocated.currency !== amount.currency)
    throw new CurrencyMismatchError(
      allocated.currency,
      amount.currency,
      `the reduction of invoice ${invoiceId}`,
      "the allocation's currency",
    );
  const given = min(amount, allocated);
  return [{ type: 'PaymentAllocationReduced', data: { paymentId, customerId, invoiceId, amount: toJson(given), reason } }];
}

function decideCommand(command: PaymentAccountCommand, account: PaymentAccount): PaymentsEvent[] {
  switch (command.type) {
    case 'RecordPayment':
      return recordPayment(command, account);
    case 'ReduceAllocation':
      return reduceAllocation(command, account);
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

/** Decides, then refuses anything its contract would not accept (`validated`). */
export function decide(command: PaymentAccountCommand, account: PaymentAccount): PaymentsEvent[] {
  return validated(PaymentsEvents, decideCommand(command, account));
}

// ------------------------------------------------------------------------------------------------ evolve

/** Moves `amount` of a payment from its unapplied cash to its allocation to the invoice (negative: back). */
function withPaymentMoved(
  payments: ReadonlyMap<string, RecordedPayment>,
  paymentId: string,
  invoiceId: string,
  amount: Money,
): ReadonlyMap<string, RecordedPayment> {
  const payment = payments.get(paymentId);
  if (payment === undefined) return payments;
  const allocations = new Map(payment.allocations);
  allocations.set(invoiceId, add(allocations.get(invoiceId) ?? zero(amount.currency), amount));
  const next = new Map(payments);
  next.set(paymentId, { ...payment, unapplied: subtract(payment.unapplied, amount), allocations });
  return next;
}

export function evolve(account: PaymentAccount, event: PaymentsEvent): PaymentAccount {
  switch (event.type) {
    case 'PaymentReceived': {
      const d = event.data;
      const amount = parseMoney(d.amount, 'amount');
      const base =
        account.status === 'active'
          ? account
          : { status: 'active' as const, customerId: d.customerId, payments: new Map(), bankReferences: new Map(), allocated: new Map() };
      const payments = new Map(base.payments);
      payments.set(d.paymentId, {
        bankReference: d.bankReference,
        amount,
        receivedOn: d.receivedOn,
        unapplied: amount,
        allocations: new Map(),
      });
      const bankReferences = new Map(base.bankReferences);
      bankReferences.set(d.bankReference, d.paymentId);
      return { ...base, payments, bankReferences };
    }
    case 'PaymentAllocated': {
      if (account.status !== 'active') return account;
      const d = event.data;
      const amount = parseMoney(d.amount, 'amount');
      const allocated = new Map(account.allocated);
      const before = allocated.get(d.invoiceId);
      allocated.set(d.invoiceId, before === undefined ? amount : add(before, amount));
      return { ...account, allocated, payments: withPaymentMoved(account.payments, d.paymentId, d.invoiceId, amount) };
    }
    case 'PaymentAllocationReduced': {
      if (account.status !== 'active') return account;
      const d = event.data;
      const amount = parseMoney(d.amount, 'amount');
      const allocated = new Map(account.allocated);
      const before = allocated.get(d.invoiceId) ?? zero(amount.currency);
      allocated.set(d.invoiceId, subtract(before, amount));
      return {
        ...account,
        allocated,
        payments: withPaymentMoved(account.payments, d.paymentId, d.invoiceId, subtract(zero(amount.currency), amount)),
      };
    }
    case 'PaymentLeftUnapplied':
      // It reports the payment's remainder, which the allocations already determine; it moves nothing.
      return account;
    case 'PaymentRefunded':
    case 'PaymentReversed': {
      if (account.status !== 'active') return account;
      const d = event.data;
      const payment = account.payments.get(d.paymentId);
      if (payment === undefined) return account;
      const payments = new Map(account.payments);
      payments.set(d.paymentId, { ...payment, unapplied: subtract(payment.unapplied, parseMoney(d.amount, 'amount')) });
      return { ...account, payments };
    }
    case 'PaymentDiscountTaken':
    case 'PaymentDiscountWithdrawn':
    case 'ShortPaymentRecorded':
    case 'CustomerPaymentSettingsSet':
    case 'PayerAccountMapped':
    case 'BankStatementImported':
    case 'SuspenseReceiptRecorded':
    case 'SuspenseReceiptAssigned':
      // Not written by this decider yet (issue 12 brings them); they move no cash on the account.
      return account;
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${(unknown as { type: string }).type}`);
    }
  }
}

export const paymentAccountDecider: Decider<PaymentAccountCommand, PaymentsEvent, PaymentAccount> = {
  initialState,
  decide,
  evolve,
  schemaVersions: schemaVersionsOf(PaymentsEvents),
};
