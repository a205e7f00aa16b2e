import { EventContractViolationError, CollectionsEvents, type CustomerAgingChangedData } from '@arc/contracts';
import { given } from '@arc/decider/testing';
import { parseMajor, toJson, type Money } from '@arc/money';
import {
  collectionCaseDecider as decider,
  collectionStreamId,
  reviewOverdueFrom,
  type CollectionCaseEvent,
  type ReviewOverdue,
} from './collection-case.decider';
import { CaseStreamMismatchError, InconsistentOverdueFigureError } from './collections.errors';

const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';
const CASE_1 = 'ca5e0000-0000-4000-8000-000000000001';
const CASE_2 = 'ca5e0000-0000-4000-8000-000000000002';
const eur = (major: string): Money => parseMajor(major, 'EUR');

/** Every public event a test expects or gives as history must pass its contract (the internal one has none). */
function valid<E extends CollectionCaseEvent>(events: E[]): E[] {
  for (const event of events) {
    if (event.type === 'CollectionCaseReviewed' || event.type === 'ClosedCaseReviewed' || event.type === 'ClosedAmountRestored') continue;
    const result = CollectionsEvents[event.type].validate(event.data);
    if (!result.ok) throw new Error(`${event.type} breaks its contract: ${result.problems.join('; ')}`);
  }
  return events;
}
const given_ = (history: CollectionCaseEvent[]) => given(decider, valid(history));
const then_ = (expectation: { then(events: CollectionCaseEvent[]): void }, events: CollectionCaseEvent[]) =>
  expectation.then(valid(events));

const review = (
  major: string,
  asOf = '2026-02-15',
  oldestDaysPastDue: number | null = 16,
  changes: Partial<ReviewOverdue['data']> = {},
): ReviewOverdue => ({
  type: 'ReviewOverdue',
  data: { customerId: CUSTOMER, caseId: CASE_1, asOf, overdue: eur(major), oldestDaysPastDue, ...changes },
});

const opened = (major = '50000.00', openedOn = '2026-02-15', caseId = CASE_1, oldestDaysPastDue = 16): CollectionCaseEvent => ({
  type: 'CollectionCaseOpened',
  data: { caseId, customerId: CUSTOMER, openedOn, overdueAmount: toJson(eur(major)), oldestDaysPastDue },
});
const reviewed = (major: string, asOf: string, oldestDaysPastDue: number, caseId = CASE_1): CollectionCaseEvent => ({
  type: 'CollectionCaseReviewed',
  data: { caseId, customerId: CUSTOMER, asOf, overdue: toJson(eur(major)), oldestDaysPastDue },
});
const closed = (
  closedOn = '2026-03-01',
  reason: 'overdue-cleared' | 'written-off' | 'plan-completed' = 'overdue-cleared',
  caseId = CASE_1,
): CollectionCaseEvent => ({
  type: 'CollectionCaseClosed',
  data: { caseId, customerId: CUSTOMER, closedOn, reason },
});

describe('collection case (per customer)', () => {
  it('acceptance: 50,000.00 overdue on 2026-02-15 opens a case; a payment leaving 20,000.00 keeps it open; 0 closes it', () => {
    const history: CollectionCaseEvent[] = [];
    const step = (command: ReviewOverdue): CollectionCaseEvent[] => {
      const events = valid(decider.decide(command, history.reduce(decider.evolve, decider.initialState)));
      history.push(...events);
      return events;
    };
    expect(step(review('50000.00', '2026-02-15'))).toEqual([opened()]);
    expect(step(review('20000.00', '2026-02-20', 21, { caseId: CASE_2 }))).toEqual([reviewed('20000.00', '2026-02-20', 21)]);
    expect(step(review('20000.00', '2026-02-21', 21, { caseId: CASE_2 }))).toEqual([]);
    expect(step(review('0.00', '2026-03-01', null, { caseId: CASE_2 }))).toEqual([closed('2026-03-01')]);
    expect(history.map((e) => e.type)).toEqual(['CollectionCaseOpened', 'CollectionCaseReviewed', 'CollectionCaseClosed']);
  });

  it('keeps one stream per customer', () => {
    expect(collectionStreamId(CUSTOMER)).toBe(`collection-${CUSTOMER}`);
  });

  it('reads the review from the aging change event the projections publish', () => {
    const aging: CustomerAgingChangedData = {
      customerId: CUSTOMER,
      asOf: '2026-02-15',
      currency: 'EUR',
      bucketSetId: 'standard',
      notYetDue: toJson(eur('10000.00')),
      buckets: [{ label: '1-30', amount: toJson(eur('50000.00')) }],
      overdue: toJson(eur('50000.00')),
      totalOpen: toJson(eur('60000.00')),
      oldestDaysPastDue: 16,
    };
    then_(given_([]).when(reviewOverdueFrom(aging, CASE_1)), [opened()]);
  });

  describe('when the customer never had a case', () => {
    it('opens a case with the overdue amount and the oldest days past due', () => {
      then_(given_([]).when(review('50000.00')), [opened()]);
    });

    it('opens nothing while nothing is overdue', () => {
      given_([])
        .when(review('0.00', '2026-02-15', null))
        .thenNothingHappens();
      given_([])
        .when(review('-10.00', '2026-02-15', null))
        .thenNothingHappens();
    });

    it('refuses an overdue figure without an item past due', () => {
      given_([])
        .when(review('50000.00', '2026-02-15', null))
        .thenThrows(InconsistentOverdueFigureError);
      given_([])
        .when(review('50000.00', '2026-02-15', 0))
        .thenThrows(InconsistentOverdueFigureError);
    });

    it('refuses to decide a CollectionCaseOpened its contract would refuse (a case id that is not a UUID)', () => {
      given_([])
        .when(review('50000.00', '2026-02-15', 16, { caseId: 'case-1' }))
        .thenThrows(EventContractViolationError);
    });
  });

  describe('when a case is open', () => {
    const open = [opened()];

    it('stays open while anything is overdue, recording changed figures as the internal CollectionCaseReviewed', () => {
      then_(given_(open).when(review('20000.00', '2026-02-20', 21)), [reviewed('20000.00', '2026-02-20', 21)]);
      // Only the days past due moved: still other figures.
      then_(given_(open).when(review('50000.00', '2026-02-16', 17)), [reviewed('50000.00', '2026-02-16', 17)]);
      // Other figures on the opening date itself are not older than the opening.
      then_(given_(open).when(review('45000.00', '2026-02-15', 16)), [reviewed('45000.00', '2026-02-15', 16)]);
    });

    it('records nothing for the figures it last recorded (the opening ones first), whatever the date', () => {
      given_(open).when(review('50000.00')).thenNothingHappens();
      given_(open)
        .when(review('50000.00', '2026-02-18', 16))
        .thenNothingHappens();
      const afterReview = [...open, reviewed('20000.00', '2026-02-20', 21)];
      given_(afterReview)
        .when(review('20000.00', '2026-02-22', 21))
        .thenNothingHappens();
      // Back to the opening figures is a change against the last recorded ones.
      then_(given_(afterReview).when(review('50000.00', '2026-02-22', 16)), [reviewed('50000.00', '2026-02-22', 16)]);
    });

    it('records no figures older than the last recorded ones (a late review never overwrites a newer one)', () => {
      given_(open)
        .when(review('40000.00', '2026-02-14', 15))
        .thenNothingHappens();
      const afterReview = [...open, reviewed('20000.00', '2026-02-20', 21)];
      given_(afterReview)
        .when(review('30000.00', '2026-02-19', 20))
        .thenNothingHappens();
      then_(given_(afterReview).when(review('30000.00', '2026-02-20', 21)), [reviewed('30000.00', '2026-02-20', 21)]);
    });

    it('records no figures in another currency than the case', () => {
      given_(open)
        .when(review('0.00', '2026-02-20', 21, { overdue: parseMajor('20000.00', 'USD') }))
        .thenNothingHappens();
    });

    it('still closes as overdue-cleared after reviews, with the case id it opened with', () => {
      const afterReviews = [...open, reviewed('20000.00', '2026-02-20', 21), reviewed('5000.00', '2026-02-25', 26)];
      then_(given_(afterReviews).when(review('0.00', '2026-03-01', null, { caseId: CASE_2 })), [closed('2026-03-01')]);
    });

    it('does not close on a zero figure older than a review it recorded (a late figure never undoes a newer one)', () => {
      given_([...open, reviewed('20000.00', '2026-02-20', 21)])
        .when(review('0.00', '2026-02-18', null))
        .thenNothingHappens();
      then_(given_([...open, reviewed('20000.00', '2026-02-20', 21)]).when(review('0.00', '2026-02-20', null)), [closed('2026-02-20')]);
    });

    it('closes as written off, or plan completed, when collection ended without the aging saying so', () => {
      const close = (reason: 'written-off' | 'plan-completed', on: string) =>
        ({ type: 'CloseCase', data: { customerId: CUSTOMER, on, reason } }) as const;
      then_(given_(open).when(close('written-off', '2026-03-01')), [closed('2026-03-01', 'written-off')]);
      then_(given_(open).when(close('plan-completed', '2026-03-02')), [closed('2026-03-02', 'plan-completed')]);
      // Never dated before the figures it last recorded.
      then_(given_([...open, reviewed('20000.00', '2026-02-20', 21)]).when(close('written-off', '2026-02-18')), [
        closed('2026-02-20', 'written-off'),
      ]);
      given_([...open, closed('2026-03-01')])
        .when(close('written-off', '2026-03-05'))
        .thenNothingHappens();
      given_([]).when(close('plan-completed', '2026-03-05')).thenNothingHappens();
    });

    it('closes as overdue-cleared when the overdue figure is back to zero', () => {
      then_(given_(open).when(review('0.00', '2026-03-01', null)), [closed('2026-03-01')]);
    });

    it('ignores a late figure of an earlier business date', () => {
      given_(open)
        .when(review('0.00', '2026-02-14', null))
        .thenNothingHappens();
    });

    it('ignores a figure in another currency than the case', () => {
      given_(open)
        .when({
          ...review('0.00', '2026-03-01', null),
          data: { ...review('0.00').data, asOf: '2026-03-01', overdue: parseMajor('0.00', 'USD'), oldestDaysPastDue: null },
        })
        .thenNothingHappens();
    });

    it('refuses a figure of another customer: it belongs in another stream', () => {
      given_(open)
        .when(review('0.00', '2026-03-01', null, { customerId: 'c0ffee00-0000-4000-8000-000000000999' }))
        .thenThrows(CaseStreamMismatchError);
    });
  });

  describe('when the last case was closed', () => {
    const history = [opened(), closed('2026-03-01')];

    it('opens a new case, with a new id, when money falls overdue again', () => {
      then_(given_(history).when(review('7000.00', '2026-04-10', 5, { caseId: CASE_2 })), [opened('7000.00', '2026-04-10', CASE_2, 5)]);
    });

    it("measures a new case's figures against its own opening ones", () => {
      given_([...history, opened('7000.00', '2026-04-10', CASE_2, 5)])
        .when(review('7000.00', '2026-04-11', 5))
        .thenNothingHappens();
      then_(given_([...history, opened('7000.00', '2026-04-10', CASE_2, 5)]).when(review('6000.00', '2026-04-11', 6)), [
        reviewed('6000.00', '2026-04-11', 6, CASE_2),
      ]);
    });

    it('stays closed while nothing is overdue: a repeat is a no-op', () => {
      given_(history)
        .when(review('0.00', '2026-03-01', null))
        .thenNothingHappens();
    });
  });
});
