import { type DemoCall, type Json, type MoneyJson, euros } from './demo-client';

/*
 * The projections part of the demo company: two aging bucket sets besides the built-in ones (nine buckets up to
 * 720 days by due date, and one by invoice date), defined before the simulated weeks so every close snapshots
 * them; after the history, a look at what the day closes produced (KPIs, an as-of aging of a past day).
 */

const BUCKET_SETS = [
  {
    id: 'nine-to-720',
    basis: 'due-date',
    buckets: [
      { label: '1-30', upToDays: 30 },
      { label: '31-60', upToDays: 60 },
      { label: '61-90', upToDays: 90 },
      { label: '91-120', upToDays: 120 },
      { label: '121-180', upToDays: 180 },
      { label: '181-270', upToDays: 270 },
      { label: '271-360', upToDays: 360 },
      { label: '361-720', upToDays: 720 },
      { label: '720+' },
    ],
  },
  {
    id: 'invoice-age',
    basis: 'invoice-date',
    buckets: [{ label: '0-30', upToDays: 30 }, { label: '31-90', upToDays: 90 }, { label: '91-180', upToDays: 180 }, { label: '181+' }],
  },
];

/** Defines the demo's bucket sets (those already there are left alone: a set is never redefined). */
export async function seedProjectionsSetup(call: DemoCall<'projections'>): Promise<string[]> {
  const { bucketSets } = (await call('projections', 'GET', '/aging/bucket-sets')) as { bucketSets: { id: string }[] };
  const known = new Set(bucketSets.map((s) => s.id));
  for (const set of BUCKET_SETS) if (!known.has(set.id)) await call('projections', 'POST', '/aging/bucket-sets', set);
  return [`aging bucket sets: ${[...known, ...BUCKET_SETS.map((s) => s.id).filter((id) => !known.has(id))].join(', ')}`];
}

/** What the closes produced: the portfolio KPIs of the last closed day and one customer's aging as of a past day. */
export async function reportProjections(
  call: DemoCall<'projections'>,
  customerIds: readonly string[],
  lastClosedDay: string,
): Promise<string[]> {
  const { kpis } = (await call('projections', 'GET', `/kpis?asOf=${lastClosedDay}`)) as { kpis: Json[] };
  const portfolio = kpis.find((k) => (k.segment as Json).kind === 'portfolio');
  const lines: string[] = [];
  if (portfolio !== undefined) {
    lines.push(
      `KPIs ${lastClosedDay}: total AR ${euros(portfolio.totalAr as MoneyJson)}, overdue ratio ${String(portfolio.overdueRatioBasisPoints)} bp, ` +
        `DSO ${String(portfolio.dsoDays)} d (countback ${String(portfolio.dsoCountbackDays)}, best possible ${String(portfolio.bestPossibleDsoDays)}), ` +
        `CEI ${String(portfolio.ceiBasisPoints)} bp`,
    );
  }
  const first = customerIds[0];
  if (first !== undefined) {
    const { aging } = (await call('projections', 'GET', `/customers/${first}/aging?asOf=2026-02-28&bucketSet=all`)) as { aging: Json[] };
    lines.push(
      `aging of customer ${first} as of 2026-02-28 (true as-of): ${aging.map((a) => `${String(a.bucketSetId)} ${euros(a.totalOpen as MoneyJson)}`).join(', ')}`,
    );
  }
  return lines;
}
