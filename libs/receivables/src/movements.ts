/*
 * Which figure of an invoice each published event moves, and which way: the one mapping every context that
 * counts open AR applies (projections' ledger, credit's open AR, payments' open invoices, invoicing's own
 * balance), so a cancellation, a debit note, a write-off, its recovery or a discount counts alike everywhere.
 *   - a credit note, a cancellation (the whole amount) and an early-payment discount taken lower the charge
 *     (`credited`); a discount withdrawn (its payment reversed) raises it again;
 *   - a debit note raises it (`debitNoted`);
 *   - a write-off takes debt out of open AR (`writtenOff`); a recovery (cash on written-off debt) puts it back
 *     so the cash is applied;
 *   - cash allocated and its reductions (a reversal is written as reductions first) move `allocated`.
 * Disputes move no figure: disputed debt stays owed. PaymentReversed and refunds move unapplied cash only.
 */
import { add, money, type Money } from '@arc/money';
import type { InvoiceFigures } from './balance';

export type MovedFigure = 'allocated' | 'credited' | 'writtenOff' | 'debitNoted';

export const RECEIVABLE_MOVEMENTS = {
  PaymentAllocated: { figure: 'allocated', sign: 1n },
  PaymentAllocationReduced: { figure: 'allocated', sign: -1n },
  CreditNoteIssued: { figure: 'credited', sign: 1n },
  InvoiceCancelled: { figure: 'credited', sign: 1n },
  PaymentDiscountTaken: { figure: 'credited', sign: 1n },
  PaymentDiscountWithdrawn: { figure: 'credited', sign: -1n },
  DebitNoteIssued: { figure: 'debitNoted', sign: 1n },
  InvoiceWrittenOff: { figure: 'writtenOff', sign: 1n },
  WriteOffRecovered: { figure: 'writtenOff', sign: -1n },
} as const satisfies Record<string, { figure: MovedFigure; sign: 1n | -1n }>;

/** The event types that move an invoice's figures. */
export type ReceivableEventType = keyof typeof RECEIVABLE_MOVEMENTS;

export const RECEIVABLE_EVENT_TYPES = Object.keys(RECEIVABLE_MOVEMENTS) as ReceivableEventType[];

/** The figures after one event of `type` for `amount` (the event's positive amount, in the invoice's currency). */
export function moveFigures(figures: InvoiceFigures, type: ReceivableEventType, amount: Money): InvoiceFigures {
  const { figure, sign } = RECEIVABLE_MOVEMENTS[type];
  return { ...figures, [figure]: add(figures[figure], money(sign * amount.amountMinor, amount.currency)) };
}

/**
 * By how much one event of `type` lowers what the customer is charged on the invoice (negative: raises it);
 * zero for cash movements. For a context that keeps the charge apart from its own allocations.
 */
export function chargeReduction(type: ReceivableEventType, amount: Money): Money {
  const { figure, sign } = RECEIVABLE_MOVEMENTS[type];
  if (figure === 'allocated') return money(0n, amount.currency);
  const lowers = figure === 'debitNoted' ? -sign : sign;
  return money(lowers * amount.amountMinor, amount.currency);
}
