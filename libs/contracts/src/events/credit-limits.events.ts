import { Topics } from '../topics';
import { CREDIT_CLASSES, type CreditClass } from './credit-class';
import {
  arrayOf,
  currency,
  date,
  defineEvent,
  integer,
  isMinorUnits,
  minorUnits,
  money,
  nullable,
  object,
  oneOf,
  requireCurrency,
  text,
  uuid,
  type IsoDate,
  type MoneyJson,
  type Uuid,
} from './validation';

/*
 * Limit requests and the approval matrix, check tolerance and credit insurance, topic arc.credit.events.
 * Requests live on the customer's stream (`customer-<customerId>`), so an approval and the policy change it
 * causes are one append; the matrix is versioned configuration on stream `credit-approval-matrix`.
 */

/** How many people must approve, and at which levels (levels come from the approver's token). */
export interface ApprovalRequirement {
  /** 1 or 2 distinct approvers, never the requester. */
  approvals: number;
  /** Every approver's level must reach this. */
  minimumLevel: number;
  /** At least one approver's level must reach this (with one approval: that approver's). */
  finalLevel: number;
}

const approvalRequirementFields = { approvals: integer(1, 2), minimumLevel: integer(1, 9), finalLevel: integer(1, 9) };
export const approvalRequirement = object<ApprovalRequirement>(approvalRequirementFields);

export function approvalRequirementProblems(r: ApprovalRequirement, path = 'requirement'): string[] {
  return r.finalLevel < r.minimumLevel ? [`${path}.finalLevel must not be below ${path}.minimumLevel`] : [];
}

export interface ApprovalMatrixRule extends ApprovalRequirement {
  /** The classes the rule applies to. */
  creditClasses: CreditClass[];
  /** Requested limits up to this amount (minor units of the matrix currency, inclusive); null: any amount. */
  upToMinor: string | null;
}

export interface ApprovalMatrix {
  /** Thresholds are in this currency; a request in another is converted at the recorded FX rate. */
  currency: string;
  /** Read in order: the first rule naming the class whose bound the amount stays within applies. */
  rules: ApprovalMatrixRule[];
}

export const approvalMatrixShape = object<ApprovalMatrix>({
  currency,
  rules: arrayOf(
    object<ApprovalMatrixRule>({
      creditClasses: arrayOf(oneOf(CREDIT_CLASSES), { minItems: 1 }),
      upToMinor: nullable(minorUnits),
      ...approvalRequirementFields,
    }),
    { minItems: 1 },
  ),
});

/** Contradictions in a matrix: every class must be covered for every amount, and levels must make sense. */
export function approvalMatrixProblems(matrix: ApprovalMatrix): string[] {
  const problems: string[] = [];
  matrix.rules.forEach((rule, index) => {
    problems.push(...approvalRequirementProblems(rule, `rules[${index}]`));
    if (rule.upToMinor !== null && isMinorUnits(rule.upToMinor) && BigInt(rule.upToMinor) < 0n) {
      problems.push(`rules[${index}].upToMinor must not be negative`);
    }
  });
  for (const creditClass of CREDIT_CLASSES) {
    if (!matrix.rules.some((rule) => rule.creditClasses.includes(creditClass) && rule.upToMinor === null)) {
      problems.push(`class ${creditClass} needs a rule without an upper bound, so every amount has an approver`);
    }
  }
  return problems;
}

export interface ApprovalMatrixSetData {
  version: number;
  matrix: ApprovalMatrix;
  note: string;
}

export const ApprovalMatrixSet = defineEvent<ApprovalMatrixSetData>()({
  type: 'ApprovalMatrixSet',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: { version: integer(1), matrix: approvalMatrixShape, note: text },
  rules: (data, problems) => problems.push(...approvalMatrixProblems(data.matrix)),
});

export interface CreditLimitRequestedData {
  customerId: Uuid;
  requestId: Uuid;
  requestedLimit: MoneyJson;
  reason: string;
  /** A temporary limit ends on this date; the previous limit returns when the following day is closed. */
  temporaryUntil: IsoDate | null;
  evidenceIds: Uuid[];
  /** The requester's token subject: no approver may have it. */
  requestedBy: string;
  /** The class the matrix was read for, and what it required then (a later matrix does not change it). */
  creditClass: CreditClass;
  matrixVersion: number;
  requirement: ApprovalRequirement;
  requestedOn: IsoDate;
}

export const CreditLimitRequested = defineEvent<CreditLimitRequestedData>()({
  type: 'CreditLimitRequested',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: {
    customerId: uuid,
    requestId: uuid,
    requestedLimit: money('non-negative'),
    reason: text,
    temporaryUntil: nullable(date),
    evidenceIds: arrayOf(uuid),
    requestedBy: text,
    creditClass: oneOf(CREDIT_CLASSES),
    matrixVersion: integer(0),
    requirement: approvalRequirement,
    requestedOn: date,
  },
  rules: (data, problems) => {
    problems.push(...approvalRequirementProblems(data.requirement));
    if (data.temporaryUntil !== null && data.temporaryUntil < data.requestedOn)
      problems.push('temporaryUntil must not be before requestedOn');
  },
});

export interface Approver {
  /** Token subject. */
  subject: string;
  level: number;
}
const approver = object<Approver>({ subject: text, level: integer(1, 9) });

/** One approval of a request that needs two; the request stays pending. */
export interface CreditLimitApprovalGivenData {
  customerId: Uuid;
  requestId: Uuid;
  approver: Approver;
}

export const CreditLimitApprovalGiven = defineEvent<CreditLimitApprovalGivenData>()({
  type: 'CreditLimitApprovalGiven',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: { customerId: uuid, requestId: uuid, approver },
});

/** The last approval the request needed: the limit changes (a `CreditPolicySet` follows in the same append). */
export interface CreditLimitRequestApprovedData {
  customerId: Uuid;
  requestId: Uuid;
  approvers: Approver[];
  approvedLimit: MoneyJson;
  previousLimit: MoneyJson;
  temporaryUntil: IsoDate | null;
}

export const CreditLimitRequestApproved = defineEvent<CreditLimitRequestApprovedData>()({
  type: 'CreditLimitRequestApproved',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: {
    customerId: uuid,
    requestId: uuid,
    approvers: arrayOf(approver, { minItems: 1 }),
    approvedLimit: money('non-negative'),
    previousLimit: money('non-negative'),
    temporaryUntil: nullable(date),
  },
  rules: (data, problems) => {
    requireCurrency(problems, data.approvedLimit.currency, { previousLimit: data.previousLimit });
    if (new Set(data.approvers.map((a) => a.subject)).size !== data.approvers.length) problems.push('approvers must be distinct people');
  },
});

export interface CreditLimitRequestRejectedData {
  customerId: Uuid;
  requestId: Uuid;
  rejectedBy: Approver;
  reason: string;
}

export const CreditLimitRequestRejected = defineEvent<CreditLimitRequestRejectedData>()({
  type: 'CreditLimitRequestRejected',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: { customerId: uuid, requestId: uuid, rejectedBy: approver, reason: text },
});

/** The day after a temporary limit's end date was closed: the earlier limit is back (a `CreditPolicySet` follows). */
export interface TemporaryCreditLimitExpiredData {
  customerId: Uuid;
  requestId: Uuid;
  temporaryLimit: MoneyJson;
  restoredLimit: MoneyJson;
  endDate: IsoDate;
  /** The business day whose close ended it (the day after endDate, or later if closes were skipped). */
  closedDate: IsoDate;
}

export const TemporaryCreditLimitExpired = defineEvent<TemporaryCreditLimitExpiredData>()({
  type: 'TemporaryCreditLimitExpired',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: {
    customerId: uuid,
    requestId: uuid,
    temporaryLimit: money('non-negative'),
    restoredLimit: money('non-negative'),
    endDate: date,
    closedDate: date,
  },
  rules: (data, problems) => {
    requireCurrency(problems, data.temporaryLimit.currency, { restoredLimit: data.restoredLimit });
    if (data.closedDate <= data.endDate) problems.push('closedDate must be after endDate');
  },
});

/** How far a check may go over the limit: a share of the limit or an amount (at most one); both null: none. */
export interface CreditToleranceSetData {
  customerId: Uuid;
  basisPoints: number | null;
  amount: MoneyJson | null;
}

export const CreditToleranceSet = defineEvent<CreditToleranceSetData>()({
  type: 'CreditToleranceSet',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: { customerId: uuid, basisPoints: nullable(integer(0, 10_000)), amount: nullable(money('non-negative')) },
  rules: (data, problems) => {
    if (data.basisPoints !== null && data.amount !== null) problems.push('a tolerance is a share (basisPoints) or an amount, not both');
  },
});

export interface CreditInsuranceCoverSetData {
  customerId: Uuid;
  insurer: string;
  policyNumber: string;
  insuredAmount: MoneyJson;
  validUntil: IsoDate;
}

export const CreditInsuranceCoverSet = defineEvent<CreditInsuranceCoverSetData>()({
  type: 'CreditInsuranceCoverSet',
  topic: Topics.credit,
  schemaVersion: 1,
  shape: { customerId: uuid, insurer: text, policyNumber: text, insuredAmount: money('non-negative'), validUntil: date },
});
