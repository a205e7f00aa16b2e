import type { Queryable } from '@arc/event-store';
import { isCurrencyCode, minorUnitExponent } from '@arc/money';
import { priorityScore } from '../domain';
import { ACTIVITIES_TABLE, ASSIGNMENTS_TABLE, DUNNING_STATE_TABLE, LEGAL_TABLE, TASKS_TABLE } from './dunning.view';
import { CUSTOMERS_TABLE, OPEN_ITEMS_TABLE } from './receivables.view';

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
  /** See priorityScore (src/domain/worklist.ts): higher first. */
  priority: number;
  nextActions: NextAction[];
}

/** Customers with money overdue on `on`, by priority, with their collector and the actions due by then. */
export async function worklist(db: Queryable, on: string, collector: string | undefined, limit: number): Promise<WorklistEntry[]> {
  const { rows } = await db.query<{
    customer_id: string;
    currency: string;
    overdue: string;
    days: number;
    legal_name: string | null;
    business_unit: string | null;
    credit_class: string | null;
    collector: string | null;
    broken: number | null;
    in_legal: boolean;
  }>(
    `SELECT i.customer_id::text, i.currency, sum(i.total_minor - i.credited_minor - i.allocated_minor)::text AS overdue,
            ($1::date - min(i.due_date))::int AS days, c.legal_name, c.business_unit, c.credit_class, a.collector,
            s.broken_promises AS broken,
            EXISTS (SELECT 1 FROM ${LEGAL_TABLE} l WHERE l.customer_id = i.customer_id AND l.status = 'open') AS in_legal
       FROM ${OPEN_ITEMS_TABLE} i
       LEFT JOIN ${CUSTOMERS_TABLE} c USING (customer_id)
       LEFT JOIN ${ASSIGNMENTS_TABLE} a USING (customer_id)
       LEFT JOIN ${DUNNING_STATE_TABLE} s USING (customer_id)
      WHERE i.due_date < $1::date AND i.total_minor - i.credited_minor - i.allocated_minor > 0
        AND ($2::text IS NULL OR a.collector = $2)
      GROUP BY i.customer_id, i.currency, c.legal_name, c.business_unit, c.credit_class, a.collector, s.broken_promises`,
    [on, collector ?? null],
  );
  const entries = rows.map((r): WorklistEntry => {
    const currency = r.currency.trim();
    const exponent = isCurrencyCode(currency) ? minorUnitExponent(currency) : 2;
    return {
      customerId: r.customer_id,
      legalName: r.legal_name,
      businessUnit: r.business_unit,
      creditClass: r.credit_class,
      collector: r.collector,
      overdue: { amountMinor: r.overdue, currency },
      daysPastDue: r.days,
      brokenPromises: r.broken ?? 0,
      inLegal: r.in_legal,
      priority: Math.round(priorityScore(BigInt(r.overdue), exponent, r.credit_class, r.days, r.broken ?? 0) * 100) / 100,
      nextActions: [],
    };
  });
  entries.sort((a, b) => b.priority - a.priority || a.customerId.localeCompare(b.customerId));
  const page = entries.slice(0, limit);
  const ids = page.map((e) => e.customerId);
  if (ids.length === 0) return page;
  const actions = await db.query<{ customer_id: string; kind: string; due_on: string; description: string }>(
    `SELECT customer_id::text, kind, to_char(due_on, 'YYYY-MM-DD') AS due_on, description FROM ${TASKS_TABLE}
      WHERE customer_id = ANY($1::uuid[]) AND due_on <= $2::date
     UNION ALL
     SELECT customer_id::text, 'follow-up', to_char(next_action_on, 'YYYY-MM-DD'), kind || ': ' || outcome FROM ${ACTIVITIES_TABLE}
      WHERE customer_id = ANY($1::uuid[]) AND next_action_on <= $2::date
     ORDER BY due_on`,
    [ids, on],
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

/** Per collector over a period: cases worked (customers with an activity), promises decided and kept. */
export async function collectorKpis(db: Queryable, from: string, to: string): Promise<Record<string, unknown>[]> {
  const { rows } = await db.query(
    `WITH worked AS (
       SELECT collector, count(DISTINCT customer_id)::int AS cases_worked, count(*)::int AS activities
         FROM ${ACTIVITIES_TABLE} WHERE logged_on BETWEEN $1::date AND $2::date GROUP BY collector),
     promises AS (
       SELECT a.collector, count(*) FILTER (WHERE p.status = 'kept')::int AS kept, count(*)::int AS decided
         FROM collections_arrangements p JOIN ${ASSIGNMENTS_TABLE} a USING (customer_id)
        WHERE p.status IN ('kept', 'broken') AND p.decided_on BETWEEN $1::date AND $2::date GROUP BY a.collector)
     SELECT COALESCE(w.collector, p.collector) AS collector, COALESCE(w.cases_worked, 0) AS "casesWorked",
            COALESCE(w.activities, 0) AS activities, COALESCE(p.kept, 0) AS "promisesKept", COALESCE(p.decided, 0) AS "promisesDecided"
       FROM worked w FULL JOIN promises p ON p.collector = w.collector ORDER BY 1`,
    [from, to],
  );
  return rows.map((r) => ({
    ...r,
    promisesKeptBasisPoints: r.promisesDecided > 0 ? Math.round((r.promisesKept * 10000) / r.promisesDecided) : null,
  }));
}
