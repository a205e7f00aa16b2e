/*
 * Late interest on an invoice: accrued per day of lateness at each day close, charged as a debit note at the
 * contract's cadence (month end, or when the principal is settled). The arithmetic and its rounding rule are
 * in ./late-interest.ts. Pure.
 */
import type { BusinessDate } from '@arc/clock';
import type { InvoicingEvent } from '@arc/contracts';
import { isPositive, money, subtract, toJson } from '@arc/money';
import type { InvoiceTermsEvent } from './invoice-terms.events';
import type { AccrueLateInterest, ChargeLateInterest } from './invoice.commands';
import { disputedOf, dueItemPositions, overduePrincipal, type Invoice, type Issued } from './invoice.state';
import { annualRateOn, dayInterestNumerator, exactMinorText, interestToCharge } from './late-interest';

export function accrueLateInterest(command: AccrueLateInterest, state: Invoice): InvoiceTermsEvent[] {
  if (state.status !== 'issued' || state.cancellation !== null) return [];
  const invoice = state;
  const { day, referenceRateBasisPoints } = command.data;
  const { rule, lastAccruedDay } = invoice.interest;
  if (rule === null) return [];
  if (lastAccruedDay !== null && day <= lastAccruedDay) return [];
  const overdue = subtract(overduePrincipal(invoice, day), disputedOf(invoice));
  if (!isPositive(overdue)) return [];
  const rate = annualRateOn(rule, referenceRateBasisPoints);
  if (rate === null || rate === 0) return [];
  return [
    {
      type: 'LateInterestAccrued',
      data: {
        invoiceId: invoice.invoiceId,
        day,
        principal: toJson(overdue),
        annualRateBasisPoints: rate,
        numerator: dayInterestNumerator(overdue.amountMinor, rate, day).toString(),
      },
    },
  ];
}

/** Numbers of the debit notes invoicing raises itself: the invoice's number, LI (interest) or FC (compensation), a count. */
function debitNoteNumber(invoice: Issued, kind: 'LI' | 'FC'): string {
  const count = [...invoice.debitNotes.values()].filter((n) => n.kind === (kind === 'LI' ? 'late-interest' : 'fixed-compensation')).length;
  return `${invoice.invoiceNumber}-${kind}${count + 1}`;
}

/**
 * Interest accrued and not charged yet as a debit note (and the fixed compensation, once per invoice, as
 * soon as any interest was charged on it): what a month-end close or the principal's settlement charges.
 */
export function chargeInterest(
  invoice: Issued,
  ids: { debitNoteId: string; compensationDebitNoteId: string },
  issueDate: BusinessDate,
  dueDate: BusinessDate,
): InvoicingEvent[] {
  const { interest } = invoice;
  const events: InvoicingEvent[] = [];
  const amount = interestToCharge(interest.accruedNumerator, interest.chargedMinor);
  if (amount > 0n && interest.unchargedFrom !== null && interest.lastAccruedDay !== null) {
    events.push({
      type: 'DebitNoteIssued',
      data: {
        debitNoteId: ids.debitNoteId,
        debitNoteNumber: debitNoteNumber(invoice, 'LI'),
        invoiceId: invoice.invoiceId,
        customerId: invoice.customerId,
        kind: 'late-interest',
        amount: toJson(money(amount, invoice.currency)),
        issueDate,
        dueDate,
        reason: `late interest ${interest.unchargedFrom} to ${interest.lastAccruedDay}`,
        lateInterest: {
          accruedFrom: interest.unchargedFrom,
          accruedThrough: interest.lastAccruedDay,
          exactMinor: exactMinorText(interest.accruedNumerator - interest.chargedNumerator),
        },
      },
    });
  }
  const compensation = interest.fixedCompensation;
  if (compensation !== null && isPositive(compensation) && !interest.compensationCharged && (amount > 0n || interest.chargedMinor > 0n)) {
    events.push({
      type: 'DebitNoteIssued',
      data: {
        debitNoteId: ids.compensationDebitNoteId,
        debitNoteNumber: debitNoteNumber(invoice, 'FC'),
        invoiceId: invoice.invoiceId,
        customerId: invoice.customerId,
        kind: 'fixed-compensation',
        amount: toJson(compensation),
        issueDate,
        dueDate,
        reason: 'fixed compensation for recovery costs (late payment)',
        lateInterest: null,
      },
    });
  }
  return events;
}

export function chargeLateInterest(command: ChargeLateInterest, state: Invoice): InvoicingEvent[] {
  if (state.status !== 'issued' || state.cancellation !== null) return [];
  const { debitNoteId, compensationDebitNoteId, issueDate, dueDate } = command.data;
  return chargeInterest(state, { debitNoteId, compensationDebitNoteId }, issueDate, dueDate);
}

/** True when no principal is open any more (the 'on-settlement' cadence charges then). */
export function principalSettled(invoice: Issued): boolean {
  return dueItemPositions(invoice).every((item) => !isPositive(item.open));
}
