import { NotFoundException } from '@nestjs/common';
import { daysBetween, type BusinessDate } from '@arc/clock';
import { toJson, type MoneyJson } from '@arc/money';
import { balanceOf, disputedOf, dueItemPositions, type Invoice } from '../domain/invoice.decider';
import { exactMinorText } from '../domain/late-interest';

export interface InvoiceResponse {
  invoiceId: string;
  number: string;
  customerId: string;
  currency: string;
  lines: Array<{ description: string; netAmount: MoneyJson; taxAmount: MoneyJson }>;
  /** Σ (net + tax) of the lines. */
  total: MoneyJson;
  /** Σ of the credit notes issued against it. */
  credited: MoneyJson;
  /** Σ cash the payments service allocated to it, net of what went back on account (as invoicing has learned it). */
  allocated: MoneyJson;
  /**
   * The open balance by the one rule (@arc/receivables): total − payments applied − credit notes, never below
   * zero. What a credit note may still take off. Cash beyond it is on its way back to the payer's account.
   */
  openBalance: MoneyJson;
  issueDate: string;
  dueDate: string;
  earlyPaymentDiscount: { basisPoints: number; payBy: string; discountedAmount: MoneyJson } | null;
  reservationId: string | null;
  /** Why it was dated on a business day already closed; null when it was not back-dated. */
  backdatingReason: string | null;
  creditNotes: Array<{ creditNoteId: string; number: string; amount: MoneyJson; issueDate: string; reason: string }>;
  /** open, partially-paid, paid, disputed (some of it in open dispute), written-off (nothing open, some written off), cancelled. */
  status: string;
  contractId: string | null;
  /**
   * The instalments (one for an invoice not split), each with what is still open on it and its days overdue as of
   * `asOf` (the calendar's last closed day): they age, are dunned and are paid on their own, oldest first.
   */
  dueItems: Array<{ sequence: number; dueDate: string; amount: MoneyJson; open: MoneyJson; daysOverdue: number }>;
  asOf: string | null;
  debitNoted: MoneyJson;
  debitNotes: Array<{
    debitNoteId: string;
    number: string;
    kind: string;
    amount: MoneyJson;
    issueDate: string;
    dueDate: string;
    reason: string;
  }>;
  /** Σ open disputes: excluded from dunning. */
  disputed: MoneyJson;
  disputes: Array<{
    disputeId: string;
    amount: MoneyJson;
    reasonCode: string;
    note: string;
    raisedOn: string;
    status: string;
    acceptedAmount: MoneyJson | null;
    creditNoteId: string | null;
    resolvedOn: string | null;
  }>;
  writtenOff: MoneyJson;
  recovered: MoneyJson;
  writeOffs: Array<{
    writeOffId: string;
    amount: MoneyJson;
    reason: string;
    status: string;
    requestedBy: string;
    approvedBy: string | null;
    signedOffBy: string | null;
  }>;
  cancellation: { cancelledOn: string; reason: string } | null;
  /** Late interest: accrued exactly (minor units, 6 places), charged as debit notes, through which day. */
  lateInterest: { accruedExactMinor: string; charged: MoneyJson; accruedThrough: string | null; charging: string } | null;
}

/** The invoice as the decider's state knows it; 404 when it was never issued. */
export function invoiceResponse(invoiceId: string, invoice: Invoice, asOf: string | null = null): InvoiceResponse {
  if (invoice.status !== 'issued') throw new NotFoundException(`no invoice ${invoiceId} was issued`);
  const balance = balanceOf(invoice);
  return {
    invoiceId: invoice.invoiceId,
    number: invoice.invoiceNumber,
    customerId: invoice.customerId,
    currency: invoice.currency,
    lines: invoice.lines.map((line) => ({
      description: line.description,
      netAmount: toJson(line.netAmount),
      taxAmount: toJson(line.taxAmount),
    })),
    total: toJson(invoice.total),
    credited: toJson(invoice.credited),
    allocated: toJson(invoice.allocated),
    openBalance: toJson(balance?.open ?? invoice.total),
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    earlyPaymentDiscount:
      invoice.earlyPaymentDiscount === null
        ? null
        : { ...invoice.earlyPaymentDiscount, discountedAmount: toJson(invoice.earlyPaymentDiscount.discountedAmount) },
    reservationId: invoice.reservationId,
    backdatingReason: invoice.backdatingReason,
    creditNotes: [...invoice.creditNotes.entries()].map(([creditNoteId, note]) => ({
      creditNoteId,
      number: note.creditNoteNumber,
      amount: toJson(note.amount),
      issueDate: note.issueDate,
      reason: note.reason,
    })),
    status: statusOf(invoice),
    contractId: invoice.contractId,
    dueItems: dueItemPositions(invoice).map((item) => ({
      sequence: item.sequence,
      dueDate: item.dueDate,
      amount: toJson(item.amount),
      open: toJson(item.open),
      daysOverdue: asOf === null || item.open.amountMinor === 0n ? 0 : Math.max(0, daysBetween(item.dueDate, asOf as BusinessDate)),
    })),
    asOf,
    debitNoted: toJson(invoice.debitNoted),
    debitNotes: [...invoice.debitNotes.entries()].map(([debitNoteId, note]) => ({
      debitNoteId,
      number: note.debitNoteNumber,
      kind: note.kind,
      amount: toJson(note.amount),
      issueDate: note.issueDate,
      dueDate: note.dueDate,
      reason: note.reason,
    })),
    disputed: toJson(disputedOf(invoice)),
    disputes: [...invoice.disputes.entries()].map(([disputeId, d]) => ({
      disputeId,
      amount: toJson(d.amount),
      reasonCode: d.reasonCode,
      note: d.note,
      raisedOn: d.raisedOn,
      status: d.status,
      acceptedAmount: d.acceptedAmount === null ? null : toJson(d.acceptedAmount),
      creditNoteId: d.creditNoteId,
      resolvedOn: d.resolvedOn,
    })),
    writtenOff: toJson(invoice.writtenOff),
    recovered: toJson(invoice.recovered),
    writeOffs: [...invoice.writeOffs.entries()].map(([writeOffId, w]) => ({
      writeOffId,
      amount: toJson(w.amount),
      reason: w.reason,
      status: w.status,
      requestedBy: w.requestedBy,
      approvedBy: w.approvedBy,
      signedOffBy: w.signedOffBy,
    })),
    cancellation: invoice.cancellation,
    lateInterest:
      invoice.interest.rule === null
        ? null
        : {
            accruedExactMinor: exactMinorText(invoice.interest.accruedNumerator),
            charged: toJson({ amountMinor: invoice.interest.chargedMinor, currency: invoice.currency }),
            accruedThrough: invoice.interest.lastAccruedDay,
            charging: invoice.interest.charging,
          },
  };
}

function statusOf(invoice: Extract<Invoice, { status: 'issued' }>): string {
  if (invoice.cancellation !== null) return 'cancelled';
  const balance = balanceOf(invoice);
  if (balance === null) return 'open';
  if (disputedOf(invoice).amountMinor > 0n) return 'disputed';
  if (balance.open.amountMinor === 0n) return invoice.writtenOff.amountMinor > 0n ? 'written-off' : 'paid';
  return balance.applied.amountMinor > 0n ? 'partially-paid' : 'open';
}
