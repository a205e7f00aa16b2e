import { currencyCode, type CurrencyCode } from './currency';

/**
 * An exact amount: integer minor units (cents for EUR, yen for JPY, fils for KWD) of one currency.
 * Never a float, never JSON.stringify'd as is (bigint refuses to serialise): use `toJson`.
 */
export interface Money {
  readonly amountMinor: bigint;
  readonly currency: CurrencyCode;
}

export class CurrencyMismatchError extends Error {
  constructor(
    readonly expected: CurrencyCode,
    readonly actual: CurrencyCode,
    operation: string,
  ) {
    super(`cannot ${operation} ${actual} and ${expected}: amounts in different currencies need an FX conversion first`);
    this.name = 'CurrencyMismatchError';
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
  if (a.currency !== b.currency) throw new CurrencyMismatchError(a.currency, b.currency, operation);
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
