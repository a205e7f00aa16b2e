import { CreditDomainError } from '../customer-credit-account.errors';

export class CreditGroupNotDefinedError extends CreditDomainError {
  override readonly name = 'CreditGroupNotDefinedError';
  readonly code = 'CREDIT_GROUP_NOT_FOUND';
  readonly category = 'state-conflict';
  constructor(readonly command: string) {
    super(`${command} needs a defined credit group`);
  }
}

export class CreditGroupAlreadyDefinedError extends CreditDomainError {
  override readonly name = 'CreditGroupAlreadyDefinedError';
  readonly code = 'CREDIT_GROUP_ALREADY_DEFINED';
  readonly category = 'state-conflict';
  constructor(readonly groupId: string) {
    super(`credit group ${groupId} is already defined with other details; change its limit instead`);
  }
}

export class NotAGroupMemberError extends CreditDomainError {
  override readonly name = 'NotAGroupMemberError';
  readonly code = 'NOT_A_GROUP_MEMBER';
  readonly category = 'state-conflict';
  constructor(readonly customerId: string) {
    super(`customer ${customerId} is not a member of this credit group`);
  }
}

/** Thrown by the group's decision, read by the credit check: the member's check then fails for the group. */
export class GroupLimitExceededError extends CreditDomainError {
  override readonly name = 'GroupLimitExceededError';
  readonly code = 'GROUP_LIMIT_EXCEEDED';
  readonly category = 'state-conflict';
  constructor(
    readonly groupExposure: bigint,
    readonly groupLimit: bigint,
    readonly currency: string,
  ) {
    super(`the group's exposure ${groupExposure} plus the order exceeds its limit ${groupLimit} (${currency} minor units)`);
  }
}

export class AlreadyInAnotherGroupError extends CreditDomainError {
  override readonly name = 'AlreadyInAnotherGroupError';
  readonly code = 'ALREADY_IN_ANOTHER_GROUP';
  readonly category = 'state-conflict';
  constructor(
    readonly customerId: string,
    readonly groupId: string,
  ) {
    super(`customer ${customerId} already belongs to credit group ${groupId}`);
  }
}
