/*
 * Invoice (stream `invoice-<invoiceId>`): one invoice as issued — lines, total, due date from the customer's
 * terms — the credit notes issued against it, and the cash the payments service allocated to it (copied in
 * from arc.payments.events by the payments consumer, see ./invoice-cash.events.ts).
 * The invariant it protects: the open balance (@arc/receivables: total − allocations − credit notes, never
 * below zero) is what a credit note may take off, no more. Cash that arrives beyond the balance (payments
 * allocated on a stale view while a credit note was in flight) is not a negative balance: the invoice
 * records InvoiceOverpaid for it, and the payments service puts it back on account (PaymentAllocationReduced).
 */
import { addDays, bookingDateVerdict, isBefore, type BusinessDate } from '@arc/clock';
import {
  validated,
  InvoicingEvents,
  schemaVersionsOf,
  type EarlyPaymentDiscountTerms,
  type InvoiceIssuedData,
  type InvoicingEvent,
} from '@arc/contracts';
import type { Decider } from '@arc/decider';
import {
  add,
  isCurrencyCode,
  isPositive,
  isWithinAmountBound,
  max,
  parseMoney,
  subtract,
  sum,
  toJson,
  zero,
  type CurrencyCode,
  type Money,
} from '@arc/money';
import {
  awaitedReturns,
  excessReturns,
  invoiceBalance,
  type InvoiceBalance,
  type InvoiceFigures,
  type PaymentShare,
} from '@arc/receivables';
import { INVOICE_CASH_EVENT_VERSIONS, type InvoiceCashEvent } from './invoice-cash.events';
import {
  CreditNoteAlreadyIssuedError,
  CreditNoteAmountNotPositiveError,
  CreditNoteBeforeInvoiceError,
  CreditNoteExceedsBalanceError,
  CurrencyMismatchError,
  InvalidPaymentTermsError,
  InvoiceAlreadyIssuedError,
  InvoiceNotIssuedError,
  InvoiceTotalNotPositiveError,
  InvoiceTotalTooLargeError,
  InvoiceWithoutLinesError,
  InvoiceCashMismatchError,
  IssueDateRefusedError,
  PaymentTermsUnknownError,
  ReservationConsumedByOtherInvoiceError,
  ReservationOfOtherCustomerError,
  ReservationReleasedError,
  ReservationUnknownError,
  UnknownCurrencyError,
} from './invoice.errors';

export const invoiceStreamId = (invoiceId: string): string => `invoice-${invoiceId}`;

// ---------------------------------------------------------------------------------------------- commands

export interface InvoiceLine {
  description: string;
  /** May be negative (a discount line); the invoice total may not. */
  netAmount: Money;
  taxAmount: Money;
}

/** The customer's terms as invoicing's view knows them from CreditPolicySet events. */
export interface PaymentTerms {
  netDays: number;
  earlyPaymentDiscount?: EarlyPaymentDiscountTerms | null;
}

export type IssueInvoice = {
  type: 'IssueInvoice';
  data: {
    invoiceId: string;
    invoiceNumber: string;
    customerId: string;
    currency: string;
    lines: InvoiceLine[];
    issueDate: BusinessDate;
    /** null or absent when invoicing has not seen a credit policy for the customer: the invoice is refused. */
    paymentTerms?: PaymentTerms | null;
    /** The credit reservation of the order this invoice bills, when the order went through a credit check. */
    reservationId?: string | null;
    /**
     * What invoicing's view knows of that reservation (from the credit service's events), or null when it has
     * never heard of it. Only read when `reservationId` is set.
     */
    reservation?: KnownReservation | null;
    /** The business calendar's open day (last closed day + 1); null before the calendar started (no date rule then). */
    openDay?: BusinessDate | null;
    /** Required to date the invoice on a day already closed; recorded on InvoiceIssued. */
    backdatingReason?: string | null;
  };
};

/** A credit reservation as invoicing's view knows it from CreditCheckPassed / Released / Consumed. */
export type KnownReservation =
  | { customerId: string; status: 'open' }
  | { customerId: string; status: 'released' }
  | { customerId: string; status: 'consumed'; invoiceId: string };

export type IssueCreditNote = {
  type: 'IssueCreditNote';
  data: {
    creditNoteId: string;
    creditNoteNumber: string;
    amount: Money;
    reason: string;
    issueDate: BusinessDate;
  };
};

/** Cash the payments service applied to the invoice (its PaymentAllocated, copied in by the consumer). */
export type RecordPaymentAllocation = {
  type: 'RecordPaymentAllocation';
  data: { sourceEventId: string; paymentId: string; customerId: string; amount: Money; allocatedOn: string };
};

/** Cash the payments service took back off the invoice onto the account (its PaymentAllocationReduced). */
export type RecordAllocationReduction = {
  type: 'RecordAllocationReduction';
  data: { sourceEventId: string; paymentId: string; customerId: string; amount: Money };
};

export type InvoiceCommand = IssueInvoice | IssueCreditNote | RecordPaymentAllocation | RecordAllocationReduction;

/** Everything the invoice stream holds: the published contract events and its private cash records. */
export type InvoiceStreamEvent = InvoicingEvent | InvoiceCashEvent;

// ------------------------------------------------------------------------------------------------- state

export interface CreditNote {
  creditNoteNumber: string;
  amount: Money;
  issueDate: string;
  reason: string;
}

export type Invoice =
  | { status: 'not-issued' }
  | {
      status: 'issued';
      invoiceId: string;
      invoiceNumber: string;
      customerId: string;
      currency: CurrencyCode;
      lines: readonly InvoiceLine[];
      total: Money;
      issueDate: string;
      dueDate: string;
      earlyPaymentDiscount: { basisPoints: number; payBy: string } | null;
      reservationId: string | null;
      /** Why it was dated on a day already closed; null when it was not back-dated. */
      backdatingReason: string | null;
      /** Σ of the credit notes issued against it. */
      credited: Money;
      creditNotes: ReadonlyMap<string, CreditNote>;
      /** Σ cash allocated to it, net of reductions (as the payments service recorded them). */
      allocated: Money;
      /** Per payment, in the order their first allocation arrived: allocated and asked back (InvoiceOverpaid). */
      payments: ReadonlyMap<string, PaymentShare>;
      /** The payments events already copied in (so a redelivered one changes nothing). */
      cashEventsSeen: ReadonlySet<string>;
    };

type Issued = Extract<Invoice, { status: 'issued' }>;

export const initialState: Invoice = { status: 'not-issued' };

/** The invoice's figures as the one rule (@arc/receivables) takes them. Write-offs and debit notes do not exist yet. */
export function invoiceFigures(invoice: Issued): InvoiceFigures {
  const nothing = zero(invoice.currency);
  return { amount: invoice.total, allocated: invoice.allocated, credited: invoice.credited, writtenOff: nothing, debitNoted: nothing };
}

/** Charged, applied, excess and open balance by the one rule; null before the invoice is issued. */
export function balanceOf(invoice: Invoice): InvoiceBalance | null {
  return invoice.status === 'issued' ? invoiceBalance(invoiceFigures(invoice)) : null;
}

// ------------------------------------------------------------------------------------------ the commands

/** The fields that identify what was invoiced; a repeat must match them all. Due date and terms are derived. */
function invoiceContent(invoice: {
  invoiceNumber: string;
  customerId: string;
  currency: string;
  lines: readonly InvoiceLine[];
  issueDate: string;
  reservationId: string | null;
}): Record<string, string> {
  return {
    invoiceNumber: invoice.invoiceNumber,
    customerId: invoice.customerId,
    currency: invoice.currency,
    lines: JSON.stringify(invoice.lines.map((l) => [l.description, toJson(l.netAmount), toJson(l.taxAmount)])),
    issueDate: invoice.issueDate,
    reservationId: String(invoice.reservationId),
  };
}

function differingFields(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys(a).filter((key) => a[key] !== b[key]);
}

/** An invoice may name only a reservation credit made for this customer and that no other invoice consumed. */
function requireReservationToBill(
  reservationId: string,
  reservation: KnownReservation | null,
  customerId: string,
  invoiceId: string,
): void {
  if (reservation === null) throw new ReservationUnknownError(reservationId);
  if (reservation.customerId !== customerId) throw new ReservationOfOtherCustomerError(reservationId, customerId);
  if (reservation.status === 'released') throw new ReservationReleasedError(reservationId);
  if (reservation.status === 'consumed' && reservation.invoiceId !== invoiceId) {
    throw new ReservationConsumedByOtherInvoiceError(reservationId, reservation.invoiceId);
  }
}

export function issueInvoice(command: IssueInvoice, invoice: Invoice): InvoicingEvent[] {
  const {
    invoiceId,
    invoiceNumber,
    customerId,
    currency,
    lines,
    issueDate,
    paymentTerms = null,
    reservationId = null,
    reservation = null,
  } = command.data;
  const { openDay = null, backdatingReason = null } = command.data;
  if (invoice.status === 'issued') {
    const differing = differingFields(
      invoiceContent(invoice),
      invoiceContent({ invoiceNumber, customerId, currency, lines, issueDate, reservationId }),
    );
    if (differing.length === 0) return [];
    throw new InvoiceAlreadyIssuedError(invoice.invoiceId, differing);
  }

  if (!isCurrencyCode(currency)) throw new UnknownCurrencyError(currency);
  const dated = bookingDateVerdict(issueDate, openDay, backdatingReason);
  if (!dated.ok) throw new IssueDateRefusedError(issueDate, dated);
  if (lines.length === 0) throw new InvoiceWithoutLinesError();
  lines.forEach((line, index) => {
    for (const field of ['netAmount', 'taxAmount'] as const) {
      if (line[field].currency !== currency)
        throw new CurrencyMismatchError(currency, line[field].currency, `lines[${index}].${field}`, 'the invoice currency');
    }
  });
  const total = sum(
    lines.map((line) => add(line.netAmount, line.taxAmount)),
    currency,
  );
  if (total.amountMinor <= 0n) throw new InvoiceTotalNotPositiveError(total.amountMinor);
  if (!isWithinAmountBound(total)) throw new InvoiceTotalTooLargeError(total.amountMinor);

  if (paymentTerms === null) throw new PaymentTermsUnknownError(customerId);
  if (reservationId !== null) requireReservationToBill(reservationId, reservation, customerId, invoiceId);
  const { netDays, earlyPaymentDiscount = null } = paymentTerms;
  if (!Number.isSafeInteger(netDays) || netDays < 0) {
    throw new InvalidPaymentTermsError(`net days must be a whole number >= 0, not ${netDays}`);
  }
  if (earlyPaymentDiscount !== null) {
    const { withinDays } = earlyPaymentDiscount;
    if (!Number.isSafeInteger(withinDays) || withinDays < 0 || withinDays > netDays) {
      throw new InvalidPaymentTermsError(`the discount window must be 0 to ${netDays} days (the net term), not ${withinDays}`);
    }
  }

  const data: InvoiceIssuedData = {
    invoiceId,
    invoiceNumber,
    customerId,
    currency,
    lines: lines.map((line) => ({ description: line.description, netAmount: toJson(line.netAmount), taxAmount: toJson(line.taxAmount) })),
    total: toJson(total),
    issueDate,
    dueDate: addDays(issueDate, netDays),
    earlyPaymentDiscount:
      earlyPaymentDiscount === null
        ? null
        : { basisPoints: earlyPaymentDiscount.basisPoints, payBy: addDays(issueDate, earlyPaymentDiscount.withinDays) },
    reservationId,
    // Only on a back-dated invoice: every other InvoiceIssued stays exactly as before the field existed.
    ...(dated.backdated ? { backdatingReason } : {}),
  };
  return [{ type: 'InvoiceIssued', data }];
}

function creditNoteContent(note: { creditNoteNumber: string; amount: Money; issueDate: string; reason: string }): Record<string, string> {
  return {
    creditNoteNumber: note.creditNoteNumber,
    amount: JSON.stringify(toJson(note.amount)),
    issueDate: note.issueDate,
    reason: note.reason,
  };
}

export function issueCreditNote(command: IssueCreditNote, state: Invoice): InvoicingEvent[] {
  if (state.status !== 'issued') throw new InvoiceNotIssuedError(command.type);
  const invoice: Issued = state;
  const { creditNoteId, creditNoteNumber, amount, reason, issueDate } = command.data;

  const earlier = invoice.creditNotes.get(creditNoteId);
  if (earlier !== undefined) {
    const differing = differingFields(creditNoteContent(earlier), creditNoteContent(command.data));
    if (differing.length === 0) return [];
    throw new CreditNoteAlreadyIssuedError(creditNoteId, differing);
  }

  if (amount.currency !== invoice.currency)
    throw new CurrencyMismatchError(invoice.currency, amount.currency, 'amount', 'the invoice currency');
  if (amount.amountMinor <= 0n) throw new CreditNoteAmountNotPositiveError(amount.amountMinor);
  if (isBefore(issueDate, invoice.issueDate as BusinessDate)) throw new CreditNoteBeforeInvoiceError(issueDate, invoice.issueDate);
  const balance = invoiceBalance(invoiceFigures(invoice));
  if (amount.amountMinor > balance.open.amountMinor) {
    throw new CreditNoteExceedsBalanceError(amount.amountMinor, balance.open.amountMinor, {
      total: invoice.total.amountMinor,
      applied: balance.applied.amountMinor,
      credited: invoice.credited.amountMinor,
    });
  }

  return [
    {
      type: 'CreditNoteIssued',
      data: {
        creditNoteId,
        creditNoteNumber,
        invoiceId: invoice.invoiceId,
        customerId: invoice.customerId,
        amount: toJson(amount),
        issueDate,
        reason,
      },
    },
  ];
}

/**
 * Cash beyond the balance, not yet asked back, becomes InvoiceOverpaid events (latest payments give back
 * first). Called after every change of the invoice's cash, so whatever the order of arrival the excess is
 * asked back exactly once.
 */
function overpayments(invoice: Issued): InvoicingEvent[] {
  const { excess } = invoiceBalance(invoiceFigures(invoice));
  const unrequested = subtract(excess, awaitedReturns([...invoice.payments.values()], invoice.currency));
  if (!isPositive(unrequested)) return [];
  return excessReturns(unrequested, [...invoice.payments.values()]).map((part) => ({
    type: 'InvoiceOverpaid' as const,
    data: { invoiceId: invoice.invoiceId, customerId: invoice.customerId, paymentId: part.paymentId, excess: toJson(part.amount) },
  }));
}

function requireCash(invoice: Invoice, command: RecordPaymentAllocation | RecordAllocationReduction): Issued {
  // Payments allocates only to invoices it saw issued, which this store held first: anything else is a producer bug.
  if (invoice.status !== 'issued') throw new InvoiceNotIssuedError(command.type);
  const { customerId, amount } = command.data;
  if (customerId !== invoice.customerId || amount.currency !== invoice.currency || !isPositive(amount)) {
    throw new InvoiceCashMismatchError(invoice.invoiceId, command.type, command.data.sourceEventId);
  }
  return invoice;
}

export function recordPaymentAllocation(command: RecordPaymentAllocation, state: Invoice): InvoiceStreamEvent[] {
  const invoice = requireCash(state, command);
  const { sourceEventId, paymentId, amount, allocatedOn } = command.data;
  if (invoice.cashEventsSeen.has(sourceEventId)) return [];
  const recorded: InvoiceCashEvent = {
    type: 'PaymentAllocationRecorded',
    data: { invoiceId: invoice.invoiceId, sourceEventId, paymentId, amount: toJson(amount), allocatedOn },
  };
  return [recorded, ...overpayments(evolve(invoice, recorded) as Issued)];
}

export function recordAllocationReduction(command: RecordAllocationReduction, state: Invoice): InvoiceStreamEvent[] {
  const invoice = requireCash(state, command);
  const { sourceEventId, paymentId, amount } = command.data;
  if (invoice.cashEventsSeen.has(sourceEventId)) return [];
  const recorded: InvoiceCashEvent = {
    type: 'AllocationReductionRecorded',
    data: { invoiceId: invoice.invoiceId, sourceEventId, paymentId, amount: toJson(amount) },
  };
  return [recorded, ...overpayments(evolve(invoice, recorded) as Issued)];
}

function decideCommand(command: InvoiceCommand, invoice: Invoice): InvoiceStreamEvent[] {
  switch (command.type) {
    case 'IssueInvoice':
      return issueInvoice(command, invoice);
    case 'IssueCreditNote':
      return issueCreditNote(command, invoice);
    case 'RecordPaymentAllocation':
      return recordPaymentAllocation(command, invoice);
    case 'RecordAllocationReduction':
      return recordAllocationReduction(command, invoice);
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

const DECIDED_EVENT_CHECKS = { ...InvoicingEvents, PaymentAllocationRecorded: null, AllocationReductionRecorded: null } as const;

/**
 * Decides, then refuses anything its contract would not accept (`validated`); the cash events are private to
 * the invoice stream (routed to no topic, nothing outside invoicing reads them), so they need no check.
 */
export function decide(command: InvoiceCommand, invoice: Invoice): InvoiceStreamEvent[] {
  return validated<InvoiceStreamEvent>(DECIDED_EVENT_CHECKS, decideCommand(command, invoice));
}

// ------------------------------------------------------------------------------------------------ evolve

function withShare(invoice: Issued, paymentId: string, update: (share: PaymentShare) => PaymentShare): ReadonlyMap<string, PaymentShare> {
  const nothing = zero(invoice.currency);
  const payments = new Map(invoice.payments);
  payments.set(paymentId, update(payments.get(paymentId) ?? { paymentId, allocated: nothing, returnRequested: nothing }));
  return payments;
}

export function evolve(invoice: Invoice, event: InvoiceStreamEvent): Invoice {
  switch (event.type) {
    case 'InvoiceIssued': {
      const d = event.data;
      const currency = d.currency as CurrencyCode;
      return {
        status: 'issued',
        invoiceId: d.invoiceId,
        invoiceNumber: d.invoiceNumber,
        customerId: d.customerId,
        currency,
        lines: d.lines.map((line, i) => ({
          description: line.description,
          netAmount: parseMoney(line.netAmount, `lines[${i}].netAmount`),
          taxAmount: parseMoney(line.taxAmount, `lines[${i}].taxAmount`),
        })),
        total: parseMoney(d.total, 'total'),
        issueDate: d.issueDate,
        dueDate: d.dueDate,
        earlyPaymentDiscount: d.earlyPaymentDiscount === null ? null : { ...d.earlyPaymentDiscount },
        reservationId: d.reservationId,
        backdatingReason: d.backdatingReason ?? null,
        credited: zero(currency),
        creditNotes: new Map(),
        allocated: zero(currency),
        payments: new Map(),
        cashEventsSeen: new Set(),
      };
    }
    case 'CreditNoteIssued': {
      if (invoice.status !== 'issued') return invoice;
      const d = event.data;
      const amount = parseMoney(d.amount, 'amount');
      const creditNotes = new Map(invoice.creditNotes);
      creditNotes.set(d.creditNoteId, { creditNoteNumber: d.creditNoteNumber, amount, issueDate: d.issueDate, reason: d.reason });
      return { ...invoice, credited: add(invoice.credited, amount), creditNotes };
    }
    case 'PaymentAllocationRecorded': {
      if (invoice.status !== 'issued') return invoice;
      const d = event.data;
      const amount = parseMoney(d.amount, 'amount');
      return {
        ...invoice,
        allocated: add(invoice.allocated, amount),
        payments: withShare(invoice, d.paymentId, (share) => ({ ...share, allocated: add(share.allocated, amount) })),
        cashEventsSeen: new Set(invoice.cashEventsSeen).add(d.sourceEventId),
      };
    }
    case 'AllocationReductionRecorded': {
      if (invoice.status !== 'issued') return invoice;
      const d = event.data;
      const amount = parseMoney(d.amount, 'amount');
      const nothing = zero(invoice.currency);
      return {
        ...invoice,
        allocated: subtract(invoice.allocated, amount),
        // A reduction answers what was asked back first; what it gives back beyond that lowers nothing else.
        payments: withShare(invoice, d.paymentId, (share) => ({
          ...share,
          allocated: subtract(share.allocated, amount),
          returnRequested: max(subtract(share.returnRequested, amount), nothing),
        })),
        cashEventsSeen: new Set(invoice.cashEventsSeen).add(d.sourceEventId),
      };
    }
    case 'InvoiceOverpaid': {
      if (invoice.status !== 'issued') return invoice;
      const d = event.data;
      const excess = parseMoney(d.excess, 'excess');
      return {
        ...invoice,
        payments: withShare(invoice, d.paymentId, (share) => ({ ...share, returnRequested: add(share.returnRequested, excess) })),
      };
    }
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${(unknown as { type: string }).type}`);
    }
  }
}

export const invoiceDecider: Decider<InvoiceCommand, InvoiceStreamEvent, Invoice> = {
  initialState,
  decide,
  evolve,
  schemaVersions: { ...schemaVersionsOf(InvoicingEvents), ...INVOICE_CASH_EVENT_VERSIONS },
};
