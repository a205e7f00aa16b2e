import { DomainError } from '@arc/decider';
import { currencyCode, type CurrencyCode } from './currency';

/**
 * An exact amount: integer minor units (cents for EUR, yen for JPY, fils for KWD) of one currency.
 * Never a float, never JSON.stringify'd as is (bigint refuses to serialise): use `toJson`.
 */
export interface Money {
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
}

/**
 * Two amounts that must share a currency do not: the one currency error of ARC, wherever it is met (an
 * invoice line, a credit limit, cash against an invoice, arithmetic). A refusal, answered 422
 * `urn:arc:problem:currency-mismatch` by the platform's DomainError mapping; converting is an explicit FX
 * step, never implicit. `subject` names what is in the wrong currency and `whose` whose currency it must
 * be in: "lines[1].taxAmount must be in the invoice currency EUR, not USD".
 */
export class CurrencyMismatchError extends DomainError {
  override readonly name = 'CurrencyMismatchError';
  readonly code = 'CURRENCY_MISMATCH';
  readonly category = 'invalid-request';
  constructor(
    readonly expected: string,
    readonly actual: string,
    readonly subject: string,
    whose = '',
  ) {
    super(`${subject} must be in ${whose ? `${whose} ` : ''}${expected}, not ${actual}`);
  }
}

/** Builds a Money, refusing unknown currencies and anything but a bigint amount (a float would already be inexact). */
export function money(amountMinor: bigint, currency: string): Money {
  if (typeof amountMinor !== 'bigint') {
    throw new TypeError(`amountMinor must be a bigint of minor units, got ${typeof amountMinor} ${String(amountMinor)}`);
  }
  return Object.freeze({ amountMinor, currency: currencyCode(currency) });
}

export function zero(currency: string): Money {
  return money(0n, currency);
}

function sameCurrency(a: Money, b: Money, operation: string): void {
  if (a.currency !== b.currency)
    throw new CurrencyMismatchError(a.currency, b.currency, `an amount to ${operation}`, "the other amount's currency");
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b, 'add');
  return money(a.amountMinor + b.amountMinor, a.currency);
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b, 'subtract');
  return money(a.amountMinor - b.amountMinor, a.currency);
}

export function negate(a: Money): Money {
  return money(-a.amountMinor, a.currency);
}

/** -1, 0 or 1, like a sort comparator; comparing across currencies is meaningless, so it throws. */
export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b, 'compare');
  return a.amountMinor < b.amountMinor ? -1 : a.amountMinor > b.amountMinor ? 1 : 0;
}

/** Same amount and currency; unlike `compare`, different currencies are simply not equal. */
export function equals(a: Money, b: Money): boolean {
  return a.currency === b.currency && a.amountMinor === b.amountMinor;
}

export function isZero(a: Money): boolean {
  return a.amountMinor === 0n;
}

export function isNegative(a: Money): boolean {
  return a.amountMinor < 0n;
}

export function isPositive(a: Money): boolean {
  return a.amountMinor > 0n;
}

export function min(first: Money, ...rest: readonly Money[]): Money {
  return rest.reduce((lowest, m) => (compare(m, lowest) < 0 ? m : lowest), first);
}

export function max(first: Money, ...rest: readonly Money[]): Money {
  return rest.reduce((highest, m) => (compare(m, highest) > 0 ? m : highest), first);
}

/**
 * Total of a list in a stated currency. The currency is an argument, not guessed from the list, so an empty
 * list still has a typed zero and one stray currency is caught rather than deciding the result's currency.
 */
export function sum(list: readonly Money[], currency: string): Money {
  const total = zero(currency);
  let amount = 0n;
  for (const m of list) {
    sameCurrency(total, m, 'sum');
    amount += m.amountMinor;
  }
  return money(amount, total.currency);
}
