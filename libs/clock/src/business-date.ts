declare const brand: unique symbol;

/**
 * A calendar date in the company's business calendar, 'YYYY-MM-DD'. It has no time and no zone: the
 * day boundary was already decided by whoever closed the day, so nothing here may convert through an
 * instant (that is how 31 March becomes 30 March in a UTC-5 process).
 * Years 0001–9999 only, so the text form is always ten characters and sorts like the dates it names.
 */
export type BusinessDate = string & { readonly [brand]: 'BusinessDate' };

export class InvalidBusinessDateError extends Error {
  constructor(
    readonly value: unknown,
    reason: string,
  ) {
    super(`${describe(value)} is not a business date: ${reason}`);
    this.name = 'InvalidBusinessDateError';
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

const MIN_YEAR = 1;
const MAX_YEAR = 9999;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function problemWith(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) return `year must be between 0001 and 9999`;
  if (!Number.isInteger(month) || month < 1 || month > 12) return `month must be between 01 and 12`;
  const last = daysInMonth(year, month);
  if (!Number.isInteger(day) || day < 1 || day > last) {
    return `day must be between 01 and ${last} in ${year}-${String(month).padStart(2, '0')}`;
  }
  return null;
}

function format(year: number, month: number, day: number): BusinessDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` as BusinessDate;
}

/** Reads an untrusted value ('2026-02-28') as a business date, or throws saying which part is wrong. */
export function parseBusinessDate(value: unknown): BusinessDate {
  if (typeof value !== 'string') throw new InvalidBusinessDateError(value, `expected a 'YYYY-MM-DD' string`);
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) throw new InvalidBusinessDateError(value, `expected the form 'YYYY-MM-DD'`);
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const problem = problemWith(year, month, day);
  if (problem !== null) throw new InvalidBusinessDateError(value, problem);
  return value as BusinessDate;
}

export function isBusinessDate(value: unknown): value is BusinessDate {
  try {
    parseBusinessDate(value);
    return true;
  } catch {
    return false;
  }
}

/** Builds a date from its parts (month 1–12), refusing impossible ones rather than rolling them over. */
export function businessDate(year: number, month: number, day: number): BusinessDate {
  const problem = problemWith(year, month, day);
  if (problem !== null) throw new InvalidBusinessDateError(`${year}-${month}-${day}`, problem);
  return format(year, month, day);
}

export interface DateParts {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
}

export function toParts(date: BusinessDate): DateParts {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

// Days since 1970-01-01 in the proleptic Gregorian calendar, by pure integer arithmetic (H. Hinnant's
// days_from_civil / civil_from_days), so no Date object and no zone can shift a day.
function toDayNumber({ year, month, day }: DateParts): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function fromDayNumber(dayNumber: number): BusinessDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  if (year < MIN_YEAR || year > MAX_YEAR) throw new RangeError(`date arithmetic left the years 0001–9999 (year ${year})`);
  return format(year, month, day);
}

function wholeDays(days: number, what: string): number {
  if (!Number.isSafeInteger(days)) throw new RangeError(`${what} must be a whole number, got ${days}`);
  return days;
}

/** The date `days` later (earlier when negative): the due date is addDays(issueDate, paymentTermDays). */
export function addDays(date: BusinessDate, days: number): BusinessDate {
  return fromDayNumber(toDayNumber(toParts(date)) + wholeDays(days, 'days'));
}

/** b − a in whole days: days past due = daysBetween(dueDate, asOf), positive once the due date has passed. */
export function daysBetween(a: BusinessDate, b: BusinessDate): number {
  return toDayNumber(toParts(b)) - toDayNumber(toParts(a));
}

export function compare(a: BusinessDate, b: BusinessDate): -1 | 0 | 1 {
  // Fixed-width 'YYYY-MM-DD' text sorts exactly like the dates.
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isBefore(a: BusinessDate, b: BusinessDate): boolean {
  return a < b;
}

export function isAfter(a: BusinessDate, b: BusinessDate): boolean {
  return a > b;
}

/**
 * The same day `months` later, clamped to the end of a shorter month (31 Jan + 1 month = 28 or 29 Feb).
 * Clamping loses the original day, so (31 Jan + 1) + 1 = 28 Mar while 31 Jan + 2 = 31 Mar: schedules
 * must always count from their anchor date, never step from the previous result.
 */
export function addMonths(date: BusinessDate, months: number): BusinessDate {
  const { year, month, day } = toParts(date);
  const monthIndex = year * 12 + (month - 1) + wholeDays(months, 'months');
  const targetYear = Math.floor(monthIndex / 12);
  const targetMonth = monthIndex - targetYear * 12 + 1;
  if (targetYear < MIN_YEAR || targetYear > MAX_YEAR) {
    throw new RangeError(`date arithmetic left the years 0001–9999 (year ${targetYear})`);
  }
  return format(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

export function startOfMonth(date: BusinessDate): BusinessDate {
  const { year, month } = toParts(date);
  return format(year, month, 1);
}

export function endOfMonth(date: BusinessDate): BusinessDate {
  const { year, month } = toParts(date);
  return format(year, month, daysInMonth(year, month));
}
