import { MAX_AMOUNT_MINOR, MAX_FIGURE_MINOR, type MoneyBound } from '@arc/money';
import type { Topic } from '../topics';

/*
 * Hand-written validation for event data, in the style of the envelope: every problem is collected with
 * the path of the field (`lines[1].taxAmount.currency must be …`) so one dead-lettered message tells its
 * producer everything that is wrong. Deliberately no schema library: contracts stay dependency-free.
 */

/** Money on the wire: integer minor units as a string, never a JSON number (doubles lose cents above 2^53). */
export interface MoneyJson {
  amountMinor: string;
  currency: string;
}
/** A business date, 'YYYY-MM-DD' (a calendar day, no time, no zone). */
export type IsoDate = string;
/** An instant, ISO 8601 with a zone ('2026-01-01T09:30:00.000Z'). */
export type IsoInstant = string;
/** A UUID; business numbers (invoice number, bank reference) are separate fields. */
export type Uuid = string;

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** Checks one value found at `path`, adding a message to `problems` for everything wrong with it. */
export type FieldCheck = (value: unknown, path: string, problems: string[]) => void;

/** One check per field of T, no more, no less: the compiler keeps a validator in step with its interface. */
export type Shape<T> = { readonly [K in keyof T]-?: FieldCheck };

const at = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);
const named = (path: string): string => (path === '' ? 'data' : path);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}…` : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A check from a predicate: "`path` must be `expected` (got …)". */
export function check(predicate: (value: unknown) => boolean, expected: string): FieldCheck {
  return (value, path, problems) => {
    if (!predicate(value)) problems.push(`${named(path)} must be ${expected} (got ${describe(value)})`);
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const MINOR_UNITS = /^-?(0|[1-9]\d*)$/;

export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= (lengths[month - 1] ?? 0);
}

/** Canonical integer minor units: no '+', no leading zeros, no '-0', no decimals or exponent. */
export function isMinorUnits(value: unknown): value is string {
  return typeof value === 'string' && MINOR_UNITS.test(value) && value !== '-0';
}

export const text = check((v) => typeof v === 'string' && v.trim().length > 0, 'a non-empty string');
export const uuid = check((v) => typeof v === 'string' && UUID.test(v), 'a UUID');
export const date = check(isIsoDate, "a date 'YYYY-MM-DD'");
export const instant = check((v) => typeof v === 'string' && ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v)), 'an ISO 8601 instant');
export const boolean = check((v) => typeof v === 'boolean', 'true or false');
/** Shape only: whether ARC knows the currency is @arc/money's call when the amount is read into the domain. */
export const currency = check((v) => typeof v === 'string' && /^[A-Z]{3}$/.test(v), 'an ISO 4217 code (three upper-case letters)');
export const country = check((v) => typeof v === 'string' && /^[A-Z]{2}$/.test(v), 'an ISO 3166-1 alpha-2 code (two upper-case letters)');
export const minorUnits = check(isMinorUnits, 'an integer of minor units as a string ("-150", "6000000")');

export function integer(min: number, max: number = Number.MAX_SAFE_INTEGER): FieldCheck {
  const expected = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
  return check((v) => Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max, expected);
}

export function oneOf<const T extends readonly string[]>(values: T): FieldCheck {
  return check((v) => typeof v === 'string' && values.includes(v), `one of ${values.map((x) => `'${x}'`).join(', ')}`);
}

export function nullable(inner: FieldCheck): FieldCheck {
  return (value, path, problems) => {
    if (value !== null) inner(value, path, problems);
  };
}

const OPTIONAL = Symbol('optional field');

/**
 * A field added to a contract later, without a new schema version: events written before it lack it, and
 * readers take its absence as the default the contract documents (style: add fields with defaults). Present,
 * it must pass `inner`.
 */
export function optional(inner: FieldCheck): FieldCheck {
  const check: FieldCheck = (value, path, problems) => inner(value, path, problems);
  return Object.assign(check, { [OPTIONAL]: true });
}

const isOptional = (fieldCheck: FieldCheck): boolean => (fieldCheck as { [OPTIONAL]?: boolean })[OPTIONAL] === true;

export function arrayOf(item: FieldCheck, { minItems = 0 }: { minItems?: number } = {}): FieldCheck {
  return (value, path, problems) => {
    if (!Array.isArray(value)) {
      problems.push(`${named(path)} must be an array (got ${describe(value)})`);
      return;
    }
    if (value.length < minItems) problems.push(`${named(path)} must have at least ${minItems} item${minItems === 1 ? '' : 's'}`);
    value.forEach((element, index) => item(element, `${named(path)}[${index}]`, problems));
  };
}

/** A JSON object with exactly the fields of the shape: missing (unless `optional`) and unknown fields are both problems. */
export function object<T>(shape: Shape<T>): FieldCheck {
  const fields = shape as Readonly<Record<string, FieldCheck>>;
  return (value, path, problems) => {
    if (!isRecord(value)) {
      problems.push(`${named(path)} must be a JSON object (got ${describe(value)})`);
      return;
    }
    for (const [key, fieldCheck] of Object.entries(fields)) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) {
        if (!isOptional(fieldCheck)) problems.push(`${at(path, key)} is missing`);
      } else fieldCheck(value[key], at(path, key), problems);
    }
    for (const key of Object.keys(value)) {
      if (!Object.prototype.hasOwnProperty.call(fields, key)) problems.push(`${at(path, key)} is not a known field`);
    }
  };
}

/**
 * Money whose amount must have a sign: credit notes, payments and reservations are never zero or negative.
 * Its size is bounded exactly as `parseMoney` reads it (@arc/money, bounds.ts), so no producer can write an
 * event a consumer would refuse: `amount` (the default) is one amount, within ±MAX_AMOUNT_MINOR; `figure` is
 * a sum of amounts (open AR, exposure, an aging bucket), within ±MAX_FIGURE_MINOR, and is read with
 * `parseMoney(…, { bound: 'figure' })`.
 */
export function money(sign: 'any' | 'non-negative' | 'positive' = 'any', bound: MoneyBound = 'amount'): FieldCheck {
  const shape = object<MoneyJson>({ amountMinor: minorUnits, currency });
  const limit = bound === 'figure' ? MAX_FIGURE_MINOR : MAX_AMOUNT_MINOR;
  return (value, path, problems) => {
    const before = problems.length;
    shape(value, path, problems);
    if (problems.length > before) return;
    const amount = BigInt((value as MoneyJson).amountMinor);
    if (amount > limit || amount < -limit) {
      problems.push(`${at(path, 'amountMinor')} must be at most ${limit} minor units either side of zero (${bound} bound)`);
    }
    if (sign === 'positive' && amount <= 0n) problems.push(`${at(path, 'amountMinor')} must be greater than zero`);
    if (sign === 'non-negative' && amount < 0n) problems.push(`${at(path, 'amountMinor')} must not be negative`);
  };
}

/** Cross-field rules, run only once every field is well-formed, so they can trust the types. */
export type Rules<T> = (data: T, problems: string[]) => void;

/** Each named amount must be in `expected`; for events whose amounts all share the invoice's or limit's currency. */
export function requireCurrency(problems: string[], expected: string, amounts: Record<string, MoneyJson | null>): void {
  for (const [path, amount] of Object.entries(amounts)) {
    if (amount !== null && amount.currency !== expected) {
      problems.push(`${path}.currency must be ${expected} like the rest of the event (got ${JSON.stringify(amount.currency)})`);
    }
  }
}

export function minor(amount: MoneyJson): bigint {
  return BigInt(amount.amountMinor);
}

export function validator<T>(shape: Shape<T>, rules?: Rules<T>): (data: unknown) => ValidationResult<T> {
  const root = object<T>(shape);
  return (data) => {
    const problems: string[] = [];
    root(data, '', problems);
    if (problems.length === 0 && rules !== undefined) rules(data as T, problems);
    return problems.length === 0 ? { ok: true, value: data as T } : { ok: false, problems };
  };
}

/** What a consumer needs to know about one event type to route and validate it. */
export interface EventContract<TType extends string = string, TData = unknown> {
  readonly type: TType;
  readonly topic: Topic;
  /** The version producers write now; older stored versions are upcast before validation. */
  readonly schemaVersion: number;
  readonly validate: (data: unknown) => ValidationResult<TData>;
}

export type AnyEventContract = EventContract<string, unknown>;
export type DataOf<C> = C extends EventContract<string, infer D> ? D : never;
/** `{ type, data }`, the event shape a decider decides and evolves over. */
export type EventOf<C> = C extends EventContract<infer T, infer D> ? { type: T; data: D } : never;

/**
 * Declares an event type. Curried so the data interface is named explicitly while the type name is
 * inferred from the literal: `defineEvent<InvoiceIssuedData>()({ type: 'InvoiceIssued', … })`.
 */
export function defineEvent<TData>() {
  return <const TType extends string>(spec: {
    type: TType;
    topic: Topic;
    schemaVersion: number;
    shape: Shape<TData>;
    rules?: Rules<TData>;
  }): EventContract<TType, TData> =>
    Object.freeze({
      type: spec.type,
      topic: spec.topic,
      schemaVersion: spec.schemaVersion,
      validate: validator<TData>(spec.shape, spec.rules),
    });
}

/** Indexes contracts by their type name; the key is taken from the contract, so it cannot be misspelt. */
export function byType<const T extends readonly AnyEventContract[]>(contracts: T): { readonly [C in T[number] as C['type']]: C } {
  const index: Record<string, AnyEventContract> = {};
  for (const contract of contracts) {
    if (contract.type in index) throw new Error(`event type ${contract.type} is declared twice`);
    index[contract.type] = contract;
  }
  return Object.freeze(index) as { readonly [C in T[number] as C['type']]: C };
}

/** The union of `{ type, data }` of a map of contracts. */
export type EventUnion<M> = EventOf<M[keyof M]>;
