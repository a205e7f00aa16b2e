/*
 * Cancellation, debit notes and disputes on an issued invoice. Pure.
 * - Cancel only while nothing is allocated, credited, debited, disputed or written off: the invoice then
 *   leaves open AR whole (InvoiceCancelled carries its total).
 * - A dispute takes at most what is open and not already disputed or being written off; accepting issues
 *   the credit note in the same decision, rejecting makes the amount collectable again.
 */
import { daysBetween, isBefore, type BusinessDate } from '@arc/clock';
import type { InvoicingEvent } from '@arc/contracts';
import { isPositive, subtract, toJson, zero, type Money } from '@arc/money';
import { invoiceBalance } from '@arc/receivables';
import type { CancelInvoice, IssueDebitNote, RaiseDispute, ResolveDispute } from './invoice.commands';
import { CurrencyMismatchError, InvoiceNotIssuedError } from './invoice.errors';
import { disputedOf, invoiceFigures, pendingWriteOffs, type Invoice, type Issued } from './invoice.state';
import {
  AmountExceedsOpenError,
  AmountNotPositiveError,
  DateBeforeInvoiceError,
  DisputeClosedError,
  DisputeUnknownError,
  IdReusedError,
  InvoiceCancelledError,
  InvoiceNotCancellableError,
} from './receivable.errors';

/** The invoice, issued and not cancelled, for a command that changes its balance. */
export function inForce(state: Invoice, command: string): Issued {
  if (state.status !== 'issued') throw new InvoiceNotIssuedError(command);
  if (state.cancellation !== null) throw new InvoiceCancelledError(state.invoiceId, command);
  return state;
}

function inCurrency(invoice: Issued, amount: Money, what: string): void {
  if (amount.currency !== invoice.currency)
    throw new CurrencyMismatchError(invoice.currency, amount.currency, what, 'the invoice currency');
  if (!isPositive(amount)) throw new AmountNotPositiveError(what);
}

function notBeforeInvoice(invoice: Issued, date: BusinessDate, what: string): void {
  if (isBefore(date, invoice.issueDate as BusinessDate)) throw new DateBeforeInvoiceError(what, date);
}

/** Open balance not in dispute and not on its way to a write-off: what a new dispute or write-off may take. */
export function freeBalance(invoice: Issued): Money {
  const open = invoiceBalance(invoiceFigures(invoice)).open;
  const free = subtract(subtract(open, disputedOf(invoice)), pendingWriteOffs(invoice));
  return isPositive(free) ? free : zero(invoice.currency);
}

export function cancelInvoice(command: CancelInvoice, state: Invoice): InvoicingEvent[] {
  if (state.status !== 'issued') throw new InvoiceNotIssuedError(command.type);
  if (state.cancellation !== null) return [];
  const invoice = state;
  const { reason, cancelledOn } = command.data;
  notBeforeInvoice(invoice, cancelledOn, 'the cancellation date');
  const because = [
    isPositive(invoice.allocated) || invoice.payments.size > 0 ? 'cash is allocated to it' : null,
    isPositive(invoice.credited) ? 'credit notes were issued against it' : null,
    isPositive(invoice.debitNoted) ? 'debit notes were issued against it' : null,
    invoice.disputes.size > 0 ? 'it is or was disputed' : null,
    invoice.writeOffs.size > 0 ? 'a write-off was requested on it' : null,
  ].filter((x): x is string => x !== null);
  if (because.length > 0) throw new InvoiceNotCancellableError(invoice.invoiceId, because.join('; '));
  return [
    {
      type: 'InvoiceCancelled',
      data: { invoiceId: invoice.invoiceId, customerId: invoice.customerId, amount: toJson(invoice.total), cancelledOn, reason },
    },
  ];
}

export function issueDebitNote(command: IssueDebitNote, state: Invoice): InvoicingEvent[] {
  const invoice = inForce(state, command.type);
  const d = command.data;
  const earlier = invoice.debitNotes.get(d.debitNoteId);
  if (earlier !== undefined) {
    if (earlier.amount.amountMinor === d.amount.amountMinor && earlier.debitNoteNumber === d.debitNoteNumber) return [];
    throw new IdReusedError('debit note', d.debitNoteId);
  }
  inCurrency(invoice, d.amount, 'amount');
  notBeforeInvoice(invoice, d.issueDate, 'the debit note date');
  if (isBefore(d.dueDate, d.issueDate)) throw new DateBeforeInvoiceError('the debit note due date', d.dueDate);
  return [
    {
      type: 'DebitNoteIssued',
      data: {
        debitNoteId: d.debitNoteId,
        debitNoteNumber: d.debitNoteNumber,
        invoiceId: invoice.invoiceId,
        customerId: invoice.customerId,
        kind: d.kind,
        amount: toJson(d.amount),
        issueDate: d.issueDate,
        dueDate: d.dueDate,
        reason: d.reason,
        lateInterest: null,
      },
    },
  ];
}

export function raiseDispute(command: RaiseDispute, state: Invoice): InvoicingEvent[] {
  const invoice = inForce(state, command.type);
  const d = command.data;
  if (invoice.disputes.has(d.disputeId)) {
    const earlier = invoice.disputes.get(d.disputeId);
    if (earlier !== undefined && (d.amount === null || earlier.amount.amountMinor === d.amount.amountMinor)) return [];
    throw new IdReusedError('dispute', d.disputeId);
  }
  notBeforeInvoice(invoice, d.raisedOn, 'the dispute date');
  const free = freeBalance(invoice);
  const amount = d.amount ?? free;
  inCurrency(invoice, amount, 'the disputed amount');
  if (amount.amountMinor > free.amountMinor) throw new AmountExceedsOpenError('the disputed amount', amount.amountMinor, free.amountMinor);
  const open = invoiceBalance(invoiceFigures(invoice)).open;
  return [
    {
      type: 'DisputeRaised',
      data: {
        disputeId: d.disputeId,
        invoiceId: invoice.invoiceId,
        customerId: invoice.customerId,
        amount: toJson(amount),
        wholeInvoice: amount.amountMinor === open.amountMinor,
        dueSequence: null,
        reasonCode: d.reasonCode,
        note: d.note,
        evidenceRefs: d.evidenceRefs,
        raisedOn: d.raisedOn,
        raisedByRole: d.raisedByRole,
        ...(d.source === undefined || d.source === null ? {} : { source: d.source }),
      },
    },
  ];
}

export function resolveDispute(command: ResolveDispute, state: Invoice): InvoicingEvent[] {
  const invoice = inForce(state, command.type);
  const d = command.data;
  const dispute = invoice.disputes.get(d.disputeId);
  if (dispute === undefined) throw new DisputeUnknownError(d.disputeId);
  if (dispute.status !== 'open') {
    if (dispute.status === d.outcome) return [];
    throw new DisputeClosedError(d.disputeId, dispute.status);
  }
  notBeforeInvoice(invoice, d.resolvedOn, 'the resolution date');
  const nothing = zero(invoice.currency);
  const accepted = d.outcome === 'accepted' ? (d.acceptedAmount ?? dispute.amount) : nothing;
  if (d.outcome === 'accepted') {
    inCurrency(invoice, accepted, 'the accepted amount');
    if (accepted.amountMinor > dispute.amount.amountMinor) {
      throw new AmountExceedsOpenError('the accepted amount', accepted.amountMinor, dispute.amount.amountMinor);
    }
    const open = invoiceBalance(invoiceFigures(invoice)).open;
    if (accepted.amountMinor > open.amountMinor)
      throw new AmountExceedsOpenError('the accepted amount', accepted.amountMinor, open.amountMinor);
  }
  const resolved: InvoicingEvent = {
    type: 'DisputeResolved',
    data: {
      disputeId: d.disputeId,
      invoiceId: invoice.invoiceId,
      customerId: invoice.customerId,
      outcome: d.outcome,
      disputedAmount: toJson(dispute.amount),
      acceptedAmount: toJson(accepted),
      collectableAgain: toJson(subtract(dispute.amount, accepted)),
      creditNoteId: d.outcome === 'accepted' ? d.creditNoteId : null,
      resolvedOn: d.resolvedOn,
      note: d.note,
      durationDays: Math.max(0, daysBetween(dispute.raisedOn as BusinessDate, d.resolvedOn)),
      reasonCode: dispute.reasonCode,
    },
  };
  if (d.outcome === 'rejected') return [resolved];
  return [
    {
      type: 'CreditNoteIssued',
      data: {
        creditNoteId: d.creditNoteId,
        creditNoteNumber: d.creditNoteNumber,
        invoiceId: invoice.invoiceId,
        customerId: invoice.customerId,
        amount: toJson(accepted),
        issueDate: d.resolvedOn,
        reason: `dispute accepted (${dispute.reasonCode}): ${d.note}`,
      },
    },
    resolved,
  ];
}
