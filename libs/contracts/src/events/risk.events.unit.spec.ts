import { problemsOf } from './testing/problems';
import { variant } from './testing/samples';

describe('risk events', () => {
  it('refuses a portfolio alert that names a subject key, and a customer alert that does not', () => {
    expect(problemsOf('AlertRaised', variant('AlertRaised', { subject: { kind: 'portfolio', key: 'x' } }))).toEqual([
      'subject.key must be null for the portfolio and set for any other subject',
    ]);
    expect(problemsOf('AlertResolved', variant('AlertResolved', { subject: { kind: 'customer', key: null } }))).toEqual([
      'subject.key must be null for the portfolio and set for any other subject',
    ]);
  });

  it('requires a currency exactly for money measures', () => {
    expect(problemsOf('AlertRaised', variant('AlertRaised', { unit: 'minor-units' }))).toEqual([
      "currency must be set when unit is 'minor-units' and null otherwise",
    ]);
    expect(problemsOf('AlertRaised', variant('AlertRaised', { currency: 'EUR' }))).toEqual([
      "currency must be set when unit is 'minor-units' and null otherwise",
    ]);
    expect(
      problemsOf(
        'AlertRaised',
        variant('AlertRaised', { unit: 'minor-units', currency: 'EUR', observedValue: '120000000', thresholdValue: '100000000' }),
      ),
    ).toEqual([]);
  });

  it('refuses measured values that are not exact integers', () => {
    expect(problemsOf('AlertRaised', variant('AlertRaised', { observedValue: 8000, thresholdValue: '80.5' }))).toEqual([
      'observedValue must be an integer as a string ("8500") (got 8000)',
      'thresholdValue must be an integer as a string ("8500") (got "80.5")',
    ]);
  });

  it('refuses an unknown severity and an unknown resolution', () => {
    expect(problemsOf('AlertRaised', variant('AlertRaised', { severity: 'panic' }))).toEqual([
      "severity must be one of 'info', 'warning', 'critical' (got \"panic\")",
    ]);
    expect(problemsOf('AlertResolved', variant('AlertResolved', { resolution: 'ignored' }))).toEqual([
      "resolution must be one of 'condition-cleared', 'rule-withdrawn' (got \"ignored\")",
    ]);
  });

  it('refuses an escalation that does not raise the severity', () => {
    expect(problemsOf('AlertEscalated', variant('AlertEscalated', { previousSeverity: 'critical', severity: 'warning' }))).toEqual([
      'severity must be higher than previousSeverity (an escalation only rises)',
    ]);
    expect(problemsOf('AlertEscalated', variant('AlertEscalated', {}))).toEqual([]);
  });
});
