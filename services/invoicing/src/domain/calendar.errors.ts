/*
 * Commands the business calendar refuses (see business-calendar.decider.ts). As for invoices, a refusal
 * is an error, never an event; `category` picks 409 ('state-conflict') or 422 ('invalid-request').
 */
import { DomainError } from '@arc/decider';

export abstract class CalendarDomainError extends DomainError {}

/** Closing needs a started calendar (POST /v1/calendar/start first). */
export class CalendarNotStartedError extends CalendarDomainError {
  override readonly name = 'CalendarNotStartedError';
  readonly code = 'CALENDAR_NOT_STARTED';
  readonly category = 'state-conflict';
  constructor() {
    super('the business calendar has not been started');
  }
}

/** The calendar starts once; starting it again on the same date is a no-op, on another date this. */
export class CalendarAlreadyStartedError extends CalendarDomainError {
  override readonly name = 'CalendarAlreadyStartedError';
  readonly code = 'CALENDAR_ALREADY_STARTED';
  readonly category = 'state-conflict';
  constructor(
    readonly startedOn: string,
    readonly requested: string,
  ) {
    super(`the business calendar was already started on ${startedOn} (asked to start on ${requested})`);
  }
}

/** A day before the calendar's first day was never a business day of it: there is nothing to close. */
export class DayBeforeCalendarStartError extends CalendarDomainError {
  override readonly name = 'DayBeforeCalendarStartError';
  readonly code = 'DAY_BEFORE_CALENDAR_START';
  readonly category = 'invalid-request';
  constructor(
    readonly date: string,
    readonly startedOn: string,
  ) {
    super(`${date} is before the business calendar's first day, ${startedOn}`);
  }
}

/** CloseBusinessDay closes only the open day; a later day is refused (close the days in between first). */
export class BusinessDayNotOpenError extends CalendarDomainError {
  override readonly name = 'BusinessDayNotOpenError';
  readonly code = 'BUSINESS_DAY_NOT_OPEN';
  readonly category = 'invalid-request';
  constructor(
    readonly date: string,
    readonly openDay: string,
  ) {
    super(`${date} is not the open business day (${openDay}): days close one at a time, in order`);
  }
}

/** CloseDaysUntil closes at most MAX_DAYS_CLOSED_AT_ONCE days per command, so a typo in the year cannot flood the log. */
export class TooManyDaysToCloseError extends CalendarDomainError {
  override readonly name = 'TooManyDaysToCloseError';
  readonly code = 'TOO_MANY_DAYS_TO_CLOSE';
  readonly category = 'invalid-request';
  constructor(
    readonly days: number,
    readonly max: number,
  ) {
    super(`closing ${days} days at once is more than the ${max} allowed per command`);
  }
}
