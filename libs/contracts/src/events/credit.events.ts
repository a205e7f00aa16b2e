import { Topics } from '../topics';
import { CREDIT_CLASSES, type CreditClass } from './credit-class';
import { CustomerAssessed, CustomerReclassified, ScoringModelPublished } from './credit-assessment.events';
import {
  CreditGroupDefined,
  CreditGroupLimitSet,
  CreditGroupMemberAdded,
  CreditGroupReservationMade,
  CreditGroupReservationReleased,
  CustomerJoinedCreditGroup,
  FxRateRecorded,
} from './credit-exposure.events';
import { CreditEvidenceAdded, CreditFileContactsSet } from './credit-file.events';
import {
  ApprovalMatrixSet,
  CreditInsuranceCoverSet,
  CreditLimitApprovalGiven,
  CreditLimitRequestApproved,
  CreditLimitRequested,
  CreditLimitRequestRejected,
  CreditToleranceSet,
  TemporaryCreditLimitExpired,
} from './credit-limits.events';
import { PAYMENT_METHODS, type PaymentMethod } from './payments.events';
import {
  arrayOf,
  byType,
  country,
  currency,
  date,
  defineEvent,
  integer,
  minor,
  money,
  nullable,
  object,
  optional,
  oneOf,
  requireCurrency,
  text,
  uuid,
  type EventUnion,
  type IsoDate,
  type MoneyJson,
  type Uuid,
} from './validation';

/* Credit context, topic arc.credit.events, streams `customer-<customerId>`. */

export { CREDIT_CLASSES, type CreditClass };

export interface CustomerRegisteredData {
  customerId: Uuid;
  legalName: string;
  registrationNumber: string;
  industry: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** The customer's trading currency; its credit limit is usually set in it. */
  currency: string;
  businessUnit: string;
}

export const CustomerRegistered = defineEvent<CustomerRegisteredData>()({
  type: 'CustomerRegistered',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: {
    customerId: uuid,
    legalName: text,
    registrationNumber: text,
    industry: text,
    country,
    currency,
    businessUnit: text,
  },
});

export interface EarlyPaymentDiscountTerms {
  /** 200 = 2 %. */
  basisPoints: number;
  /** Paid within this many days of the issue date. */
  withinDays: number;
}

export interface CreditPolicySetData {
  customerId: Uuid;
  creditClass: CreditClass;
  /** Exposure is measured in this currency (other currencies through recorded FX rates). */
  creditLimit: MoneyJson;
  paymentTermDays: number;
  acceptedPaymentMethods: PaymentMethod[];
  earlyPaymentDiscount: EarlyPaymentDiscountTerms | null;
  /** Share of an order to be paid up front by weak customers; 0 when none. 3000 = 30 %. */
  prepaymentBasisPoints: number;
  insuredAmount: MoneyJson | null;
  nextReviewDate: IsoDate;
}

export const CreditPolicySet = defineEvent<CreditPolicySetData>()({
  type: 'CreditPolicySet',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: {
    customerId: uuid,
    creditClass: oneOf(CREDIT_CLASSES),
    creditLimit: money('non-negative'),
    paymentTermDays: integer(0, 3650),
    acceptedPaymentMethods: arrayOf(oneOf(PAYMENT_METHODS), { minItems: 1 }),
    earlyPaymentDiscount: nullable(object<EarlyPaymentDiscountTerms>({ basisPoints: integer(1, 10_000), withinDays: integer(0, 3650) })),
    prepaymentBasisPoints: integer(0, 10_000),
    insuredAmount: nullable(money('non-negative')),
    nextReviewDate: date,
  },
  rules: (data, problems) => {
    if (new Set(data.acceptedPaymentMethods).size !== data.acceptedPaymentMethods.length) {
      problems.push('acceptedPaymentMethods must not repeat a method');
    }
    if (data.earlyPaymentDiscount !== null && data.earlyPaymentDiscount.withinDays > data.paymentTermDays) {
      problems.push('earlyPaymentDiscount.withinDays must not be later than paymentTermDays');
    }
  },
});

export interface CreditOverride {
  reason: string;
  /** The person who authorised trading beyond the limit. */
  authorisedBy: string;
}

/** Where in the order-to-cash flow a check was made: at the order, before delivery, or before invoicing. */
export const CREDIT_CHECKPOINTS = ['order', 'delivery', 'invoice'] as const;
export type CreditCheckpoint = (typeof CREDIT_CHECKPOINTS)[number];

export interface CreditCheckPassedData {
  customerId: Uuid;
  /** The reservation this check holds until the order is invoiced (consumed) or released. */
  reservationId: Uuid;
  orderReference: string;
  /** Reserved amount, in the limit's currency. */
  amount: MoneyJson;
  /** Exposure the decision saw, before this reservation. */
  exposureBefore: MoneyJson;
  creditLimit: MoneyJson;
  /** Set when the check passed only because someone authorised going over the limit. */
  override: CreditOverride | null;
  /** Added without a version change: absent (written before checkpoints) reads as 'order'. */
  checkpoint?: CreditCheckpoint;
}

export const CreditCheckPassed = defineEvent<CreditCheckPassedData>()({
  type: 'CreditCheckPassed',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: {
    customerId: uuid,
    reservationId: uuid,
    orderReference: text,
    amount: money('positive'),
    exposureBefore: money('any', 'figure'),
    creditLimit: money('non-negative'),
    override: nullable(object<CreditOverride>({ reason: text, authorisedBy: text })),
    checkpoint: optional(oneOf(CREDIT_CHECKPOINTS)),
  },
  rules: (data, problems) => {
    requireCurrency(problems, data.creditLimit.currency, {
      amount: data.amount,
      exposureBefore: data.exposureBefore,
    });
    if (problems.length > 0) return;
    // The domain rule itself: without an override, exposure + order <= limit.
    if (data.override === null && minor(data.exposureBefore) + minor(data.amount) > minor(data.creditLimit)) {
      problems.push('exposureBefore + amount exceeds creditLimit, which needs an override');
    }
  },
});

/** 'group-limit-exceeded' (added without a version change: no stored v2 event is read differently): the customer's group refused. */
export const CREDIT_CHECK_FAILURES = ['limit-exceeded', 'customer-on-hold', 'no-credit-policy', 'group-limit-exceeded'] as const;
export type CreditCheckFailure = (typeof CREDIT_CHECK_FAILURES)[number];

export interface CreditCheckFailedData {
  customerId: Uuid;
  /**
   * The check's id, as the request named it (v2 on): the same id a passed check reserves under, so both
   * outcomes of a check are identified alike and a repeated check is recognised by it.
   */
  checkId: Uuid;
  orderReference: string;
  amount: MoneyJson;
  reason: CreditCheckFailure;
  /** What the decision saw; null when there is no policy to measure against. */
  exposure: MoneyJson | null;
  creditLimit: MoneyJson | null;
  /** Added without a version change: absent (written before checkpoints) reads as 'order'. */
  checkpoint?: CreditCheckpoint;
}

/**
 * What a v1 `CreditCheckFailed` (written before failures carried their check id) upcasts `checkId` to: the
 * nil UUID, which no check is given, meaning "this failure named no check".
 */
export const CREDIT_CHECK_FAILED_V1_CHECK_ID = '00000000-0000-0000-0000-000000000000';

/** v2 added `checkId`; v1 data is upcast by filling `CREDIT_CHECK_FAILED_V1_CHECK_ID`. */
export const CreditCheckFailed = defineEvent<CreditCheckFailedData>()({
  type: 'CreditCheckFailed',
  topic: Topics.credit,
  schemaVersion: 2,
  shape: {
    customerId: uuid,
    checkId: uuid,
    orderReference: text,
    amount: money('positive'),
    reason: oneOf(CREDIT_CHECK_FAILURES),
    exposure: nullable(money('any', 'figure')),
    creditLimit: nullable(money('non-negative')),
    checkpoint: optional(oneOf(CREDIT_CHECKPOINTS)),
  },
  rules: (data, problems) => {
    if (data.reason === 'limit-exceeded' && (data.exposure === null || data.creditLimit === null)) {
      problems.push("a 'limit-exceeded' failure must state the exposure and the creditLimit it exceeded");
    }
    if (data.exposure !== null && data.creditLimit !== null) {
      requireCurrency(problems, data.creditLimit.currency, { exposure: data.exposure });
    }
  },
});

export interface CreditReservationReleasedData {
  customerId: Uuid;
  reservationId: Uuid;
  /** The part of the reservation given back: all of it for a cancelled order, the rest after a smaller invoice. */
  amount: MoneyJson;
  reason: string;
}

export const CreditReservationReleased = defineEvent<CreditReservationReleasedData>()({
  type: 'CreditReservationReleased',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: { customerId: uuid, reservationId: uuid, amount: money('positive'), reason: text },
});

export interface CreditReservationConsumedData {
  customerId: Uuid;
  reservationId: Uuid;
  /** The invoice that turned the reserved order into open AR. */
  invoiceId: Uuid;
  amount: MoneyJson;
}

export const CreditReservationConsumed = defineEvent<CreditReservationConsumedData>()({
  type: 'CreditReservationConsumed',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: { customerId: uuid, reservationId: uuid, invoiceId: uuid, amount: money('positive') },
});

export const CREDIT_HOLD_SOURCES = ['manual', 'collections', 'risk-alert'] as const;
export type CreditHoldSource = (typeof CREDIT_HOLD_SOURCES)[number];

export interface CreditHoldPlacedData {
  customerId: Uuid;
  source: CreditHoldSource;
  reason: string;
}

export const CreditHoldPlaced = defineEvent<CreditHoldPlacedData>()({
  type: 'CreditHoldPlaced',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: { customerId: uuid, source: oneOf(CREDIT_HOLD_SOURCES), reason: text },
});

export interface CreditHoldReleasedData {
  customerId: Uuid;
  reason: string;
}

export const CreditHoldReleased = defineEvent<CreditHoldReleasedData>()({
  type: 'CreditHoldReleased',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: { customerId: uuid, reason: text },
});

/** The customer's own stream, `customer-<customerId>`: one decider folds all of these. */
export const CustomerAccountEvents = byType([
  CustomerRegistered,
  CreditPolicySet,
  CreditCheckPassed,
  CreditCheckFailed,
  CreditReservationReleased,
  CreditReservationConsumed,
  CreditHoldPlaced,
  CreditHoldReleased,
  CreditFileContactsSet,
  CreditEvidenceAdded,
  CustomerAssessed,
  CustomerReclassified,
  CreditLimitRequested,
  CreditLimitApprovalGiven,
  CreditLimitRequestApproved,
  CreditLimitRequestRejected,
  TemporaryCreditLimitExpired,
  CreditToleranceSet,
  CreditInsuranceCoverSet,
  CustomerJoinedCreditGroup,
]);
export type CustomerAccountEvent = EventUnion<typeof CustomerAccountEvents>;

/** Stream `credit-scoring-model`. */
export const ScoringModelEvents = byType([ScoringModelPublished]);
export type ScoringModelEvent = EventUnion<typeof ScoringModelEvents>;
/** Stream `credit-approval-matrix`. */
export const ApprovalMatrixEvents = byType([ApprovalMatrixSet]);
export type ApprovalMatrixEvent = EventUnion<typeof ApprovalMatrixEvents>;
/** Streams `credit-group-<groupId>`. */
export const CreditGroupEvents = byType([
  CreditGroupDefined,
  CreditGroupLimitSet,
  CreditGroupMemberAdded,
  CreditGroupReservationMade,
  CreditGroupReservationReleased,
]);
export type CreditGroupEvent = EventUnion<typeof CreditGroupEvents>;
/** Streams `fx-rate-<BASE>-<QUOTE>`. */
export const FxRateEvents = byType([FxRateRecorded]);
export type FxRateEvent = EventUnion<typeof FxRateEvents>;

/** Every event of the credit context (topic arc.credit.events), whatever its stream. */
export const CreditEvents = Object.freeze({
  ...CustomerAccountEvents,
  ...ScoringModelEvents,
  ...ApprovalMatrixEvents,
  ...CreditGroupEvents,
  ...FxRateEvents,
});
export type CreditEvent = EventUnion<typeof CreditEvents>;
export type CreditEventType = CreditEvent['type'];
