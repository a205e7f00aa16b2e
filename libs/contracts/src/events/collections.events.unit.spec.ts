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
      "reason must be one of 'overdue-cleared', 'written-off', 'plan-completed' (got \"forgotten\")",
    ]);
  });
});

describe('dunning events', () => {
  it('refuses a dunning step for nothing open or through a channel nobody knows', () => {
    expect(
      problemsOf(
        'DunningStepExecuted',
        variant('DunningStepExecuted', { openAmount: { amountMinor: '0', currency: 'EUR' }, channels: ['pigeon'] }),
      ),
    ).toEqual(expect.arrayContaining(['openAmount.amountMinor must be greater than zero']));
    expect(problemsOf('DunningStepExecuted', variant('DunningStepExecuted', { channels: [] })).length).toBeGreaterThan(0);
    expect(problemsOf('DunningStepExecuted', variant('DunningStepExecuted', { channels: ['pigeon'] })).length).toBeGreaterThan(0);
  });

  it('refuses a broken arrangement that paid a negative amount', () => {
    expect(
      problemsOf('PaymentArrangementBroken', variant('PaymentArrangementBroken', { paid: { amountMinor: '-1', currency: 'EUR' } })).length,
    ).toBe(1);
  });
});

describe('write-off recommendations', () => {
  it('refuses recommending to write off nothing', () => {
    expect(problemsOf('WriteOffRecommended', variant('WriteOffRecommended', { amount: { amountMinor: '0', currency: 'EUR' } }))).toEqual([
      'amount.amountMinor must be greater than zero',
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
