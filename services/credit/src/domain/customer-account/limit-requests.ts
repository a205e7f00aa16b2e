/*
 * Limit requests on the customer's account. Sales requests; the approval matrix (read when the request is
 * made and recorded on it) says how many approvals at which levels; the approver is never the requester
 * (token subjects compared). The last approval changes the policy in the same append. A temporary limit
 * falls back to the earlier limit when the day after its end date is closed.
 */
import type { CustomerAccountEvent } from '@arc/contracts';
import { compare, toJson } from '@arc/money';
import { assertMayDecide, isFullyApproved, requirementFor } from '../approval/approval-matrix';
import { NegativeCreditLimitError } from '../customer-credit-account.errors';
import type { ApproveCreditLimit, ExpireTemporaryLimit, RejectCreditLimit, RequestCreditLimit } from './commands';
import { requireCurrency, withPolicy } from './guards';
import {
  LimitRequestDecidedError,
  LimitRequestExistsError,
  LimitRequestNotFoundError,
  TemporaryLimitInPastError,
  UnknownEvidenceError,
} from './limit-request.errors';
import { policyData } from './policy';
import type { CustomerCreditAccount, LimitRequest, RegisteredAccount } from './state';

export function requestCreditLimit(command: RequestCreditLimit, state: CustomerCreditAccount): CustomerAccountEvent[] {
  const account = withPolicy(state, command.type);
  const d = command.data;
  const existing = account.limitRequests.get(d.requestId);
  if (existing !== undefined) {
    const same =
      compare(existing.requestedLimit, d.requestedLimit) === 0 &&
      existing.reason === d.reason &&
      existing.temporaryUntil === d.temporaryUntil;
    if (same && existing.requestedBy === d.requestedBy) return [];
    throw new LimitRequestExistsError(d.requestId);
  }
  requireCurrency('requestedLimit', d.requestedLimit, account.policy.creditLimit.currency);
  requireCurrency('amountInMatrixCurrency', d.amountInMatrixCurrency, d.matrix.matrix.currency);
  if (d.requestedLimit.amountMinor < 0n) throw new NegativeCreditLimitError(d.requestedLimit.amountMinor);
  if (d.temporaryUntil !== null && d.temporaryUntil < d.requestedOn) throw new TemporaryLimitInPastError(d.temporaryUntil, d.requestedOn);
  const unknown = d.evidenceIds.filter((id) => !account.evidence.has(id));
  if (unknown.length > 0) throw new UnknownEvidenceError(unknown);
  const creditClass = account.policy.creditClass;
  return [
    {
      type: 'CreditLimitRequested',
      data: {
        customerId: account.customer.customerId,
        requestId: d.requestId,
        requestedLimit: toJson(d.requestedLimit),
        reason: d.reason,
        temporaryUntil: d.temporaryUntil,
        evidenceIds: [...d.evidenceIds],
        requestedBy: d.requestedBy,
        creditClass,
        matrixVersion: d.matrix.version,
        requirement: requirementFor(d.matrix.matrix, d.amountInMatrixCurrency.amountMinor, creditClass),
        requestedOn: d.requestedOn,
      },
    },
  ];
}

function pendingRequest(account: RegisteredAccount, requestId: string): LimitRequest {
  const request = account.limitRequests.get(requestId);
  if (request === undefined) throw new LimitRequestNotFoundError(requestId);
  if (request.status !== 'pending') throw new LimitRequestDecidedError(requestId, request.status);
  return request;
}

export function approveCreditLimit(command: ApproveCreditLimit, state: CustomerCreditAccount): CustomerAccountEvent[] {
  const account = withPolicy(state, command.type);
  const { requestId, approver } = command.data;
  const earlier = account.limitRequests.get(requestId);
  // The same person approving again after the request was decided is a repeat of their approval.
  if (earlier !== undefined && earlier.status === 'approved' && earlier.approvals.some((a) => a.subject === approver.subject)) return [];
  const request = pendingRequest(account, requestId);
  assertMayDecide(request, approver);
  const customerId = account.customer.customerId;
  const approvals = [...request.approvals, { subject: approver.subject, level: approver.level }];
  if (!isFullyApproved(request.requirement, approvals)) {
    return [
      { type: 'CreditLimitApprovalGiven', data: { customerId, requestId, approver: { subject: approver.subject, level: approver.level } } },
    ];
  }
  const previousLimit = account.policy.creditLimit;
  return [
    {
      type: 'CreditLimitRequestApproved',
      data: {
        customerId,
        requestId,
        approvers: approvals,
        approvedLimit: toJson(request.requestedLimit),
        previousLimit: toJson(previousLimit),
        temporaryUntil: request.temporaryUntil,
      },
    },
    { type: 'CreditPolicySet', data: policyData(customerId, { ...account.policy, creditLimit: request.requestedLimit }) },
  ];
}

export function rejectCreditLimit(command: RejectCreditLimit, state: CustomerCreditAccount): CustomerAccountEvent[] {
  const account = withPolicy(state, command.type);
  const { requestId, approver, reason } = command.data;
  const earlier = account.limitRequests.get(requestId);
  if (earlier?.status === 'rejected' && earlier.rejection?.by.subject === approver.subject) return [];
  const request = pendingRequest(account, requestId);
  assertMayDecide(request, approver);
  return [
    {
      type: 'CreditLimitRequestRejected',
      data: {
        customerId: account.customer.customerId,
        requestId,
        rejectedBy: { subject: approver.subject, level: approver.level },
        reason,
      },
    },
  ];
}

export function expireTemporaryLimit(command: ExpireTemporaryLimit, state: CustomerCreditAccount): CustomerAccountEvent[] {
  if (state.status !== 'registered' || state.policy === null || state.temporaryLimit === null) return [];
  const { closedDate } = command.data;
  const temporary = state.temporaryLimit;
  // It ends on its end date: only the close of a later day ends it (closing the end date itself does not).
  if (closedDate <= temporary.endDate) return [];
  const customerId = state.customer.customerId;
  return [
    {
      type: 'TemporaryCreditLimitExpired',
      data: {
        customerId,
        requestId: temporary.requestId,
        temporaryLimit: toJson(temporary.limit),
        restoredLimit: toJson(temporary.restoreLimit),
        endDate: temporary.endDate,
        closedDate,
      },
    },
    { type: 'CreditPolicySet', data: policyData(customerId, { ...state.policy, creditLimit: temporary.restoreLimit }) },
  ];
}
