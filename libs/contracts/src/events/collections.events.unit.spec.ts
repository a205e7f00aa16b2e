import { problemsOf } from './testing/problems';
import { variant } from './testing/samples';

describe('collections events', () => {
  it('refuses opening a case for nothing overdue', () => {
    expect(
      problemsOf(
        'CollectionCaseOpened',
        variant('CollectionCaseOpened', { overdueAmount: { amountMinor: '0', currency: 'EUR' }, oldestDaysPastDue: 0 }),
      ),
    ).toEqual(['overdueAmount.amountMinor must be greater than zero', 'oldestDaysPastDue must be an integer >= 1 (got 0)']);
  });

  it('refuses closing a case for a reason collections does not know', () => {
    expect(problemsOf('CollectionCaseClosed', variant('CollectionCaseClosed', { reason: 'forgotten' }))).toEqual([
      "reason must be one of 'overdue-cleared', 'written-off' (got \"forgotten\")",
    ]);
  });
});

describe('calendar events', () => {
  it('refuses closing a day that does not exist or is written as an instant', () => {
    expect(problemsOf('BusinessDayClosed', { date: '2026-02-29' })).toEqual(['date must be a date \'YYYY-MM-DD\' (got "2026-02-29")']);
    expect(problemsOf('BusinessDayClosed', { date: '2026-02-28T23:59:59Z' })).toEqual([
      'date must be a date \'YYYY-MM-DD\' (got "2026-02-28T23:59:59Z")',
    ]);
  });
});
