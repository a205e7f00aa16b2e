/* The invoice's state as its events fold it, and its balance by @arc/receivables' one rule. */
import type { DebitNoteKind, DisputeReasonCode, InvoicingEvent } from '@arc/contracts';
import { add, max, min, subtract, zero, type CurrencyCode, type Money } from '@arc/money';
import { invoiceBalance, type InvoiceBalance, type InvoiceFigures, type PaymentShare } from '@arc/receivables';
import type { InvoiceCashEvent } from './invoice-cash.events';
import type { InterestCharging, InvoiceTermsEvent } from './invoice-terms.events';
import type { InvoiceLine } from './invoice.commands';
import type { LateInterestRule } from './late-interest';
import type { DueItem } from './payment-terms';

export const invoiceStreamId = (invoiceId: string): string => `invoice-${invoiceId}`;

/** Everything the invoice stream holds: the published contract events and its private cash records. */
export type InvoiceStreamEvent = InvoicingEvent | InvoiceCashEvent | InvoiceTermsEvent;

export interface CreditNote {
  creditNoteNumber: string;
  amount: Money;
  issueDate: string;
  reason: string;
}

export interface DebitNote {
  debitNoteNumber: string;
  kind: DebitNoteKind;
  amount: Money;
  issueDate: string;
  dueDate: string;
  reason: string;
}

export interface Dispute {
  amount: Money;
  wholeInvoice: boolean;
  reasonCode: DisputeReasonCode;
  note: string;
  raisedOn: string;
  status: 'open' | 'accepted' | 'rejected';
  /** Set once resolved. */
  acceptedAmount: Money | null;
  creditNoteId: string | null;
  resolvedOn: string | null;
}

export interface WriteOff {
  amount: Money;
  reason: string;
  requestedOn: string;
  requestedBy: string;
  status: 'requested' | 'approved' | 'rejected' | 'written-off';
  approvedBy: string | null;
  signedOffBy: string | null;
}

/** The invoice's late-interest terms (copied from its contract) and how far interest has accrued and been charged. */
export interface InterestAccount {
  rule: LateInterestRule | null;
  fixedCompensation: Money | null;
  charging: InterestCharging;
  /** The last day of lateness accrued (a later close accrues only days after it). */
  lastAccruedDay: string | null;
  /** Σ daily interest, in 1 / INTEREST_DENOMINATOR of a minor unit. */
  accruedNumerator: bigint;
  /** Σ late-interest debit notes. */
  chargedMinor: bigint;
  /** accruedNumerator when the latest late-interest debit note was issued (what earlier charges covered). */
  chargedNumerator: bigint;
  /** First accrued day not yet charged; null when everything accrued is charged. */
  unchargedFrom: string | null;
  /** True once the fixed compensation was charged (once per invoice). */
  compensationCharged: boolean;
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
      earlyPaymentDiscount: { basisPoints: number; payBy: string; discountedAmount: Money } | null;
      reservationId: string | null;
      /** Why it was dated on a day already closed; null when it was not back-dated. */
      backdatingReason: string | null;
      /** Σ of the credit notes issued against it. */
      credited: Money;
      creditNotes: ReadonlyMap<string, CreditNote>;
      /** Σ early-payment discounts taken, net of those withdrawn (as the payments service granted them): like credit notes, no document. */
      discounted: Money;
      /** Σ cash allocated to it, net of reductions (as the payments service recorded them). */
      allocated: Money;
      /** Per payment, in the order their first allocation arrived: allocated and asked back (InvoiceOverpaid). */
      payments: ReadonlyMap<string, PaymentShare>;
      /** The payments events already copied in (so a redelivered one changes nothing). */
      cashEventsSeen: ReadonlySet<string>;
      /** The instalments; one item (the due date, the total) unless the terms split it. */
      dueItems: readonly DueItem[];
      /** The contract the terms came from; null: the credit policy's. */
      contractId: string | null;
      /** Cancelled with a reason (it leaves open AR whole); null while in force. */
      cancellation: { cancelledOn: string; reason: string } | null;
      /** Σ debit notes (late interest, compensation, adjustments). */
      debitNoted: Money;
      debitNotes: ReadonlyMap<string, DebitNote>;
      disputes: ReadonlyMap<string, Dispute>;
      /** Σ write-offs signed off, less what was recovered since. */
      writtenOff: Money;
      /** Σ recoveries: cash that arrived on written-off debt. */
      recovered: Money;
      writeOffs: ReadonlyMap<string, WriteOff>;
      interest: InterestAccount;
    };

export type Issued = Extract<Invoice, { status: 'issued' }>;

export const initialState: Invoice = { status: 'not-issued' };

/** The invoice's figures as the one rule (@arc/receivables) takes them; a cancelled invoice was charged nothing. */
export function invoiceFigures(invoice: Issued): InvoiceFigures {
  const amount = invoice.cancellation === null ? invoice.total : zero(invoice.currency);
  return {
    amount,
    allocated: invoice.allocated,
    // A discount taken lowers the charge as a credit note does (@arc/receivables RECEIVABLE_MOVEMENTS).
    credited: add(invoice.credited, invoice.discounted),
    writtenOff: invoice.writtenOff,
    debitNoted: invoice.debitNoted,
  };
}

/** Σ open disputes: excluded from dunning, shown as disputed. */
export function disputedOf(invoice: Issued): Money {
  let total = zero(invoice.currency);
  for (const dispute of invoice.disputes.values()) if (dispute.status === 'open') total = add(total, dispute.amount);
  return total;
}

/** Σ write-offs requested or approved but not yet signed off or rejected. */
export function pendingWriteOffs(invoice: Issued): Money {
  let total = zero(invoice.currency);
  for (const writeOff of invoice.writeOffs.values()) {
    if (writeOff.status === 'requested' || writeOff.status === 'approved') total = add(total, writeOff.amount);
  }
  return total;
}

export interface DueItemPosition extends DueItem {
  /** What is still open on it: cash, credit notes and write-offs settle the oldest instalments first. */
  open: Money;
}

/**
 * Each instalment with what is still open on it. What has reduced the principal (cash applied, credit
 * notes, write-offs) settles instalments oldest first; debit notes are settled after all the principal
 * (cash pays principal first, so interest is never lost when the principal is paid: it stays open).
 */
export function dueItemPositions(invoice: Issued): DueItemPosition[] {
  const nothing = zero(invoice.currency);
  if (invoice.cancellation !== null) return invoice.dueItems.map((item) => ({ ...item, open: nothing }));
  const applied = invoiceBalance(invoiceFigures(invoice)).applied;
  let settled = add(add(add(applied, invoice.credited), invoice.discounted), invoice.writtenOff);
  return invoice.dueItems.map((item) => {
    const covered = min(item.amount, max(settled, nothing));
    settled = subtract(settled, covered);
    return { ...item, open: subtract(item.amount, covered) };
  });
}

/** The principal open on instalments due before `day` (days of lateness are the days after a due date). */
export function overduePrincipal(invoice: Issued, day: string): Money {
  let total = zero(invoice.currency);
  for (const item of dueItemPositions(invoice)) if (item.dueDate < day) total = add(total, item.open);
  return total;
}

/** Charged, applied, excess and open balance by the one rule; null before the invoice is issued. */
export function balanceOf(invoice: Invoice): InvoiceBalance | null {
  return invoice.status === 'issued' ? invoiceBalance(invoiceFigures(invoice)) : null;
}
