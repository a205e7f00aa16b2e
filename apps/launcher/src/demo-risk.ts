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
  // Escalating: one alert per customer that rises from warning to critical as the figure worsens.
  await call('risk-alert', 'POST', '/alert-rules', {
    ruleId: 'utilisation-80-100',
    name: 'Utilisation above 80 %, limit breach above 100 %',
    metric: 'customer-utilisation',
    comparison: '>',
    threshold: { unit: 'basis-points', basisPoints: 8000 },
    severity: 'warning',
    escalations: [{ threshold: { unit: 'basis-points', basisPoints: 10000 }, severity: 'critical' }],
    // No automatic credit hold in the demo: it would block the planned invoices of the simulated weeks.
    holdOnCritical: false,
  });
  await call('risk-alert', 'POST', '/alert-rules', NINETY_PLUS_RULE);
  // The collections department's subscription. The launcher has no webhook receiver, so it points at a port
  // nobody listens on: its deliveries stay visible as retries and failures (GET /v1/alert-deliveries).
  await call('risk-alert', 'POST', '/alert-subscriptions', {
    subscriptionId: 'collections-warnings',
    department: 'collections',
    url: 'http://127.0.0.1:9/arc/risk-alerts',
    secret: 'demo-collections-webhook-secret',
    minSeverity: 'warning',
    scope: { kind: 'customer' },
  });
  return ['defined 4 alert rules (2 escalating) and the collections webhook subscription (no receiver: failures visible)'];
}

/** "90+ above 10,000.00", escalating to critical above 25,000.00. */
const NINETY_PLUS_RULE = {
  ruleId: 'ninety-plus-10k-25k',
  name: '90+ above 10,000.00 (critical above 25,000.00)',
  metric: 'customer-overdue-90-plus',
  comparison: '>',
  threshold: { unit: 'minor-units', amount: eur(1_000_000) },
  severity: 'warning',
  escalations: [{ threshold: { unit: 'minor-units', amount: eur(2_500_000) }, severity: 'critical' }],
};

/**
 * After the history: what a stricter proposal (90+ above 5,000.00) would have raised over February–April,
 * next to the live 90+ rule — a backtest, so nothing is raised or sent.
 */
export async function backtestRiskRules(call: DemoCall<'risk-alert'>): Promise<string[]> {
  const stricter = {
    ...NINETY_PLUS_RULE,
    ruleId: 'ninety-plus-5k',
    name: '90+ above 5,000.00',
    threshold: { unit: 'minor-units', amount: eur(500_000) },
  };
  const result = await call('risk-alert', 'POST', '/alert-backtests', {
    from: '2026-02-01',
    to: '2026-04-30',
    rules: [NINETY_PLUS_RULE, stricter],
  });
  const alerts = result.alerts as { ruleId: string }[];
  const count = (ruleId: string) => alerts.filter((a) => a.ruleId === ruleId).length;
  return [
    `backtest February–April: ${count(NINETY_PLUS_RULE.ruleId)} alert(s) for 90+ above 10,000.00, ${count(stricter.ruleId)} had it been 5,000.00 (nothing raised)`,
  ];
}
