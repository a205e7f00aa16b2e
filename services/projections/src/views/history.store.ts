import { parseBusinessDate, type BusinessDate } from '@arc/clock';
import type { Queryable } from '@arc/event-store';
import { currencyCode, money } from '@arc/money';
import type { AgingBucketSet, LedgerMovement, MovementKind } from '../domain';
import { BUCKET_SETS_TABLE, CLOSED_DAYS_TABLE, DAILY_CUSTOMER_TABLE, DAILY_SEGMENT_TABLE, MOVEMENTS_TABLE } from './history-schema';
import { EXPOSURE_TABLE, REPORTING_SCHEMA } from './tables';

/*
 * The history side of the read model: dated movements, closed days and the daily customer snapshots, with a
 * given connection (the batch transaction for writes, the pool or a read-only snapshot for the API).
 */

/**
 * Stores movements once (a redelivered event is the same movement), then dates reductions whose allocation is known
 * (unless `dateReductions` is false: a replay dates them all at its end, datePendingReductions).
 */
export async function saveMovements(db: Queryable, movements: readonly LedgerMovement[], { dateReductions = true } = {}): Promise<void> {
  if (movements.length === 0) return;
  const doc = movements.map((m) => ({
    movement_id: m.movementId,
    invoice_id: m.invoiceId,
    customer_id: m.customerId,
    currency: m.amount.currency,
    kind: m.kind,
    effective_on: m.effectiveOn,
    amount_minor: m.amount.amountMinor.toString(),
    payment_id: m.paymentId,
    reason: m.reason,
  }));
  await db.query(
    `INSERT INTO ${MOVEMENTS_TABLE} (movement_id, invoice_id, customer_id, currency, kind, effective_on, amount_minor, payment_id, reason)
     SELECT movement_id, invoice_id, customer_id, currency, kind, effective_on, amount_minor, payment_id, reason
       FROM jsonb_to_recordset($1::jsonb) AS x(movement_id text, invoice_id text, customer_id text, currency text, kind text,
            effective_on date, amount_minor numeric, payment_id text, reason text)
     ON CONFLICT (movement_id) DO NOTHING`,
    [JSON.stringify(doc)],
  );
  if (dateReductions) await datePendingReductions(db, [...new Set(movements.map((m) => m.customerId))]);
}

/**
 * Dates what has none of its own, as resolveReductionDates (domain/as-of.ts): a reversal's reductions and withdrawn
 * discounts the reversal's date; any other reduction the earliest allocation of its payment to its invoice. For these
 * customers, or every customer (null).
 */
export async function datePendingReductions(db: Queryable, customers: readonly string[] | null): Promise<void> {
  await db.query(
    `UPDATE ${MOVEMENTS_TABLE} r
        SET effective_on = v.effective_on
       FROM ${MOVEMENTS_TABLE} v
      WHERE r.effective_on IS NULL AND ($1::text[] IS NULL OR r.customer_id = ANY($1::text[]))
        AND (r.kind = 'discount-withdrawn' OR (r.kind = 'allocation-reduced' AND r.reason = 'payment-reversed'))
        AND v.kind = 'payment-reversed' AND v.payment_id = r.payment_id AND v.customer_id = r.customer_id`,
    [customers],
  );
  await db.query(
    `UPDATE ${MOVEMENTS_TABLE} r
        SET effective_on = a.effective_on
       FROM (SELECT payment_id, invoice_id, min(effective_on) AS effective_on FROM ${MOVEMENTS_TABLE}
              WHERE kind = 'allocated' AND ($1::text[] IS NULL OR customer_id = ANY($1::text[])) GROUP BY payment_id, invoice_id) a
      WHERE r.kind = 'allocation-reduced' AND r.reason IS DISTINCT FROM 'payment-reversed' AND r.effective_on IS NULL
        AND ($1::text[] IS NULL OR r.customer_id = ANY($1::text[])) AND a.payment_id = r.payment_id AND a.invoice_id = r.invoice_id`,
    [customers],
  );
}

type MovementRecord = {
  movement_id: string;
  invoice_id: string;
  customer_id: string;
  currency: string;
  kind: MovementKind;
  effective_on: string | null;
  amount_minor: string;
  payment_id: string | null;
  reason: string | null;
};

/** Every movement of these customers. */
export async function loadMovements(db: Queryable, customerIds: readonly string[]): Promise<LedgerMovement[]> {
  const { rows } = await db.query<MovementRecord>(
    `SELECT movement_id, invoice_id, customer_id, currency, kind, effective_on::text AS effective_on, amount_minor::text AS amount_minor, payment_id, reason
       FROM ${MOVEMENTS_TABLE} WHERE customer_id = ANY($1::text[]) ORDER BY movement_id`,
    [customerIds],
  );
  return rows.map((r) => ({
    movementId: r.movement_id,
    invoiceId: r.invoice_id,
    customerId: r.customer_id,
    kind: r.kind,
    effectiveOn: r.effective_on === null ? null : parseBusinessDate(r.effective_on),
    amount: money(BigInt(r.amount_minor), currencyCode(r.currency.trim())),
    paymentId: r.payment_id,
    reason: r.reason,
  }));
}

/** Records the days closed; answers those not recorded before (the days to snapshot). */
export async function recordClosedDays(db: Queryable, days: readonly BusinessDate[]): Promise<BusinessDate[]> {
  if (days.length === 0) return [];
  const { rows } = await db.query<{ day: string }>(
    `INSERT INTO ${CLOSED_DAYS_TABLE} (day) SELECT unnest($1::date[]) ON CONFLICT (day) DO NOTHING RETURNING day::text AS day`,
    [days],
  );
  return rows.map((r) => parseBusinessDate(r.day)).sort();
}

/** The latest day closed; null before the first close. */
export async function lastClosedDay(db: Queryable): Promise<BusinessDate | null> {
  const { rows } = await db.query<{ day: string | null }>(`SELECT max(day)::text AS day FROM ${CLOSED_DAYS_TABLE}`);
  const day = rows[0]?.day ?? null;
  return day === null ? null : parseBusinessDate(day);
}

/** The closed days from `from` on, in order. */
export async function closedDaysFrom(db: Queryable, from: BusinessDate): Promise<BusinessDate[]> {
  const { rows } = await db.query<{ day: string }>(`SELECT day::text AS day FROM ${CLOSED_DAYS_TABLE} WHERE day >= $1::date ORDER BY day`, [
    from,
  ]);
  return rows.map((r) => parseBusinessDate(r.day));
}

/**
 * (Re)writes the daily snapshot of `day` for these customers (every customer when null): aging in the default
 * set, overdue, total open and oldest days past due of the ledger as of that day, per customer × currency, with
 * the business unit and class the customer has at the time of writing (segments of the BI views and KPIs); then
 * the day's sums per segment (portfolio, business unit, credit class) × currency.
 */
export async function snapshotDay(db: Queryable, day: BusinessDate, customerIds: readonly string[] | null): Promise<void> {
  await db.query(`DELETE FROM ${DAILY_CUSTOMER_TABLE} WHERE day = $1::date AND ($2::text[] IS NULL OR customer_id = ANY($2::text[]))`, [
    day,
    customerIds,
  ]);
  await db.query(
    `INSERT INTO ${DAILY_CUSTOMER_TABLE} (day, customer_id, currency, business_unit, credit_class, not_yet_due_minor, bucket_1_30_minor,
       bucket_31_60_minor, bucket_61_90_minor, bucket_90_plus_minor, overdue_minor, total_open_minor, disputed_minor, oldest_days_past_due)
     SELECT $1::date, a.customer_id, a.currency, e.business_unit, e.credit_class,
            coalesce(sum(a.open_balance_minor) FILTER (WHERE NOT a.overdue), 0),
            coalesce(sum(a.open_balance_minor) FILTER (WHERE a.overdue AND a.days_past_due <= 30), 0),
            coalesce(sum(a.open_balance_minor) FILTER (WHERE a.overdue AND a.days_past_due BETWEEN 31 AND 60), 0),
            coalesce(sum(a.open_balance_minor) FILTER (WHERE a.overdue AND a.days_past_due BETWEEN 61 AND 90), 0),
            coalesce(sum(a.open_balance_minor) FILTER (WHERE a.overdue AND a.days_past_due > 90), 0),
            coalesce(sum(a.open_balance_minor) FILTER (WHERE a.overdue), 0),
            coalesce(sum(a.open_balance_minor), 0),
            coalesce(sum(a.disputed_minor), 0),
            max(a.days_past_due) FILTER (WHERE a.overdue)
       FROM ${REPORTING_SCHEMA}.ar_ledger_as_of($1::date, $2::text[]) a
       LEFT JOIN ${EXPOSURE_TABLE} e ON e.customer_id = a.customer_id
      GROUP BY a.customer_id, a.currency, e.business_unit, e.credit_class`,
    [day, customerIds],
  );
  // The segment sums of that day, from the whole day's customer snapshot.
  await db.query(`DELETE FROM ${DAILY_SEGMENT_TABLE} WHERE day = $1::date`, [day]);
  await db.query(
    `INSERT INTO ${DAILY_SEGMENT_TABLE} (day, segment_kind, segment_key, currency, customers, not_yet_due_minor, bucket_1_30_minor,
       bucket_31_60_minor, bucket_61_90_minor, bucket_90_plus_minor, overdue_minor, total_open_minor, disputed_minor)
     SELECT s.day, g.kind, g.key, s.currency, count(DISTINCT s.customer_id), sum(s.not_yet_due_minor), sum(s.bucket_1_30_minor),
            sum(s.bucket_31_60_minor), sum(s.bucket_61_90_minor), sum(s.bucket_90_plus_minor), sum(s.overdue_minor),
            sum(s.total_open_minor), sum(s.disputed_minor)
       FROM ${DAILY_CUSTOMER_TABLE} s
      CROSS JOIN LATERAL (VALUES ('portfolio', ''), ('business-unit', s.business_unit), ('credit-class', s.credit_class)) AS g(kind, key)
      WHERE s.day = $1::date AND g.key IS NOT NULL
      GROUP BY s.day, g.kind, g.key, s.currency`,
    [day],
  );
}

/**
 * Re-attributes the snapshots of customers that changed business unit or class (set-based: one update, then the
 * segment sums of the days concerned); answers those days (their KPIs are recomputed).
 */
export async function moveSegments(
  db: Queryable,
  moves: ReadonlyMap<string, { businessUnit: string | null; creditClass: string | null }>,
): Promise<BusinessDate[]> {
  if (moves.size === 0) return [];
  const doc = [...moves].map(([customer_id, m]) => ({ customer_id, business_unit: m.businessUnit, credit_class: m.creditClass }));
  const { rows } = await db.query<{ day: string }>(
    `WITH moved AS (
       UPDATE ${DAILY_CUSTOMER_TABLE} s SET business_unit = x.business_unit, credit_class = x.credit_class
         FROM jsonb_to_recordset($1::jsonb) AS x(customer_id text, business_unit text, credit_class text)
        WHERE s.customer_id = x.customer_id
          AND (s.business_unit IS DISTINCT FROM x.business_unit OR s.credit_class IS DISTINCT FROM x.credit_class)
       RETURNING s.day
     ) SELECT DISTINCT day::text AS day FROM moved ORDER BY 1`,
    [JSON.stringify(doc)],
  );
  const days = rows.map((r) => parseBusinessDate(r.day));
  if (days.length === 0) return [];
  await db.query(`DELETE FROM ${DAILY_SEGMENT_TABLE} WHERE day = ANY($1::date[])`, [days]);
  await db.query(
    `INSERT INTO ${DAILY_SEGMENT_TABLE} (day, segment_kind, segment_key, currency, customers, not_yet_due_minor, bucket_1_30_minor,
       bucket_31_60_minor, bucket_61_90_minor, bucket_90_plus_minor, overdue_minor, total_open_minor, disputed_minor)
     SELECT s.day, g.kind, g.key, s.currency, count(DISTINCT s.customer_id), sum(s.not_yet_due_minor), sum(s.bucket_1_30_minor),
            sum(s.bucket_31_60_minor), sum(s.bucket_61_90_minor), sum(s.bucket_90_plus_minor), sum(s.overdue_minor),
            sum(s.total_open_minor), sum(s.disputed_minor)
       FROM ${DAILY_CUSTOMER_TABLE} s
      CROSS JOIN LATERAL (VALUES ('portfolio', ''), ('business-unit', s.business_unit), ('credit-class', s.credit_class)) AS g(kind, key)
      WHERE s.day = ANY($1::date[]) AND g.key IS NOT NULL
      GROUP BY s.day, g.kind, g.key, s.currency`,
    [days],
  );
  return days;
}

export interface StoredBucketSet extends AgingBucketSet {
  readonly basis: 'due-date' | 'invoice-date';
  readonly active: boolean;
  readonly createdBy: string;
  readonly createdAt: string;
}

type BucketSetRecord = {
  id: string;
  basis: 'due-date' | 'invoice-date';
  buckets: AgingBucketSet['buckets'];
  active: boolean;
  created_by: string;
  created_at: string;
};

const toBucketSet = (r: BucketSetRecord): StoredBucketSet => ({
  id: r.id,
  basis: r.basis,
  buckets: r.buckets,
  active: r.active,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

/** The configured bucket sets (active ones only unless told), by creation. */
export async function loadBucketSets(db: Queryable, { activeOnly = true } = {}): Promise<StoredBucketSet[]> {
  const { rows } = await db.query<BucketSetRecord>(
    `SELECT id, basis, buckets, active, created_by, to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created_at
       FROM ${BUCKET_SETS_TABLE} WHERE active OR NOT $1 ORDER BY created_at, id`,
    [activeOnly],
  );
  return rows.map(toBucketSet);
}

/** Stores a new set; false when the id is taken (a set's definition never changes: figures published under it keep their meaning). */
export async function insertBucketSet(db: Queryable, set: AgingBucketSet, createdBy: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO ${BUCKET_SETS_TABLE} (id, basis, buckets, created_by) VALUES ($1, $2, $3::jsonb, $4) ON CONFLICT (id) DO NOTHING`,
    [set.id, set.basis ?? 'due-date', JSON.stringify(set.buckets), createdBy],
  );
  return rowCount === 1;
}

/** Deactivates (or reactivates) a set; false when there is no such set. */
export async function setBucketSetActive(db: Queryable, id: string, active: boolean): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE ${BUCKET_SETS_TABLE} SET active = $2 WHERE id = $1`, [id, active]);
  return rowCount === 1;
}
