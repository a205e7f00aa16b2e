import { given } from '@arc/decider/testing';
import { parseMajor, toJson, type Money } from '@arc/money';
import {
  collectionCaseDecider as decider,
  type CollectionCaseEvent,
  type RestoreOverdue,
  type ReviewOverdue,
} from './collection-case.decider';

const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';
const CASE_1 = 'ca5e0000-0000-4000-8000-000000000001';
const CASE_2 = 'ca5e0000-0000-4000-8000-000000000002';
const eur = (major: string): Money => parseMajor(major, 'EUR');

const review = (major: string, asOf: string, oldestDaysPastDue: number | null, currency = 'EUR'): ReviewOverdue => ({
  type: 'ReviewOverdue',
  data: { customerId: CUSTOMER, caseId: CASE_2, asOf, overdue: parseMajor(major, currency), oldestDaysPastDue },
});
const restore = (major: string, on: string): RestoreOverdue => ({
  type: 'RestoreOverdue',
  data: { customerId: CUSTOMER, caseId: CASE_2, on, amount: eur(major) },
});
const opened = (major: string, openedOn: string, oldestDaysPastDue: number, caseId = CASE_1): CollectionCaseEvent => ({
  type: 'CollectionCaseOpened',
  data: { caseId, customerId: CUSTOMER, openedOn, overdueAmount: toJson(eur(major)), oldestDaysPastDue },
});
const closedAs = (reason: 'overdue-cleared' | 'written-off' | 'plan-completed', closedOn = '2026-03-10'): CollectionCaseEvent => ({
  type: 'CollectionCaseClosed',
  data: { caseId: CASE_1, customerId: CUSTOMER, closedOn, reason },
});
const closedReviewed = (major: string, asOf: string, oldestDaysPastDue: number | null): CollectionCaseEvent => ({
  type: 'ClosedCaseReviewed',
  data: { caseId: CASE_1, customerId: CUSTOMER, asOf, overdue: toJson(eur(major)), oldestDaysPastDue },
});

const writtenOff = [opened('10000.00', '2026-03-05', 4), closedAs('written-off')];

describe('a case closed as written off or plan-completed stays closed for that amount', () => {
  it('a later figure still showing the written-off amount opens no case (it is recorded as seen)', () => {
    given(decider, writtenOff)
      .when(review('10000.00', '2026-03-20', 19))
      .then([closedReviewed('10000.00', '2026-03-20', 19)]);
    given(decider, [...writtenOff, closedReviewed('10000.00', '2026-03-20', 19)])
      .when(review('10000.00', '2026-03-20', 19))
      .thenNothingHappens();
  });

  it('the same holds for a case closed as plan-completed', () => {
    given(decider, [opened('3000.00', '2026-03-05', 4), closedAs('plan-completed')])
      .when(review('3000.00', '2026-03-12', 11))
      .then([closedReviewed('3000.00', '2026-03-12', 11)]);
  });

  it('money beyond the written-off amount (another invoice) opens a new case', () => {
    given(decider, writtenOff)
      .when(review('12000.00', '2026-04-05', 35))
      .then([opened('12000.00', '2026-04-05', 35, CASE_2)]);
  });

  it('once the aging stops counting the written-off money, new money below that amount opens a case', () => {
    const history = [...writtenOff, closedReviewed('0.00', '2026-03-20', null)];
    given(decider, history)
      .when(review('2000.00', '2026-04-05', 4))
      .then([opened('2000.00', '2026-04-05', 4, CASE_2)]);
  });

  it('a case closed as overdue-cleared opens on any overdue money, as before; another currency is new money', () => {
    given(decider, [opened('10000.00', '2026-03-05', 4), closedAs('overdue-cleared')])
      .when(review('1.00', '2026-03-20', 1))
      .then([opened('1.00', '2026-03-20', 1, CASE_2)]);
    given(decider, writtenOff)
      .when(review('5.00', '2026-03-20', 1, 'USD'))
      .then([
        {
          type: 'CollectionCaseOpened',
          data: {
            caseId: CASE_2,
            customerId: CUSTOMER,
            openedOn: '2026-03-20',
            overdueAmount: toJson(parseMajor('5.00', 'USD')),
            oldestDaysPastDue: 1,
          },
        },
      ]);
  });

  it('a rejected write-off (an amount collectable again) opens the case again at once with the last figure seen', () => {
    const history = [opened('15000.00', '2026-03-05', 4), closedAs('written-off'), closedReviewed('15000.00', '2026-03-20', 19)];
    given(decider, history)
      .when(restore('5000.00', '2026-03-25'))
      .then([
        { type: 'ClosedAmountRestored', data: { caseId: CASE_1, customerId: CUSTOMER, on: '2026-03-25', amount: toJson(eur('5000.00')) } },
        opened('15000.00', '2026-03-25', 19, CASE_2),
      ]);
  });

  it('nothing to restore once the aging no longer counts the closed-for amount (its next figure opens a case anyway)', () => {
    given(decider, [...writtenOff, closedReviewed('0.00', '2026-03-20', null)])
      .when(restore('5000.00', '2026-03-25'))
      .thenNothingHappens();
    // Restoring nothing, or with a case open or cleared, decides nothing.
    given(decider, writtenOff).when(restore('0.00', '2026-03-25')).thenNothingHappens();
    given(decider, [opened('10000.00', '2026-03-05', 4)])
      .when(restore('5000.00', '2026-03-25'))
      .thenNothingHappens();
    given(decider, [opened('10000.00', '2026-03-05', 4), closedAs('overdue-cleared')])
      .when(restore('5000.00', '2026-03-25'))
      .thenNothingHappens();
  });
});
