import { BOOKING_DAYS_AHEAD, bookingDateVerdict } from './booking-date';
import { parseBusinessDate } from './business-date';

const d = parseBusinessDate;
const OPEN = d('2026-03-10');

describe('the booking date of an invoice or receipt against the open day', () => {
  it('accepts the open day and up to a week after it', () => {
    expect(bookingDateVerdict(OPEN, OPEN, null)).toEqual({ ok: true, backdated: false });
    expect(BOOKING_DAYS_AHEAD).toBe(7);
    expect(bookingDateVerdict(d('2026-03-17'), OPEN, null)).toEqual({ ok: true, backdated: false });
  });

  it('refuses a date more than a week after the open day, naming the latest allowed', () => {
    expect(bookingDateVerdict(d('2026-03-18'), OPEN, null)).toEqual({ ok: false, problem: 'too-far-ahead', latest: '2026-03-17' });
    expect(bookingDateVerdict(d('2099-01-01'), OPEN, 'a reason does not help')).toMatchObject({ ok: false, problem: 'too-far-ahead' });
  });

  it('refuses a day already closed without a reason, and accepts it with one as back-dated', () => {
    expect(bookingDateVerdict(d('2026-03-09'), OPEN, null)).toEqual({
      ok: false,
      problem: 'closed-day-without-reason',
      openDay: '2026-03-10',
    });
    expect(bookingDateVerdict(d('2026-03-09'), OPEN, '   ')).toMatchObject({ ok: false, problem: 'closed-day-without-reason' });
    expect(bookingDateVerdict(d('2026-01-02'), OPEN, 'bank statement of 2 January arrived late')).toEqual({ ok: true, backdated: true });
  });

  it('refuses nothing before the calendar has started (no open day)', () => {
    expect(bookingDateVerdict(d('2099-01-01'), null, null)).toEqual({ ok: true, backdated: false });
  });
});
