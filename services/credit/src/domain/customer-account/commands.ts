/* Commands on a customer's credit account (stream `customer-<customerId>`). Outside figures arrive on the command. */
import type { BusinessDate } from '@arc/clock';
import type {
  ApprovalMatrix,
  Approver,
  AssessmentInputs,
  CreditCheckpoint,
  CreditClass,
  CreditFileContact,
  CreditHoldSource,
  CustomerRegisteredData,
  EarlyPaymentDiscountTerms,
  EvidenceKind,
  PaymentMethod,
  ScoringModel,
} from '@arc/contracts';
import type { Money } from '@arc/money';

export type RegisterCustomer = { type: 'RegisterCustomer'; data: CustomerRegisteredData };

export type SetCreditPolicy = {
  type: 'SetCreditPolicy';
  data: {
    creditClass: CreditClass;
    creditLimit: Money;
    paymentTermDays: number;
    acceptedPaymentMethods: PaymentMethod[];
    earlyPaymentDiscount: EarlyPaymentDiscountTerms | null;
    prepaymentBasisPoints: number;
    insuredAmount: Money | null;
    nextReviewDate: BusinessDate;
  };
};

/** An authorised decision to trade beyond the limit: who (from the token) and at which approval level. */
export interface OverrideAuthority {
  reason: string;
  /** `user:<sub>` of the caller, never a body field. */
  authorisedBy: string;
  approverLevel: number;
}

export type CheckCredit = {
  type: 'CheckCredit';
  data: {
    /**
     * Names the check in either outcome: the reservation id when it passes, the `checkId` of
     * `CreditCheckFailed` when it fails. Checking the same id again changes nothing.
     */
    checkId: string;
    orderReference: string;
    orderAmount: Money;
    /**
     * The customer's open AR (Σ open balances of its invoices, converted to the limit's currency) as the
     * credit service's own view knows it. Reservations are not in it: they are this aggregate's own state.
     */
    openAr: Money;
    /** The open business day the order is checked on (the API's `openDay`). */
    businessDate: BusinessDate;
    /** An authorised decision to trade beyond the limit; it never overrides a hold or a missing policy. */
    override?: OverrideAuthority | null;
    /** Set when the customer's credit group refused to reserve the order: the check fails for the group. */
    groupRefused?: boolean;
    /** Where the check was made (order, delivery, invoice); recorded on the outcome. Default 'order'. */
    checkpoint?: CreditCheckpoint;
  };
};

export type ReleaseReservation = { type: 'ReleaseReservation'; data: { reservationId: string; reason: string } };

/** The invoice issued for the order now counts in open AR, so the reservation stops counting. */
export type ConsumeReservation = { type: 'ConsumeReservation'; data: { reservationId: string; invoiceId: string } };

export type PlaceHold = { type: 'PlaceHold'; data: { source: CreditHoldSource; reason: string } };

export type ReleaseHold = { type: 'ReleaseHold'; data: { reason: string } };

export type SetCreditFileContacts = { type: 'SetCreditFileContacts'; data: { contacts: CreditFileContact[] } };

export type AddEvidence = {
  type: 'AddEvidence';
  data: {
    evidenceId: string;
    kind: EvidenceKind;
    reference: string;
    documentHash: string | null;
    receivedOn: BusinessDate;
    validUntil: BusinessDate | null;
    supersedes: string | null;
    addedBy: string;
  };
};

/** The published model an assessment uses; the account records its version. */
export interface ModelInForce {
  version: number;
  model: ScoringModel;
}

export type AssessCustomer = {
  type: 'AssessCustomer';
  data: { assessmentId: string; assessedOn: BusinessDate; inputs: AssessmentInputs; model: ModelInForce; assessedBy: string };
};

/** How the customer has actually paid, from invoicing, payments and collections events. */
export interface PaymentBehaviour {
  /** Null when nothing has fallen due yet. */
  onTimePaymentBasisPoints: number | null;
  averageDaysLate: number | null;
  /** Null while no context reports promises (collections publishes none yet): the model's "unknown" points. */
  brokenPromises: number | null;
}

export type ReviewCustomer = {
  type: 'ReviewCustomer';
  data: {
    assessmentId: string;
    reviewedOn: BusinessDate;
    behaviour: PaymentBehaviour;
    model: ModelInForce;
    /** Null: the review interval of the class the review arrives at (`REVIEW_INTERVAL_MONTHS`). */
    nextReviewDate: BusinessDate | null;
    reviewedBy: string;
  };
};

export type RequestCreditLimit = {
  type: 'RequestCreditLimit';
  data: {
    requestId: string;
    requestedLimit: Money;
    reason: string;
    temporaryUntil: BusinessDate | null;
    evidenceIds: string[];
    /** The requester's token subject. */
    requestedBy: string;
    requestedOn: BusinessDate;
    matrix: { version: number; matrix: ApprovalMatrix };
    /** The requested limit in the matrix's currency (converted at the recorded rate when they differ). */
    amountInMatrixCurrency: Money;
  };
};

export type ApproveCreditLimit = { type: 'ApproveCreditLimit'; data: { requestId: string; approver: Approver } };
export type RejectCreditLimit = { type: 'RejectCreditLimit'; data: { requestId: string; approver: Approver; reason: string } };

/** The business day `closedDate` was closed: a temporary limit that ended before it falls back. */
export type ExpireTemporaryLimit = { type: 'ExpireTemporaryLimit'; data: { closedDate: BusinessDate } };

export type SetCheckTolerance = { type: 'SetCheckTolerance'; data: { basisPoints: number | null; amount: Money | null } };

export type SetInsuranceCover = {
  type: 'SetInsuranceCover';
  data: { insurer: string; policyNumber: string; insuredAmount: Money; validUntil: BusinessDate };
};

export type JoinCreditGroup = { type: 'JoinCreditGroup'; data: { groupId: string } };

export type CustomerCreditCommand =
  | RegisterCustomer
  | SetCreditPolicy
  | CheckCredit
  | ReleaseReservation
  | ConsumeReservation
  | PlaceHold
  | ReleaseHold
  | SetCreditFileContacts
  | AddEvidence
  | AssessCustomer
  | ReviewCustomer
  | RequestCreditLimit
  | ApproveCreditLimit
  | RejectCreditLimit
  | ExpireTemporaryLimit
  | SetCheckTolerance
  | SetInsuranceCover
  | JoinCreditGroup;
