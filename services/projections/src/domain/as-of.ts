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
import { add, parseMoney, subtract, zero, type CurrencyCode, type Money, type MoneyJson } from '@arc/money';
import type { EventOf, PaymentReversed } from '@arc/contracts';
import type { ArLedgerRow, LedgerEvent } from './ar-ledger.projection';

export type MovementKind =
  | 'allocated'
  | 'allocation-reduced'
  | 'credit-note'
  | 'cancelled'
  | 'discount'
  | 'discount-withdrawn'
  | 'write-off'
  | 'write-off-recovered'
  | 'debit-note'
  | 'dispute-raised'
  | 'dispute-resolved'
  /** A marker, on no invoice: the date a payment was reversed (its reductions and withdrawn discounts take it). */
  | 'payment-reversed';

/** The events that add a dated movement: the ledger's, and PaymentReversed for the date of a reversal. */
export type MovementEvent = LedgerEvent | EventOf<typeof PaymentReversed>;

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
  /** The payment of an allocation, discount, their reversal (how a reduction or withdrawal finds its date). */
  readonly paymentId: string | null;
  /** Why an allocation was reduced ('invoice-overpaid', 'payment-reversed'); null for other kinds. */
  readonly reason: string | null;
}

function movement(
  eventId: string,
  data: { invoiceId: string; customerId: string },
  kind: MovementKind,
  effectiveOn: string | null,
  amount: MoneyJson,
  paymentId: string | null = null,
  reason: string | null = null,
): LedgerMovement {
  return {
    movementId: eventId,
    invoiceId: data.invoiceId,
    customerId: data.customerId,
    kind,
    effectiveOn: effectiveOn === null ? null : parseBusinessDate(effectiveOn),
    amount: parseMoney(amount, 'amount'),
    paymentId,
    reason,
  };
}

/**
 * The dated movement an event adds to its invoice's history; null for InvoiceIssued (the row itself holds it).
 * A reduction or a withdrawn discount has no date of its own: resolveReductionDates gives it one.
 */
export function movementOf(eventId: string, event: MovementEvent): LedgerMovement | null {
  switch (event.type) {
    case 'InvoiceIssued':
      return null;
    case 'PaymentAllocated':
      return movement(eventId, event.data, 'allocated', event.data.allocatedOn, event.data.amount, event.data.paymentId);
    case 'PaymentAllocationReduced':
      return movement(eventId, event.data, 'allocation-reduced', null, event.data.amount, event.data.paymentId, event.data.reason);
    case 'CreditNoteIssued':
      return movement(eventId, event.data, 'credit-note', event.data.issueDate, event.data.amount);
    case 'InvoiceCancelled':
      return movement(eventId, event.data, 'cancelled', event.data.cancelledOn, event.data.amount);
    case 'DebitNoteIssued':
      return movement(eventId, event.data, 'debit-note', event.data.issueDate, event.data.amount);
    case 'DisputeRaised':
      return movement(eventId, event.data, 'dispute-raised', event.data.raisedOn, event.data.amount);
    case 'DisputeResolved':
      return movement(eventId, event.data, 'dispute-resolved', event.data.resolvedOn, event.data.disputedAmount);
    case 'InvoiceWrittenOff':
      return movement(eventId, event.data, 'write-off', event.data.writtenOffOn, event.data.amount);
    case 'WriteOffRecovered':
      return movement(eventId, event.data, 'write-off-recovered', event.data.recoveredOn, event.data.amount, event.data.paymentId);
    case 'PaymentDiscountTaken':
      return movement(eventId, event.data, 'discount', event.data.takenOn, event.data.discount, event.data.paymentId);
    case 'PaymentDiscountWithdrawn':
      return movement(eventId, event.data, 'discount-withdrawn', null, event.data.discount, event.data.paymentId, event.data.reason);
    case 'PaymentReversed':
      return movement(
        eventId,
        { invoiceId: '', customerId: event.data.customerId },
        'payment-reversed',
        event.data.reversedOn,
        event.data.amount,
        event.data.paymentId,
      );
    default: {
      const unknown: never = event;
      throw new Error(`not a movement event: ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * Dates what has no date of its own. A reduction for a reversed payment, and a discount withdrawn (always for a
 * reversal), take the date the payment was reversed (PaymentReversed.reversedOn): the invoice was paid until then.
 * Any other reduction (an overpayment moved on account) takes the date of the earliest allocation of the same
 * payment to the same invoice: it only ever corrects that allocation. Undated until the other event is known.
 * Order-independent: the same movements give the same dates whatever order they arrived in.
 */
export function resolveReductionDates(movements: readonly LedgerMovement[]): LedgerMovement[] {
  const allocatedOn = new Map<string, BusinessDate>();
  const reversedOn = new Map<string, BusinessDate>();
  for (const m of movements) {
    if (m.effectiveOn === null) continue;
    if (m.kind === 'payment-reversed' && m.paymentId !== null) reversedOn.set(m.paymentId, m.effectiveOn);
    if (m.kind !== 'allocated') continue;
    const key = `${m.paymentId}|${m.invoiceId}`;
    const known = allocatedOn.get(key);
    if (known === undefined || m.effectiveOn < known) allocatedOn.set(key, m.effectiveOn);
  }
  return movements.map((m) => {
    if (m.effectiveOn !== null) return m;
    if (m.kind === 'discount-withdrawn' || (m.kind === 'allocation-reduced' && m.reason === 'payment-reversed')) {
      return { ...m, effectiveOn: (m.paymentId !== null ? reversedOn.get(m.paymentId) : undefined) ?? null };
    }
    if (m.kind === 'allocation-reduced') return { ...m, effectiveOn: allocatedOn.get(`${m.paymentId}|${m.invoiceId}`) ?? null };
    return m;
  });
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
  let disputed = zero(currency);
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
      case 'cancelled':
      case 'discount':
        credited = add(credited, m.amount);
        break;
      case 'discount-withdrawn':
        credited = subtract(credited, m.amount);
        break;
      case 'write-off':
        writtenOff = add(writtenOff, m.amount);
        break;
      case 'write-off-recovered':
        writtenOff = subtract(writtenOff, m.amount);
        break;
      case 'debit-note':
        debitNoted = add(debitNoted, m.amount);
        break;
      case 'dispute-raised':
        disputed = add(disputed, m.amount);
        break;
      case 'dispute-resolved':
        disputed = subtract(disputed, m.amount);
        break;
      case 'payment-reversed':
        break;
      default: {
        const unknown: never = m.kind;
        throw new Error(`unknown movement ${String(unknown)}`);
      }
    }
  }
  return { ...row, paid, credited, writtenOff, debitNoted, disputed, lastAllocatedOn };
}
