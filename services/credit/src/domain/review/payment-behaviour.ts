/*
 * How a customer has actually paid, from its invoices' dates (the credit service's view of invoicing and
 * payments events). Pure: the review date is given.
 * - An invoice counts once it has fallen due before the review date or has been settled (balance zero).
 * - Settled by its due date: on time, 0 days late. Settled after: days late = settled − due.
 * - Still open past its due date: late by review date − due date so far.
 * - Days to pay (settled invoices only) = settled − issued.
 * Averages are whole days rounded half up; the on-time share is in basis points, rounded down (never
 * flatters the customer). Nothing counted yet: nulls, so the model's "no history" points apply.
 */
import { daysBetween, type BusinessDate } from '@arc/clock';
import type { PaymentBehaviour } from '../customer-account/commands';

export interface InvoiceDates {
  issueDate: string;
  dueDate: string;
  /** The day the balance reached zero; null while it owes something. */
  settledOn: string | null;
}

export interface PaymentBehaviourFigures extends PaymentBehaviour {
  /** Invoices that fell due or were settled by the review date. */
  invoicesCounted: number;
  /** Average days from issue to settlement, over settled invoices; null when none is settled. */
  averageDaysToPay: number | null;
}

const days = (from: string, to: string): number => daysBetween(from as BusinessDate, to as BusinessDate);

/** Σ / n rounded half up, for non-negative whole days. */
const averageDays = (total: number, n: number): number => Math.floor((2 * total + n) / (2 * n));

export function paymentBehaviour(
  invoices: readonly InvoiceDates[],
  reviewedOn: string,
  brokenPromises: number | null = null,
): PaymentBehaviourFigures {
  let counted = 0;
  let onTime = 0;
  let daysLate = 0;
  let settled = 0;
  let daysToPay = 0;
  for (const invoice of invoices) {
    const settledBy = invoice.settledOn !== null && invoice.settledOn <= reviewedOn ? invoice.settledOn : null;
    if (settledBy !== null) {
      counted += 1;
      settled += 1;
      daysToPay += Math.max(0, days(invoice.issueDate, settledBy));
      const late = Math.max(0, days(invoice.dueDate, settledBy));
      if (late === 0) onTime += 1;
      daysLate += late;
    } else if (invoice.dueDate < reviewedOn) {
      counted += 1;
      daysLate += days(invoice.dueDate, reviewedOn);
    }
  }
  return {
    invoicesCounted: counted,
    onTimePaymentBasisPoints: counted === 0 ? null : Math.floor((onTime * 10_000) / counted),
    averageDaysLate: counted === 0 ? null : averageDays(daysLate, counted),
    averageDaysToPay: settled === 0 ? null : averageDays(daysToPay, settled),
    brokenPromises,
  };
}
