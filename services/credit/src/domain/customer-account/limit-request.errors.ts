/* Refusals of limit requests, approvals and the matrix. Maker-checker and level refusals are 'not-permitted' (403). */
import { CreditDomainError } from '../customer-credit-account.errors';

export class RequesterCannotApproveError extends CreditDomainError {
  override readonly name = 'RequesterCannotApproveError';
  readonly code = 'REQUESTER_CANNOT_APPROVE';
  readonly category = 'not-permitted';
  constructor(readonly subject: string) {
    super(`${subject} made this limit request and cannot approve or reject it (maker-checker)`);
  }
}

export class ApproverAlreadyApprovedError extends CreditDomainError {
  override readonly name = 'ApproverAlreadyApprovedError';
  readonly code = 'APPROVER_ALREADY_APPROVED';
  readonly category = 'not-permitted';
  constructor(readonly subject: string) {
    super(`${subject} has already approved this request; the next approval must come from someone else`);
  }
}

export class ApprovalLevelTooLowError extends CreditDomainError {
  override readonly name = 'ApprovalLevelTooLowError';
  readonly code = 'APPROVAL_LEVEL_TOO_LOW';
  readonly category = 'not-permitted';
  constructor(
    readonly level: number,
    readonly needed: number,
  ) {
    super(`this approval needs approval level ${needed}; the approver's token carries level ${level}`);
  }
}

export class LimitRequestNotFoundError extends CreditDomainError {
  override readonly name = 'LimitRequestNotFoundError';
  readonly code = 'LIMIT_REQUEST_NOT_FOUND';
  readonly category = 'state-conflict';
  constructor(readonly requestId: string) {
    super(`no limit request ${requestId} for this customer`);
  }
}

export class LimitRequestDecidedError extends CreditDomainError {
  override readonly name = 'LimitRequestDecidedError';
  readonly code = 'LIMIT_REQUEST_DECIDED';
  readonly category = 'state-conflict';
  constructor(
    readonly requestId: string,
    readonly status: string,
  ) {
    super(`limit request ${requestId} is already ${status}`);
  }
}

export class LimitRequestExistsError extends CreditDomainError {
  override readonly name = 'LimitRequestExistsError';
  readonly code = 'LIMIT_REQUEST_ID_TAKEN';
  readonly category = 'state-conflict';
  constructor(readonly requestId: string) {
    super(`limit request ${requestId} already exists with other details`);
  }
}

/** A limit request changes a policy's limit: the customer needs a policy first (finance sets it). */
export class NoCreditPolicyError extends CreditDomainError {
  override readonly name = 'NoCreditPolicyError';
  readonly code = 'CREDIT_POLICY_MISSING';
  readonly category = 'state-conflict';
  constructor(readonly command: string) {
    super(`${command} needs a credit policy; set one first`);
  }
}

export class TemporaryLimitInPastError extends CreditDomainError {
  override readonly name = 'TemporaryLimitInPastError';
  readonly code = 'TEMPORARY_LIMIT_IN_PAST';
  readonly category = 'invalid-request';
  constructor(
    readonly until: string,
    readonly today: string,
  ) {
    super(`a temporary limit ending ${until} has ended before its request date ${today}`);
  }
}

export class UnknownEvidenceError extends CreditDomainError {
  override readonly name = 'UnknownEvidenceError';
  readonly code = 'EVIDENCE_NOT_FOUND';
  readonly category = 'invalid-request';
  constructor(readonly evidenceIds: readonly string[]) {
    super(`no evidence ${evidenceIds.join(', ')} in this customer's credit file`);
  }
}

export class InvalidApprovalMatrixError extends CreditDomainError {
  override readonly name = 'InvalidApprovalMatrixError';
  readonly code = 'APPROVAL_MATRIX_INVALID';
  readonly category = 'invalid-request';
  constructor(readonly problems: readonly string[]) {
    super(`invalid approval matrix: ${problems.join('; ')}`);
  }
}
