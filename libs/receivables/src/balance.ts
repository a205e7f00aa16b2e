/*
 * The one rule for what an invoice still owes (domain brief, Definitions):
 *   open balance = amount − allocations − credit notes − write-offs + debit notes
 * and what happens at zero: an invoice never owes less than nothing. Cash allocated beyond what the invoice
 * was charged (a payment applied on a stale view while a credit note was in flight) is not "negative AR"
 * but cash on account: it counts as the customer's unapplied cash until the payments service moves it
 * there by event (InvoiceOverpaid → PaymentAllocationReduced), and counting it so before that event
 * arrives means no figure moves when it does.
 *
 * Every context that counts open AR (credit for its checks, payments for cash application, projections
 * for the ledger, aging and exposure) folds its own events into InvoiceFigures and asks these functions:
 * one rule, wherever it is applied.
 */
import { add, isNegative, isPositive, max, min, money, subtract, zero, type Money } from '@arc/money';

/** What a context knows of one invoice; every amount in the invoice's currency. */
export interface InvoiceFigures {
  /** The invoice total; null while only movements on it have arrived (topics are not ordered). */
  readonly amount: Money | null;
  /** Σ cash allocated to it, net of allocations reduced or reversed since. */
  readonly allocated: Money;
  /** Σ credit notes. */
  readonly credited: Money;
  /** Σ write-offs (none exist yet: zero). */
  readonly writtenOff: Money;
  /** Σ debit notes (none exist yet: zero). */
  readonly debitNoted: Money;
}

export interface InvoiceBalance {
  /** amount + debit notes − credit notes − write-offs: what the customer was charged, never below zero. */
  readonly charged: Money;
  /** The part of the allocations the invoice absorbs: min(allocated, charged). */
  readonly applied: Money;
  /** Allocations beyond `charged`: cash on account (unapplied), whatever the payments service has recorded yet. */
  readonly excess: Money;
  /** charged − applied: what the customer still owes on this invoice, never negative. */
  readonly open: Money;
}

/** Figures with nothing on them yet, in a currency. */
export function noFigures(currency: string, amount: Money | null = null): InvoiceFigures {
  const nothing = zero(currency);
  return { amount, allocated: nothing, credited: nothing, writtenOff: nothing, debitNoted: nothing };
}

/**
 * The invoice's balance by the rule. An invoice whose amount has not arrived owes nothing yet and absorbs
 * its early allocations whole (payments only allocates to invoices it has seen issued, so there is no excess
 * to speak of until the amount is known). Negative allocations (more reduced than allocated) count as none.
 */
export function invoiceBalance(figures: InvoiceFigures): InvoiceBalance {
  const currency = figures.allocated.currency;
  const nothing = zero(currency);
  const allocated = max(figures.allocated, nothing);
  if (figures.amount === null) return { charged: nothing, applied: allocated, excess: nothing, open: nothing };
  const grossCharged = subtract(subtract(add(figures.amount, figures.debitNoted), figures.credited), figures.writtenOff);
  const charged = max(grossCharged, nothing);
  const applied = min(allocated, charged);
  return { charged, applied, excess: subtract(allocated, applied), open: subtract(charged, applied) };
}

/** The invoice's open balance by the rule: never negative. */
export function openBalance(figures: InvoiceFigures): Money {
  return invoiceBalance(figures).open;
}

/** Open AR in one currency: Σ open balances of the invoices in that currency (others are left out). */
export function openAr(invoices: Iterable<InvoiceFigures>, currency: string): Money {
  let total = 0n;
  for (const figures of invoices) {
    if (figures.allocated.currency !== currency) continue;
    total += openBalance(figures).amountMinor;
  }
  return money(total, currency);
}

/**
 * By how much a change of one invoice's figures moves open AR: what a context that keeps a running total
 * per customer adds, so the total always equals openAr over its invoices.
 */
export function openArDelta(before: InvoiceFigures | null, after: InvoiceFigures): Money {
  const was = before === null ? zero(after.allocated.currency) : openBalance(before);
  return subtract(openBalance(after), was);
}

/** Σ excess over the invoices in one currency: allocated cash the invoices could not absorb. */
export function excessAllocations(invoices: Iterable<InvoiceFigures>, currency: string): Money {
  let total = 0n;
  for (const figures of invoices) {
    if (figures.allocated.currency !== currency) continue;
    total += invoiceBalance(figures).excess.amountMinor;
  }
  return money(total, currency);
}

/**
 * Unapplied cash on account: received − allocated (what the payments recorded as left over) plus the
 * allocations the invoices could not absorb. Never negative: a context that sees an allocation before the
 * receipt it comes from (topics are not ordered) reports no cash rather than a debt.
 */
export function unappliedCash(cashLeftOnAccount: Money, excess: Money): Money {
  const total = add(cashLeftOnAccount, excess);
  return isNegative(total) ? zero(total.currency) : total;
}

/** exposure = open AR + open credit reservations (domain brief, Definitions). */
export function exposure(openAr: Money, openReservations: Money): Money {
  return add(openAr, openReservations);
}

/** The status the ledger shows: paid once nothing is open, partially paid once cash is applied, open before. */
export function invoiceStatus(figures: InvoiceFigures): 'not-issued' | 'open' | 'partially-paid' | 'paid' {
  if (figures.amount === null) return 'not-issued';
  const balance = invoiceBalance(figures);
  if (!isPositive(balance.open)) return 'paid';
  return isPositive(balance.applied) ? 'partially-paid' : 'open';
}
