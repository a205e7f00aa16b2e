import { Topics } from '../topics';
import {
  arrayOf,
  boolean,
  byType,
  date,
  defineEvent,
  integer,
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

/* Collections, topic arc.collections.events, streams `case-<caseId>`; one open case per customer. */

export interface CollectionCaseOpenedData {
  caseId: Uuid;
  customerId: Uuid;
  openedOn: IsoDate;
  /** The customer's overdue amount when the case opened. */
  overdueAmount: MoneyJson;
  oldestDaysPastDue: number;
}

export const CollectionCaseOpened = defineEvent<CollectionCaseOpenedData>()({
  type: 'CollectionCaseOpened',
  topic: Topics.collections,
  schemaVersion: 1,
  shape: {
    caseId: uuid,
    customerId: uuid,
    openedOn: date,
    overdueAmount: money('positive', 'figure'),
    oldestDaysPastDue: integer(1),
  },
});

/**
 * Why a case closed: nothing overdue any more (the aging figures); the overdue debt written off (invoicing's
 * InvoiceWrittenOff left nothing else overdue); a repayment plan completed with nothing else overdue.
 */
export const COLLECTION_CASE_CLOSURES = ['overdue-cleared', 'written-off', 'plan-completed'] as const;

export interface CollectionCaseClosedData {
  caseId: Uuid;
  customerId: Uuid;
  closedOn: IsoDate;
  reason: (typeof COLLECTION_CASE_CLOSURES)[number];
}

export const CollectionCaseClosed = defineEvent<CollectionCaseClosedData>()({
  type: 'CollectionCaseClosed',
  topic: Topics.collections,
  schemaVersion: 1,
  shape: { caseId: uuid, customerId: uuid, closedOn: date, reason: oneOf(COLLECTION_CASE_CLOSURES) },
});

export const DUNNING_STEP_ACTIONS = [
  'pre-due-reminder',
  'friendly-reminder',
  'call-task',
  'demand-letter',
  'credit-hold-request',
  'lawyer-letter',
  'agency-handover',
] as const;
export type DunningStepAction = (typeof DUNNING_STEP_ACTIONS)[number];

export const DUNNING_STEP_CHANNELS = ['email', 'sms', 'phone', 'letter', 'credit', 'legal', 'webhook'] as const;
export type DunningStepChannel = (typeof DUNNING_STEP_CHANNELS)[number];

/**
 * A dunning run executed one step of the customer's strategy for one open item (stream `dunning-<customerId>`):
 * exactly once per invoice and step, whatever the reruns. `openAmount` is what was still open that day
 * (partial payments lower it); the channels say how it reached the customer (email, a call task, a hold request).
 */
export interface DunningStepExecutedData {
  customerId: Uuid;
  invoiceId: Uuid;
  invoiceNumber: string;
  /**
   * The instalment dunned, when the invoice is split into due items (each dunned on its own due date). Added
   * later without a new version: absent or null means the invoice as one item.
   */
  dueSequence?: number | null;
  /**
   * The debit note dunned (late interest, a fee on the invoice), an item of its own with its own due date. Added
   * later without a new version: absent or null means the invoice (or its instalment) itself.
   */
  debitNoteId?: Uuid | null;
  debitNoteNumber?: string | null;
  stepId: string;
  action: DunningStepAction;
  channels: DunningStepChannel[];
  template: string;
  dueDate: IsoDate;
  /** The business day of the run. */
  businessDate: IsoDate;
  /** dueDate + offsetDays: earlier than businessDate when a missed step is caught up. */
  scheduledOn: IsoDate;
  offsetDays: number;
  openAmount: MoneyJson;
}

export const DunningStepExecuted = defineEvent<DunningStepExecutedData>()({
  type: 'DunningStepExecuted',
  topic: Topics.collections,
  schemaVersion: 1,
  shape: {
    customerId: uuid,
    invoiceId: uuid,
    invoiceNumber: text,
    dueSequence: optional(nullable(integer(1))),
    debitNoteId: optional(nullable(uuid)),
    debitNoteNumber: optional(nullable(text)),
    stepId: text,
    action: oneOf(DUNNING_STEP_ACTIONS),
    channels: arrayOf(oneOf(DUNNING_STEP_CHANNELS), { minItems: 1 }),
    template: text,
    dueDate: date,
    businessDate: date,
    scheduledOn: date,
    offsetDays: integer(-3650, 3650),
    openAmount: money('positive'),
  },
});

/** Collections asks the credit service to put the customer on hold (the credit-hold step of its strategy). */
export interface CollectionsCreditHoldRequestedData {
  customerId: Uuid;
  requestedOn: IsoDate;
  reason: string;
}

export const CollectionsCreditHoldRequested = defineEvent<CollectionsCreditHoldRequestedData>()({
  type: 'CollectionsCreditHoldRequested',
  topic: Topics.collections,
  schemaVersion: 1,
  shape: { customerId: uuid, requestedOn: date, reason: text },
});

/** Nothing of the customer is overdue any more: collections lifts the hold it asked for (not anyone else's). */
export interface CollectionsCreditHoldReleaseRequestedData {
  customerId: Uuid;
  requestedOn: IsoDate;
  reason: string;
}

export const CollectionsCreditHoldReleaseRequested = defineEvent<CollectionsCreditHoldReleaseRequestedData>()({
  type: 'CollectionsCreditHoldReleaseRequested',
  topic: Topics.collections,
  schemaVersion: 1,
  shape: { customerId: uuid, requestedOn: date, reason: text },
});

export const ARRANGEMENT_KINDS = ['promise', 'plan'] as const;
export type ArrangementKind = (typeof ARRANGEMENT_KINDS)[number];

/**
 * A promise to pay, or a repayment plan's instalment, was not kept at day close (grace days and tolerance
 * applied): dunning resumes and escalates. `partlyKept` when some but not enough money came in.
 */
export interface PaymentArrangementBrokenData {
  customerId: Uuid;
  arrangementId: Uuid;
  kind: ArrangementKind;
  brokenOn: IsoDate;
  /** The instalment (1-based) that was missed; 1 for a single-date promise. */
  instalment: number;
  expected: MoneyJson;
  paid: MoneyJson;
  partlyKept: boolean;
}

export const PaymentArrangementBroken = defineEvent<PaymentArrangementBrokenData>()({
  type: 'PaymentArrangementBroken',
  topic: Topics.collections,
  schemaVersion: 1,
  shape: {
    customerId: uuid,
    arrangementId: uuid,
    kind: oneOf(ARRANGEMENT_KINDS),
    brokenOn: date,
    instalment: integer(1),
    expected: money('positive'),
    paid: money('non-negative'),
    partlyKept: boolean,
  },
});

/**
 * Legal closed the customer's legal case as written off: collections recommends writing off what is still open
 * on one invoice. Invoicing consumes it as a write-off request (its approval by finance and sign-off by legal
 * follow there); one event per invoice still open, `writeOffId` derived from the legal case and the invoice, so
 * a redelivery or a replay asks for the same write-off.
 */
export interface WriteOffRecommendedData {
  /** Stable per legal case and invoice: use it as the write-off's id (idempotent). */
  writeOffId: Uuid;
  invoiceId: Uuid;
  invoiceNumber: string;
  customerId: Uuid;
  /** What was still open on the invoice when the legal case closed. */
  amount: MoneyJson;
  recommendedOn: IsoDate;
  /** The subject (user id) with role legal who recorded the outcome. */
  recommendedBy: string;
  legalCaseId: Uuid;
  reason: string;
}

export const WriteOffRecommended = defineEvent<WriteOffRecommendedData>()({
  type: 'WriteOffRecommended',
  topic: Topics.collections,
  schemaVersion: 1,
  shape: {
    writeOffId: uuid,
    invoiceId: uuid,
    invoiceNumber: text,
    customerId: uuid,
    amount: money('positive'),
    recommendedOn: date,
    recommendedBy: text,
    legalCaseId: uuid,
    reason: text,
  },
});

export const CollectionsEvents = byType([
  CollectionCaseOpened,
  CollectionCaseClosed,
  DunningStepExecuted,
  CollectionsCreditHoldRequested,
  CollectionsCreditHoldReleaseRequested,
  PaymentArrangementBroken,
  WriteOffRecommended,
]);
export type CollectionsEvent = EventUnion<typeof CollectionsEvents>;
export type CollectionsEventType = CollectionsEvent['type'];
