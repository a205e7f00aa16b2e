import { boundOf, type MoneyBound } from './bounds';
import { isCurrencyCode, minorUnitExponent } from './currency';
import { money, type Money } from './money';

/**
 * Money on the wire (event data, HTTP bodies): `{ "amountMinor": "6000000", "currency": "EUR" }`.
 * The amount is a string because JSON numbers become IEEE doubles in most readers, which silently lose
 * minor units above 2^53 and invite `0.1 + 0.2` arithmetic.
 */
export interface MoneyJson {
  amountMinor: string;
  currency: string;
}

export class MoneyParseError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid money: ${problems.join('; ')}`);
    this.name = 'MoneyParseError';
  }
}

export function toJson(m: Money): MoneyJson {
  return { amountMinor: m.amountMinor.toString(), currency: m.currency };
}

/**
 * Why a minor-units string is not canonical, or null when it is. Only the canonical form is accepted
 * (no '+', no leading zeros, no '-0') so that parse → toJson reproduces the stored text exactly, which
 * rebuilt read models rely on.
 */
export function minorUnitsProblem(text: string): string | null {
  if (text === '') return 'must not be empty';
  if (/^-?(0|[1-9]\d*)$/.test(text)) return text === '-0' ? "must not be negative zero ('-0')" : null;
  if (text.startsWith('+')) return "must not have a leading '+'";
  if (/^[+-]?\d*\.\d*$/.test(text)) return `must be whole minor units, not a decimal (${JSON.stringify(text)})`;
  if (/^[+-]?[\d.]+e[+-]?\d+$/i.test(text)) return `must not use exponent notation (${JSON.stringify(text)})`;
  if (/^-?0\d+$/.test(text)) return `must not have leading zeros (${JSON.stringify(text)})`;
  return `must be an integer of minor units: digits with an optional leading '-' (got ${JSON.stringify(text)})`;
}

function currencyProblem(value: unknown): string | null {
  if (typeof value !== 'string') return `must be an ISO 4217 code as a string, got ${describe(value)}`;
  if (!/^[A-Z]{3}$/.test(value)) return `must be three upper-case letters (got ${JSON.stringify(value)})`;
  if (!isCurrencyCode(value)) return `${JSON.stringify(value)} is not an ISO 4217 currency code ARC knows`;
  return null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return `the number ${value}`;
  return `a ${typeof value}`;
}

/**
 * Why a canonical minor-units string is outside ±bound, or null. Compared by digits first, so a
 * megabyte of digits is refused without being turned into a bigint.
 */
function boundProblem(text: string, bound: bigint): string | null {
  const digits = text.startsWith('-') ? text.slice(1) : text;
  const limit = bound.toString();
  if (digits.length < limit.length || (digits.length === limit.length && BigInt(digits) <= bound)) return null;
  const shown = text.length > 24 ? `${text.slice(0, 12)}…(${digits.length} digits)` : text;
  return `must be at most ${limit} minor units either side of zero (got ${shown})`;
}

export interface ParseMoneyOptions {
  /**
   * `amount` (default): one amount, within ±MAX_AMOUNT_MINOR — everything that is input (HTTP bodies, event
   * amounts). `figure`: a sum of amounts read back from a read model or a figures event, within ±MAX_FIGURE_MINOR.
   */
  bound?: MoneyBound;
}

/**
 * Reads untrusted money (a decoded JSON value), reporting every problem at once. `field` prefixes the
 * messages so a caller can say which of several amounts was wrong (`total.amountMinor must …`). Amounts
 * outside the bound are refused (see bounds.ts), so whatever one reader accepts every other reader does.
 */
export function parseMoney(value: unknown, field = 'money', { bound = 'amount' }: ParseMoneyOptions = {}): Money {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MoneyParseError([`${field} must be an object like {"amountMinor":"6000000","currency":"EUR"}, got ${describe(value)}`]);
  }
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  const amount = record['amountMinor'];
  if (!('amountMinor' in record)) problems.push(`${field}.amountMinor is missing`);
  else if (typeof amount !== 'string') {
    problems.push(`${field}.amountMinor must be a string of integer minor units, got ${describe(amount)}`);
  } else {
    const problem = minorUnitsProblem(amount) ?? boundProblem(amount, boundOf(bound));
    if (problem !== null) problems.push(`${field}.amountMinor ${problem}`);
  }
  if (!('currency' in record)) problems.push(`${field}.currency is missing`);
  else {
    const problem = currencyProblem(record['currency']);
    if (problem !== null) problems.push(`${field}.currency ${problem}`);
  }
  for (const key of Object.keys(record)) {
    if (key !== 'amountMinor' && key !== 'currency') problems.push(`${field}.${key} is not a money field`);
  }
  if (problems.length > 0) throw new MoneyParseError(problems);
  return money(BigInt(amount as string), record['currency'] as string);
}

/**
 * Reads a human-entered major amount ('60000.00', '-12.5', '1500' for JPY). String-based, never through a
 * float. Fewer decimals than the currency has are padded; more are refused rather than rounded, because
 * silently dropping a fraction of a cent is how ledgers stop balancing.
 */
export function parseMajor(text: string, currency: string): Money {
  const code = currencyProblem(currency);
  if (code !== null) throw new MoneyParseError([`currency ${code}`]);
  const exponent = minorUnitExponent(currency as Money['currency']);
  const match = typeof text === 'string' ? /^(-?)(\d+)(?:\.(\d+))?$/.exec(text) : null;
  if (match === null) {
    throw new MoneyParseError([
      `${JSON.stringify(text)} is not a decimal amount: expected digits, an optional leading '-' and an optional '.' with decimals`,
    ]);
  }
  const [, sign = '', whole = '', fraction = ''] = match;
  if (fraction.length > exponent) {
    throw new MoneyParseError([`${JSON.stringify(text)} has ${fraction.length} decimals but ${currency} has ${exponent}`]);
  }
  const minor = BigInt(whole + fraction.padEnd(exponent, '0'));
  return money(sign === '-' ? -minor : minor, currency);
}

/** The major amount as an exact decimal string with all of the currency's decimals: '60000.00', '1500', '-0.005'. */
export function formatMajor(m: Money): string {
  const exponent = minorUnitExponent(m.currency);
  const digits = (m.amountMinor < 0n ? -m.amountMinor : m.amountMinor).toString();
  const sign = m.amountMinor < 0n ? '-' : '';
  if (exponent === 0) return sign + digits;
  const padded = digits.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}
