import { CreditDomainError } from '../customer-credit-account.errors';

export class InvalidScoringModelError extends CreditDomainError {
  override readonly name = 'InvalidScoringModelError';
  readonly code = 'SCORING_MODEL_INVALID';
  readonly category = 'invalid-request';
  constructor(readonly problems: readonly string[]) {
    super(`invalid scoring model: ${problems.join('; ')}`);
  }
}

/** An assessment or review needs a published model (the service publishes the default at start-up). */
export class NoScoringModelError extends CreditDomainError {
  override readonly name = 'NoScoringModelError';
  readonly code = 'SCORING_MODEL_MISSING';
  readonly category = 'state-conflict';
  constructor() {
    super('no scoring model has been published yet');
  }
}
