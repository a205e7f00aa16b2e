/*
 * The approval matrix as data and the rules that read it: which approvals a limit request needs (by the
 * requested amount and the customer's class), and whether a given person may give the next one.
 */
import type { ApprovalMatrix, ApprovalRequirement, Approver, CreditClass } from '@arc/contracts';
import {
  ApprovalLevelTooLowError,
  ApproverAlreadyApprovedError,
  RequesterCannotApproveError,
} from '../customer-account/limit-request.errors';

/** 100,000.00 and 1,000,000.00 in minor units of a two-decimal currency. */
const HUNDRED_THOUSAND = '10000000';
const ONE_MILLION = '100000000';

/**
 * The matrix a fresh installation starts with (version 1), in EUR: up to 100,000 one approver at level 1;
 * up to 1,000,000 one at level 2; above that two approvals, one of them at level 3. Weaker classes (C, D)
 * need level 2 from the first euro.
 */
export const DEFAULT_APPROVAL_MATRIX: ApprovalMatrix = {
  currency: 'EUR',
  rules: [
    { creditClasses: ['A', 'B'], upToMinor: HUNDRED_THOUSAND, approvals: 1, minimumLevel: 1, finalLevel: 1 },
    { creditClasses: ['A', 'B'], upToMinor: ONE_MILLION, approvals: 1, minimumLevel: 2, finalLevel: 2 },
    { creditClasses: ['C', 'D'], upToMinor: HUNDRED_THOUSAND, approvals: 1, minimumLevel: 2, finalLevel: 2 },
    { creditClasses: ['A', 'B', 'C', 'D'], upToMinor: null, approvals: 2, minimumLevel: 2, finalLevel: 3 },
  ],
};

/** The first rule naming the class whose bound the amount (in the matrix currency) stays within. */
export function requirementFor(matrix: ApprovalMatrix, amountMinor: bigint, creditClass: CreditClass): ApprovalRequirement {
  const rule = matrix.rules.find(
    (r) => r.creditClasses.includes(creditClass) && (r.upToMinor === null || amountMinor <= BigInt(r.upToMinor)),
  );
  // A valid matrix has an unbounded rule for every class (approvalMatrixProblems), so this cannot happen.
  if (rule === undefined) throw new Error(`approval matrix has no rule for class ${creditClass} and ${amountMinor}`);
  return { approvals: rule.approvals, minimumLevel: rule.minimumLevel, finalLevel: rule.finalLevel };
}

/** The level the next approval must reach: the final level when it is the last one and nobody reached it yet. */
export function levelNeededNext(requirement: ApprovalRequirement, given: readonly Approver[]): number {
  const last = given.length + 1 >= requirement.approvals;
  const finalReached = given.some((a) => a.level >= requirement.finalLevel);
  return last && !finalReached ? requirement.finalLevel : requirement.minimumLevel;
}

/**
 * Throws when this person may not give the next approval: the requester never (token subjects compared),
 * nobody twice, and nobody below the level the approval needs. Rejecting needs the same standing.
 */
export function assertMayDecide(
  request: { requestedBy: string; requirement: ApprovalRequirement; approvals: readonly Approver[] },
  approver: Approver,
): void {
  if (approver.subject === request.requestedBy) throw new RequesterCannotApproveError(approver.subject);
  if (request.approvals.some((a) => a.subject === approver.subject)) throw new ApproverAlreadyApprovedError(approver.subject);
  const needed = levelNeededNext(request.requirement, request.approvals);
  if (approver.level < needed) throw new ApprovalLevelTooLowError(approver.level, needed);
}

/** Whether the approvals given complete the requirement. */
export function isFullyApproved(requirement: ApprovalRequirement, given: readonly Approver[]): boolean {
  return given.length >= requirement.approvals && given.some((a) => a.level >= requirement.finalLevel);
}
