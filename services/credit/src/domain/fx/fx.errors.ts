import { CreditDomainError } from '../customer-credit-account.errors';

type MissingRate = { base: string; quote: string; rateDate: string };

/** Exposure cannot be stated in the limit's currency without the rate of each invoice's issue date. */
export class MissingFxRateError extends CreditDomainError {
  override readonly name = 'MissingFxRateError';
  readonly code = 'FX_RATE_MISSING';
  readonly category = 'invalid-request';
  readonly missing: readonly MissingRate[];
  constructor(...args: [base: string, quote: string, rateDate: string] | [missing: readonly MissingRate[]]) {
    const missing = args.length === 3 ? [{ base: args[0], quote: args[1], rateDate: args[2] }] : args[0];
    super(`no FX rate recorded for ${missing.map((m) => `${m.base}/${m.quote} on ${m.rateDate}`).join(', ')}`);
    this.missing = missing;
  }
}

export class InvalidFxRateError extends CreditDomainError {
  override readonly name = 'InvalidFxRateError';
  readonly code = 'FX_RATE_INVALID';
  readonly category = 'invalid-request';
  constructor(readonly rate: string) {
    super(`${JSON.stringify(rate)} is not a positive decimal rate`);
  }
}

/** A rate, once recorded for a date, is what every exposure of that date was computed with. */
export class FxRateAlreadyRecordedError extends CreditDomainError {
  override readonly name = 'FxRateAlreadyRecordedError';
  readonly code = 'FX_RATE_ALREADY_RECORDED';
  readonly category = 'state-conflict';
  constructor(
    readonly pair: string,
    readonly rateDate: string,
    readonly recorded: string,
  ) {
    super(`${pair} on ${rateDate} is already recorded as ${recorded}`);
  }
}
