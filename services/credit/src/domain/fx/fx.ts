/*
 * Exact FX conversion. A rate is a decimal string ("1.0845": 1 unit of base = 1.0845 units of quote),
 * read as an integer numerator over a power of ten, never a float. Conversion, in minor units:
 *   to = round_half_up( from × numerator × 10^exp(quote) / (denominator × 10^exp(base)) )
 * (half-up: ties away from zero, java.math.RoundingMode.HALF_UP). A rate recorded only the other way
 * round is used inverted, with the same single rounding. Each invoice converts at the rate of the
 * business date it was issued; a missing rate is an error, never a guess from another day.
 */
import { FX_RATE_PATTERN } from '@arc/contracts';
import { divideRounded, minorUnitExponent, money, sum, type CurrencyCode, type Money } from '@arc/money';
import { InvalidFxRateError, MissingFxRateError } from './fx.errors';

export interface FxRate {
  base: string;
  quote: string;
  rateDate: string;
  /** Decimal string, as recorded. */
  rate: string;
}

/** The rate as numerator / denominator (10^fraction digits). */
export function parseRate(rate: string): { numerator: bigint; denominator: bigint } {
  if (!FX_RATE_PATTERN.test(rate) || !/[1-9]/.test(rate)) throw new InvalidFxRateError(rate);
  const [whole, fraction = ''] = rate.split('.') as [string, string?];
  return { numerator: BigInt(whole + fraction), denominator: 10n ** BigInt(fraction.length) };
}

/** Looks a rate up by pair and business date; undefined when none was recorded for exactly that date. */
export type RateLookup = (base: string, quote: string, rateDate: string) => FxRate | undefined;

export function convert(amount: Money, to: string, rateDate: string, lookup: RateLookup): Money {
  if (amount.currency === to) return amount;
  const scaleFrom = 10n ** BigInt(minorUnitExponent(amount.currency as CurrencyCode));
  const scaleTo = 10n ** BigInt(minorUnitExponent(to as CurrencyCode));
  const direct = lookup(amount.currency, to, rateDate);
  if (direct !== undefined) {
    const { numerator, denominator } = parseRate(direct.rate);
    return money(divideRounded(amount.amountMinor * numerator * scaleTo, denominator * scaleFrom, 'half-up'), to);
  }
  const inverse = lookup(to, amount.currency, rateDate);
  if (inverse !== undefined) {
    const { numerator, denominator } = parseRate(inverse.rate);
    return money(divideRounded(amount.amountMinor * denominator * scaleTo, numerator * scaleFrom, 'half-up'), to);
  }
  throw new MissingFxRateError(amount.currency, to, rateDate);
}

/** An open item (an invoice's open balance) in its own currency, with the business date it was issued. */
export interface OpenItem {
  amount: Money;
  issueDate: string;
}

/**
 * Σ open items in `currency`, each converted at its own issue date's rate. Every missing rate is named at
 * once (the first one thrown; the error lists all), so finance can record them in one go.
 */
export function sumInCurrency(items: readonly OpenItem[], currency: string, lookup: RateLookup): Money {
  const missing: Array<{ base: string; quote: string; rateDate: string }> = [];
  const converted: Money[] = [];
  for (const item of items) {
    try {
      converted.push(convert(item.amount, currency, item.issueDate, lookup));
    } catch (error) {
      if (!(error instanceof MissingFxRateError)) throw error;
      missing.push(...error.missing);
    }
  }
  if (missing.length > 0) throw new MissingFxRateError(missing);
  return sum(converted, currency);
}
