import type { BusinessDate } from '@arc/clock';
import type { CustomerPaymentBehaviourChangedData } from '@arc/contracts';
import type { Queryable } from '@arc/event-store';
import { paymentBehaviourData, type WindowSums } from '../domain';
import { MOVEMENTS_TABLE, PAYMENT_BEHAVIOUR_TABLE } from './history-schema';
import { LEDGER_TABLE } from './tables';

/*
 * Payment behaviour per customer from the ledger, summed in SQL per window exactly as domain/payment-behaviour.ts
 * windowSums does per invoice (the domain function is the reference, unit-tested by hand): an invoice is settled
 * on the date of its last movement once nothing is open on it (disputes do not settle anything).
 */
export async function computePaymentBehaviour(
  db: Queryable,
  asOf: BusinessDate,
  customerIds: readonly string[] | null,
): Promise<CustomerPaymentBehaviourChangedData[]> {
  const { rows } = await db.query<{
    customer_id: string;
    months: 3 | 6 | 12;
    counted: number;
    settled: number;
    on_time: number;
    days_to_pay: string;
    late: string;
    amount: string;
  }>(
    `WITH last_movement AS (
       SELECT invoice_id, max(effective_on) AS last_on FROM ${MOVEMENTS_TABLE}
        WHERE kind NOT IN ('dispute-raised', 'dispute-resolved', 'payment-reversed') AND ($2::text[] IS NULL OR customer_id = ANY($2::text[]))
        GROUP BY invoice_id
     ), inv AS (
       SELECT l.customer_id, l.issue_date, l.due_date, l.amount_minor,
              CASE WHEN l.open_balance_minor = 0 THEN m.last_on END AS settled_on
         FROM ${LEDGER_TABLE} l LEFT JOIN last_movement m ON m.invoice_id = l.invoice_id
        WHERE l.amount_minor IS NOT NULL AND l.issue_date <= $1::date AND ($2::text[] IS NULL OR l.customer_id = ANY($2::text[]))
     )
     SELECT inv.customer_id, w.months, count(*)::int AS counted, count(settled_on)::int AS settled,
            count(*) FILTER (WHERE settled_on <= due_date)::int AS on_time,
            coalesce(sum(greatest(settled_on - issue_date, 0)) FILTER (WHERE settled_on IS NOT NULL), 0)::text AS days_to_pay,
            sum(CASE WHEN settled_on IS NOT NULL THEN greatest(settled_on - due_date, 0) ELSE $1::date - due_date END * amount_minor)::text AS late,
            sum(amount_minor)::text AS amount
       FROM inv CROSS JOIN (VALUES (3), (6), (12)) AS w(months)
      WHERE (settled_on > ($1::date - make_interval(months => w.months))::date AND settled_on <= $1::date)
         OR (settled_on IS NULL AND due_date < $1::date AND due_date > ($1::date - make_interval(months => w.months))::date)
      GROUP BY inv.customer_id, w.months`,
    [asOf, customerIds],
  );
  const sums = new Map<string, WindowSums[]>();
  for (const r of rows) {
    const list = sums.get(r.customer_id) ?? [];
    list.push({
      months: r.months,
      counted: r.counted,
      settled: r.settled,
      onTime: r.on_time,
      daysToPay: BigInt(r.days_to_pay),
      lateAmountDays: BigInt(r.late),
      amount: BigInt(r.amount),
    });
    sums.set(r.customer_id, list);
  }
  // Every customer with an invoice, so one whose invoices all left the windows publishes its empty figures.
  const { rows: customers } = await db.query<{ customer_id: string }>(
    `SELECT DISTINCT customer_id FROM ${LEDGER_TABLE}
      WHERE amount_minor IS NOT NULL AND issue_date <= $1::date AND ($2::text[] IS NULL OR customer_id = ANY($2::text[])) ORDER BY 1`,
    [asOf, customerIds],
  );
  return customers.map(({ customer_id }) => paymentBehaviourData(customer_id, asOf, sums.get(customer_id) ?? []));
}

export async function savePaymentBehaviour(db: Queryable, figures: readonly CustomerPaymentBehaviourChangedData[]): Promise<void> {
  if (figures.length === 0) return;
  await db.query(
    `INSERT INTO ${PAYMENT_BEHAVIOUR_TABLE} (customer_id, as_of, data)
     SELECT x->>'customerId', (x->>'asOf')::date, x FROM jsonb_array_elements($1::jsonb) AS x
     ON CONFLICT (customer_id) DO UPDATE SET as_of = EXCLUDED.as_of, data = EXCLUDED.data`,
    [JSON.stringify(figures)],
  );
}

export async function loadPaymentBehaviour(db: Queryable, customerId: string): Promise<CustomerPaymentBehaviourChangedData | null> {
  const { rows } = await db.query<{ data: CustomerPaymentBehaviourChangedData }>(
    `SELECT data FROM ${PAYMENT_BEHAVIOUR_TABLE} WHERE customer_id = $1`,
    [customerId],
  );
  return rows[0]?.data ?? null;
}
