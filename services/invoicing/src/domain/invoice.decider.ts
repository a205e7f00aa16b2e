/*
 * Invoice (stream `invoice-<invoiceId>`): one invoice as issued — lines, total, due date from the customer's
 * terms — and the credit notes issued against it.
 * The invariant it protects: credit notes never take more off an invoice than is left of it as invoicing
 * knows it (total − credit notes so far). Payments are not in that figure: they are allocated by the
 * payments service, which never allocates more than an invoice's open amount (see its payment account).
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
import { add, isCurrencyCode, isWithinAmountBound, parseMoney, subtract, sum, toJson, zero, type CurrencyCode, type Money } from '@arc/money';
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

export type InvoiceCommand = IssueInvoice | IssueCreditNote;

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
    };

type Issued = Extract<Invoice, { status: 'issued' }>;

export const initialState: Invoice = { status: 'not-issued' };

/**
 * What credit notes may still take off the invoice: total − credit notes. Not the open balance (that is
 * also net of payments, which invoicing does not track); null before the invoice is issued.
 */
export function creditableBalance(invoice: Invoice): Money | null {
  return invoice.status === 'issued' ? subtract(invoice.total, invoice.credited) : null;
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
function requireReservationToBill(reservationId: string, reservation: KnownReservation | null, customerId: string, invoiceId: string): void {
  if (reservation === null) throw new ReservationUnknownError(reservationId);
  if (reservation.customerId !== customerId) throw new ReservationOfOtherCustomerError(reservationId, customerId);
  if (reservation.status === 'released') throw new ReservationReleasedError(reservationId);
  if (reservation.status === 'consumed' && reservation.invoiceId !== invoiceId) {
    throw new ReservationConsumedByOtherInvoiceError(reservationId, reservation.invoiceId);
  }
}

export function issueInvoice(command: IssueInvoice, invoice: Invoice): InvoicingEvent[] {
  const { invoiceId, invoiceNumber, customerId, currency, lines, issueDate, paymentTerms = null, reservationId = null, reservation = null } = command.data;
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
      if (line[field].currency !== currency) throw new CurrencyMismatchError(`lines[${index}].${field}`, currency, line[field].currency);
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

  if (amount.currency !== invoice.currency) throw new CurrencyMismatchError('amount', invoice.currency, amount.currency);
  if (amount.amountMinor <= 0n) throw new CreditNoteAmountNotPositiveError(amount.amountMinor);
  if (isBefore(issueDate, invoice.issueDate as BusinessDate)) throw new CreditNoteBeforeInvoiceError(issueDate, invoice.issueDate);
  const creditable = subtract(invoice.total, invoice.credited);
  if (amount.amountMinor > creditable.amountMinor) throw new CreditNoteExceedsBalanceError(amount.amountMinor, creditable.amountMinor);

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

function decideCommand(command: InvoiceCommand, invoice: Invoice): InvoicingEvent[] {
  switch (command.type) {
    case 'IssueInvoice':
      return issueInvoice(command, invoice);
    case 'IssueCreditNote':
      return issueCreditNote(command, invoice);
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

/** Decides, then refuses anything its contract would not accept (`validated`). */
export function decide(command: InvoiceCommand, invoice: Invoice): InvoicingEvent[] {
  return validated(InvoicingEvents, decideCommand(command, invoice));
}

// ------------------------------------------------------------------------------------------------ evolve

export function evolve(invoice: Invoice, event: InvoicingEvent): Invoice {
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
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${(unknown as { type: string }).type}`);
    }
  }
}

export const invoiceDecider: Decider<InvoiceCommand, InvoicingEvent, Invoice> = {
  initialState,
  decide,
  evolve,
  schemaVersions: schemaVersionsOf(InvoicingEvents),
};
