/*
 * AR ledger: one row per invoice, folded from invoicing and payments events. Topics are not ordered against
 * each other, so a PaymentAllocated or CreditNoteIssued may arrive before the InvoiceIssued it refers to: the
 * row then exists "not issued" and keeps the amounts until the invoice arrives. Every movement is a sum, so
 * the row comes out identical whatever the interleaving (a rebuild must reproduce the live rows exactly).
 * Redelivery is the consumer's concern (processed event ids commit with the row); a repeated InvoiceIssued
 * is recognised here anyway.
 */
import { parseBusinessDate, type BusinessDate } from '@arc/clock';
import type {
  CreditNoteIssued,
  DebitNoteIssued,
  DisputeRaised,
  DisputeResolved,
  EventOf,
  InvoiceCancelled,
  InvoiceIssued,
  InvoiceWrittenOff,
  PaymentAllocated,
  PaymentAllocationReduced,
  PaymentDiscountTaken,
  PaymentDiscountWithdrawn,
  WriteOffRecovered,
} from '@arc/contracts';
import {
  CurrencyMismatchError,
  add,
  isPositive,
  parseMoney,
  subtract,
  zero,
  type CurrencyCode,
  type Money,
  type MoneyJson,
} from '@arc/money';
import {
  excessAllocations,
  invoiceBalance,
  invoiceStatus,
  openAr as openArByRule,
  type InvoiceBalance,
  type InvoiceFigures,
} from '@arc/receivables';

export type LedgerEvent =
  | EventOf<typeof InvoiceIssued>
  | EventOf<typeof PaymentAllocated>
  | EventOf<typeof PaymentAllocationReduced>
  | EventOf<typeof CreditNoteIssued>
  | EventOf<typeof InvoiceCancelled>
  | EventOf<typeof DebitNoteIssued>
  | EventOf<typeof DisputeRaised>
  | EventOf<typeof DisputeResolved>
  | EventOf<typeof InvoiceWrittenOff>
  | EventOf<typeof WriteOffRecovered>
  | EventOf<typeof PaymentDiscountTaken>
  | EventOf<typeof PaymentDiscountWithdrawn>;

export const LEDGER_EVENT_TYPES: readonly LedgerEvent['type'][] = [
  'InvoiceIssued',
  'PaymentAllocated',
  'PaymentAllocationReduced',
  'CreditNoteIssued',
  'InvoiceCancelled',
  'DebitNoteIssued',
  'DisputeRaised',
  'DisputeResolved',
  'InvoiceWrittenOff',
  'WriteOffRecovered',
  'PaymentDiscountTaken',
  'PaymentDiscountWithdrawn',
];

export interface IssuedInvoice {
  readonly number: string;
  readonly issueDate: BusinessDate;
  readonly dueDate: BusinessDate;
  /** The invoice total: what the customer owes before any movement. */
  readonly amount: Money;
  readonly reservationId: string | null;
}

export interface ArLedgerRow {
  readonly invoiceId: string;
  readonly customerId: string;
  readonly currency: CurrencyCode;
  /** null while only payments or credit notes for this invoice have been seen. */
  readonly invoice: IssuedInvoice | null;
  /** Σ PaymentAllocated − Σ PaymentAllocationReduced: the cash allocated to it. */
  readonly paid: Money;
  /**
   * Σ CreditNoteIssued + Σ PaymentDiscountTaken − Σ PaymentDiscountWithdrawn + InvoiceCancelled: what reduces the
   * charge without cash (a discount taken works like a credit note; a cancellation voids the whole amount).
   */
  readonly credited: Money;
  /** Σ DisputeRaised − Σ DisputeResolved.disputedAmount: the amount under dispute (it stays open AR). */
  readonly disputed: Money;
  /** Σ InvoiceWrittenOff − Σ WriteOffRecovered. */
  readonly writtenOff: Money;
  /** Σ DebitNoteIssued. */
  readonly debitNoted: Money;
  /** Latest allocatedOn seen (max, so order does not matter); for payment behaviour. */
  readonly lastAllocatedOn: BusinessDate | null;
}

export type LedgerStatus = 'not-issued' | 'open' | 'partially-paid' | 'paid';

export class LedgerEventMismatchError extends Error {
  constructor(invoiceId: string, what: string) {
    super(`ledger row ${invoiceId}: ${what}`);
    this.name = 'LedgerEventMismatchError';
  }
}

function invoiceIdOf(event: LedgerEvent): string {
  return event.data.invoiceId;
}

function emptyRow(invoiceId: string, customerId: string, currency: CurrencyCode): ArLedgerRow {
  const nothing = zero(currency);
  return {
    invoiceId,
    customerId,
    currency,
    invoice: null,
    paid: nothing,
    credited: nothing,
    disputed: nothing,
    writtenOff: nothing,
    debitNoted: nothing,
    lastAllocatedOn: null,
  };
}

function sameSubject(row: ArLedgerRow, event: LedgerEvent, currency: CurrencyCode): void {
  if (row.invoiceId !== invoiceIdOf(event)) {
    throw new LedgerEventMismatchError(row.invoiceId, `${event.type} is for invoice ${invoiceIdOf(event)}`);
  }
  if (row.customerId !== event.data.customerId) {
    throw new LedgerEventMismatchError(row.invoiceId, `${event.type} names customer ${event.data.customerId}, the row ${row.customerId}`);
  }
  // Cash and credit notes are in the invoice's currency by contract; anything else needs FX and is a producer bug.
  if (row.currency !== currency)
    throw new CurrencyMismatchError(row.currency, currency, `${event.type}'s amount`, "the ledger row's currency");
}

const later = (a: BusinessDate | null, b: BusinessDate): BusinessDate => (a === null || b > a ? b : a);

type MovedFigure = 'credited' | 'disputed' | 'writtenOff' | 'debitNoted';

/** Adds (sign 1) or takes away (sign −1) an event's amount to one figure of its invoice's row. */
function moved(row: ArLedgerRow | undefined, event: LedgerEvent, json: MoneyJson, figure: MovedFigure, sign: 1n | -1n): ArLedgerRow {
  const amount = parseMoney(json, 'amount');
  const current = row ?? emptyRow(event.data.invoiceId, event.data.customerId, amount.currency);
  sameSubject(current, event, amount.currency);
  return { ...current, [figure]: sign === 1n ? add(current[figure], amount) : subtract(current[figure], amount) };
}

/** Folds one event into the invoice's row (undefined when the consumer has no row yet). Pure. */
export function applyToLedger(row: ArLedgerRow | undefined, event: LedgerEvent): ArLedgerRow {
  switch (event.type) {
    case 'InvoiceIssued': {
      const { data } = event;
      const amount = parseMoney(data.total, 'total');
      const current = row ?? emptyRow(data.invoiceId, data.customerId, amount.currency);
      sameSubject(current, event, amount.currency);
      if (current.invoice !== null) return current;
      return {
        ...current,
        invoice: {
          number: data.invoiceNumber,
          issueDate: parseBusinessDate(data.issueDate),
          dueDate: parseBusinessDate(data.dueDate),
          amount,
          reservationId: data.reservationId,
        },
      };
    }
    case 'PaymentAllocated': {
      const { data } = event;
      const amount = parseMoney(data.amount, 'amount');
      const current = row ?? emptyRow(data.invoiceId, data.customerId, amount.currency);
      sameSubject(current, event, amount.currency);
      return {
        ...current,
        paid: add(current.paid, amount),
        lastAllocatedOn: later(current.lastAllocatedOn, parseBusinessDate(data.allocatedOn)),
      };
    }
    case 'PaymentAllocationReduced': {
      const { data } = event;
      const amount = parseMoney(data.amount, 'amount');
      const current = row ?? emptyRow(data.invoiceId, data.customerId, amount.currency);
      sameSubject(current, event, amount.currency);
      return { ...current, paid: subtract(current.paid, amount) };
    }
    case 'CreditNoteIssued': {
      const { data } = event;
      const amount = parseMoney(data.amount, 'amount');
      const current = row ?? emptyRow(data.invoiceId, data.customerId, amount.currency);
      sameSubject(current, event, amount.currency);
      return { ...current, credited: add(current.credited, amount) };
    }
    case 'InvoiceCancelled':
      return moved(row, event, event.data.amount, 'credited', 1n);
    case 'DebitNoteIssued':
      return moved(row, event, event.data.amount, 'debitNoted', 1n);
    case 'DisputeRaised':
      return moved(row, event, event.data.amount, 'disputed', 1n);
    case 'DisputeResolved':
      return moved(row, event, event.data.disputedAmount, 'disputed', -1n);
    case 'InvoiceWrittenOff':
      return moved(row, event, event.data.amount, 'writtenOff', 1n);
    case 'WriteOffRecovered':
      return moved(row, event, event.data.amount, 'writtenOff', -1n);
    case 'PaymentDiscountTaken':
      return moved(row, event, event.data.discount, 'credited', 1n);
    case 'PaymentDiscountWithdrawn':
      return moved(row, event, event.data.discount, 'credited', -1n);
    default: {
      const unknown: never = event;
      throw new Error(`not a ledger event: ${JSON.stringify(unknown)}`);
    }
  }
}

/** Folds a list of events into rows by invoice id; what a rebuild does. */
export function foldLedger(events: readonly LedgerEvent[], rows: ReadonlyMap<string, ArLedgerRow> = new Map()): Map<string, ArLedgerRow> {
  const result = new Map(rows);
  for (const event of events) {
    const id = invoiceIdOf(event);
    result.set(id, applyToLedger(result.get(id), event));
  }
  return result;
}

/** The row's figures as the one rule (@arc/receivables) takes them. */
export function ledgerFigures(row: ArLedgerRow): InvoiceFigures {
  return {
    amount: row.invoice?.amount ?? null,
    allocated: row.paid,
    credited: row.credited,
    writtenOff: row.writtenOff,
    debitNoted: row.debitNoted,
  };
}

/** Charged, applied, excess and open balance by the one rule. */
export function ledgerBalance(row: ArLedgerRow): InvoiceBalance {
  return invoiceBalance(ledgerFigures(row));
}

/**
 * open balance = amount − allocations − credit notes − write-offs + debit notes, by the one rule: never
 * negative (cash beyond it is unapplied cash), zero for a row whose invoice has not arrived.
 */
export function openBalance(row: ArLedgerRow): Money {
  return ledgerBalance(row).open;
}

/**
 * paid once nothing is left to collect (by payment or by credit note); partially paid once some cash has been
 * applied and something is left; open otherwise (a credit note alone does not make an invoice "paid in part").
 */
export function ledgerStatus(row: ArLedgerRow): LedgerStatus {
  return invoiceStatus(ledgerFigures(row));
}

/** Rows that count as receivable: issued, with a positive open balance. */
export function isReceivable(row: ArLedgerRow): row is ArLedgerRow & { invoice: IssuedInvoice } {
  return row.invoice !== null && isPositive(openBalance(row));
}

/** Σ open balances of the rows in one currency (rows in other currencies are left out), by the one rule. */
export function openAr(rows: Iterable<ArLedgerRow>, currency: CurrencyCode): Money {
  return openArByRule([...rows].map(ledgerFigures), currency);
}

/** Σ cash allocated beyond the rows' balances in one currency: unapplied cash by the one rule. */
export function excessCash(rows: Iterable<ArLedgerRow>, currency: CurrencyCode): Money {
  return excessAllocations([...rows].map(ledgerFigures), currency);
}

/** The part of the open balance under dispute: min(disputed, open), never negative (a dispute never adds AR). */
export function disputedOpen(row: ArLedgerRow): Money {
  const open = openBalance(row).amountMinor;
  const disputed = row.disputed.amountMinor < 0n ? 0n : row.disputed.amountMinor;
  return { ...row.disputed, amountMinor: disputed < open ? disputed : open };
}
