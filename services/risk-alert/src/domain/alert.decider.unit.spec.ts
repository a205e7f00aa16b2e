import { EventContractViolationError, RiskEvents, type AlertSubject, type CustomerExposureChangedData } from '@arc/contracts';
import { given } from '@arc/decider/testing';
import { parseMajor, toJson, type Money } from '@arc/money';
import type { RuleSnapshot } from './alert-rule.decider';
import {
  alertDecider as decider,
  alertStreamId,
  alertStreamKey,
  type AcknowledgeAlert,
  type AlertEvent,
  type EvaluateAlert,
  type WithdrawAlert,
} from './alert.decider';
import { observe, type Observation } from './metrics';
import { AlertNotOpenError, AlertStreamMismatchError } from './risk-alert.errors';

const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';
const ALERT_1 = 'a1e47000-0000-4000-8000-000000000001';
const ALERT_2 = 'a1e47000-0000-4000-8000-000000000002';
const subject: AlertSubject = { kind: 'customer', key: CUSTOMER };

const eur = (major: string): Money => parseMajor(major, 'EUR');
const overdue = (major: string): Observation => ({ unit: 'minor-units', amount: eur(major) });

/** The acceptance rule: overdue amount per customer > 25,000.00 EUR. */
const overdueRule: RuleSnapshot = {
  ruleId: 'overdue-above-25k',
  name: 'Overdue above 25k',
  metric: 'customer-overdue-amount',
  comparison: '>',
  threshold: { unit: 'minor-units', amount: eur('25000.00') },
  severity: 'warning',
  escalations: [],
  holdOnCritical: false,
  currency: null,
};

/** Every event a test expects or gives as history must pass its contract. */
function valid<E extends AlertEvent>(events: E[]): E[] {
  for (const event of events) {
    if (event.type === 'AlertAcknowledged') continue;
    const result = RiskEvents[event.type].validate(event.data);
    if (!result.ok) throw new Error(`${event.type} breaks its contract: ${result.problems.join('; ')}`);
  }
  return events;
}
const given_ = (history: AlertEvent[]) => given(decider, valid(history));
const then_ = (expectation: { then(events: AlertEvent[]): void }, events: AlertEvent[]) => expectation.then(valid(events));

const evaluate = (
  observation: Observation | null,
  businessDate = '2026-02-15',
  changes: Partial<EvaluateAlert['data']> = {},
): EvaluateAlert => ({
  type: 'EvaluateAlert',
  data: { alertId: ALERT_1, rule: overdueRule, subject, observation, businessDate, ...changes },
});
const acknowledge = (alertId = ALERT_1, by = 'user:risk-1'): AcknowledgeAlert => ({
  type: 'AcknowledgeAlert',
  data: { alertId, acknowledgedBy: by, acknowledgedAt: '2026-02-15T10:00:00.000Z' },
});
const withdraw = (businessDate = '2026-02-16'): WithdrawAlert => ({
  type: 'WithdrawAlert',
  data: { ruleId: overdueRule.ruleId, subject, businessDate },
});

const raised = (observedMajor = '50000.00', businessDate = '2026-02-15', alertId = ALERT_1): AlertEvent => ({
  type: 'AlertRaised',
  data: {
    alertId,
    ruleId: 'overdue-above-25k',
    metric: 'customer-overdue-amount',
    subject,
    severity: 'warning',
    observedValue: eur(observedMajor).amountMinor.toString(),
    thresholdValue: '2500000',
    unit: 'minor-units',
    currency: 'EUR',
    businessDate,
    message: `overdue amount ${observedMajor} EUR > 25000.00 EUR (Overdue above 25k)`,
  },
});
const resolved = (
  businessDate = '2026-02-16',
  alertId = ALERT_1,
  resolution: 'condition-cleared' | 'rule-withdrawn' = 'condition-cleared',
): AlertEvent => ({
  type: 'AlertResolved',
  data: { alertId, ruleId: 'overdue-above-25k', subject, businessDate, resolution },
});
const acknowledged = (by = 'user:risk-1'): AlertEvent => ({
  type: 'AlertAcknowledged',
  data: { alertId: ALERT_1, ruleId: 'overdue-above-25k', subject, acknowledgedBy: by, acknowledgedAt: '2026-02-15T10:00:00.000Z' },
});

describe('alert (per rule and subject)', () => {
  it('acceptance: overdue > 25,000.00 EUR raises once at 50,000.00, stays quiet while it holds, resolves at 20,000.00, then stays quiet at 0', () => {
    const history: AlertEvent[] = [];
    const step = (command: EvaluateAlert): AlertEvent[] => {
      const state = history.reduce(decider.evolve, decider.initialState);
      const events = valid(decider.decide(command, state));
      history.push(...events);
      return events;
    };
    expect(step(evaluate(overdue('50000.00'), '2026-02-15')).map((e) => e.type)).toEqual(['AlertRaised']);
    expect(step(evaluate(overdue('50000.00'), '2026-02-16', { alertId: ALERT_2 }))).toEqual([]);
    expect(step(evaluate(overdue('20000.00'), '2026-02-17', { alertId: ALERT_2 }))).toEqual([resolved('2026-02-17')]);
    expect(step(evaluate(overdue('0.00'), '2026-02-18', { alertId: ALERT_2 }))).toEqual([]);
    expect(history.map((e) => e.type)).toEqual(['AlertRaised', 'AlertResolved']);
  });

  it('gives each rule and subject its own stable stream, named by a UUID', () => {
    expect(alertStreamKey('r1', subject)).toBe(alertStreamKey('r1', { kind: 'customer', key: CUSTOMER }));
    expect(alertStreamKey('r1', subject)).not.toBe(alertStreamKey('r2', subject));
    expect(alertStreamKey('r1', subject)).not.toBe(alertStreamKey('r1', { kind: 'customer', key: 'other' }));
    expect(alertStreamKey('r1', { kind: 'portfolio', key: null })).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(alertStreamId('r1', subject)).toBe(`alert-${alertStreamKey('r1', subject)}`);
  });

  describe('when no alert was ever raised', () => {
    it('raises an alert when the condition holds, with the figures as contract integers and a readable message', () => {
      then_(given_([]).when(evaluate(overdue('50000.00'))), [raised()]);
    });

    it('raises nothing while the condition does not hold, including exactly at the threshold of a strict comparison', () => {
      given_([])
        .when(evaluate(overdue('20000.00')))
        .thenNothingHappens();
      given_([])
        .when(evaluate(overdue('25000.00')))
        .thenNothingHappens();
    });

    it('raises at the threshold when the comparison includes it', () => {
      const rule: RuleSnapshot = { ...overdueRule, comparison: '>=' };
      const [event] = decider.decide(evaluate(overdue('25000.00'), '2026-02-15', { rule }), decider.initialState);
      expect(event?.type).toBe('AlertRaised');
    });

    it('compares ratios exactly: utilisation of 80.004 % is above an 80 % threshold even though it rounds to 8000 bp', () => {
      const rule: RuleSnapshot = {
        ...overdueRule,
        ruleId: 'utilisation-above-80',
        name: 'Utilisation above 80 %',
        metric: 'customer-utilisation',
        threshold: { unit: 'basis-points', basisPoints: 8000 },
      };
      const observation: Observation = { unit: 'basis-points', part: eur('800040.00'), whole: eur('1000000.00') };
      const events = valid(decider.decide(evaluate(observation, '2026-02-15', { rule }), decider.initialState));
      expect(events).toEqual([
        {
          type: 'AlertRaised',
          data: expect.objectContaining({ observedValue: '8000', thresholdValue: '8000', unit: 'basis-points', currency: null }),
        },
      ]);
      const exactly: Observation = { unit: 'basis-points', part: eur('800000.00'), whole: eur('1000000.00') };
      given_([])
        .when(evaluate(exactly, '2026-02-15', { rule }))
        .thenNothingHappens();
    });

    it('raises on days past due of the oldest item in whole days', () => {
      const rule: RuleSnapshot = {
        ...overdueRule,
        ruleId: 'dpd-over-60',
        name: 'Oldest item over 60 days',
        metric: 'customer-oldest-days-past-due',
        threshold: { unit: 'days', days: 60 },
        severity: 'critical',
      };
      const events = valid(decider.decide(evaluate({ unit: 'days', days: 61 }, '2026-02-15', { rule }), decider.initialState));
      expect(events[0]?.data).toMatchObject({
        observedValue: '61',
        thresholdValue: '60',
        unit: 'days',
        currency: null,
        severity: 'critical',
      });
      given_([])
        .when(evaluate({ unit: 'days', days: 60 }, '2026-02-15', { rule }))
        .thenNothingHappens();
    });

    it('says nothing about an amount in another currency than the threshold (no implicit FX)', () => {
      given_([])
        .when(evaluate({ unit: 'minor-units', amount: parseMajor('90000.00', 'USD') }))
        .thenNothingHappens();
    });

    it('says nothing when the figure does not exist (a ratio over zero open AR)', () => {
      given_([]).when(evaluate(null)).thenNothingHappens();
    });

    it('refuses an acknowledgement: there is nothing to acknowledge', () => {
      given_([]).when(acknowledge()).thenThrows(AlertNotOpenError);
    });

    it('refuses to decide an AlertRaised its contract would refuse (an alert id that is not a UUID)', () => {
      given_([])
        .when(evaluate(overdue('50000.00'), '2026-02-15', { alertId: 'alert-1' }))
        .thenThrows(EventContractViolationError);
    });

    it('withdrawing the rule changes nothing', () => {
      given_([]).when(withdraw()).thenNothingHappens();
    });

    it('reads the overdue amount from the exposure change event the projections publish', () => {
      const data: CustomerExposureChangedData = {
        customerId: CUSTOMER,
        asOf: '2026-02-15',
        currency: 'EUR',
        creditLimit: toJson(eur('100000.00')),
        openAr: toJson(eur('80000.00')),
        overdue: toJson(eur('50000.00')),
        disputed: toJson(eur('0.00')),
        reserved: toJson(eur('0.00')),
        unappliedCash: toJson(eur('0.00')),
        exposure: toJson(eur('80000.00')),
        availableCredit: toJson(eur('20000.00')),
        utilisationBasisPoints: 8000,
        creditClass: 'B',
        onHold: false,
      };
      const observation = observe('customer-overdue-amount', { type: 'CustomerExposureChanged', data });
      then_(given_([]).when(evaluate(observation ?? null, data.asOf)), [raised('50000.00', '2026-02-15')]);
    });
  });

  describe('when an alert is open', () => {
    const open = [raised()];

    it('stays quiet while the condition still holds, whatever the figure', () => {
      given_(open)
        .when(evaluate(overdue('50000.00'), '2026-02-16', { alertId: ALERT_2 }))
        .thenNothingHappens();
      given_(open)
        .when(evaluate(overdue('90000.00'), '2026-02-16', { alertId: ALERT_2 }))
        .thenNothingHappens();
    });

    it('resolves by itself when the condition clears', () => {
      then_(given_(open).when(evaluate(overdue('20000.00'), '2026-02-16')), [resolved('2026-02-16')]);
    });

    it('resolves when the figure stops existing', () => {
      then_(given_(open).when(evaluate(null, '2026-02-16')), [resolved('2026-02-16')]);
    });

    it('ignores a late evaluation of an earlier business date', () => {
      given_([raised('50000.00', '2026-02-15')])
        .when(evaluate(overdue('0.00'), '2026-02-14'))
        .thenNothingHappens();
    });

    it('refuses an evaluation of another rule or subject: that belongs in another stream', () => {
      given_(open)
        .when(evaluate(overdue('0.00'), '2026-02-16', { rule: { ...overdueRule, ruleId: 'other' } }))
        .thenThrows(AlertStreamMismatchError);
      given_(open)
        .when(evaluate(overdue('0.00'), '2026-02-16', { subject: { kind: 'customer', key: 'x' } }))
        .thenThrows(AlertStreamMismatchError);
    });

    it('is acknowledged by a person', () => {
      then_(given_(open).when(acknowledge()), [acknowledged()]);
    });

    it('keeps the first acknowledgement: a repeat, or another person, changes nothing', () => {
      given_([...open, acknowledged()])
        .when(acknowledge())
        .thenNothingHappens();
      given_([...open, acknowledged()])
        .when(acknowledge(ALERT_1, 'user:risk-2'))
        .thenNothingHappens();
    });

    it('refuses to acknowledge another alert id', () => {
      given_(open).when(acknowledge(ALERT_2)).thenThrows(AlertNotOpenError);
    });

    it('resolves as rule-withdrawn when its rule is retired', () => {
      then_(given_(open).when(withdraw('2026-02-16')), [resolved('2026-02-16', ALERT_1, 'rule-withdrawn')]);
    });
  });

  describe('when the alert was resolved', () => {
    const history = [raised(), resolved('2026-02-16')];

    it('raises a new alert, with the new id, when the condition holds again', () => {
      then_(given_(history).when(evaluate(overdue('30000.00'), '2026-02-20', { alertId: ALERT_2 })), [
        raised('30000.00', '2026-02-20', ALERT_2),
      ]);
    });

    it('stays quiet while the condition stays clear', () => {
      given_(history)
        .when(evaluate(overdue('0.00'), '2026-02-17'))
        .thenNothingHappens();
    });

    it('refuses to acknowledge the resolved alert', () => {
      given_(history).when(acknowledge()).thenThrows(AlertNotOpenError);
    });

    it('a repeated withdrawal changes nothing', () => {
      given_(history).when(withdraw()).thenNothingHappens();
    });
  });
});
