import { parseBusinessDate, type BusinessDate } from '@arc/clock';
import { validateEventData } from '@arc/contracts';
import { DomainError } from '@arc/decider';
import { given } from '@arc/decider/testing';
import { businessCalendarDecider as decider, MAX_DAYS_CLOSED_AT_ONCE, type BusinessCalendarEvent } from './business-calendar.decider';
import {
  BusinessDayNotOpenError,
  CalendarAlreadyStartedError,
  CalendarDomainError,
  CalendarNotStartedError,
  DayBeforeCalendarStartError,
  TooManyDaysToCloseError,
} from './calendar.errors';

const d = (value: string): BusinessDate => parseBusinessDate(value);
const started = (date: string): BusinessCalendarEvent => ({ type: 'BusinessCalendarStarted', data: { date } });
const closed = (date: string): BusinessCalendarEvent => ({ type: 'BusinessDayClosed', data: { date } });
const start = (date: string) => ({ type: 'StartCalendar' as const, data: { date: d(date) } });
const closeDay = (date: string) => ({ type: 'CloseBusinessDay' as const, data: { date: d(date) } });
const closeUntil = (date: string) => ({ type: 'CloseDaysUntil' as const, data: { date: d(date) } });

describe('the business calendar', () => {
  describe('StartCalendar', () => {
    it('starts the calendar with its first open day', () => {
      given(decider)
        .when(start('2026-01-01'))
        .then([started('2026-01-01')]);
    });

    it('is a no-op when repeated with the same date, refused (409) with another', () => {
      given(decider, [started('2026-01-01')])
        .when(start('2026-01-01'))
        .thenNothingHappens();
      given(decider, [started('2026-01-01'), closed('2026-01-01')])
        .when(start('2026-01-01'))
        .thenNothingHappens();
      const error = given(decider, [started('2026-01-01')])
        .when(start('2026-03-01'))
        .thenThrows(CalendarAlreadyStartedError);
      expect(error).toMatchObject({ code: 'CALENDAR_ALREADY_STARTED', category: 'state-conflict' });
    });
  });

  describe('CloseBusinessDay', () => {
    it('closes the open day: BusinessDayClosed carries the day that ended, and the next day opens', () => {
      given(decider, [started('2026-01-01')])
        .when(closeDay('2026-01-01'))
        .then([closed('2026-01-01')]);
      given(decider, [started('2026-01-01'), closed('2026-01-01')])
        .when(closeDay('2026-01-02'))
        .then([closed('2026-01-02')]);
      expect(fold([started('2026-01-31'), closed('2026-01-31')])).toEqual({
        started: true,
        startedOn: '2026-01-31',
        openDay: '2026-02-01',
        lastClosed: '2026-01-31',
      });
    });

    it('is a no-op for a day already closed', () => {
      given(decider, [started('2026-01-01'), closed('2026-01-01'), closed('2026-01-02')])
        .when(closeDay('2026-01-01'))
        .thenNothingHappens();
      given(decider, [started('2026-01-01'), closed('2026-01-01'), closed('2026-01-02')])
        .when(closeDay('2026-01-02'))
        .thenNothingHappens();
    });

    it('refuses (422) a day beyond the open one: days close one at a time', () => {
      const error = given(decider, [started('2026-01-01')])
        .when(closeDay('2026-01-02'))
        .thenThrows(BusinessDayNotOpenError);
      expect(error).toMatchObject({ code: 'BUSINESS_DAY_NOT_OPEN', category: 'invalid-request', openDay: '2026-01-01' });
    });

    it('refuses before the calendar started (409) and days before its first day (422)', () => {
      expect(given(decider).when(closeDay('2026-01-01')).thenThrows(CalendarNotStartedError)).toMatchObject({
        code: 'CALENDAR_NOT_STARTED',
        category: 'state-conflict',
      });
      expect(
        given(decider, [started('2026-01-01')])
          .when(closeDay('2025-12-31'))
          .thenThrows(DayBeforeCalendarStartError),
      ).toMatchObject({
        code: 'DAY_BEFORE_CALENDAR_START',
        category: 'invalid-request',
      });
    });
  });

  describe('CloseDaysUntil', () => {
    it('closes every day from the open one up to and including the date, in order', () => {
      given(decider, [started('2026-01-01')])
        .when(closeUntil('2026-01-05'))
        .then(['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05'].map(closed));
      given(decider, [started('2026-01-01'), closed('2026-01-01'), closed('2026-01-02')])
        .when(closeUntil('2026-01-03'))
        .then([closed('2026-01-03')]);
    });

    it('crosses month and leap-year ends: 2026-01-01 to 2026-02-15 is 46 closes, the business date then 2026-02-16', () => {
      const events = decider.decide(closeUntil('2026-02-15'), fold([started('2026-01-01')]));
      expect(events).toHaveLength(46);
      expect(events.slice(29, 33)).toEqual(['2026-01-30', '2026-01-31', '2026-02-01', '2026-02-02'].map(closed));
      expect(fold([started('2026-01-01'), ...events])).toMatchObject({ openDay: '2026-02-16', lastClosed: '2026-02-15' });
      given(decider, [started('2028-02-28')])
        .when(closeUntil('2028-03-01'))
        .then(['2028-02-28', '2028-02-29', '2028-03-01'].map(closed));
    });

    it('is a no-op up to a day already closed (a repeat)', () => {
      const history = [started('2026-01-01'), ...['2026-01-01', '2026-01-02', '2026-01-03'].map(closed)];
      given(decider, history).when(closeUntil('2026-01-03')).thenNothingHappens();
      given(decider, history).when(closeUntil('2026-01-01')).thenNothingHappens();
    });

    it('refuses before the start, before the first day, and more than a year at once', () => {
      given(decider).when(closeUntil('2026-01-05')).thenThrows(CalendarNotStartedError);
      given(decider, [started('2026-01-01')])
        .when(closeUntil('2025-12-01'))
        .thenThrows(DayBeforeCalendarStartError);
      const error = given(decider, [started('2026-01-01')])
        .when(closeUntil('2027-01-03'))
        .thenThrows(TooManyDaysToCloseError);
      expect(error).toMatchObject({ code: 'TOO_MANY_DAYS_TO_CLOSE', category: 'invalid-request', days: 368, max: MAX_DAYS_CLOSED_AT_ONCE });
      expect(decider.decide(closeUntil('2027-01-01'), fold([started('2026-01-01')]))).toHaveLength(MAX_DAYS_CLOSED_AT_ONCE);
    });
  });

  it('writes BusinessDayClosed as its contract says, and refuses with the service’s domain errors', () => {
    const [event] = decider.decide(closeDay('2026-01-01'), fold([started('2026-01-01')]));
    expect(validateEventData('BusinessDayClosed', decider.schemaVersions?.BusinessDayClosed ?? 1, event?.data)).toEqual({
      ok: true,
      value: { date: '2026-01-01' },
    });
    const error = given(decider).when(closeDay('2026-01-01')).thenThrows(CalendarDomainError);
    expect(error).toBeInstanceOf(DomainError);
  });
});

function fold(events: BusinessCalendarEvent[]) {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState);
}
