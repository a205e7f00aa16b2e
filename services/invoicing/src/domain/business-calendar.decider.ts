/*
 * The company's business calendar (one per deployment, stream `business-calendar`), owned by invoicing:
 * finance's AR accounting closes the day. Time moves only by its BusinessDayClosed events (topic
 * arc.calendar), so aging, dunning and alerts replay exactly.
 *
 * Dates: `BusinessDayClosed.date` is the business day that has just ENDED (the contract's comment). After
 * it the open business day is date + 1. The calendar starts with an open day (StartCalendar { date }):
 * nothing is closed yet, and the first close closes that date.
 *
 * Pure: no clock, no I/O. Dates arrive on the commands as business dates ('YYYY-MM-DD').
 */
import { addDays, daysBetween, isAfter, isBefore, type BusinessDate } from '@arc/clock';
import { BusinessDayClosed, type BusinessDayClosedData } from '@arc/contracts';
import type { Decider } from '@arc/decider';
import {
  BusinessDayNotOpenError,
  CalendarAlreadyStartedError,
  CalendarNotStartedError,
  DayBeforeCalendarStartError,
  TooManyDaysToCloseError,
} from './calendar.errors';

/** The single stream of the calendar (one company per deployment). */
export const BUSINESS_CALENDAR_STREAM_ID = 'business-calendar';

/**
 * The `customerId` of calendar events' metadata, hence their Kafka key: the calendar belongs to no
 * customer, and one key keeps every close on one partition, in order.
 */
export const CALENDAR_KEY = '00000000-0000-4000-8000-000000000000';

/** Most days one CloseDaysUntil may close (a year and a day). */
export const MAX_DAYS_CLOSED_AT_ONCE = 366;

export type BusinessCalendarCommand =
  | { type: 'StartCalendar'; data: { date: BusinessDate } }
  | { type: 'CloseBusinessDay'; data: { date: BusinessDate } }
  | { type: 'CloseDaysUntil'; data: { date: BusinessDate } };

export type BusinessCalendarEvent =
  /** Private to invoicing (never published): the calendar's first open day. */
  | { type: 'BusinessCalendarStarted'; data: { date: string } }
  /** The contract event, published on arc.calendar: `date` is the day that ended. */
  | { type: 'BusinessDayClosed'; data: BusinessDayClosedData };

export type BusinessCalendarState =
  | { started: false }
  | {
      started: true;
      /** The first open day. */
      startedOn: BusinessDate;
      /** The current business date: the day that is open now (last closed + 1, or the start date). */
      openDay: BusinessDate;
      lastClosed: BusinessDate | null;
    };

export const businessCalendarDecider: Decider<BusinessCalendarCommand, BusinessCalendarEvent, BusinessCalendarState> = {
  initialState: { started: false },
  schemaVersions: { BusinessDayClosed: BusinessDayClosed.schemaVersion },

  decide(command, state) {
    const { date } = command.data;
    if (command.type === 'StartCalendar') {
      if (!state.started) return [{ type: 'BusinessCalendarStarted', data: { date } }];
      if (state.startedOn === date) return []; // a repeat
      throw new CalendarAlreadyStartedError(state.startedOn, date);
    }
    if (!state.started) throw new CalendarNotStartedError();
    if (isBefore(date, state.startedOn)) throw new DayBeforeCalendarStartError(date, state.startedOn);
    if (isBefore(date, state.openDay)) return []; // already closed: a repeat
    switch (command.type) {
      case 'CloseBusinessDay':
        if (isAfter(date, state.openDay)) throw new BusinessDayNotOpenError(date, state.openDay);
        return [closed(date)];
      case 'CloseDaysUntil': {
        const days = daysBetween(state.openDay, date) + 1;
        if (days > MAX_DAYS_CLOSED_AT_ONCE) throw new TooManyDaysToCloseError(days, MAX_DAYS_CLOSED_AT_ONCE);
        return Array.from({ length: days }, (_, i) => closed(addDays(state.openDay, i)));
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'BusinessCalendarStarted': {
        const date = event.data.date as BusinessDate;
        return { started: true, startedOn: date, openDay: date, lastClosed: null };
      }
      case 'BusinessDayClosed': {
        if (!state.started) return state;
        const date = event.data.date as BusinessDate;
        return { ...state, openDay: addDays(date, 1), lastClosed: date };
      }
    }
  },
};

function closed(date: BusinessDate): BusinessCalendarEvent {
  return { type: 'BusinessDayClosed', data: { date } };
}
