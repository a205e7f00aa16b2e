/*
 * Events of a customer's dunning stream (`dunning-<customerId>`). The public ones (steps executed, hold
 * requests, broken arrangements) are contracts in @arc/contracts; the rest are collections' own record:
 * stored, folded by its views, never published (the relay routes them to null).
 */
import type {
  CollectionsCreditHoldReleaseRequested,
  CollectionsCreditHoldRequested,
  DunningStepExecuted,
  EventOf,
  PaymentArrangementBroken,
  WriteOffRecommended,
} from '@arc/contracts';
import type { ArrangementKind } from '@arc/contracts';
import type { MoneyJson } from '@arc/money';

export interface InstalmentJson {
  dueOn: string;
  amount: MoneyJson;
}

/** A promise to pay (one or several dates) or a repayment plan, agreed with the customer. */
export type PaymentArrangementMade = {
  type: 'PaymentArrangementMade';
  data: {
    customerId: string;
    arrangementId: string;
    kind: ArrangementKind;
    madeOn: string;
    instalments: InstalmentJson[];
    graceDays: number;
    tolerance: MoneyJson;
    /** Empty: every open item of the customer; else only these invoices are kept out of dunning. */
    invoiceIds: string[];
    /** What the customer had paid in all when it was agreed: payments after it count towards it. */
    paidBefore: MoneyJson;
    /** Yearly interest of a plan, in basis points (0 for a promise); informational, instalments include it. */
    interestBasisPoints: number;
    note: string;
  };
};

export type ArrangementInstalmentKept = {
  type: 'ArrangementInstalmentKept';
  data: { customerId: string; arrangementId: string; instalment: number; keptOn: string; expected: MoneyJson; paid: MoneyJson };
};

/** Every instalment kept: a promise kept, or a repayment plan completed. */
export type PaymentArrangementKept = {
  type: 'PaymentArrangementKept';
  data: { customerId: string; arrangementId: string; kind: ArrangementKind; keptOn: string };
};

export const LEGAL_ACTIONS = ['lawyer-letter', 'agency-assigned', 'agency-recalled', 'proceedings-started', 'judgment'] as const;
export type LegalAction = (typeof LEGAL_ACTIONS)[number];

export type LegalCaseOpened = {
  type: 'LegalCaseOpened';
  data: { customerId: string; legalCaseId: string; openedOn: string; reason: string; limitationDate: string };
};

/** One step of the legal lifecycle; `details` holds what that step records (lawyer, agency and fee, court…). */
export type LegalStepRecorded = {
  type: 'LegalStepRecorded';
  data: { customerId: string; legalCaseId: string; action: LegalAction; on: string; details: Record<string, unknown> };
};

export type DebtAcknowledged = {
  type: 'DebtAcknowledged';
  data: { customerId: string; legalCaseId: string; acknowledgedOn: string; limitationDate: string };
};

export const LEGAL_OUTCOMES = ['paid', 'settled', 'written-off'] as const;
export type LegalOutcome = (typeof LEGAL_OUTCOMES)[number];

export type LegalCaseClosed = {
  type: 'LegalCaseClosed';
  data: { customerId: string; legalCaseId: string; closedOn: string; outcome: LegalOutcome; recovered: MoneyJson; note: string };
};

/** The collector working the customer from now on (`rule`: by the assignment rules at a run; `manual`: a reassignment). */
export type CollectorAssigned = {
  type: 'CollectorAssigned';
  data: { customerId: string; collector: string; assignedOn: string; reason: 'rule' | 'manual' };
};

export const ACTIVITY_KINDS = ['call', 'email', 'visit', 'letter', 'note'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

/** A collector's contact with the customer (or a note), with its outcome and the next action's date. */
export type ActivityLogged = {
  type: 'ActivityLogged';
  data: {
    customerId: string;
    activityId: string;
    kind: ActivityKind;
    on: string;
    collector: string;
    outcome: string;
    note: string;
    nextActionOn: string | null;
  };
};

/** Invoicing rejected a write-off collections recommended: the invoice is collectable (dunned) again. */
export type WriteOffRecommendationWithdrawn = {
  type: 'WriteOffRecommendationWithdrawn';
  data: { customerId: string; writeOffId: string; invoiceId: string; on: string; reason: string };
};

export type CustomerDunningEvent =
  | EventOf<typeof DunningStepExecuted>
  | EventOf<typeof CollectionsCreditHoldRequested>
  | EventOf<typeof CollectionsCreditHoldReleaseRequested>
  | EventOf<typeof PaymentArrangementBroken>
  | EventOf<typeof WriteOffRecommended>
  | PaymentArrangementMade
  | ArrangementInstalmentKept
  | PaymentArrangementKept
  | LegalCaseOpened
  | LegalStepRecorded
  | DebtAcknowledged
  | LegalCaseClosed
  | CollectorAssigned
  | ActivityLogged
  | WriteOffRecommendationWithdrawn;

/** Stored on the dunning streams, never published. */
export const INTERNAL_DUNNING_EVENTS = [
  'PaymentArrangementMade',
  'ArrangementInstalmentKept',
  'PaymentArrangementKept',
  'LegalCaseOpened',
  'LegalStepRecorded',
  'DebtAcknowledged',
  'LegalCaseClosed',
  'CollectorAssigned',
  'ActivityLogged',
  'WriteOffRecommendationWithdrawn',
] as const;
