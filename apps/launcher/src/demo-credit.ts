import { createHash } from 'node:crypto';

/*
 * The credit-management part of the demo company (issue 10), seeded over HTTP after the customers are
 * registered: a 5C assessment of four customers (one per class, with the default model), a pending limit
 * request, and a credit group of two customers. Deterministic: ids derive from names.
 */

type Call = (service: 'credit', method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;

const uuidOf = (name: string): string => {
  const h = createHash('sha256').update(`arc-demo-credit:${name}`).digest('hex');
  const variant = ((parseInt(h[16] as string, 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const eur = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

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
  return lines;
}
