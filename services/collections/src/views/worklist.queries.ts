import { daysBetween, parseBusinessDate } from '@arc/clock';
import type { Queryable } from '@arc/event-store';
import { isCurrencyCode, minorUnitExponent } from '@arc/money';
import { priorityScore } from '../domain';
import { ACTIVITIES_TABLE, ARRANGEMENTS_TABLE, ASSIGNMENTS_TABLE, DUNNING_STATE_TABLE, LEGAL_TABLE, TASKS_TABLE } from './dunning.view';
import { collectorMoneyKpis } from './ledger.view';
import { dunningCustomersOf, OPEN_ITEMS_TABLE, type DunningCustomer } from './receivables.view';

export interface NextAction {
  kind: string;
  dueOn: string;
  description: string;
}

export interface WorklistEntry {
  customerId: string;
  legalName: string | null;
  businessUnit: string | null;
  creditClass: string | null;
  collector: string | null;
  overdue: { amountMinor: string; currency: string };
  daysPastDue: number;
  brokenPromises: number;
  inLegal: boolean;
  /**
   * See priorityScore (src/domain/worklist.ts): an exact integer as a decimal string, higher first (the worklist
   * is sorted by it).
   */
  priority: string;
  nextActions: NextAction[];
}

/**
 * Customers with money overdue on `on` (what the dunning chases: instalments on their own due dates, open
 * disputes and write-offs left out), one entry per customer and currency, by priority, with their collector
 * and the actions due by then.
 */
export async function worklist(db: Queryable, on: string, collector: string | undefined, limit: number): Promise<WorklistEntry[]> {
  const overdue = new Map<string, { customer: DunningCustomer; currency: string; minor: bigint; oldest: string }>();
  for (const customer of await dunningCustomersOf(db)) {
    for (const item of customer.items) {
      if (item.dueDate >= on) continue;
      const key = `${customer.customerId}:${item.open.currency}`;
      const seen = overdue.get(key);
      if (!seen) overdue.set(key, { customer, currency: item.open.currency, minor: item.open.amountMinor, oldest: item.dueDate });
      else {
        seen.minor += item.open.amountMinor;
        if (item.dueDate < seen.oldest) seen.oldest = item.dueDate;
      }
    }
  }
  const ids = [...new Set([...overdue.values()].map((o) => o.customer.customerId))];
  const { rows } = await db.query<{ customer_id: string; collector: string | null; broken: number | null; in_legal: boolean }>(
    `SELECT id::text AS customer_id, a.collector, s.broken_promises AS broken,
            EXISTS (SELECT 1 FROM ${LEGAL_TABLE} l WHERE l.customer_id = id AND l.status = 'open') AS in_legal
       FROM unnest($1::uuid[]) AS id
       LEFT JOIN ${ASSIGNMENTS_TABLE} a ON a.customer_id = id
       LEFT JOIN ${DUNNING_STATE_TABLE} s ON s.customer_id = id`,
    [ids],
  );
  const extra = new Map(rows.map((r) => [r.customer_id, r]));
  const entries: (WorklistEntry & { score: bigint })[] = [];
  for (const o of overdue.values()) {
    const x = extra.get(o.customer.customerId);
    if (collector !== undefined && x?.collector !== collector) continue;
    const exponent = isCurrencyCode(o.currency) ? minorUnitExponent(o.currency) : 2;
    const days = daysBetween(parseBusinessDate(o.oldest), parseBusinessDate(on));
    const broken = x?.broken ?? 0;
    const score = priorityScore(o.minor, exponent, o.customer.creditClass, days, broken);
    entries.push({
      customerId: o.customer.customerId,
      legalName: o.customer.legalName,
      businessUnit: o.customer.businessUnit,
      creditClass: o.customer.creditClass,
      collector: x?.collector ?? null,
      overdue: { amountMinor: o.minor.toString(), currency: o.currency },
      daysPastDue: days,
      brokenPromises: broken,
      inLegal: x?.in_legal ?? false,
      priority: score.toString(),
      nextActions: [],
      score,
    });
  }
  entries.sort((a, b) => (b.score > a.score ? 1 : b.score < a.score ? -1 : a.customerId.localeCompare(b.customerId)));
  const page = entries.slice(0, limit).map(({ score: _score, ...entry }) => entry);
  const pageIds = page.map((e) => e.customerId);
  if (pageIds.length === 0) return page;
  const actions = await db.query<{ customer_id: string; kind: string; due_on: string; description: string }>(
    `SELECT customer_id::text, kind, to_char(due_on, 'YYYY-MM-DD') AS due_on, description FROM ${TASKS_TABLE}
      WHERE customer_id = ANY($1::uuid[]) AND due_on <= $2::date
     UNION ALL
     SELECT customer_id::text, 'follow-up', to_char(next_action_on, 'YYYY-MM-DD'), kind || ': ' || outcome FROM ${ACTIVITIES_TABLE}
      WHERE customer_id = ANY($1::uuid[]) AND next_action_on <= $2::date
     ORDER BY due_on`,
    [pageIds, on],
  );
  const byCustomer = new Map(page.map((e) => [e.customerId, e]));
  for (const a of actions.rows)
    byCustomer.get(a.customer_id)?.nextActions.push({ kind: a.kind, dueOn: a.due_on, description: a.description });
  return page;
}

export interface ActivityView {
  activityId: string;
  kind: string;
  on: string;
  collector: string;
  outcome: string;
  note: string;
  nextActionOn: string | null;
}

export async function activitiesOf(db: Queryable, customerId: string): Promise<ActivityView[]> {
  const { rows } = await db.query<ActivityView>(
    `SELECT activity_id::text AS "activityId", kind, to_char(logged_on, 'YYYY-MM-DD') AS "on", collector, outcome, note,
            to_char(next_action_on, 'YYYY-MM-DD') AS "nextActionOn"
       FROM ${ACTIVITIES_TABLE} WHERE customer_id = $1 ORDER BY logged_on, activity_id`,
    [customerId],
  );
  return rows;
}

export interface CollectorKpis {
  collector: string;
  casesWorked: number;
  activities: number;
  promisesKept: number;
  promisesDecided: number;
  /** Kept ÷ decided in basis points, half up (integer arithmetic); null when none was decided. */
  promisesKeptBasisPoints: number | null;
  /** Payments allocated to the collector's customers in the period, per currency. */
  amountCollected: { amountMinor: string; currency: string }[];
  /** Collection effectiveness index per currency, with the figures it is computed from (see ledger.view.ts). */
  cei: {
    currency: string;
    basisPoints: string | null;
    beginning: string;
    sales: string;
    ending: string;
    endingCurrent: string;
  }[];
}

/**
 * Per collector over a period: cases worked (customers with an activity), activities, promises decided and
 * kept, amount collected and CEI (over the customers assigned to the collector now).
 */
export async function collectorKpis(db: Queryable, from: string, to: string): Promise<CollectorKpis[]> {
  const { rows } = await db.query<{
    collector: string;
    casesWorked: number;
    activities: number;
    promisesKept: number;
    promisesDecided: number;
  }>(
    `WITH worked AS (
       SELECT collector, count(DISTINCT customer_id)::int AS cases_worked, count(*)::int AS activities
         FROM ${ACTIVITIES_TABLE} WHERE logged_on BETWEEN $1::date AND $2::date GROUP BY collector),
     promises AS (
       SELECT a.collector, count(*) FILTER (WHERE p.status = 'kept')::int AS kept, count(*)::int AS decided
         FROM ${ARRANGEMENTS_TABLE} p JOIN ${ASSIGNMENTS_TABLE} a USING (customer_id)
        WHERE p.status IN ('kept', 'broken') AND p.decided_on BETWEEN $1::date AND $2::date GROUP BY a.collector)
     SELECT COALESCE(w.collector, p.collector) AS collector, COALESCE(w.cases_worked, 0) AS "casesWorked",
            COALESCE(w.activities, 0) AS activities, COALESCE(p.kept, 0) AS "promisesKept", COALESCE(p.decided, 0) AS "promisesDecided"
       FROM worked w FULL JOIN promises p ON p.collector = w.collector ORDER BY 1`,
    [from, to],
  );
  const money = await collectorMoneyKpis(db, from, to, { assignments: ASSIGNMENTS_TABLE, openItems: OPEN_ITEMS_TABLE });
  const byCollector = new Map<string, CollectorKpis>();
  const entry = (collector: string): CollectorKpis => {
    let kpis = byCollector.get(collector);
    if (!kpis) {
      kpis = {
        collector,
        casesWorked: 0,
        activities: 0,
        promisesKept: 0,
        promisesDecided: 0,
        promisesKeptBasisPoints: null,
        amountCollected: [],
        cei: [],
      };
      byCollector.set(collector, kpis);
    }
    return kpis;
  };
  for (const r of rows) {
    Object.assign(entry(r.collector), r, {
      promisesKeptBasisPoints:
        r.promisesDecided > 0
          ? Number((BigInt(r.promisesKept) * 20_000n + BigInt(r.promisesDecided)) / (2n * BigInt(r.promisesDecided)))
          : null,
    });
  }
  for (const m of money) {
    const kpis = entry(m.collector);
    kpis.amountCollected.push({ amountMinor: m.collectedMinor.toString(), currency: m.currency });
    kpis.cei.push({
      currency: m.currency,
      basisPoints: m.ceiBasisPoints,
      beginning: m.beginningMinor.toString(),
      sales: m.salesMinor.toString(),
      ending: m.endingMinor.toString(),
      endingCurrent: m.endingCurrentMinor.toString(),
    });
  }
  return [...byCollector.values()].sort((a, b) => a.collector.localeCompare(b.collector));
}
