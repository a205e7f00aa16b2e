/*
 * Commands the collection case and the dunning planner refuse. A refusal is an error, never an event.
 * `category`: 'state-conflict' (409) or 'invalid-request' (422).
 */
import { DomainError } from '@arc/decider';

export abstract class CollectionsDomainError extends DomainError {}

export class InconsistentOverdueFigureError extends CollectionsDomainError {
  override readonly name = 'InconsistentOverdueFigureError';
  readonly code = 'OVERDUE_FIGURE_INCONSISTENT';
  readonly category = 'invalid-request';
  constructor(reason: string) {
    super(`the overdue figure is inconsistent: ${reason}`);
  }
}

export class CaseStreamMismatchError extends CollectionsDomainError {
  override readonly name = 'CaseStreamMismatchError';
  readonly code = 'CASE_STREAM_MISMATCH';
  readonly category = 'invalid-request';
  constructor(expected: string, actual: string) {
    super(`this collection stream belongs to customer ${expected}, not ${actual}`);
  }
}

export class NoOpenCaseError extends CollectionsDomainError {
  override readonly name = 'NoOpenCaseError';
  readonly code = 'CASE_NOT_OPEN';
  readonly category = 'state-conflict';
  constructor(readonly customerId: string) {
    super(`customer ${customerId} has no open collection case`);
  }
}

export class InvalidDunningStrategyError extends CollectionsDomainError {
  override readonly name = 'InvalidDunningStrategyError';
  readonly code = 'DUNNING_STRATEGY_INVALID';
  readonly category = 'invalid-request';
  constructor(readonly problems: string[]) {
    super(`invalid dunning strategy: ${problems.join('; ')}`);
  }
}

export class EventContractViolationError extends Error {
  override readonly name = 'EventContractViolationError';
  constructor(readonly eventType: string, readonly problems: string[]) {
    super(`decided a ${eventType} its contract refuses: ${problems.join('; ')}`);
  }
}

export class DuplicateDunningItemError extends CollectionsDomainError {
  override readonly name = 'DuplicateDunningItemError';
  readonly code = 'DUNNING_ITEM_DUPLICATE';
  readonly category = 'invalid-request';
  constructor(readonly invoiceId: string) {
    super(`invoice ${invoiceId} is listed twice for one dunning run`);
  }
}
