/* The commands of the invoice decider (stream `invoice-<invoiceId>`). */
import type { BusinessDate } from '@arc/clock';
import type { EarlyPaymentDiscountTerms } from '@arc/contracts';
import type { Money } from '@arc/money';

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
  };
};

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
  data: { sourceEventId: string; paymentId: string; customerId: string; amount: Money; allocatedOn: string };
};

/** Cash the payments service took back off the invoice onto the account (its PaymentAllocationReduced). */
export type RecordAllocationReduction = {
  type: 'RecordAllocationReduction';
  data: { sourceEventId: string; paymentId: string; customerId: string; amount: Money };
};

export type InvoiceCommand = IssueInvoice | IssueCreditNote | RecordPaymentAllocation | RecordAllocationReduction;
