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

  it('takes the invoices behind an alert as optional (events written before them stay valid) and checks each one', () => {
    const invoice = {
      invoiceId: '7f3c2a1e-4b5d-4c6e-8f90-123456789abc',
      invoiceNumber: 'INV-2026-000123',
      dueDate: '2026-03-01',
      open: { amountMinor: '1800000', currency: 'EUR' },
      daysPastDue: 45,
    };
    const money = { unit: 'minor-units', currency: 'EUR', observedValue: '3300000', thresholdValue: '2500000' };
    expect(problemsOf('AlertRaised', variant('AlertRaised', money))).toEqual([]);
    expect(problemsOf('AlertRaised', variant('AlertRaised', { ...money, invoices: [invoice, { ...invoice, daysPastDue: -3 }] }))).toEqual(
      [],
    );
    expect(problemsOf('AlertEscalated', variant('AlertEscalated', { invoices: [invoice] }))).toEqual([]);
    expect(
      problemsOf(
        'AlertRaised',
        variant('AlertRaised', { ...money, invoices: [{ ...invoice, open: { amountMinor: '0', currency: 'EUR' }, daysPastDue: 1.5 }] }),
      ),
    ).toEqual([
      'invoices[0].open.amountMinor must be greater than zero',
      'invoices[0].daysPastDue must be an integer from -36500 to 36500 (got 1.5)',
    ]);
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
