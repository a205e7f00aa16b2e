import { Topics } from '../topics';
import {
  arrayOf,
  boolean,
  date,
  defineEvent,
  integer,
  minor,
  money,
  nullable,
  oneOf,
  optional,
  requireCurrency,
  text,
  uuid,
  type IsoDate,
  type MoneyJson,
  type Uuid,
} from './validation';

/*
 * Invoicing context, topic arc.invoicing.events, on the invoice's stream `invoice-<invoiceId>`: disputes on an
 * invoice and the write-off of its bad debt (requested, approved by finance, signed off by legal).
 */

export const DISPUTE_REASON_CODES = [
  'pricing',
  'quantity',
  'quality',
  'not-delivered',
  'duplicate-billing',
  'tax',
  'terms',
  'short-payment',
  'statement-objection',
  'other',
] as const;
export type DisputeReasonCode = (typeof DISPUTE_REASON_CODES)[number];

export const DISPUTE_RAISER_ROLES = ['sales', 'finance', 'collections', 'customer', 'system'] as const;
export type DisputeRaiserRole = (typeof DISPUTE_RAISER_ROLES)[number];

export interface DisputeRaisedData {
  disputeId: Uuid;
  invoiceId: Uuid;
  customerId: Uuid;
  /** The part of the invoice's open balance in dispute (the whole balance for a dispute on the whole invoice). */
  amount: MoneyJson;
  /** True when the customer disputes the whole invoice. */
  wholeInvoice: boolean;
  /** The instalment disputed, when one is; null: the invoice as a whole (oldest due items first). */
  dueSequence: number | null;
  reasonCode: DisputeReasonCode;
  note: string;
  /** References to evidence (document ids, URLs, mail ids); may be empty. */
  evidenceRefs: string[];
  raisedOn: IsoDate;
  /**
   * Who raised it: the role of the user, 'customer' for a statement objection, 'system' for a short payment
   * (then `source` names the payments event).
   */
  raisedByRole: DisputeRaiserRole;
  /** What opened it, when it was not a user: `statement:<statementId>` or `payment:<paymentId>`. */
  source?: string | null;
}

/** While open, `amount` of the invoice is disputed: excluded from dunning, shown as disputed in ledger and exposure. */
export const DisputeRaised = defineEvent<DisputeRaisedData>()({
  type: 'DisputeRaised',
  topic: Topics.invoicing,
  schemaVersion: 1,
  shape: {
    disputeId: uuid,
    invoiceId: uuid,
    customerId: uuid,
    amount: money('positive'),
    wholeInvoice: boolean,
    dueSequence: nullable(integer(1)),
    reasonCode: oneOf(DISPUTE_REASON_CODES),
    note: text,
    evidenceRefs: arrayOf(text),
    raisedOn: date,
    raisedByRole: oneOf(DISPUTE_RAISER_ROLES),
    source: optional(nullable(text)),
  },
});

export interface DisputeResolvedData {
  disputeId: Uuid;
  invoiceId: Uuid;
  customerId: Uuid;
  outcome: 'accepted' | 'rejected';
  /** The amount that was in dispute. */
  disputedAmount: MoneyJson;
  /** Credited by the credit note issued in the same command; zero when rejected. */
  acceptedAmount: MoneyJson;
  /** disputed − accepted: collectable again from the resolution on. */
  collectableAgain: MoneyJson;
  /** The credit note (CreditNoteIssued in the same append) when accepted; null when rejected. */
  creditNoteId: Uuid | null;
  resolvedOn: IsoDate;
  note: string;
  /** Whole days from raisedOn to resolvedOn: the dispute's duration, reportable. */
  durationDays: number;
  reasonCode: DisputeReasonCode;
}

/** Ends a dispute: accepted (credit note for the accepted amount, the rest collectable) or rejected (all collectable again). */
export const DisputeResolved = defineEvent<DisputeResolvedData>()({
  type: 'DisputeResolved',
  topic: Topics.invoicing,
  schemaVersion: 1,
  shape: {
    disputeId: uuid,
    invoiceId: uuid,
    customerId: uuid,
    outcome: oneOf(['accepted', 'rejected'] as const),
    disputedAmount: money('positive'),
    acceptedAmount: money('non-negative'),
    collectableAgain: money('non-negative'),
    creditNoteId: nullable(uuid),
    resolvedOn: date,
    note: text,
    durationDays: integer(0),
    reasonCode: oneOf(DISPUTE_REASON_CODES),
  },
  rules: (data, problems) => {
    const { disputedAmount, acceptedAmount, collectableAgain } = data;
    requireCurrency(problems, disputedAmount.currency, { acceptedAmount, collectableAgain });
    if (problems.length > 0) return;
    if (minor(acceptedAmount) + minor(collectableAgain) !== minor(disputedAmount)) {
      problems.push('acceptedAmount + collectableAgain must equal disputedAmount');
    }
    if (data.outcome === 'accepted' && (minor(acceptedAmount) === 0n || data.creditNoteId === null)) {
      problems.push('an accepted dispute credits a positive amount by a credit note');
    }
    if (data.outcome === 'rejected' && (minor(acceptedAmount) !== 0n || data.creditNoteId !== null)) {
      problems.push('a rejected dispute credits nothing');
    }
  },
});

export interface WriteOffRequestedData {
  writeOffId: Uuid;
  invoiceId: Uuid;
  customerId: Uuid;
  /** The open balance, or part of it, to write off. */
  amount: MoneyJson;
  reason: string;
  requestedOn: IsoDate;
  /** The subject (user id) who asked, with collections or finance role. */
  requestedBy: string;
}

export const WriteOffRequested = defineEvent<WriteOffRequestedData>()({
  type: 'WriteOffRequested',
  topic: Topics.invoicing,
  schemaVersion: 1,
  shape: {
    writeOffId: uuid,
    invoiceId: uuid,
    customerId: uuid,
    amount: money('positive'),
    reason: text,
    requestedOn: date,
    requestedBy: text,
  },
});

export interface WriteOffApprovedData {
  writeOffId: Uuid;
  invoiceId: Uuid;
  customerId: Uuid;
  amount: MoneyJson;
  approvedOn: IsoDate;
  /** The finance subject who approved; legal's sign-off must come from another subject. */
  approvedBy: string;
}

/** Finance approved; the write-off waits for legal's sign-off. */
export const WriteOffApproved = defineEvent<WriteOffApprovedData>()({
  type: 'WriteOffApproved',
  topic: Topics.invoicing,
  schemaVersion: 1,
  shape: { writeOffId: uuid, invoiceId: uuid, customerId: uuid, amount: money('positive'), approvedOn: date, approvedBy: text },
});

export interface WriteOffRejectedData {
  writeOffId: Uuid;
  invoiceId: Uuid;
  customerId: Uuid;
  rejectedOn: IsoDate;
  rejectedBy: string;
  /** The step that refused it. */
  step: 'finance-approval' | 'legal-sign-off';
  reason: string;
}

export const WriteOffRejected = defineEvent<WriteOffRejectedData>()({
  type: 'WriteOffRejected',
  topic: Topics.invoicing,
  schemaVersion: 1,
  shape: {
    writeOffId: uuid,
    invoiceId: uuid,
    customerId: uuid,
    rejectedOn: date,
    rejectedBy: text,
    step: oneOf(['finance-approval', 'legal-sign-off'] as const),
    reason: text,
  },
});

export interface InvoiceWrittenOffData {
  writeOffId: Uuid;
  invoiceId: Uuid;
  customerId: Uuid;
  /** Leaves open AR; collection of it ends. */
  amount: MoneyJson;
  writtenOffOn: IsoDate;
  requestedBy: string;
  approvedBy: string;
  /** The legal subject who signed off: never the one who approved. */
  signedOffBy: string;
  reason: string;
}

/** Legal signed off a finance-approved write-off: `amount` leaves the invoice's open balance (written off). */
export const InvoiceWrittenOff = defineEvent<InvoiceWrittenOffData>()({
  type: 'InvoiceWrittenOff',
  topic: Topics.invoicing,
  schemaVersion: 1,
  shape: {
    writeOffId: uuid,
    invoiceId: uuid,
    customerId: uuid,
    amount: money('positive'),
    writtenOffOn: date,
    requestedBy: text,
    approvedBy: text,
    signedOffBy: text,
    reason: text,
  },
  rules: (data, problems) => {
    if (data.approvedBy === data.signedOffBy) problems.push('signedOffBy must be another subject than approvedBy');
  },
});

export interface WriteOffRecoveredData {
  invoiceId: Uuid;
  customerId: Uuid;
  /** The payment whose allocation arrived after the write-off. */
  paymentId: Uuid;
  /** Cash recovered on written-off debt: the written-off figure goes down by it and the cash is applied. */
  amount: MoneyJson;
  recoveredOn: IsoDate;
}

/**
 * Cash allocated to an invoice beyond its open balance while part of it is written off: a recovery of bad
 * debt, not an overpayment. written-off −= amount, so the allocation is absorbed (no InvoiceOverpaid).
 */
export const WriteOffRecovered = defineEvent<WriteOffRecoveredData>()({
  type: 'WriteOffRecovered',
  topic: Topics.invoicing,
  schemaVersion: 1,
  shape: { invoiceId: uuid, customerId: uuid, paymentId: uuid, amount: money('positive'), recoveredOn: date },
});

export const INVOICING_RESOLUTION_CONTRACTS = [
  DisputeRaised,
  DisputeResolved,
  WriteOffRequested,
  WriteOffApproved,
  WriteOffRejected,
  InvoiceWrittenOff,
  WriteOffRecovered,
] as const;
