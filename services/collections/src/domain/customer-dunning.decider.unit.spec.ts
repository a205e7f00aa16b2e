import { given } from '@arc/decider/testing';
import { parseMajor, type Money } from '@arc/money';
import { InvalidArrangementError, LegalCaseStateError } from './collections.errors';
import {
  customerDunningDecider as decider,
  decideDunning,
  evolveDunning,
  initialDunning,
  type RunDunning,
} from './customer-dunning.decider';
import type { CustomerDunningEvent } from './customer-dunning.events';
import { STANDARD_DUNNING_STRATEGY as standard } from './dunning-strategy';
import type { MakeArrangement } from './arrangements';

const CUSTOMER = 'c0000000-0000-4000-8000-000000000001';
const INV_1 = '1a000000-0000-4000-8000-000000000001';
const INV_2 = '1a000000-0000-4000-8000-000000000002';
const PROMISE = 'b0000000-0000-4000-8000-000000000001';
const eur = (major: string): Money => parseMajor(major, 'EUR');

const run = (businessDate: string, items: { id?: string; due?: string; open?: string }[] = [{}], paid = '0.00'): RunDunning => ({
  type: 'RunDunning',
  data: {
    customerId: CUSTOMER,
    businessDate,
    strategy: standard,
    items: items.map(({ id = INV_1, due = '2026-03-01', open = '10000.00' }) => ({
      invoiceId: id,
      invoiceNumber: `INV-${id.slice(-1)}`,
      dueDate: due,
      open: eur(open),
    })),
    paidToDate: [eur(paid)],
  },
});

/** Runs the days one after the other, each on the state the previous left: the events of every day. */
function runDays(days: string[], command: (day: string) => RunDunning, history: CustomerDunningEvent[] = []): CustomerDunningEvent[] {
  let state = history.reduce(evolveDunning, initialDunning);
  const all: CustomerDunningEvent[] = [];
  for (const day of days) {
    const events = decideDunning(command(day), state);
    state = events.reduce(evolveDunning, state);
    all.push(...events);
  }
  return all;
}

function daysFrom(first: string, last: string): string[] {
  const days: string[] = [];
  for (let d = new Date(`${first}T00:00:00Z`); d.toISOString().slice(0, 10) <= last; d.setUTCDate(d.getUTCDate() + 1))
    days.push(d.toISOString().slice(0, 10));
  return days;
}

const steps = (events: CustomerDunningEvent[]) =>
  events.flatMap((e) => (e.type === 'DunningStepExecuted' ? [`${e.data.businessDate} ${e.data.stepId}`] : [e.type]));

const promise = (amount: string, instalments: [string, string][], over: Partial<MakeArrangement['data']> = {}): MakeArrangement => ({
  type: 'MakeArrangement',
  data: {
    customerId: CUSTOMER,
    arrangementId: PROMISE,
    kind: instalments.length > 1 ? 'plan' : 'promise',
    madeOn: '2026-04-01',
    instalments: instalments.map(([dueOn, major]) => ({ dueOn, amount: eur(major) })),
    graceDays: 0,
    tolerance: eur('0.00'),
    invoiceIds: [],
    paidToDate: eur(amount),
    interestBasisPoints: 0,
    note: '',
    ...over,
  },
});

describe('the dunning run of one customer', () => {
  it('executes the default strategy day by day: −5, +1, +15, +30 and +45 each once, the hold requested once', () => {
    const events = runDays(daysFrom('2026-02-20', '2026-04-20'), (day) => run(day));
    expect(steps(events)).toEqual([
      '2026-02-24 pre-due-reminder',
      '2026-03-02 friendly-reminder',
      '2026-03-16 call',
      '2026-03-31 demand-letter',
      '2026-04-15 credit-hold',
      'CollectionsCreditHoldRequested',
    ]);
  });

  it('runs nothing twice: the same day run again on the state it left decides nothing', () => {
    const first = runDays(['2026-03-02'], (day) => run(day));
    given(decider, first).when(run('2026-03-02')).thenNothingHappens();
  });

  it('duns the amount still open (partial payments lower it)', () => {
    const [step] = decideDunning(run('2026-03-02', [{ open: '2500.00' }]), initialDunning);
    expect(step).toMatchObject({ type: 'DunningStepExecuted', data: { openAmount: { amountMinor: '250000', currency: 'EUR' } } });
  });

  it('chases each item on its own schedule', () => {
    const events = decideDunning(run('2026-03-02', [{}, { id: INV_2, due: '2026-03-07' }]), initialDunning);
    expect(events.map((e) => e.type === 'DunningStepExecuted' && `${e.data.invoiceId}:${e.data.stepId}`)).toEqual([
      `${INV_1}:friendly-reminder`,
      `${INV_2}:pre-due-reminder`,
    ]);
  });

  it('lifts the hold it asked for once nothing is overdue, and only then', () => {
    const history = runDays(daysFrom('2026-04-14', '2026-04-15'), (day) => run(day, [{ due: '2026-03-01' }]));
    expect(steps(history)).toContain('CollectionsCreditHoldRequested');
    given(decider, history)
      .when(run('2026-04-16', [{ id: INV_2, due: '2026-04-30' }]))
      .then([
        {
          type: 'CollectionsCreditHoldReleaseRequested',
          data: { customerId: CUSTOMER, requestedOn: '2026-04-16', reason: 'nothing is overdue any more' },
        },
      ]);
    given(decider, history)
      .when(run('2026-04-16', [{ due: '2026-03-01', open: '0.01' }]))
      .thenNothingHappens();
  });

  it('sends no reminders to a customer in legal', () => {
    const handedOver: CustomerDunningEvent = {
      type: 'LegalCaseOpened',
      data: { customerId: CUSTOMER, legalCaseId: PROMISE, openedOn: '2026-03-01', reason: 'fraud suspected', limitationDate: '2029-03-01' },
    };
    given(decider, [handedOver]).when(run('2026-03-02')).thenNothingHappens();
  });
});

describe('promises to pay', () => {
  const made = (paidBefore = '0.00') => decideDunning(promise(paidBefore, [['2026-04-20', '5000.00']]), initialDunning);

  it('pauses dunning while the promise is open', () => {
    expect(steps(runDays(daysFrom('2026-04-02', '2026-04-19'), (day) => run(day), made()))).toEqual([]);
  });

  it('is partly kept when 4,000.00 of 5,000.00 came in by the date: broken, and dunning resumes', () => {
    const events = runDays(['2026-04-20'], (day) => run(day, [{ open: '6000.00' }], '4000.00'), made());
    expect(events[0]).toEqual({
      type: 'PaymentArrangementBroken',
      data: {
        customerId: CUSTOMER,
        arrangementId: PROMISE,
        kind: 'promise',
        brokenOn: '2026-04-20',
        instalment: 1,
        expected: { amountMinor: '500000', currency: 'EUR' },
        paid: { amountMinor: '400000', currency: 'EUR' },
        partlyKept: true,
      },
    });
    // Escalates: the most advanced step due (the catch-up rule) runs on the amount left.
    expect(steps(events.slice(1))).toEqual(['2026-04-20 credit-hold', 'CollectionsCreditHoldRequested']);
  });

  it('is kept when paid in full by the date, counting only payments after it was made; dunning resumes for what is left', () => {
    const events = runDays(['2026-04-20'], (day) => run(day, [{ open: '1000.00' }], '7000.00'), made('2000.00'));
    expect(events.map((e) => e.type)).toEqual([
      'ArrangementInstalmentKept',
      'PaymentArrangementKept',
      'DunningStepExecuted',
      'CollectionsCreditHoldRequested',
    ]);
    expect(events[2]).toMatchObject({ data: { openAmount: { amountMinor: '100000' } } });
  });

  it('honours grace days and tolerance', () => {
    const history = decideDunning(promise('0.00', [['2026-04-20', '5000.00']], { graceDays: 2, tolerance: eur('10.00') }), initialDunning);
    expect(runDays(['2026-04-21'], (day) => run(day, [{}], '0.00'), history)).toEqual([]);
    expect(runDays(['2026-04-22'], (day) => run(day, [{ open: '0.00' }], '4990.00'), history).map((e) => e.type)).toEqual([
      'ArrangementInstalmentKept',
      'PaymentArrangementKept',
    ]);
  });

  it('refuses a promise without money, or a second open one', () => {
    given(decider).when(promise('0.00', [])).thenThrows(InvalidArrangementError);
    given(decider, made())
      .when(promise('0.00', [['2026-05-01', '1.00']], { arrangementId: INV_2 }))
      .thenThrows(InvalidArrangementError);
    given(decider, made())
      .when(promise('0.00', [['2026-04-20', '5000.00']]))
      .thenNothingHappens();
  });
});

describe('repayment plans', () => {
  const plan = () =>
    decideDunning(
      promise('0.00', [
        ['2026-04-10', '1000.00'],
        ['2026-05-10', '1000.00'],
        ['2026-06-10', '1000.00'],
      ]),
      initialDunning,
    );

  it('breaks at the second missed instalment and escalates', () => {
    const events = runDays(['2026-04-10', '2026-05-10'], (day) => run(day, [{}], '1000.00'), plan());
    expect(events.map((e) => e.type).slice(0, 2)).toEqual(['ArrangementInstalmentKept', 'PaymentArrangementBroken']);
    expect(events[1]).toMatchObject({ data: { kind: 'plan', instalment: 2, partlyKept: false } });
    expect(steps(events.slice(2))[0]).toMatch(/credit-hold/);
  });

  it('completes when every instalment is paid', () => {
    const events = runDays(['2026-04-10', '2026-05-10', '2026-06-10'], (day) => run(day, [{ open: '0.00' }], '3000.00'), plan());
    expect(events.map((e) => e.type)).toEqual([
      'ArrangementInstalmentKept',
      'ArrangementInstalmentKept',
      'ArrangementInstalmentKept',
      'PaymentArrangementKept',
    ]);
  });
});

describe('instalments', () => {
  it('duns each instalment on its own due date, each step once per instalment', () => {
    const items = [
      { invoiceId: INV_1, invoiceNumber: 'INV-1', dueDate: '2026-03-01', open: eur('500.00'), dueSequence: 1 },
      { invoiceId: INV_1, invoiceNumber: 'INV-1', dueDate: '2026-04-01', open: eur('500.00'), dueSequence: 2 },
    ];
    const command = (day: string): RunDunning => ({
      type: 'RunDunning',
      data: { customerId: CUSTOMER, businessDate: day, strategy: standard, items, paidToDate: [eur('0.00')] },
    });
    const events = runDays(daysFrom('2026-02-20', '2026-04-02'), command);
    const executed = events.flatMap((e) =>
      e.type === 'DunningStepExecuted' ? [`${e.data.businessDate} ${e.data.stepId} #${String(e.data.dueSequence)}`] : [],
    );
    expect(executed).toEqual([
      '2026-02-24 pre-due-reminder #1',
      '2026-03-02 friendly-reminder #1',
      '2026-03-16 call #1',
      '2026-03-27 pre-due-reminder #2',
      '2026-03-31 demand-letter #1',
      '2026-04-02 friendly-reminder #2',
    ]);
  });
});

describe('legal escalation', () => {
  const handOver = decideDunning(
    { type: 'HandOverToLegal', data: { customerId: CUSTOMER, legalCaseId: PROMISE, on: '2026-05-01', reason: 'no answer' } },
    initialDunning,
  );
  const step = (action: 'lawyer-letter' | 'proceedings-started' | 'judgment') =>
    ({ type: 'RecordLegalStep', data: { customerId: CUSTOMER, action, on: '2026-06-01', details: {} } }) as const;

  it('sets the limitation date three years after the hand-over, and an acknowledgement moves it', () => {
    expect(handOver[0]).toMatchObject({ data: { limitationDate: '2029-05-01' } });
    given(decider, handOver)
      .when({ type: 'AcknowledgeDebt', data: { customerId: CUSTOMER, on: '2026-07-15' } })
      .then([
        {
          type: 'DebtAcknowledged',
          data: { customerId: CUSTOMER, legalCaseId: PROMISE, acknowledgedOn: '2026-07-15', limitationDate: '2029-07-15' },
        },
      ]);
  });

  it('written off: recommends invoicing to write off what is still open, one event per invoice (instalments added up), with a stable id', () => {
    const close = (outcome: 'written-off' | 'paid') =>
      ({
        type: 'CloseLegalCase',
        data: {
          customerId: CUSTOMER,
          on: '2026-09-30',
          outcome,
          recovered: eur('0.00'),
          note: 'insolvent',
          by: 'legal-1',
          openItems: [
            { invoiceId: INV_1, invoiceNumber: 'INV-1', open: eur('300.00') },
            { invoiceId: INV_1, invoiceNumber: 'INV-1', open: eur('200.00') },
            { invoiceId: INV_2, invoiceNumber: 'INV-2', open: eur('1000.00') },
          ],
        },
      }) as const;
    const history = handOver;
    const events = decideDunning(close('written-off'), history.reduce(evolveDunning, initialDunning));
    expect(events.map((e) => e.type)).toEqual(['LegalCaseClosed', 'WriteOffRecommended', 'WriteOffRecommended']);
    expect(events[1]?.data).toMatchObject({
      invoiceId: INV_1,
      amount: { amountMinor: '50000', currency: 'EUR' },
      recommendedBy: 'legal-1',
      legalCaseId: PROMISE,
      recommendedOn: '2026-09-30',
    });
    expect(events[2]?.data).toMatchObject({ invoiceId: INV_2, amount: { amountMinor: '100000', currency: 'EUR' } });
    const again = decideDunning(close('written-off'), history.reduce(evolveDunning, initialDunning));
    expect(again.map((e) => (e.data as { writeOffId?: string }).writeOffId)).toEqual(
      events.map((e) => (e.data as { writeOffId?: string }).writeOffId),
    );
    expect(decideDunning(close('paid'), history.reduce(evolveDunning, initialDunning)).map((e) => e.type)).toEqual(['LegalCaseClosed']);
    // Recommended for write-off, the invoices are not dunned; a rejected write-off makes its invoice collectable again.
    const after = [...history, ...events].reduce(evolveDunning, initialDunning);
    const day = run('2026-10-01', [{ id: INV_1 }, { id: INV_2 }]);
    expect(decideDunning(day, after)).toEqual([]);
    const withdrawn = decideDunning(
      {
        type: 'WithdrawWriteOff',
        data: {
          customerId: CUSTOMER,
          writeOffId: String((events[2]?.data as { writeOffId: string }).writeOffId),
          on: '2026-10-01',
          reason: 'no',
        },
      },
      after,
    );
    expect(withdrawn).toEqual([
      expect.objectContaining({ type: 'WriteOffRecommendationWithdrawn', data: expect.objectContaining({ invoiceId: INV_2 }) }),
    ]);
    const resumed = decideDunning(day, withdrawn.reduce(evolveDunning, after));
    expect(new Set(resumed.flatMap((e) => (e.type === 'DunningStepExecuted' ? [e.data.invoiceId] : [])))).toEqual(new Set([INV_2]));
  });

  it('records a judgment only after proceedings started, and only once', () => {
    given(decider, handOver).when(step('judgment')).thenThrows(LegalCaseStateError);
    const started = [...handOver, ...decideDunning(step('proceedings-started'), handOver.reduce(evolveDunning, initialDunning))];
    const judged = [...started, ...decideDunning(step('judgment'), started.reduce(evolveDunning, initialDunning))];
    expect(judged.map((e) => e.type)).toEqual(['LegalCaseOpened', 'LegalStepRecorded', 'LegalStepRecorded']);
    given(decider, judged).when(step('judgment')).thenThrows(LegalCaseStateError);
  });

  it('refuses legal steps without an open legal case', () => {
    given(decider).when(step('lawyer-letter')).thenThrows(LegalCaseStateError);
  });
});

describe('assignment and activities', () => {
  const assign = (collector: string, reason: 'rule' | 'manual') =>
    ({ type: 'AssignCollector', data: { customerId: CUSTOMER, collector, on: '2026-03-02', reason } }) as const;

  it('assigns by rule once; a later rule never takes the customer away, a manual reassignment does', () => {
    const first = decideDunning(assign('anna', 'rule'), initialDunning);
    expect(first).toEqual([
      { type: 'CollectorAssigned', data: { customerId: CUSTOMER, collector: 'anna', assignedOn: '2026-03-02', reason: 'rule' } },
    ]);
    given(decider, first).when(assign('bert', 'rule')).thenNothingHappens();
    expect(decideDunning(assign('bert', 'manual'), first.reduce(evolveDunning, initialDunning))).toHaveLength(1);
  });

  it('logs an activity once, whatever the retries', () => {
    const activity = {
      type: 'LogActivity',
      data: {
        customerId: CUSTOMER,
        activityId: PROMISE,
        kind: 'call',
        on: '2026-03-16',
        collector: 'anna',
        outcome: 'promised',
        note: '',
        nextActionOn: '2026-03-20',
      },
    } as const;
    const logged = decideDunning(activity, initialDunning);
    expect(logged).toHaveLength(1);
    given(decider, logged).when(activity).thenNothingHappens();
  });
});
