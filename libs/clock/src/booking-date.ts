import { addDays, isAfter, isBefore, type BusinessDate } from './business-date';

/*
 * The one rule for the date a document is booked on (an invoice's issue date, a receipt's date), against the
 * business calendar's open day (the day not yet closed: last closed day + 1).
 * - At most BOOKING_DAYS_AHEAD days after the open day: a date further ahead is a typo or a document that does
 *   not exist yet. A week, because the calendar may be closed a week at a time (the demo, a simulation) and
 *   invoices are sometimes prepared for a shipment a few days out.
 * - On a day already closed (before the open day) only with a reason: that day's figures were reported at its
 *   close, so changing them is an exception someone answers for. The reason is recorded on the event.
 * - Before the calendar has started (no open day known) no date is refused: there is nothing closed yet.
 */
export const BOOKING_DAYS_AHEAD = 7;

export type BookingDateVerdict =
  | { ok: true; backdated: boolean }
  | { ok: false; problem: 'too-far-ahead'; latest: BusinessDate }
  | { ok: false; problem: 'closed-day-without-reason'; openDay: BusinessDate };

export function bookingDateVerdict(date: BusinessDate, openDay: BusinessDate | null, backdatingReason: string | null): BookingDateVerdict {
  if (openDay === null) return { ok: true, backdated: false };
  const latest = addDays(openDay, BOOKING_DAYS_AHEAD);
  if (isAfter(date, latest)) return { ok: false, problem: 'too-far-ahead', latest };
  if (!isBefore(date, openDay)) return { ok: true, backdated: false };
  if (backdatingReason === null || backdatingReason.trim() === '') return { ok: false, problem: 'closed-day-without-reason', openDay };
  return { ok: true, backdated: true };
}
