/*
 * FX rates of one currency pair (stream `fx-rate-<BASE>-<QUOTE>`), one per business date, set by finance
 * or imported. A recorded rate is never changed: exposures already computed with it stay explainable.
 */
import { validated, FxRateEvents, type FxRateEvent, type FxRateRecordedData } from '@arc/contracts';
import type { Decider } from '@arc/decider';
import { isCurrencyCode } from '@arc/money';
import { UnknownCurrencyError } from '../customer-credit-account.errors';
import { FxRateAlreadyRecordedError } from './fx.errors';
import { parseRate } from './fx';

export const fxRateStreamId = (base: string, quote: string): string => `fx-rate-${base}-${quote}`;

export type RecordFxRate = { type: 'RecordFxRate'; data: FxRateRecordedData };

/** Rates by business date. */
export type FxRates = ReadonlyMap<string, string>;

export function decide(command: RecordFxRate, state: FxRates): FxRateEvent[] {
  const { base, quote, rateDate, rate } = command.data;
  for (const code of [base, quote]) if (!isCurrencyCode(code)) throw new UnknownCurrencyError(code);
  parseRate(rate);
  const recorded = state.get(rateDate);
  if (recorded !== undefined) {
    // The same figure again (an import run twice) is a repeat; another figure would rewrite history.
    if (parseRate(recorded).numerator * parseRate(rate).denominator === parseRate(rate).numerator * parseRate(recorded).denominator)
      return [];
    throw new FxRateAlreadyRecordedError(`${base}/${quote}`, rateDate, recorded);
  }
  return validated(FxRateEvents, [{ type: 'FxRateRecorded', data: { ...command.data } }]);
}

export function evolve(state: FxRates, event: FxRateEvent): FxRates {
  const rates = new Map(state);
  rates.set(event.data.rateDate, event.data.rate);
  return rates;
}

export const fxRateDecider: Decider<RecordFxRate, FxRateEvent, FxRates> = { initialState: new Map(), decide, evolve };
