import { given } from '@arc/decider/testing';
import { parseMajor } from '@arc/money';
import {
  alertRuleDecider as decider,
  alertRuleStreamId,
  ruleSnapshot,
  type AlertRuleEvent,
  type ChangeRule,
  type DefineRule,
  type RetireRule,
  type RuleSnapshot,
} from './alert-rule.decider';
import type { Threshold } from './metrics';
import {
  AlertRuleAlreadyDefinedError,
  AlertRuleMetricChangeError,
  AlertRuleNotDefinedError,
  AlertRuleRetiredError,
  InvalidAlertRuleError,
} from './risk-alert.errors';

const RULE = 'overdue-above-25k';
const rule: RuleSnapshot = {
  ruleId: RULE,
  name: 'Overdue above 25k',
  metric: 'customer-overdue-amount',
  comparison: '>',
  threshold: { unit: 'minor-units', amount: parseMajor('25000.00', 'EUR') },
  severity: 'warning',
  escalations: [],
  holdOnCritical: false,
  currency: null,
};
const AT = '2026-02-01T09:00:00.000Z';

const define = (changes: Partial<RuleSnapshot> = {}): DefineRule => ({
  type: 'DefineRule',
  data: { ...rule, ...changes, definedBy: 'user:risk-1', definedAt: AT },
});
const change = (changes: Partial<RuleSnapshot> = {}): ChangeRule => ({
  type: 'ChangeRule',
  data: { ...rule, ...changes, changedBy: 'user:risk-2', changedAt: AT },
});
const retire = (reason = 'replaced by a ratio rule'): RetireRule => ({
  type: 'RetireRule',
  data: { ruleId: RULE, retiredBy: 'user:risk-1', retiredAt: AT, reason },
});

const defined: AlertRuleEvent = {
  type: 'AlertRuleDefined',
  data: {
    ruleId: RULE,
    name: 'Overdue above 25k',
    metric: 'customer-overdue-amount',
    comparison: '>',
    threshold: { unit: 'minor-units', amount: { amountMinor: '2500000', currency: 'EUR' } },
    severity: 'warning',
    escalations: [],
    holdOnCritical: false,
    currency: null,
    definedBy: 'user:risk-1',
    definedAt: AT,
  },
};
const retired: AlertRuleEvent = {
  type: 'AlertRuleRetired',
  data: { ruleId: RULE, retiredBy: 'user:risk-1', retiredAt: AT, reason: 'replaced by a ratio rule' },
};

describe('alert rule', () => {
  it('lives in its own stream', () => {
    expect(alertRuleStreamId(RULE)).toBe('alertrule-overdue-above-25k');
  });

  describe('when not defined', () => {
    it('is defined by a risk manager with a threshold that fits its metric', () => {
      given(decider).when(define()).then([defined]);
    });

    it.each<[string, RuleSnapshot['metric'], Threshold]>([
      ['a ratio metric', 'customer-overdue-ratio', { unit: 'basis-points', basisPoints: 3000 }],
      ['utilisation', 'customer-utilisation', { unit: 'basis-points', basisPoints: 12000 }],
      ['a day metric', 'customer-oldest-days-past-due', { unit: 'days', days: 90 }],
      ['the 90+ bucket', 'customer-overdue-90-plus', { unit: 'minor-units', amount: parseMajor('1000000', 'JPY') }],
    ])('accepts %s with its own kind of threshold', (_what, metric, threshold) => {
      const [event] = decider.decide(define({ metric, threshold }), decider.initialState);
      expect(event?.type).toBe('AlertRuleDefined');
    });

    it.each<[string, Partial<RuleSnapshot>, RegExp]>([
      ['a money metric with basis points', { threshold: { unit: 'basis-points', basisPoints: 8000 } }, /takes a threshold in minor-units/],
      ['a ratio metric with money', { metric: 'customer-overdue-ratio' }, /takes a threshold in basis-points/],
      ['a day metric with money', { metric: 'customer-oldest-days-past-due' }, /takes a threshold in days/],
      ['fractional days', { metric: 'customer-oldest-days-past-due', threshold: { unit: 'days', days: 1.5 } }, /whole number of days/],
      [
        'fractional basis points',
        { metric: 'customer-utilisation', threshold: { unit: 'basis-points', basisPoints: 80.5 } },
        /whole basis points/,
      ],
      ['a negative amount', { threshold: { unit: 'minor-units', amount: parseMajor('-1.00', 'EUR') } }, /must not be negative/],
      ['an unknown metric', { metric: 'dso' as RuleSnapshot['metric'] }, /metric must be one of/],
      ['an unknown comparison', { comparison: '!=' as RuleSnapshot['comparison'] }, /comparison must be one of/],
      ['an unknown severity', { severity: 'high' as RuleSnapshot['severity'] }, /severity must be one of/],
      ['no name', { name: ' ' }, /name must be/],
    ])('refuses %s', (_what, changes, message) => {
      const error = given(decider).when(define(changes)).thenThrows(InvalidAlertRuleError);
      expect(error.message).toMatch(message);
    });

    it('refuses a change or a retirement of a rule that does not exist', () => {
      given(decider).when(change()).thenThrows(AlertRuleNotDefinedError);
      given(decider).when(retire()).thenThrows(AlertRuleNotDefinedError);
    });
  });

  describe('when active', () => {
    it('a repeated definition with the same content changes nothing', () => {
      given(decider, [defined]).when(define()).thenNothingHappens();
    });

    it('refuses a definition with other content under the same id', () => {
      given(decider, [defined])
        .when(define({ name: 'Other' }))
        .thenThrows(AlertRuleAlreadyDefinedError);
    });

    it('changes its threshold, comparison, name or severity', () => {
      given(decider, [defined])
        .when(change({ threshold: { unit: 'minor-units', amount: parseMajor('30000.00', 'EUR') }, severity: 'critical' }))
        .then([
          {
            type: 'AlertRuleChanged',
            data: {
              ...rule,
              escalations: [],
              threshold: { unit: 'minor-units', amount: { amountMinor: '3000000', currency: 'EUR' } },
              severity: 'critical',
              changedBy: 'user:risk-2',
              changedAt: AT,
            },
          },
        ]);
    });

    it('a change to the same content changes nothing', () => {
      given(decider, [defined]).when(change()).thenNothingHappens();
    });

    it('refuses to change what it watches: another metric is another rule', () => {
      given(decider, [defined])
        .when(change({ metric: 'customer-oldest-days-past-due', threshold: { unit: 'days', days: 30 } }))
        .thenThrows(AlertRuleMetricChangeError);
    });

    it('refuses a change whose threshold does not fit', () => {
      given(decider, [defined])
        .when(change({ threshold: { unit: 'days', days: 30 } }))
        .thenThrows(InvalidAlertRuleError);
    });

    it('is retired with a reason, and no longer offers a snapshot to evaluate', () => {
      given(decider, [defined]).when(retire()).then([retired]);
      given(decider, [defined]).when(retire(' ')).thenThrows(InvalidAlertRuleError);
      const state = [defined, retired].reduce(decider.evolve, decider.initialState);
      expect(ruleSnapshot(state)).toBeNull();
    });

    it('offers the snapshot the alert decider evaluates, with Money back as bigint', () => {
      expect(ruleSnapshot(decider.evolve(decider.initialState, defined))).toEqual(rule);
    });
  });

  describe('when retired', () => {
    it('a repeated retirement changes nothing', () => {
      given(decider, [defined, retired]).when(retire()).thenNothingHappens();
    });

    it('refuses changes and a new definition under its id', () => {
      given(decider, [defined, retired])
        .when(change({ name: 'Back' }))
        .thenThrows(AlertRuleRetiredError);
      given(decider, [defined, retired]).when(define()).thenThrows(AlertRuleAlreadyDefinedError);
    });
  });
});
