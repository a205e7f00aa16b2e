/*
 * Customer payment account (stream `payment-account-<customerId>`): the receipts of one customer, the cash
 * applied from them to its invoices (matching.ts says how), discounts earned, what is left unapplied on account,
 * refunds and reversals.
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
  type ShortPaymentReasonCode,
} from '@arc/contracts';
import type { Decider } from '@arc/decider';
import { equals, isPositive, min, money, toJson, type Money } from '@arc/money';
import { planCashApplication, type MatchCandidate } from './matching';
import {
  AccountCustomerMismatchError,
  BankReferenceConflictError,
  CurrencyMismatchError,
  CustomerUnknownError,
  OpenInvoiceListedTwiceError,
  PaymentAmountNotPositiveError,
  PaymentIdReusedError,
  ReceiptDateRefusedError,
} from './payment-account.errors';
import {
  applyUnappliedCash,
  applyUnappliedToNewInvoice,
  recordShortPayment,
  refundUnappliedCash,
  reversePayment,
  setPaymentSettings,
} from './unapplied-cash';
import type {
  ApplyUnappliedCash,
  ApplyUnappliedToNewInvoice,
  RecordShortPayment,
  RefundUnappliedCash,
  ReversePayment,
  SetPaymentSettings,
} from './unapplied-cash';
import {
  accountOf,
  applyInPlace,
  draftOf,
  evolve,
  evolveAll,
  initialState,
  openAfterAllocations,
  type OpenInvoice,
  type PaymentAccount,
} from './payment-account.state';

export * from './payment-account.state';

// ---------------------------------------------------------------------------------------------- commands

export interface ReceiptData {
  paymentId: string;
  /** Identifies the receipt: recording the same reference again changes nothing, whatever the payment id. */
  bankReference: string;
  customerId: string;
  amount: Money;
  receivedOn: BusinessDate;
  method: PaymentMethod;
  /** Invoice numbers (or ids) the payer quoted, and free remittance text: cash application reads them first. */
  remittanceReferences?: string[];
  /** The customer's open invoices; may be empty (the payment arrived before any invoice was known). */
  openInvoices: OpenInvoice[];
  /** The business calendar's open day as payments knows it; null before any close reached it (no date rule then). */
  openDay?: BusinessDate | null;
  /** Required to date the receipt on a day already closed; recorded on PaymentReceived. */
  backdatingReason?: string | null;
  /** Whether the credit service registered the customer, as payments' view knows it. */
  customerKnown: boolean;
  /** Finance's reason for paying less than the quoted invoices need (else the remittance's words, if any). */
  shortPaymentReason?: { code: ShortPaymentReasonCode; text: string } | null;
  /** The bank statement it was imported from. */
  statementId?: string | null;
}

export type RecordPayment = { type: 'RecordPayment'; data: ReceiptData };

/** Several receipts of one customer at once (a bank statement's): each decided on the state the ones before left. */
export type RecordPayments = { type: 'RecordPayments'; data: { customerId: string; receipts: ReceiptData[] } };

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

export type PaymentAccountCommand =
  | RecordPayment
  | RecordPayments
  | ReduceAllocation
  | SetPaymentSettings
  | ApplyUnappliedCash
  | ApplyUnappliedToNewInvoice
  | RefundUnappliedCash
  | ReversePayment
  | RecordShortPayment;

/**
 * The old order (quoted first, then oldest due date first; ties by invoice id), kept for callers that list
 * invoices in the order the fallback would pay them.
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

/** The open invoices as cash application sees them: what is left after this account's allocations and discounts. */
export function matchCandidates(account: PaymentAccount, openInvoices: readonly OpenInvoice[], currency: string): MatchCandidate[] {
  const seen = new Set<string>();
  const out: MatchCandidate[] = [];
  for (const invoice of openInvoices) {
    if (seen.has(invoice.invoiceId)) throw new OpenInvoiceListedTwiceError(invoice.invoiceId);
    seen.add(invoice.invoiceId);
    if (invoice.openAmount.currency !== currency) {
      throw new CurrencyMismatchError(currency, invoice.openAmount.currency, `open invoice ${invoice.invoiceId}`, "the payment's currency");
    }
    const open = openAfterAllocations(account, invoice);
    if (!isPositive(open)) continue;
    const candidate: MatchCandidate = { invoiceId: invoice.invoiceId, dueDate: invoice.dueDate, open };
    if (invoice.invoiceNumber !== undefined) candidate.invoiceNumber = invoice.invoiceNumber;
    const next = nextInstalment(invoice, open);
    if (next !== null) {
      candidate.dueDate = next.dueDate;
      candidate.instalment = { sequence: next.sequence, open: next.open };
    }
    const offer = invoice.earlyPaymentDiscount;
    // A discount is earned once: an invoice with a discount or cash on it already is settled without one.
    const untouched =
      account.status !== 'active' || (!account.allocated.has(invoice.invoiceId) && !account.discounts.has(invoice.invoiceId));
    if (offer != null && untouched)
      candidate.discount = { total: invoice.total ?? invoice.openAmount, basisPoints: offer.basisPoints, payBy: offer.payBy };
    out.push(candidate);
  }
  return out;
}

/**
 * The instalment due next: invoicing settles due items oldest first, so what is paid (total − open) covers the first
 * ones; the first not covered is due next, with what is left of it. Null for an invoice of one due item.
 */
export function nextInstalment(invoice: OpenInvoice, open: Money): { sequence: number; dueDate: BusinessDate; open: Money } | null {
  const items = invoice.dueItems;
  if (items == null || items.length < 2) return null;
  const total = items.reduce((s, d) => s + d.amount.amountMinor, 0n);
  let paid = total - open.amountMinor;
  for (const [i, item] of items.entries()) {
    if (paid < item.amount.amountMinor)
      return { sequence: i + 1, dueDate: item.dueDate, open: money(item.amount.amountMinor - (paid > 0n ? paid : 0n), open.currency) };
    paid -= item.amount.amountMinor;
  }
  return null;
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
  const { openDay = null, backdatingReason = null, statementId = null } = command.data;
  const dated = bookingDateVerdict(receivedOn, openDay, backdatingReason);
  if (!dated.ok) throw new ReceiptDateRefusedError(receivedOn, dated);

  const candidates = matchCandidates(account, openInvoices, amount.currency);
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
        // Only when set: every other PaymentReceived stays exactly as before the fields existed.
        ...(dated.backdated ? { backdatingReason } : {}),
        ...(statementId !== null ? { statementId } : {}),
      },
    },
  ];
  const plan = planCashApplication({
    amount,
    receivedOn,
    remittance: remittanceReferences,
    candidates,
    settings: account.settings,
    shortPaymentReason: command.data.shortPaymentReason ?? null,
  });
  for (const allocation of plan.allocations) {
    events.push({
      type: 'PaymentAllocated',
      data: {
        paymentId,
        customerId,
        invoiceId: allocation.invoiceId,
        amount: toJson(allocation.cash),
        allocatedOn: receivedOn,
        matchedBy: allocation.step,
        matchExplanation: allocation.explanation,
      },
    });
    if (allocation.discount !== undefined) {
      events.push({
        type: 'PaymentDiscountTaken',
        data: {
          paymentId,
          customerId,
          invoiceId: allocation.invoiceId,
          discount: toJson(allocation.discount.amount),
          basisPoints: allocation.discount.basisPoints,
          payBy: allocation.discount.payBy,
          takenOn: receivedOn,
        },
      });
    }
  }
  for (const short of plan.shortPayments) {
    events.push({
      type: 'ShortPaymentRecorded',
      data: {
        paymentId,
        customerId,
        invoiceId: short.invoiceId,
        shortfall: toJson(short.shortfall),
        reasonCode: short.reasonCode,
        reason: short.reason,
        source: short.source,
        recordedOn: receivedOn,
      },
    });
  }
  if (isPositive(plan.unapplied)) {
    events.push({ type: 'PaymentLeftUnapplied', data: { paymentId, customerId, unapplied: toJson(plan.unapplied) } });
  }
  return events;
}

/** Each receipt decided on the account as the receipts before it left it. */
export function recordPayments(command: RecordPayments, account: PaymentAccount): PaymentsEvent[] {
  const events: PaymentsEvent[] = [];
  // One private copy of the account for the whole batch, changed in place: a statement brings hundreds of receipts.
  const draft = draftOf(account);
  for (const receipt of command.data.receipts) {
    if (receipt.customerId !== command.data.customerId) throw new AccountCustomerMismatchError(command.data.customerId, receipt.customerId);
    const decided = recordPayment({ type: 'RecordPayment', data: receipt }, accountOf(draft));
    for (const event of decided) applyInPlace(draft, event);
    events.push(...decided);
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
    case 'RecordPayments':
      return recordPayments(command, account);
    case 'ReduceAllocation':
      return reduceAllocation(command, account);
    case 'SetPaymentSettings':
      return setPaymentSettings(command, account);
    case 'ApplyUnappliedCash':
      return applyUnappliedCash(command, account);
    case 'ApplyUnappliedToNewInvoice':
      return applyUnappliedToNewInvoice(command, account);
    case 'RefundUnappliedCash':
      return refundUnappliedCash(command, account);
    case 'ReversePayment':
      return reversePayment(command, account);
    case 'RecordShortPayment':
      return recordShortPayment(command, account);
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

export { evolve, evolveAll, initialState };

export const paymentAccountDecider: Decider<PaymentAccountCommand, PaymentsEvent, PaymentAccount> = {
  initialState,
  decide,
  evolve,
  evolveAll,
  schemaVersions: schemaVersionsOf(PaymentsEvents),
};

/** The payment's cash still on account, for callers that show it. */
export const remainingOf = (account: PaymentAccount, paymentId: string): Money | null =>
  account.status === 'active' ? (account.payments.get(paymentId)?.unapplied ?? null) : null;
