import { RiskEvents, type AlertSubject } from '@arc/contracts';
import { given } from '@arc/decider/testing';
import { parseMajor } from '@arc/money';
import { alertRuleDecider, type DefineRule, type RuleSnapshot } from './alert-rule.decider';
import { alertDecider as decider, type AlertEvent, type EvaluateAlert } from './alert.decider';
import type { Observation } from './metrics';
import { InvalidAlertRuleError } from './risk-alert.errors';

const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';
const ALERT_1 = 'a1e47000-0000-4000-8000-000000000001';
const ALERT_2 = 'a1e47000-0000-4000-8000-000000000002';
const subject: AlertSubject = { kind: 'customer', key: CUSTOMER };
const eur = (major: string) => parseMajor(major, 'EUR');

/** Utilisation > 80 % warning, > 100 % critical (a limit breach), with a credit hold on critical. */
const utilisationRule: RuleSnapshot = {
  ruleId: 'utilisation',
  name: 'Utilisation',
  metric: 'customer-utilisation',
  comparison: '>',
  threshold: { unit: 'basis-points', basisPoints: 8000 },
  severity: 'warning',
  escalations: [{ threshold: { unit: 'basis-points', basisPoints: 10000 }, severity: 'critical' }],
  holdOnCritical: true,
  currency: null,
};

/** Exposure of `major` EUR against a 100,000.00 EUR limit. */
const utilisation = (major: string): Observation => ({ unit: 'basis-points', part: eur(major), whole: eur('100000.00') });

const evaluate = (observation: Observation | null, businessDate: string, alertId = ALERT_1, rule = utilisationRule): EvaluateAlert => ({
  type: 'EvaluateAlert',
  data: { alertId, rule, subject, observation, businessDate },
});

/** Runs evaluations in order on one stream; every decided event must pass its contract. */
function run(...commands: EvaluateAlert[]): [AlertEvent[], AlertEvent[], AlertEvent[], AlertEvent[]] {
  const history: AlertEvent[] = [];
  const decided = commands.map((command) => {
    const events = decider.decide(command, history.reduce(decider.evolve, decider.initialState));
    for (const e of events) if (e.type !== 'AlertAcknowledged') expect(RiskEvents[e.type].validate(e.data)).toMatchObject({ ok: true });
    history.push(...events);
    return events;
  });
  return [decided[0] ?? [], decided[1] ?? [], decided[2] ?? [], decided[3] ?? []];
}

describe('escalation (one alert per rule and subject that gets worse)', () => {
  it('a customer crossing 80 % then 100 % utilisation gets one alert that escalates to critical, not two alerts', () => {
    const [at85, at90, at105, at110] = run(
      evaluate(utilisation('85000.00'), '2026-02-10'),
      evaluate(utilisation('90000.00'), '2026-02-11', ALERT_2),
      evaluate(utilisation('105000.00'), '2026-02-12', ALERT_2),
      evaluate(utilisation('110000.00'), '2026-02-13', ALERT_2),
    );
    expect(at85).toEqual([
      expect.objectContaining({ type: 'AlertRaised', data: expect.objectContaining({ alertId: ALERT_1, severity: 'warning' }) }),
    ]);
    expect(at90).toEqual([]);
    expect(at105.map((e) => e.type)).toEqual(['AlertEscalated', 'RiskCreditHoldRequested']);
    expect(at105[0]?.data).toMatchObject({
      alertId: ALERT_1,
      previousSeverity: 'warning',
      severity: 'critical',
      observedValue: '10500',
      thresholdValue: '10000',
      message: 'credit utilisation 105.00 % > 100.00 % (Utilisation)',
    });
    expect(at105[1]?.data).toMatchObject({ alertId: ALERT_1, customerId: CUSTOMER, ruleId: 'utilisation' });
    expect(at110).toEqual([]);
  });

  it('never de-escalates: back to 90 % the critical alert stays as it is; it resolves (and asks the hold released) when it clears', () => {
    const [, , at90, at50] = run(
      evaluate(utilisation('85000.00'), '2026-02-10'),
      evaluate(utilisation('105000.00'), '2026-02-11', ALERT_2),
      evaluate(utilisation('90000.00'), '2026-02-12', ALERT_2),
      evaluate(utilisation('50000.00'), '2026-02-13', ALERT_2),
    );
    expect(at90).toEqual([]);
    expect(at50.map((e) => e.type)).toEqual(['AlertResolved', 'RiskCreditHoldReleaseRequested']);
    expect(at50[1]?.data).toMatchObject({ alertId: ALERT_1, customerId: CUSTOMER });
  });

  it('raises straight at critical when the first figure already crosses the highest level, and requests the hold once', () => {
    const [first, again] = run(evaluate(utilisation('120000.00'), '2026-02-10'), evaluate(utilisation('130000.00'), '2026-02-11', ALERT_2));
    expect(first.map((e) => e.type)).toEqual(['AlertRaised', 'RiskCreditHoldRequested']);
    expect(first[0]?.data).toMatchObject({ severity: 'critical', thresholdValue: '10000' });
    expect(again).toEqual([]);
  });

  it('requests no hold from a rule that does not ask for one, nor releases one it never requested', () => {
    const rule = { ...utilisationRule, holdOnCritical: false };
    const [raised, cleared] = run(
      evaluate(utilisation('120000.00'), '2026-02-10', ALERT_1, rule),
      evaluate(utilisation('0.00'), '2026-02-11', ALERT_2, rule),
    );
    expect(raised.map((e) => e.type)).toEqual(['AlertRaised']);
    expect(cleared.map((e) => e.type)).toEqual(['AlertResolved']);
  });

  it('a late evaluation of a date before the escalation changes nothing', () => {
    const [, , late] = run(
      evaluate(utilisation('85000.00'), '2026-02-10'),
      evaluate(utilisation('105000.00'), '2026-02-12', ALERT_2),
      evaluate(utilisation('10000.00'), '2026-02-11', ALERT_2),
    );
    expect(late).toEqual([]);
  });
});

describe('escalation levels of a rule', () => {
  const define = (changes: Partial<RuleSnapshot>): DefineRule => ({
    type: 'DefineRule',
    data: { ...utilisationRule, ...changes, definedBy: 'user:risk-1', definedAt: '2026-02-01T09:00:00.000Z' },
  });

  it('accepts levels each further in the comparison direction and more severe', () => {
    given(alertRuleDecider, [])
      .when(define({}))
      .then([
        {
          type: 'AlertRuleDefined',
          data: {
            ruleId: 'utilisation',
            name: 'Utilisation',
            metric: 'customer-utilisation',
            comparison: '>',
            threshold: { unit: 'basis-points', basisPoints: 8000 },
            severity: 'warning',
            escalations: [{ threshold: { unit: 'basis-points', basisPoints: 10000 }, severity: 'critical' }],
            holdOnCritical: true,
            currency: null,
            definedBy: 'user:risk-1',
            definedAt: '2026-02-01T09:00:00.000Z',
          },
        },
      ]);
  });

  it('refuses a level below the one before it, a level no more severe, a level in another unit, and a hold without a critical level', () => {
    const refused = (changes: Partial<RuleSnapshot>) => given(alertRuleDecider, []).when(define(changes)).thenThrows(InvalidAlertRuleError);
    refused({ escalations: [{ threshold: { unit: 'basis-points', basisPoints: 7000 }, severity: 'critical' }] });
    refused({ escalations: [{ threshold: { unit: 'basis-points', basisPoints: 10000 }, severity: 'warning' }] });
    refused({ escalations: [{ threshold: { unit: 'days', days: 10 }, severity: 'critical' }] });
    refused({ escalations: [], holdOnCritical: true });
  });

  it('reads a rule defined before escalations existed as one without levels or hold', () => {
    const old = {
      type: 'AlertRuleDefined' as const,
      data: {
        ruleId: 'old',
        name: 'Old',
        metric: 'customer-utilisation' as const,
        comparison: '>' as const,
        threshold: { unit: 'basis-points' as const, basisPoints: 8000 },
        severity: 'warning' as const,
        definedBy: 'user:risk-1',
        definedAt: '2026-01-01T00:00:00.000Z',
      },
    };
    expect(alertRuleDecider.evolve(alertRuleDecider.initialState, old)).toMatchObject({
      status: 'active',
      escalations: [],
      holdOnCritical: false,
    });
  });
});
