/*
 * Commands the customer credit account refuses. A refusal is an error, never an event: nothing happened in
 * the business. (A failed credit check is different: it is an event other contexts react to.)
 *
 * `code` is stable: the API maps it to a problem type. `category` says which status fits:
 * - 'state-conflict': the command is well-formed but the account's current state forbids it (409);
 * - 'invalid-request': the command can never succeed as given (422);
 * - 'not-found': the command names a customer or reservation that does not exist (404).
 */
import { DomainError } from '@arc/decider';

export abstract class CreditDomainError extends DomainError {}

// Limits, orders and open AR are all measured in the customer's currency (FX conversion happens before): the one
// currency refusals of ARC, in @arc/money.
export { CurrencyMismatchError, UnknownCurrencyError } from '@arc/money';

export class CustomerNotRegisteredError extends CreditDomainError {
  override readonly name = 'CustomerNotRegisteredError';
  readonly code = 'CUSTOMER_NOT_REGISTERED';
  readonly category = 'not-found';
  constructor(readonly command: string) {
    super(`${command} needs a registered customer`);
  }
}

export class CustomerAlreadyRegisteredError extends CreditDomainError {
  override readonly name = 'CustomerAlreadyRegisteredError';
  readonly code = 'CUSTOMER_ALREADY_REGISTERED';
  readonly category = 'state-conflict';
  constructor(
    readonly customerId: string,
    readonly differingFields: readonly string[],
  ) {
    super(`customer ${customerId} is already registered with other ${differingFields.join(', ')}`);
  }
}

export class NegativeCreditLimitError extends CreditDomainError {
  override readonly name = 'NegativeCreditLimitError';
  readonly code = 'CREDIT_LIMIT_NEGATIVE';
  readonly category = 'invalid-request';
  constructor(readonly limitMinor: bigint) {
    super(`a credit limit cannot be negative (${limitMinor} minor units)`);
  }
}

/** Terms that contradict each other (a discount window longer than the payment term …); every problem listed. */
export class InvalidCreditPolicyError extends CreditDomainError {
  override readonly name = 'InvalidCreditPolicyError';
  readonly code = 'CREDIT_POLICY_INVALID';
  readonly category = 'invalid-request';
  constructor(readonly problems: readonly string[]) {
    super(`invalid credit policy: ${problems.join('; ')}`);
  }
}

export class OrderAmountNotPositiveError extends CreditDomainError {
  override readonly name = 'OrderAmountNotPositiveError';
  readonly code = 'ORDER_AMOUNT_NOT_POSITIVE';
  readonly category = 'invalid-request';
  constructor(readonly amountMinor: bigint) {
    super(`an order to check must be for a positive amount (${amountMinor} minor units)`);
  }
}

/** Open AR comes from the service's view; a negative figure means the view is wrong, not that credit is free. */
export class NegativeOpenArError extends CreditDomainError {
  override readonly name = 'NegativeOpenArError';
  readonly code = 'OPEN_AR_NEGATIVE';
  readonly category = 'invalid-request';
  constructor(readonly amountMinor: bigint) {
    super(`open AR cannot be negative (${amountMinor} minor units)`);
  }
}

export class OverrideWithoutReasonError extends CreditDomainError {
  override readonly name = 'OverrideWithoutReasonError';
  readonly code = 'OVERRIDE_REASON_MISSING';
  readonly category = 'invalid-request';
  constructor() {
    super('a credit override needs a reason and the person who authorised it');
  }
}

export class UnknownReservationError extends CreditDomainError {
  override readonly name = 'UnknownReservationError';
  readonly code = 'RESERVATION_NOT_FOUND';
  readonly category = 'not-found';
  constructor(readonly reservationId: string) {
    super(`no credit reservation ${reservationId} for this customer`);
  }
}

export class ReservationReleasedError extends CreditDomainError {
  override readonly name = 'ReservationReleasedError';
  readonly code = 'RESERVATION_RELEASED';
  readonly category = 'state-conflict';
  constructor(readonly reservationId: string) {
    super(`credit reservation ${reservationId} was released and cannot be consumed by an invoice`);
  }
}

export class ReservationConsumedByOtherInvoiceError extends CreditDomainError {
  override readonly name = 'ReservationConsumedByOtherInvoiceError';
  readonly code = 'RESERVATION_CONSUMED_BY_OTHER_INVOICE';
  readonly category = 'state-conflict';
  constructor(
    readonly reservationId: string,
    readonly consumedBy: string,
  ) {
    super(`credit reservation ${reservationId} was already consumed by invoice ${consumedBy}`);
  }
}

/** Trading beyond the limit needs someone who may approve credit: a token with an approval level. */
export class OverrideNeedsApprovalLevelError extends CreditDomainError {
  override readonly name = 'OverrideNeedsApprovalLevelError';
  readonly code = 'OVERRIDE_NEEDS_APPROVAL_LEVEL';
  readonly category = 'not-permitted';
  constructor(readonly authorisedBy: string) {
    super(`${authorisedBy} has no approval level and cannot authorise trading beyond the limit`);
  }
}

/** A review re-runs an earlier assessment with fresh payment behaviour: there must be one to re-run. */
export class NoAssessmentError extends CreditDomainError {
  override readonly name = 'NoAssessmentError';
  readonly code = 'ASSESSMENT_MISSING';
  readonly category = 'state-conflict';
  constructor() {
    super('a review needs an earlier assessment of the customer');
  }
}

export class AssessmentIdTakenError extends CreditDomainError {
  override readonly name = 'AssessmentIdTakenError';
  readonly code = 'ASSESSMENT_ID_TAKEN';
  readonly category = 'state-conflict';
  constructor(readonly assessmentId: string) {
    super(`assessment ${assessmentId} already exists with other figures`);
  }
}

export class EvidenceIdTakenError extends CreditDomainError {
  override readonly name = 'EvidenceIdTakenError';
  readonly code = 'EVIDENCE_ID_TAKEN';
  readonly category = 'state-conflict';
  constructor(readonly evidenceId: string) {
    super(`evidence ${evidenceId} is already in the credit file with other details`);
  }
}

export class EvidenceAlreadySupersededError extends CreditDomainError {
  override readonly name = 'EvidenceAlreadySupersededError';
  readonly code = 'EVIDENCE_ALREADY_SUPERSEDED';
  readonly category = 'state-conflict';
  constructor(
    readonly evidenceId: string,
    readonly supersededBy: string,
  ) {
    super(`evidence ${evidenceId} was already superseded by ${supersededBy}`);
  }
}
