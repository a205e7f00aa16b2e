/*
 * Events the invoice stream records about cash, private to invoicing (never published: routed to no topic).
 * They copy what the payments service published (PaymentAllocated, PaymentAllocationReduced) into the
 * stream of the invoice it concerns, so the invoice's decider — the one owner of its balance — decides
 * credit notes (and, later, write-offs) on the allocations it knows, and notices when allocations outrun
 * the balance. Each names the payments event it copies, so recording it twice is recognised.
 */
import type { MoneyJson } from '@arc/money';

export interface PaymentAllocationRecordedData {
  invoiceId: string;
  /** The eventId of the PaymentAllocated it copies. */
  sourceEventId: string;
  paymentId: string;
  amount: MoneyJson;
  allocatedOn: string;
}

export interface AllocationReductionRecordedData {
  invoiceId: string;
  /** The eventId of the PaymentAllocationReduced it copies. */
  sourceEventId: string;
  paymentId: string;
  amount: MoneyJson;
}

/** A discount the payer took (payments' PaymentDiscountTaken) or gave back with its reversed payment (PaymentDiscountWithdrawn). */
export interface DiscountRecordedData {
  invoiceId: string;
  /** The eventId of the payments event it copies. */
  sourceEventId: string;
  paymentId: string;
  discount: MoneyJson;
}

export type InvoiceCashEvent =
  | { type: 'PaymentAllocationRecorded'; data: PaymentAllocationRecordedData }
  | { type: 'AllocationReductionRecorded'; data: AllocationReductionRecordedData }
  | { type: 'DiscountTakenRecorded'; data: DiscountRecordedData }
  | { type: 'DiscountWithdrawalRecorded'; data: DiscountRecordedData };

/** Their schema versions (kept in the store's rows; no contract outside invoicing). */
export const INVOICE_CASH_EVENT_VERSIONS = {
  PaymentAllocationRecorded: 1,
  AllocationReductionRecorded: 1,
  DiscountTakenRecorded: 1,
  DiscountWithdrawalRecorded: 1,
} as const;

/** Routes for the relay: stored, never published. */
export const INVOICE_CASH_EVENT_ROUTES = {
  PaymentAllocationRecorded: null,
  AllocationReductionRecorded: null,
  DiscountTakenRecorded: null,
  DiscountWithdrawalRecorded: null,
} as const;
