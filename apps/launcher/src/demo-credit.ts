import { createHash } from 'node:crypto';
import { type DemoCall, eur, uuidOf as demoUuid } from './demo-client';

/*
 * The credit-management part of the demo company (issue 10), seeded over HTTP after the customers are
 * registered: a 5C assessment of four customers (one per class, with the default model), a pending limit
 * request, a credit group of two customers, USD/EUR rates, a credit file with evidence (one piece
 * superseded), a check tolerance and an insurance cover; and, once the days are closed, a periodic review
 * of the four assessed customers with how they paid (customers 2 and 3 come out downgraded).
 * Deterministic: ids derive from names.
 */

type Call = DemoCall<'credit'>;

const uuidOf = (name: string): string => demoUuid(name, 'arc-demo-credit');

/** Figures a credit analyst would take from bureau reports and financial statements (the default model classes them A–D). */
const UNKNOWN_HISTORY = { onTimePaymentBasisPoints: null, averageDaysLate: null, brokenPromises: null };
function profile(
  [bureauScore, yearsInBusiness]: number[],
  [operatingCashFlowMarginBasisPoints, netMarginBasisPoints]: number[],
  [currentRatioHundredths, debtRatioBasisPoints]: number[],
  [guaranteeCoverBasisPoints, insuranceCoverBasisPoints]: number[],
  [industryRisk, marketTrend]: string[],
  [equity, annualRevenue]: string[],
) {
  return {
    bureauScore,
    yearsInBusiness,
    ...UNKNOWN_HISTORY,
    operatingCashFlowMarginBasisPoints,
    netMarginBasisPoints,
    currentRatioHundredths,
    debtRatioBasisPoints,
    guaranteeCoverBasisPoints,
    insuranceCoverBasisPoints,
    industryRisk,
    marketTrend,
    equity: eur(equity as string),
    annualRevenue: eur(annualRevenue as string),
  };
}
const PROFILES = [
  profile([85, 15], [1600, 1100], [210, 3000], [0, 8000], ['low', 'growing'], ['800000000', '3000000000']),
  profile([70, 8], [1100, 600], [160, 5500], [2000, 0], ['medium', 'stable'], ['200000000', '1000000000']),
  profile([55, 3], [600, 250], [125, 6600], [0, 0], ['medium', 'stable'], ['50000000', '400000000']),
  profile([30, 1], [-300, -500], [80, 8500], [0, 0], ['high', 'declining'], ['-1000000', '50000000']),
];

/** Returns one line per thing seeded, for the launcher's log. */
export async function seedCreditManagement(call: Call, customerIds: readonly string[], on: string): Promise<string[]> {
  const lines: string[] = [];
  for (const [i, inputs] of PROFILES.entries()) {
    const customerId = customerIds[i] as string;
    const assessmentId = uuidOf(`assessment-${i}`);
    const result = await call('credit', 'POST', `/customers/${customerId}/assessments`, { assessmentId, assessedOn: on, inputs });
    lines.push(`assessed customer ${i + 1}: score ${String(result['score'])}, class ${String(result['creditClass'])}`);
  }
  const requestId = uuidOf('limit-request-0');
  await call('credit', 'POST', `/customers/${customerIds[4]}/limit-requests`, {
    requestId,
    requestedLimit: eur('150000000'),
    reason: 'framework contract for 2026',
    requestedOn: on,
  });
  lines.push(`limit request ${requestId} of 1,500,000.00 for customer 5 awaits two approvals (one at level 3)`);
  const groupId = uuidOf('group-0');
  const group = { groupId, name: 'Demo Holding', parentCustomerId: customerIds[5], groupLimit: eur('50000000') };
  await call('credit', 'POST', '/credit-groups', group);
  await call('credit', 'POST', `/credit-groups/${groupId}/members`, { customerId: customerIds[6] });
  lines.push(`credit group ${groupId}: customers 6 and 7 share a limit of 500,000.00`);

  // Month-end USD/EUR rates, as finance records them (1 USD = rate EUR).
  const rates: Array<[string, string]> = [
    ['2026-01-30', '0.9182'],
    ['2026-02-27', '0.9237'],
    ['2026-03-31', '0.9154'],
    ['2026-04-30', '0.9096'],
  ];
  for (const [rateDate, rate] of rates) await call('credit', 'POST', '/fx-rates', { base: 'USD', quote: 'EUR', rateDate, rate });
  lines.push(`recorded ${rates.length} USD/EUR month-end rates`);

  const fileOf = customerIds[0] as string;
  await call('credit', 'PUT', `/customers/${fileOf}/credit-file/contacts`, {
    contacts: [
      { name: 'Anna Weber', role: 'CFO', email: 'anna.weber@example.com', phone: '+49 89 1234567' },
      { name: 'Jonas Berg', role: 'accounts payable', email: 'ap@example.com' },
    ],
  });
  const oldReport = uuidOf('evidence-bureau-2025');
  const evidence = [
    {
      evidenceId: oldReport,
      kind: 'bureau-report',
      reference: 'Creditreform 2025-1187',
      receivedOn: '2025-01-10',
      validUntil: '2026-01-09',
    },
    {
      evidenceId: uuidOf('evidence-statements-2025'),
      kind: 'financial-statements',
      reference: 'annual report 2025, audited',
      documentHash: createHash('sha256').update('demo annual report 2025').digest('hex'),
      receivedOn: on,
    },
    {
      evidenceId: uuidOf('evidence-bureau-2026'),
      kind: 'bureau-report',
      reference: 'Creditreform 2026-0042',
      receivedOn: on,
      validUntil: '2026-12-31',
      supersedes: oldReport,
    },
  ];
  for (const piece of evidence) await call('credit', 'POST', `/customers/${fileOf}/credit-file/evidence`, piece);
  await call('credit', 'PUT', `/customers/${fileOf}/credit-policy/tolerance`, { basisPoints: 500 });
  await call('credit', 'PUT', `/customers/${fileOf}/insurance-cover`, {
    insurer: 'Allianz Trade',
    policyNumber: 'AT-2026-44812',
    insuredAmount: eur('20000000'),
    validUntil: '2026-12-31',
  });
  lines.push(
    'credit file of customer 1: 2 contacts, 3 pieces of evidence (the 2025 bureau report superseded), 5 % tolerance, insured 200,000.00',
  );
  return lines;
}

/**
 * Reviews the four assessed customers on `on` (after the days are closed), with the payment behaviour the
 * credit service has from invoicing and payments events; `caughtUp(customerId)` waits until it has all of it.
 */
export async function seedCreditReviews(
  call: Call,
  customerIds: readonly string[],
  on: string,
  caughtUp: (customerId: string) => Promise<void>,
): Promise<string[]> {
  const lines: string[] = [];
  for (let i = 0; i < PROFILES.length; i++) {
    const customerId = customerIds[i] as string;
    await caughtUp(customerId);
    const review = await call('credit', 'POST', `/customers/${customerId}/reviews`, { reviewId: uuidOf(`review-${i}`), reviewedOn: on });
    const behaviour = review['behaviour'] as Record<string, unknown>;
    const change = review['reclassified'] === null ? 'kept' : String(review['reclassified']);
    lines.push(
      `reviewed customer ${i + 1}: ${String(review['previousClass'])} → ${String(review['creditClass'])} (${change}); ` +
        `on time ${String(behaviour['onTimePaymentBasisPoints'])} bp, ${String(behaviour['averageDaysLate'])} days late on average`,
    );
  }
  return lines;
}
