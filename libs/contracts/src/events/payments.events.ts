import { Topics } from '../topics';
import {
  arrayOf,
  boolean,
  byType,
  check,
  date,
  integer,
  defineEvent,
  minorUnits,
  money,
  nullable,
  oneOf,
  optional,
  text,
  uuid,
  type EventUnion,
  type IsoDate,
  type MoneyJson,
  type Uuid,
} from './validation';

/*
 * Payments context, topic arc.payments.events, one stream per customer, `payment-account-<customerId>`
 * (key = customer id), plus the bank-statement streams (`bank-statement-<statementId>`, `suspense-<suspenseId>`,
 * `payer-account-<iban>`, key = that id).
 *
 * A customer's unapplied cash (per currency) is
 *   Σ PaymentReceived.amount − Σ PaymentAllocated.amount + Σ PaymentAllocationReduced.amount
 *   − Σ PaymentRefunded.amount − Σ PaymentReversed.amount;
 * PaymentLeftUnapplied reports that state for one payment, it is not a further movement. Discounts move no cash.
 *
 * An invoice's open balance as payments sees it falls by PaymentAllocated.amount and PaymentDiscountTaken.discount
 * and rises again by PaymentAllocationReduced.amount and PaymentDiscountWithdrawn.discount.
 *
 * A reversal (bounced cheque, chargeback) is written as: one PaymentAllocationReduced (reason 'payment-reversed')
 * per invoice the payment still has cash on, one PaymentDiscountWithdrawn per discount it earned, then
 * PaymentReversed for the payment's whole amount (which leaves the account). Consumers that already follow
 * PaymentAllocationReduced reopen the invoices without change; unapplied-cash figures must subtract PaymentReversed.
 */

export const PAYMENT_METHODS = ['bank-transfer', 'cheque', 'cash', 'card', 'e-payment'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface PaymentReceivedData {
  paymentId: Uuid;
  customerId: Uuid;
  /** The bank's reference: recording the same reference twice is the same receipt. */
  bankReference: string;
  amount: MoneyJson;
  receivedOn: IsoDate;
  method: PaymentMethod;
  /** Invoice numbers or other references the payer quoted; cash application matches on them first. */
  remittanceReferences: string[];
  /**
   * Why the receipt was dated on a business day already closed (back-dated by finance). Added later without a
   * new version: absent (events written before it) means null, "not back-dated".
   */
  backdatingReason?: string | null;
  /** The bank statement the receipt was imported from. Optional, added later: absent means null, "recorded by hand". */
  statementId?: Uuid | null;
}

export const PaymentReceived = defineEvent<PaymentReceivedData>()({
  type: 'PaymentReceived',
  topic: Topics.payments,
  schemaVersion: 1,
  shape: {
    paymentId: uuid,
    customerId: uuid,
    bankReference: text,
    amount: money('positive'),
    receivedOn: date,
    method: oneOf(PAYMENT_METHODS),
    remittanceReferences: arrayOf(text),
    backdatingReason: optional(nullable(text)),
    statementId: optional(nullable(uuid)),
  },
});

/**
 * The cash-application step that chose the invoice (services/payments/README.md, "Matching"), in the order tried:
 * - remittance-reference: the invoice's number (or id) was found in the payer's remittance (structured or free text);
 * - exact-amount: the amount left equals the open amount of exactly one open item;
 * - amount-combination: exactly one small set of open items sums to the amount left (bounded search);
 * - oldest-due-first: the customer's fallback, oldest due date first;
 * - applied-by-finance: unapplied cash applied later to invoices finance chose;
 * - applied-to-new-invoice: unapplied cash applied automatically to an invoice issued later (customer setting).
 */
export const MATCH_STEPS = [
  'remittance-reference',
  'exact-amount',
  'amount-combination',
  'oldest-due-first',
  'applied-by-finance',
  'applied-to-new-invoice',
] as const;
export type MatchStep = (typeof MATCH_STEPS)[number];

export interface PaymentAllocatedData {
  paymentId: Uuid;
  customerId: Uuid;
  invoiceId: Uuid;
  /** Cash applied to the invoice, in the payment's currency (which must be the invoice's). */
  amount: MoneyJson;
  allocatedOn: IsoDate;
  /**
   * The matching step that chose this invoice. Added later without a new version: absent (events written before
   * it) means the old rule, "quoted in the remittance, else oldest due first", without saying which.
   */
  matchedBy?: MatchStep;
  /** A sentence a person can read: what matched ("INV-2026-000123 found in remittance 'INV-2026-000123/124 less 2%'"). Optional, like matchedBy. */
  matchExplanation?: string;
}

export const PaymentAllocated = defineEvent<PaymentAllocatedData>()({
  type: 'PaymentAllocated',
  topic: Topics.payments,
  schemaVersion: 1,
  shape: {
    paymentId: uuid,
    customerId: uuid,
    invoiceId: uuid,
    amount: money('positive'),
    allocatedOn: date,
    matchedBy: optional(oneOf(MATCH_STEPS)),
    matchExplanation: optional(text),
  },
});

export interface PaymentLeftUnappliedData {
  paymentId: Uuid;
  customerId: Uuid;
  /** What remains of this payment on account after cash application; stays until allocated or refunded. */
  unapplied: MoneyJson;
}

/**
 * Read by no other context today (projections and credit count unapplied cash from received − allocated):
 * kept as the per-payment record of what stays on account, which issue 12 applies later to chosen invoices.
 */
export const PaymentLeftUnapplied = defineEvent<PaymentLeftUnappliedData>()({
  type: 'PaymentLeftUnapplied',
  topic: Topics.payments,
  schemaVersion: 1,
  shape: { paymentId: uuid, customerId: uuid, unapplied: money('positive') },
});

/**
 * Why cash applied to an invoice went back on account: 'invoice-overpaid' (invoicing's InvoiceOverpaid);
 * 'payment-reversed' (the payment bounced or was charged back: followed by PaymentReversed, which takes the cash
 * off the account). Values are only ever added.
 */
export const ALLOCATION_REDUCTION_REASONS = ['invoice-overpaid', 'payment-reversed'] as const;
export type AllocationReductionReason = (typeof ALLOCATION_REDUCTION_REASONS)[number];

export interface PaymentAllocationReducedData {
  paymentId: Uuid;
  customerId: Uuid;
  invoiceId: Uuid;
  /** Taken off the payment's allocation to the invoice and put back on the payment's unapplied cash. */
  amount: MoneyJson;
  reason: AllocationReductionReason;
}

/**
 * Part of an allocation goes back on account as unapplied cash (today: because invoicing said the invoice
 * was overpaid, InvoiceOverpaid). Allocated to the invoice: − amount; the payment's unapplied cash: + amount.
 */
export const PaymentAllocationReduced = defineEvent<PaymentAllocationReducedData>()({
  type: 'PaymentAllocationReduced',
  topic: Topics.payments,
  schemaVersion: 1,
  shape: {
    paymentId: uuid,
    customerId: uuid,
    invoiceId: uuid,
    amount: money('positive'),
    reason: oneOf(ALLOCATION_REDUCTION_REASONS),
  },
});

// ------------------------------------------------------------------------------------ early-payment discount

export interface PaymentDiscountTakenData {
  paymentId: Uuid;
  customerId: Uuid;
  invoiceId: Uuid;
  /** The discount the payer took, in the invoice's currency: the invoice's open balance falls by it (no cash moves). */
  discount: MoneyJson;
  /** The offer that earned it (InvoiceIssued.earlyPaymentDiscount): 200 = 2 %. */
  basisPoints: number;
  /** Last day the offer ran; the payment was received on or before it. */
  payBy: IsoDate;
  takenOn: IsoDate;
}

/**
 * A payment received inside the discount window for the discounted amount (within the configured tolerance) closes
 * the invoice: PaymentAllocated for the cash, this for the rest. Invoicing and projections take `discount` off the
 * open balance (like a credit note, but no document); credit's exposure falls with it.
 */
export const PaymentDiscountTaken = defineEvent<PaymentDiscountTakenData>()({
  type: 'PaymentDiscountTaken',
  topic: Topics.payments,
  schemaVersion: 1,
  shape: {
    paymentId: uuid,
    customerId: uuid,
    invoiceId: uuid,
    discount: money('positive'),
    basisPoints: integer(1, 10_000),
    payBy: date,
    takenOn: date,
  },
  rules: (data, problems) => {
    if (data.takenOn > data.payBy) problems.push('takenOn must not be after payBy: a discount is earned inside its window');
  },
});

export const DISCOUNT_WITHDRAWAL_REASONS = ['payment-reversed'] as const;
export type DiscountWithdrawalReason = (typeof DISCOUNT_WITHDRAWAL_REASONS)[number];

export interface PaymentDiscountWithdrawnData {
  paymentId: Uuid;
  customerId: Uuid;
  invoiceId: Uuid;
  /** The discount given back: the invoice's open balance rises by it again. */
  discount: MoneyJson;
  reason: DiscountWithdrawalReason;
}

/** The payment that earned a discount was reversed: the discount no longer holds (written before PaymentReversed). */
export const PaymentDiscountWithdrawn = defineEvent<PaymentDiscountWithdrawnData>()({
  type: 'PaymentDiscountWithdrawn',
  topic: Topics.payments,
  schemaVersion: 1,
  shape: {
    paymentId: uuid,
    customerId: uuid,
    invoiceId: uuid,
    discount: money('positive'),
    reason: oneOf(DISCOUNT_WITHDRAWAL_REASONS),
  },
});

// -------------------------------------------------------------------------------------------- short payment

/** Coded reasons for paying less than an invoice asks; `reason` carries the payer's or finance's words. */
export const SHORT_PAYMENT_REASON_CODES = [
  'pricing',
  'quantity',
  'damaged-goods',
  'not-delivered',
  'quality',
  'discount-disallowed',
  'deduction',
  'other',
] as const;
export type ShortPaymentReasonCode = (typeof SHORT_PAYMENT_REASON_CODES)[number];

export interface ShortPaymentRecordedData {
  paymentId: Uuid;
  customerId: Uuid;
  invoiceId: Uuid;
  /** What stays open on the invoice after this payment (and any discount it earned). */
  shortfall: MoneyJson;
  reasonCode: ShortPaymentReasonCode;
  /** The words it came with ("2 pumps damaged in transit"). */
  reason: string;
  /** Where the reason came from: the payer's remittance text, or finance recording it. */
  source: 'remittance' | 'finance';
  recordedOn: IsoDate;
}

/**
 * A payment meant for an invoice (quoted in its remittance) paid less than was open, with a reason. Invoicing opens a
 * dispute for `shortfall` on the invoice without a second manual step; the shortfall itself stays open (no cash
 * moves).
 */
export const ShortPaymentRecorded = defineEvent<ShortPaymentRecordedData>()({
  type: 'ShortPaymentRecorded',
  topic: Topics.payments,
  schemaVersion: 1,
  shape: {
    paymentId: uuid,
    customerId: uuid,
    invoiceId: uuid,
    shortfall: money('positive'),
    reasonCode: oneOf(SHORT_PAYMENT_REASON_CODES),
    reason: text,
    source: oneOf(['remittance', 'finance'] as const),
    recordedOn: date,
  },
});

// --------------------------------------------------------------------------------------- refund and reversal

export interface PaymentRefundedData {
  refundId: Uuid;
  paymentId: Uuid;
  customerId: Uuid;
  /** Paid back out of this payment's unapplied cash: the customer's unapplied cash falls by it. */
  amount: MoneyJson;
  refundedOn: IsoDate;
  reason: string;
}

/** Unapplied cash paid back to the customer. One refund may be written as several events, one per payment it draws on. */
export const PaymentRefunded = defineEvent<PaymentRefundedData>()({
  type: 'PaymentRefunded',
  topic: Topics.payments,
  schemaVersion: 1,
  shape: { refundId: uuid, paymentId: uuid, customerId: uuid, amount: money('positive'), refundedOn: date, reason: text },
});

export const REVERSAL_REASONS = ['cheque-bounced', 'chargeback', 'bank-return', 'recorded-in-error'] as const;
export type ReversalReason = (typeof REVERSAL_REASONS)[number];

export interface PaymentReversedData {
  paymentId: Uuid;
  customerId: Uuid;
  /** The payment's whole amount, which leaves the customer's account (its allocations were reduced just before). */
  amount: MoneyJson;
  reversedOn: IsoDate;
  reason: ReversalReason;
  /** Finance's or the bank's words ("returned unpaid: insufficient funds"); null when none. */
  note: string | null;
}

/**
 * The money never arrived after all (bounced cheque, chargeback, bank return). Written after the
 * PaymentAllocationReduced ('payment-reversed') and PaymentDiscountWithdrawn events that reopen the invoices it paid;
 * unapplied-cash figures subtract `amount`. A reversed payment takes no further part in cash application.
 */
export const PaymentReversed = defineEvent<PaymentReversedData>()({
  type: 'PaymentReversed',
  topic: Topics.payments,
  schemaVersion: 1,
  shape: {
    paymentId: uuid,
    customerId: uuid,
    amount: money('positive'),
    reversedOn: date,
    reason: oneOf(REVERSAL_REASONS),
    note: nullable(text),
  },
});

// ------------------------------------------------------------------------------------- per-customer settings

export const UNMATCHED_CASH_FALLBACKS = ['oldest-due-first', 'leave-unapplied'] as const;
export type UnmatchedCashFallback = (typeof UNMATCHED_CASH_FALLBACKS)[number];

export interface CustomerPaymentSettingsSetData {
  customerId: Uuid;
  /** What cash application does with money no remittance, exact amount or combination matched. */
  unmatchedCash: UnmatchedCashFallback;
  /** Apply the customer's unapplied cash automatically to each invoice issued later. */
  applyUnappliedToNewInvoices: boolean;
  /** How far below the discounted amount a payment may fall and still earn the discount (bank charges), minor units. */
  discountToleranceMinor: string;
}

/** Finance sets how a customer's cash is applied; before any, the defaults are oldest-due-first, false, "0". */
export const CustomerPaymentSettingsSet = defineEvent<CustomerPaymentSettingsSetData>()({
  type: 'CustomerPaymentSettingsSet',
  topic: Topics.payments,
  schemaVersion: 1,
  shape: {
    customerId: uuid,
    unmatchedCash: oneOf(UNMATCHED_CASH_FALLBACKS),
    applyUnappliedToNewInvoices: boolean,
    discountToleranceMinor: minorUnits,
  },
  rules: (data, problems) => {
    if (BigInt(data.discountToleranceMinor) < 0n) problems.push('discountToleranceMinor must not be negative');
  },
});

// ------------------------------------------------------------------------------------------ bank statements

export const BANK_STATEMENT_FORMATS = ['csv', 'camt.053', 'camt.054', 'mt940'] as const;
export type BankStatementFormat = (typeof BANK_STATEMENT_FORMATS)[number];

export interface PayerAccountMappedData {
  /** The payer's account (IBAN, upper case, no spaces). */
  iban: string;
  customerId: Uuid;
}

/** Receipts from this account are the customer's (stream `payer-account-<iban>`; a later mapping replaces it). */
export const PayerAccountMapped = defineEvent<PayerAccountMappedData>()({
  type: 'PayerAccountMapped',
  topic: Topics.payments,
  schemaVersion: 1,
  shape: {
    iban: check((v) => typeof v === 'string' && /^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$/.test(v), 'an IBAN (upper case, no spaces)'),
    customerId: uuid,
  },
});

export interface BankStatementImportedData {
  statementId: Uuid;
  format: BankStatementFormat;
  /** The statement's own account (ours), when the file names one. */
  accountIban: string | null;
  /** SHA-256 of the file, hex. */
  fileSha256: string;
  /** Credit entries read from the file. */
  entries: number;
  /** Entries that became receipts of a customer (PaymentReceived). */
  receipts: number;
  /** Entries already imported (the same or an overlapping file, or the same entry in another format): nothing added. */
  duplicates: number;
  /** Entries with no identifiable payer, put in suspense (SuspenseReceiptRecorded). */
  suspense: number;
  /** Debit entries, which are not receipts. */
  debitsSkipped: number;
  importedOn: IsoDate;
}

/** A statement file was imported to the end (stream `bank-statement-<statementId>`); the counts add up to entries + debits. */
export const BankStatementImported = defineEvent<BankStatementImportedData>()({
  type: 'BankStatementImported',
  topic: Topics.payments,
  schemaVersion: 1,
  shape: {
    statementId: uuid,
    format: oneOf(BANK_STATEMENT_FORMATS),
    accountIban: nullable(text),
    fileSha256: check((v) => typeof v === 'string' && /^[0-9a-f]{64}$/.test(v), 'a SHA-256 in lower-case hex'),
    entries: integer(0),
    receipts: integer(0),
    duplicates: integer(0),
    suspense: integer(0),
    debitsSkipped: integer(0),
    importedOn: date,
  },
  rules: (data, problems) => {
    if (data.receipts + data.duplicates + data.suspense !== data.entries)
      problems.push('receipts + duplicates + suspense must equal entries');
  },
});

export interface SuspenseReceiptRecordedData {
  suspenseId: Uuid;
  /** The entry's identity (services/payments/README.md, "Entry identity"); it becomes the receipt's bank reference. */
  bankReference: string;
  amount: MoneyJson;
  receivedOn: IsoDate;
  payerIban: string | null;
  payerName: string | null;
  remittanceText: string | null;
  statementId: Uuid | null;
}

/** Money arrived that no IBAN mapping or invoice number ties to a customer: it waits in suspense for finance. */
export const SuspenseReceiptRecorded = defineEvent<SuspenseReceiptRecordedData>()({
  type: 'SuspenseReceiptRecorded',
  topic: Topics.payments,
  schemaVersion: 1,
  shape: {
    suspenseId: uuid,
    bankReference: text,
    amount: money('positive'),
    receivedOn: date,
    payerIban: nullable(text),
    payerName: nullable(text),
    remittanceText: nullable(text),
    statementId: nullable(uuid),
  },
});

export interface SuspenseReceiptAssignedData {
  suspenseId: Uuid;
  customerId: Uuid;
  /** The PaymentReceived this assignment recorded on the customer's account (same bank reference and amount). */
  paymentId: Uuid;
  assignedOn: IsoDate;
}

/** Finance named the payer of a suspense receipt: it leaves suspense and becomes the customer's payment. */
export const SuspenseReceiptAssigned = defineEvent<SuspenseReceiptAssignedData>()({
  type: 'SuspenseReceiptAssigned',
  topic: Topics.payments,
  schemaVersion: 1,
  shape: { suspenseId: uuid, customerId: uuid, paymentId: uuid, assignedOn: date },
});

export const PaymentsEvents = byType([
  PaymentReceived,
  PaymentAllocated,
  PaymentLeftUnapplied,
  PaymentAllocationReduced,
  PaymentDiscountTaken,
  PaymentDiscountWithdrawn,
  ShortPaymentRecorded,
  PaymentRefunded,
  PaymentReversed,
  CustomerPaymentSettingsSet,
  PayerAccountMapped,
  BankStatementImported,
  SuspenseReceiptRecorded,
  SuspenseReceiptAssigned,
]);
export type PaymentsEvent = EventUnion<typeof PaymentsEvents>;
export type PaymentsEventType = PaymentsEvent['type'];
