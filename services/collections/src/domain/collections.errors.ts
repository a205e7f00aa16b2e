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

export class InvalidDunningStrategyError extends CollectionsDomainError {
  override readonly name = 'InvalidDunningStrategyError';
  readonly code = 'DUNNING_STRATEGY_INVALID';
  readonly category = 'invalid-request';
  constructor(readonly problems: string[]) {
    super(`invalid dunning strategy: ${problems.join('; ')}`);
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

export class InvalidArrangementError extends CollectionsDomainError {
  override readonly name = 'InvalidArrangementError';
  readonly code = 'ARRANGEMENT_INVALID';
  readonly category = 'invalid-request';
  constructor(readonly problems: string[]) {
    super(`the promise or plan cannot be recorded: ${problems.join('; ')}`);
  }
}

export class LegalCaseStateError extends CollectionsDomainError {
  override readonly name = 'LegalCaseStateError';
  readonly code = 'LEGAL_CASE_STATE';
  readonly category = 'state-conflict';
  constructor(reason: string) {
    super(reason);
  }
}
