import { Topics } from '../topics';
import { byType, date, defineEvent, type EventUnion, type IsoDate } from './validation';

/*
 * The business calendar, topic arc.calendar. Time moves only by these events, so aging, dunning and alerts
 * replay exactly; nobody reads a wall clock to decide what day it is.
 */

export interface BusinessDayClosedData {
  /** The business day that has just ended. */
  date: IsoDate;
}

export const BusinessDayClosed = defineEvent<BusinessDayClosedData>()({
  type: 'BusinessDayClosed',
  topic: Topics.calendar,
  schemaVersion: 1,
  shape: { date },
});

export const CalendarEvents = byType([BusinessDayClosed]);
export type CalendarEvent = EventUnion<typeof CalendarEvents>;
export type CalendarEventType = CalendarEvent['type'];
