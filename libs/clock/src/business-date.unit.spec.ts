import {
  InvalidBusinessDateError,
  addDays,
  addMonths,
  businessDate,
  compare,
  daysBetween,
  daysInMonth,
  endOfMonth,
  isAfter,
  isBefore,
  isBusinessDate,
  isLeapYear,
  parseBusinessDate,
  startOfMonth,
  toParts,
  type BusinessDate,
} from './business-date';

const d = (text: string): BusinessDate => parseBusinessDate(text);

describe('business dates', () => {
  describe('parsing', () => {
    it('accepts a valid calendar date and keeps its text', () => {
      expect(parseBusinessDate('2026-02-28')).toBe('2026-02-28');
      expect(parseBusinessDate('2024-02-29')).toBe('2024-02-29');
    });

    it.each([
      ['2026-02-29', 'day must be between 01 and 28 in 2026-02'],
      ['1900-02-29', 'day must be between 01 and 28 in 1900-02'],
      ['2026-04-31', 'day must be between 01 and 30 in 2026-04'],
      ['2026-13-01', 'month must be between 01 and 12'],
      ['2026-00-10', 'month must be between 01 and 12'],
      ['2026-01-00', 'day must be between 01 and 31 in 2026-01'],
      ['0000-01-01', 'year must be between 0001 and 9999'],
    ])('refuses the impossible date %s', (text, reason) => {
      expect(() => parseBusinessDate(text)).toThrow(`"${text}" is not a business date: ${reason}`);
    });

    it.each(['2026-2-28', '26-02-28', '2026/02/28', '2026-02-28T00:00:00Z', ' 2026-02-28', '', '+2026-02-28'])(
      'refuses %p, which is not the YYYY-MM-DD form',
      (text) => {
        expect(() => parseBusinessDate(text)).toThrow(InvalidBusinessDateError);
        expect(isBusinessDate(text)).toBe(false);
      },
    );

    it('refuses values that are not strings, including Date objects whose day depends on a zone', () => {
      for (const value of [new Date('2026-02-28'), 20260228, null, undefined, 1n, ['2026-02-28']]) {
        expect(() => parseBusinessDate(value)).toThrow(`expected a 'YYYY-MM-DD' string`);
      }
    });

    it('builds a date from parts without rolling an impossible day over into the next month', () => {
      expect(businessDate(2026, 1, 5)).toBe('2026-01-05');
      expect(businessDate(33, 12, 31)).toBe('0033-12-31');
      expect(() => businessDate(2026, 2, 30)).toThrow(InvalidBusinessDateError);
      expect(() => businessDate(2026, 1, 1.5)).toThrow(InvalidBusinessDateError);
      expect(toParts(d('2026-07-09'))).toEqual({ year: 2026, month: 7, day: 9 });
    });
  });

  describe('calendar rules', () => {
    it('knows the Gregorian leap years', () => {
      expect([1900, 2000, 2024, 2025, 2100, 2400].map(isLeapYear)).toEqual([false, true, true, false, false, true]);
      expect(daysInMonth(2024, 2)).toBe(29);
      expect(daysInMonth(2100, 2)).toBe(28);
      expect([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2026, m))).toEqual([31, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    });
  });

  describe('adding days', () => {
    it('puts a net-30 due date in the next month', () => {
      expect(addDays(d('2026-01-15'), 30)).toBe('2026-02-14');
    });

    it('crosses 29 February only in a leap year', () => {
      expect(addDays(d('2024-02-28'), 1)).toBe('2024-02-29');
      expect(addDays(d('2025-02-28'), 1)).toBe('2025-03-01');
      expect(addDays(d('2000-02-28'), 1)).toBe('2000-02-29');
      expect(addDays(d('2100-02-28'), 1)).toBe('2100-03-01');
    });

    it('crosses a year end in both directions', () => {
      expect(addDays(d('2025-12-31'), 1)).toBe('2026-01-01');
      expect(addDays(d('2026-01-01'), -1)).toBe('2025-12-31');
      expect(addDays(d('2026-03-01'), -365)).toBe('2025-03-01');
    });

    it('agrees with the proleptic Gregorian calendar day by day over four centuries', () => {
      // Date.UTC is only an oracle here; the library itself never touches Date.
      const start = d('1899-12-25');
      const startUtc = Date.UTC(1899, 11, 25);
      const mismatches: string[] = [];
      let date = start;
      for (let i = 0; i < 146_097 + 20; i += 1) {
        const expected = new Date(startUtc + i * 86_400_000).toISOString().slice(0, 10);
        if (date !== expected || daysBetween(start, date) !== i) mismatches.push(`${expected}: got ${date}`);
        date = addDays(date, 1);
      }
      expect(mismatches).toEqual([]);
    });

    it('refuses a fractional number of days', () => {
      expect(() => addDays(d('2026-01-01'), 1.5)).toThrow(RangeError);
      expect(() => addDays(d('2026-01-01'), Number.NaN)).toThrow(RangeError);
    });

    it('refuses to leave the years 0001–9999', () => {
      expect(() => addDays(d('9999-12-31'), 1)).toThrow(RangeError);
      expect(() => addDays(d('0001-01-01'), -1)).toThrow(RangeError);
      expect(addDays(d('0001-01-01'), 0)).toBe('0001-01-01');
    });
  });

  describe('days between', () => {
    it('counts days past due as as-of date minus due date', () => {
      expect(daysBetween(d('2026-01-31'), d('2026-03-02'))).toBe(30);
      expect(daysBetween(d('2026-03-02'), d('2026-01-31'))).toBe(-30);
      expect(daysBetween(d('2026-03-02'), d('2026-03-02'))).toBe(0);
    });

    it('counts a leap day', () => {
      expect(daysBetween(d('2024-02-01'), d('2024-03-01'))).toBe(29);
      expect(daysBetween(d('2023-02-01'), d('2023-03-01'))).toBe(28);
      expect(daysBetween(d('2024-01-01'), d('2025-01-01'))).toBe(366);
    });

    it('undoes addDays', () => {
      const start = d('1999-06-15');
      for (const n of [-10_000, -366, -1, 0, 1, 59, 365, 10_000]) {
        expect(daysBetween(start, addDays(start, n))).toBe(n);
      }
    });
  });

  describe('ordering', () => {
    it('orders dates across months and years', () => {
      expect(compare(d('2025-12-31'), d('2026-01-01'))).toBe(-1);
      expect(compare(d('2026-01-10'), d('2026-01-09'))).toBe(1);
      expect(compare(d('2026-01-10'), d('2026-01-10'))).toBe(0);
      expect(isBefore(d('2026-01-09'), d('2026-01-10'))).toBe(true);
      expect(isBefore(d('2026-01-10'), d('2026-01-10'))).toBe(false);
      expect(isAfter(d('2026-02-01'), d('2026-01-31'))).toBe(true);
      expect(isAfter(d('2026-01-31'), d('2026-01-31'))).toBe(false);
    });
  });

  describe('months', () => {
    it('clamps to the end of a shorter month', () => {
      expect(addMonths(d('2026-01-31'), 1)).toBe('2026-02-28');
      expect(addMonths(d('2024-01-31'), 1)).toBe('2024-02-29');
      expect(addMonths(d('2026-03-31'), 1)).toBe('2026-04-30');
      expect(addMonths(d('2026-03-31'), -1)).toBe('2026-02-28');
    });

    it('keeps the day when the target month has it', () => {
      expect(addMonths(d('2026-01-15'), 1)).toBe('2026-02-15');
      expect(addMonths(d('2026-01-31'), 2)).toBe('2026-03-31');
    });

    it('crosses year ends in both directions', () => {
      expect(addMonths(d('2025-11-30'), 3)).toBe('2026-02-28');
      expect(addMonths(d('2026-01-15'), -1)).toBe('2025-12-15');
      expect(addMonths(d('2026-01-15'), -13)).toBe('2024-12-15');
      expect(addMonths(d('2024-02-29'), 12)).toBe('2025-02-28');
      expect(addMonths(d('2024-02-29'), 48)).toBe('2028-02-29');
    });

    it('loses the original day when stepping from a clamped result, which is why schedules count from the anchor', () => {
      expect(addMonths(addMonths(d('2026-01-31'), 1), 1)).toBe('2026-03-28');
    });

    it('refuses fractional months and leaving the years 0001–9999', () => {
      expect(() => addMonths(d('2026-01-31'), 0.5)).toThrow(RangeError);
      expect(() => addMonths(d('9999-12-01'), 1)).toThrow(RangeError);
      expect(() => addMonths(d('0001-01-31'), -1)).toThrow(RangeError);
    });

    it('finds the first and last day of a month, leap February included', () => {
      expect(endOfMonth(d('2024-02-10'))).toBe('2024-02-29');
      expect(endOfMonth(d('2025-02-10'))).toBe('2025-02-28');
      expect(endOfMonth(d('2026-12-31'))).toBe('2026-12-31');
      expect(endOfMonth(d('2026-04-01'))).toBe('2026-04-30');
      expect(startOfMonth(d('2026-04-30'))).toBe('2026-04-01');
    });
  });
});
