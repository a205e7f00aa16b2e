/*
 * True "as of": every ledger movement keeps the business date it took effect on, so the ledger of any past
 * business date is the fold of the invoices issued and the movements dated up to it — later payments, notes
 * and invoices excluded. The live rows (ar-ledger.projection.ts) are the same fold over every movement.
 *
 * Effective dates: an invoice its issueDate, an allocation its allocatedOn, a credit note its issueDate. A
 * PaymentAllocationReduced carries no date: it undoes part of the allocation of the same payment to the same
 * invoice, so it takes that allocation's date (resolved when both are known, whatever order they arrive in);
 * until the allocation is known it has no date and counts in no past date (the live row counts it).
 */
import { parseBusinessDate, type BusinessDate } from '@arc/clock';
import { add, parseMoney, subtract, zero, type CurrencyCode, type Money } from '@arc/money';
import type { ArLedgerRow, LedgerEvent } from './ar-ledger.projection';

export type MovementKind = 'allocated' | 'allocation-reduced' | 'credit-note' | 'write-off' | 'debit-note';

export interface LedgerMovement {
  /** The id of the event it comes from: a redelivered event is the same movement. */
  readonly movementId: string;
  readonly invoiceId: string;
  readonly customerId: string;
  readonly kind: MovementKind;
  /** The business date it took effect on; null for a reduction whose allocation is not known yet. */
  readonly effectiveOn: BusinessDate | null;
  /** Positive; the kind says which figure it moves and in which direction. */
  readonly amount: Money;
  /** The payment of an allocation or its reduction (how a reduction finds its date). */
  readonly paymentId: string | null;
}

/** The dated movement an event adds to its invoice's history; null for InvoiceIssued (the row itself holds it). */
export function movementOf(eventId: string, event: LedgerEvent): LedgerMovement | null {
  switch (event.type) {
    case 'InvoiceIssued':
      return null;
    case 'PaymentAllocated':
      return {
        movementId: eventId,
        invoiceId: event.data.invoiceId,
        customerId: event.data.customerId,
        kind: 'allocated',
        effectiveOn: parseBusinessDate(event.data.allocatedOn),
        amount: parseMoney(event.data.amount, 'amount'),
        paymentId: event.data.paymentId,
      };
    case 'PaymentAllocationReduced':
      return {
        movementId: eventId,
        invoiceId: event.data.invoiceId,
        customerId: event.data.customerId,
        kind: 'allocation-reduced',
        effectiveOn: null,
        amount: parseMoney(event.data.amount, 'amount'),
        paymentId: event.data.paymentId,
      };
    case 'CreditNoteIssued':
      return {
        movementId: eventId,
        invoiceId: event.data.invoiceId,
        customerId: event.data.customerId,
        kind: 'credit-note',
        effectiveOn: parseBusinessDate(event.data.issueDate),
        amount: parseMoney(event.data.amount, 'amount'),
        paymentId: null,
      };
    default: {
      const unknown: never = event;
      throw new Error(`not a ledger event: ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Gives every dateless reduction the date of the earliest allocation of the same payment to the same invoice.
 * Order-independent: the same movements give the same dates whatever order they arrived in.
 */
export function resolveReductionDates(movements: readonly LedgerMovement[]): LedgerMovement[] {
  const allocatedOn = new Map<string, BusinessDate>();
  for (const m of movements) {
    if (m.kind !== 'allocated' || m.effectiveOn === null) continue;
    const key = `${m.paymentId}|${m.invoiceId}`;
    const known = allocatedOn.get(key);
    if (known === undefined || m.effectiveOn < known) allocatedOn.set(key, m.effectiveOn);
  }
  return movements.map((m) =>
    m.kind === 'allocation-reduced' && m.effectiveOn === null
      ? { ...m, effectiveOn: allocatedOn.get(`${m.paymentId}|${m.invoiceId}`) ?? null }
      : m,
  );
}

/**
 * The ledger rows as they stood at the end of business date asOf: the invoices issued by then, each with the
 * movements dated by then. A row whose invoice was issued later is left out (it did not exist), as is a row
 * whose invoice never arrived. Pure; `movements` may hold any customer's (those of other invoices are ignored).
 */
export function ledgerAsOf(rows: Iterable<ArLedgerRow>, movements: readonly LedgerMovement[], asOf: BusinessDate): ArLedgerRow[] {
  const byInvoice = new Map<string, LedgerMovement[]>();
  for (const m of resolveReductionDates(movements)) {
    if (m.effectiveOn === null || m.effectiveOn > asOf) continue;
    const list = byInvoice.get(m.invoiceId) ?? [];
    list.push(m);
    byInvoice.set(m.invoiceId, list);
  }
  const result: ArLedgerRow[] = [];
  for (const row of rows) {
    if (row.invoice === null || row.invoice.issueDate > asOf) continue;
    result.push(rowFromMovements(row, byInvoice.get(row.invoiceId) ?? []));
  }
  return result;
}

function rowFromMovements(row: ArLedgerRow, movements: readonly LedgerMovement[]): ArLedgerRow {
  const currency: CurrencyCode = row.currency;
  let paid = zero(currency);
  let credited = zero(currency);
  let writtenOff = zero(currency);
  let debitNoted = zero(currency);
  let lastAllocatedOn: BusinessDate | null = null;
  for (const m of movements) {
    switch (m.kind) {
      case 'allocated':
        paid = add(paid, m.amount);
        if (m.effectiveOn !== null && (lastAllocatedOn === null || m.effectiveOn > lastAllocatedOn)) lastAllocatedOn = m.effectiveOn;
        break;
      case 'allocation-reduced':
        paid = subtract(paid, m.amount);
        break;
      case 'credit-note':
        credited = add(credited, m.amount);
        break;
      case 'write-off':
        writtenOff = add(writtenOff, m.amount);
        break;
      case 'debit-note':
        debitNoted = add(debitNoted, m.amount);
        break;
      default: {
        const unknown: never = m.kind;
        throw new Error(`unknown movement ${String(unknown)}`);
      }
    }
  }
  return { ...row, paid, credited, writtenOff, debitNoted, disputed: zero(currency), lastAllocatedOn };
}
