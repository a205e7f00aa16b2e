import { type DemoCall, eur } from './demo-client';

/*
 * The risk-alert part of the demo company: the alert rules, defined before the simulated weeks so each day
 * close raises and resolves alerts as the history unfolds.
 */

export async function seedRiskRules(call: DemoCall<'risk-alert'>): Promise<string[]> {
  await call('risk-alert', 'POST', '/alert-rules', {
    ruleId: 'overdue-above-25k',
    name: 'Overdue above 25,000.00',
    metric: 'customer-overdue-amount',
    comparison: '>',
    threshold: { unit: 'minor-units', amount: eur(2_500_000) },
    severity: 'critical',
  });
  await call('risk-alert', 'POST', '/alert-rules', {
    ruleId: 'overdue-ratio-above-50',
    name: 'Overdue ratio above 50 %',
    metric: 'customer-overdue-ratio',
    comparison: '>',
    threshold: { unit: 'basis-points', basisPoints: 5000 },
    severity: 'warning',
  });
  return ['defined 2 alert rules'];
}
