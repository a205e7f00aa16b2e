/* The commands of the invoice decider (stream `invoice-<invoiceId>`). */
import type { BusinessDate } from '@arc/clock';
import type { DebitNoteKind, DisputeRaiserRole, DisputeReasonCode, EarlyPaymentDiscountTerms } from '@arc/contracts';
import type { Money } from '@arc/money';
import type { InterestCharging } from './invoice-terms.events';
import type { LateInterestRule } from './late-interest';
import type { DiscountTerms, PaymentTermsRule } from './payment-terms';

export interface InvoiceLine {
  description: string;
  /** May be negative (a discount line); the invoice total may not. */
  netAmount: Money;
  taxAmount: Money;
}

/** The customer's terms as invoicing's view knows them from CreditPolicySet events. */
export interface PaymentTerms {
  netDays: number;
  earlyPaymentDiscount?: EarlyPaymentDiscountTerms | null;
}

export type IssueInvoice = {
  type: 'IssueInvoice';
  data: {
    invoiceId: string;
    invoiceNumber: string;
    customerId: string;
    currency: string;
    lines: InvoiceLine[];
    issueDate: BusinessDate;
    /** null or absent when invoicing has not seen a credit policy for the customer: the invoice is refused. */
    paymentTerms?: PaymentTerms | null;
    /** The credit reservation of the order this invoice bills, when the order went through a credit check. */
    reservationId?: string | null;
    /**
     * What invoicing's view knows of that reservation (from the credit service's events), or null when it has
     * never heard of it. Only read when `reservationId` is set.
     */
    reservation?: KnownReservation | null;
    /** The business calendar's open day (last closed day + 1); null before the calendar started (no date rule then). */
    openDay?: BusinessDate | null;
    /** Required to date the invoice on a day already closed; recorded on InvoiceIssued. */
    backdatingReason?: string | null;
    /** The terms of the contract the invoice names; when set they replace `paymentTerms` (the credit policy's). */
    contract?: ContractTermsForInvoice | null;
  };
};

/** What an invoice takes from the contract it names (loaded by the API from the contract's stream). */
export interface ContractTermsForInvoice {
  contractId: string;
  customerId: string;
  paymentTerms: PaymentTermsRule;
  earlyPaymentDiscount: DiscountTerms | null;
  lateInterest: LateInterestRule | null;
  fixedCompensation: Money | null;
  interestCharging: InterestCharging;
}

/** A credit reservation as invoicing's view knows it from CreditCheckPassed / Released / Consumed. */
export type KnownReservation =
  | { customerId: string; status: 'open' }
  | { customerId: string; status: 'released' }
  | { customerId: string; status: 'consumed'; invoiceId: string };

export type IssueCreditNote = {
  type: 'IssueCreditNote';
  data: {
    creditNoteId: string;
    creditNoteNumber: string;
    amount: Money;
    reason: string;
    issueDate: BusinessDate;
  };
};

/** Cash the payments service applied to the invoice (its PaymentAllocated, copied in by the consumer). */
export type RecordPaymentAllocation = {
  type: 'RecordPaymentAllocation';
  data: {
    sourceEventId: string;
    paymentId: string;
    customerId: string;
    amount: Money;
    allocatedOn: string;
    /** Ids for the debit notes charged if this payment settles the principal under 'on-settlement' interest. */
    interestDebitNoteIds?: { debitNoteId: string; compensationDebitNoteId: string } | null;
  };
};

/** Cash the payments service took back off the invoice onto the account (its PaymentAllocationReduced). */
export type RecordAllocationReduction = {
  type: 'RecordAllocationReduction';
  data: { sourceEventId: string; paymentId: string; customerId: string; amount: Money };
};

/**
 * A discount the payments service granted on the invoice (PaymentDiscountTaken, sign 'taken') or withdrew with the
 * payment that earned it (PaymentDiscountWithdrawn, sign 'withdrawn'): the charge falls or rises by it (no cash).
 */
export type RecordDiscount = {
  type: 'RecordDiscount';
  data: { sourceEventId: string; paymentId: string; customerId: string; discount: Money; movement: 'taken' | 'withdrawn' };
};

export type CancelInvoice = { type: 'CancelInvoice'; data: { reason: string; cancelledOn: BusinessDate } };

export type IssueDebitNote = {
  type: 'IssueDebitNote';
  data: {
    debitNoteId: string;
    debitNoteNumber: string;
    kind: Exclude<DebitNoteKind, 'late-interest'>;
    amount: Money;
    issueDate: BusinessDate;
    dueDate: BusinessDate;
    reason: string;
  };
};

/** At a day's close: accrue that day's interest (no-op for a day already accrued or with nothing overdue). */
export type AccrueLateInterest = {
  type: 'AccrueLateInterest';
  data: { day: BusinessDate; referenceRateBasisPoints: number | null };
};

/** Charge what accrued and is not charged yet as a late-interest debit note (and the fixed compensation, once). */
export type ChargeLateInterest = {
  type: 'ChargeLateInterest';
  data: { debitNoteId: string; compensationDebitNoteId: string; issueDate: BusinessDate; dueDate: BusinessDate };
};

export type RaiseDispute = {
  type: 'RaiseDispute';
  data: {
    disputeId: string;
    /** null: the whole open balance not yet disputed. */
    amount: Money | null;
    reasonCode: DisputeReasonCode;
    note: string;
    evidenceRefs: string[];
    raisedOn: BusinessDate;
    raisedByRole: DisputeRaiserRole;
    source?: string | null;
  };
};

export type ResolveDispute = {
  type: 'ResolveDispute';
  data: {
    disputeId: string;
    outcome: 'accepted' | 'rejected';
    /** Accepted: the amount credited (default the whole disputed amount). */
    acceptedAmount: Money | null;
    creditNoteId: string;
    creditNoteNumber: string;
    resolvedOn: BusinessDate;
    note: string;
  };
};

export type RequestWriteOff = {
  type: 'RequestWriteOff';
  data: { writeOffId: string; amount: Money | null; reason: string; requestedOn: BusinessDate; requestedBy: string };
};
export type ApproveWriteOff = { type: 'ApproveWriteOff'; data: { writeOffId: string; approvedOn: BusinessDate; approvedBy: string } };
export type SignOffWriteOff = { type: 'SignOffWriteOff'; data: { writeOffId: string; signedOffOn: BusinessDate; signedOffBy: string } };
export type RejectWriteOff = {
  type: 'RejectWriteOff';
  data: { writeOffId: string; rejectedOn: BusinessDate; rejectedBy: string; step: 'finance-approval' | 'legal-sign-off'; reason: string };
};

export type InvoiceCommand =
  | IssueInvoice
  | IssueCreditNote
  | RecordPaymentAllocation
  | RecordAllocationReduction
  | RecordDiscount
  | CancelInvoice
  | IssueDebitNote
  | AccrueLateInterest
  | ChargeLateInterest
  | RaiseDispute
  | ResolveDispute
  | RequestWriteOff
  | ApproveWriteOff
  | SignOffWriteOff
  | RejectWriteOff;
