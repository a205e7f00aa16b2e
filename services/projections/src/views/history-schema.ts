/*
 * The history side of the read model (issue 14): dated ledger movements (true "as of"), the days closed, the
 * daily snapshots taken at each close, the daily KPIs, and the aging bucket sets configured over the API.
 * Plain SQL like schema.ts, applied in the same migration transaction, idempotent.
 */
import { LEDGER_TABLE, REPORTING_SCHEMA } from './tables';

export const MOVEMENTS_TABLE = 'projections_ledger_movements';
export const CLOSED_DAYS_TABLE = 'projections_closed_days';
export const DAILY_CUSTOMER_TABLE = 'projections_daily_customer';
export const DAILY_KPIS_TABLE = 'projections_daily_kpis';
export const DAILY_SEGMENT_TABLE = 'projections_daily_segment';
export const PAYMENT_BEHAVIOUR_TABLE = 'projections_payment_behaviour';
export const CASES_TABLE = 'projections_collection_cases';
/** Configuration, not derived from the topics: a rebuild keeps it. */
export const BUCKET_SETS_TABLE = 'projections_bucket_sets';

/** Derived from the topics: a rebuild empties and refills them. */
export const HISTORY_TABLES = [
  MOVEMENTS_TABLE,
  CLOSED_DAYS_TABLE,
  DAILY_CUSTOMER_TABLE,
  DAILY_KPIS_TABLE,
  PAYMENT_BEHAVIOUR_TABLE,
  CASES_TABLE,
];

export const historyTablesDdl = (): string => `
  CREATE TABLE IF NOT EXISTS ${MOVEMENTS_TABLE} (
    movement_id   text PRIMARY KEY,
    invoice_id    text NOT NULL,
    customer_id   text NOT NULL,
    currency      char(3) NOT NULL,
    kind          text NOT NULL,
    effective_on  date,
    amount_minor  numeric NOT NULL,
    payment_id    text
  );
  ALTER TABLE ${MOVEMENTS_TABLE} ADD COLUMN IF NOT EXISTS reason text;
  CREATE INDEX IF NOT EXISTS ${MOVEMENTS_TABLE}_customer ON ${MOVEMENTS_TABLE} (customer_id);
  CREATE INDEX IF NOT EXISTS ${MOVEMENTS_TABLE}_invoice ON ${MOVEMENTS_TABLE} (invoice_id);
  CREATE INDEX IF NOT EXISTS ${MOVEMENTS_TABLE}_effective ON ${MOVEMENTS_TABLE} (effective_on);
  CREATE INDEX IF NOT EXISTS ${LEDGER_TABLE}_issue_date ON ${LEDGER_TABLE} (issue_date);

  CREATE TABLE IF NOT EXISTS ${CLOSED_DAYS_TABLE} (day date PRIMARY KEY);

  CREATE TABLE IF NOT EXISTS ${DAILY_CUSTOMER_TABLE} (
    day                   date NOT NULL,
    customer_id           text NOT NULL,
    currency              char(3) NOT NULL,
    business_unit         text,
    credit_class          text,
    not_yet_due_minor     numeric NOT NULL,
    bucket_1_30_minor     numeric NOT NULL,
    bucket_31_60_minor    numeric NOT NULL,
    bucket_61_90_minor    numeric NOT NULL,
    bucket_90_plus_minor  numeric NOT NULL,
    overdue_minor         numeric NOT NULL,
    total_open_minor      numeric NOT NULL,
    disputed_minor        numeric NOT NULL,
    oldest_days_past_due  integer,
    PRIMARY KEY (day, customer_id, currency)
  );
  CREATE INDEX IF NOT EXISTS ${DAILY_CUSTOMER_TABLE}_customer ON ${DAILY_CUSTOMER_TABLE} (customer_id, day);

  -- The customer snapshot summed per segment at each close (what BI's per-business-unit aging reads: a few rows a day).
  CREATE TABLE IF NOT EXISTS ${DAILY_SEGMENT_TABLE} (
    day                   date NOT NULL,
    segment_kind          text NOT NULL,
    segment_key           text NOT NULL,
    currency              char(3) NOT NULL,
    customers             integer NOT NULL,
    not_yet_due_minor     numeric NOT NULL,
    bucket_1_30_minor     numeric NOT NULL,
    bucket_31_60_minor    numeric NOT NULL,
    bucket_61_90_minor    numeric NOT NULL,
    bucket_90_plus_minor  numeric NOT NULL,
    overdue_minor         numeric NOT NULL,
    total_open_minor      numeric NOT NULL,
    disputed_minor        numeric NOT NULL,
    PRIMARY KEY (day, segment_kind, segment_key, currency)
  );

  CREATE TABLE IF NOT EXISTS ${DAILY_KPIS_TABLE} (
    day           date NOT NULL,
    segment_kind  text NOT NULL,
    segment_key   text NOT NULL,
    currency      char(3) NOT NULL,
    period_days   integer NOT NULL,
    data          jsonb NOT NULL,
    PRIMARY KEY (day, segment_kind, segment_key, currency)
  );

  CREATE TABLE IF NOT EXISTS ${PAYMENT_BEHAVIOUR_TABLE} (
    customer_id  text PRIMARY KEY,
    as_of        date NOT NULL,
    data         jsonb NOT NULL
  );

  CREATE TABLE IF NOT EXISTS ${CASES_TABLE} (
    case_id                           text PRIMARY KEY,
    customer_id                       text NOT NULL,
    currency                          char(3),
    opened_on                         date,
    overdue_at_opening_minor          numeric,
    oldest_days_past_due_at_opening   integer,
    closed_on                         date,
    closure                           text
  );

  CREATE TABLE IF NOT EXISTS ${BUCKET_SETS_TABLE} (
    id          text PRIMARY KEY,
    basis       text NOT NULL CHECK (basis IN ('due-date', 'invoice-date')),
    buckets     jsonb NOT NULL,
    active      boolean NOT NULL DEFAULT true,
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
  );
`;

/*
 * reporting.ar_ledger_as_of(date[, customers]): the AR ledger as it stood at the end of a business date — invoices issued by
 * then, movements dated by then, the open balance by the one rule (@arc/receivables: charged = amount + debit
 * notes − credit notes − write-offs, never below zero; open = charged − min(allocated, charged)). SECURITY
 * DEFINER so the BI role, which reads no private table, can call it; search_path fixed at creation.
 */
export const historyViews = (): string => `
  DROP FUNCTION IF EXISTS ${REPORTING_SCHEMA}.ar_ledger_as_of(date, text[]);
  CREATE OR REPLACE FUNCTION ${REPORTING_SCHEMA}.ar_ledger_as_of(as_of date, customers text[] DEFAULT NULL)
  RETURNS TABLE (invoice_id text, invoice_number text, customer_id text, currency text, issue_date date, due_date date,
                 amount_minor numeric, paid_minor numeric, credited_minor numeric, written_off_minor numeric,
                 debit_noted_minor numeric, disputed_minor numeric, open_balance_minor numeric, days_past_due integer, overdue boolean)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path FROM CURRENT AS $fn$
    WITH m AS (
      SELECT mv.invoice_id,
             coalesce(sum(mv.amount_minor) FILTER (WHERE mv.kind = 'allocated'), 0)
               - coalesce(sum(mv.amount_minor) FILTER (WHERE mv.kind = 'allocation-reduced'), 0) AS paid,
             coalesce(sum(mv.amount_minor) FILTER (WHERE mv.kind IN ('credit-note', 'cancelled', 'discount')), 0)
               - coalesce(sum(mv.amount_minor) FILTER (WHERE mv.kind = 'discount-withdrawn'), 0) AS credited,
             coalesce(sum(mv.amount_minor) FILTER (WHERE mv.kind = 'write-off'), 0)
               - coalesce(sum(mv.amount_minor) FILTER (WHERE mv.kind = 'write-off-recovered'), 0) AS written_off,
             coalesce(sum(mv.amount_minor) FILTER (WHERE mv.kind = 'debit-note'), 0) AS debit_noted,
             coalesce(sum(mv.amount_minor) FILTER (WHERE mv.kind = 'dispute-raised'), 0)
               - coalesce(sum(mv.amount_minor) FILTER (WHERE mv.kind = 'dispute-resolved'), 0) AS disputed
        FROM ${MOVEMENTS_TABLE} mv
       WHERE mv.effective_on <= as_of AND (customers IS NULL OR mv.customer_id = ANY(customers))
       GROUP BY mv.invoice_id
    ), f AS (
      SELECT l.invoice_id, l.invoice_number, l.customer_id, l.currency::text AS currency, l.issue_date, l.due_date, l.amount_minor,
             coalesce(m.paid, 0) AS paid, coalesce(m.credited, 0) AS credited, coalesce(m.written_off, 0) AS written_off,
             coalesce(m.debit_noted, 0) AS debit_noted, greatest(coalesce(m.disputed, 0), 0) AS disputed,
             greatest(l.amount_minor + coalesce(m.debit_noted, 0) - coalesce(m.credited, 0) - coalesce(m.written_off, 0), 0) AS charged
        FROM ${LEDGER_TABLE} l LEFT JOIN m ON m.invoice_id = l.invoice_id
       WHERE l.amount_minor IS NOT NULL AND l.issue_date <= as_of AND (customers IS NULL OR l.customer_id = ANY(customers))
    )
    SELECT f.invoice_id, f.invoice_number, f.customer_id, f.currency, f.issue_date, f.due_date, f.amount_minor,
           f.paid, f.credited, f.written_off, f.debit_noted,
           least(f.disputed, f.charged - least(greatest(f.paid, 0), f.charged)) AS disputed_minor,
           f.charged - least(greatest(f.paid, 0), f.charged) AS open_balance_minor,
           (as_of - f.due_date) AS days_past_due,
           (f.charged - least(greatest(f.paid, 0), f.charged) > 0 AND f.due_date < as_of) AS overdue
      FROM f
  $fn$;

  CREATE OR REPLACE VIEW ${REPORTING_SCHEMA}.customer_aging_daily AS
  SELECT day, customer_id, currency::text AS currency, business_unit, credit_class, 'days-30-60-90'::text AS bucket_set_id,
         not_yet_due_minor, bucket_1_30_minor, bucket_31_60_minor, bucket_61_90_minor, bucket_90_plus_minor,
         overdue_minor, total_open_minor, disputed_minor, oldest_days_past_due
    FROM ${DAILY_CUSTOMER_TABLE};

  DROP VIEW IF EXISTS ${REPORTING_SCHEMA}.segment_aging_daily;
  CREATE VIEW ${REPORTING_SCHEMA}.segment_aging_daily AS
  SELECT day, segment_kind, nullif(segment_key, '') AS segment_key, currency::text AS currency, customers,
         not_yet_due_minor, bucket_1_30_minor, bucket_31_60_minor, bucket_61_90_minor, bucket_90_plus_minor,
         overdue_minor, total_open_minor, disputed_minor
    FROM ${DAILY_SEGMENT_TABLE};

  CREATE OR REPLACE VIEW ${REPORTING_SCHEMA}.portfolio_kpis_daily AS
  SELECT day AS as_of, segment_kind, nullif(segment_key, '') AS segment_key, currency::text AS currency, period_days,
         (data->'totalAr'->>'amountMinor')::numeric AS total_ar_minor,
         (data->'overdue'->>'amountMinor')::numeric AS overdue_minor,
         (data->'currentAr'->>'amountMinor')::numeric AS current_ar_minor,
         (data->'openingAr'->>'amountMinor')::numeric AS opening_ar_minor,
         (data->'creditSales'->>'amountMinor')::numeric AS credit_sales_minor,
         (data->'collected'->>'amountMinor')::numeric AS collected_minor,
         (data->'writtenOff'->>'amountMinor')::numeric AS written_off_minor,
         (data->'disputed'->>'amountMinor')::numeric AS disputed_minor,
         (data->>'overdueRatioBasisPoints')::integer AS overdue_ratio_bp,
         (data->>'dsoDays')::integer AS dso_days,
         (data->>'dsoCountbackDays')::integer AS dso_countback_days,
         (data->>'bestPossibleDsoDays')::integer AS best_possible_dso_days,
         (data->>'averageDaysDelinquent')::integer AS average_days_delinquent,
         (data->>'arTurnoverBasisPoints')::integer AS ar_turnover_bp,
         (data->>'ceiBasisPoints')::integer AS cei_bp,
         (data->>'badDebtRatioBasisPoints')::integer AS bad_debt_ratio_bp,
         (data->>'collectionRateBasisPoints')::integer AS collection_rate_bp,
         (data->>'disputeRateBasisPoints')::integer AS dispute_rate_bp
    FROM ${DAILY_KPIS_TABLE};

  CREATE OR REPLACE VIEW ${REPORTING_SCHEMA}.collection_cases AS
  SELECT case_id, customer_id, currency::text AS currency, opened_on, overdue_at_opening_minor, oldest_days_past_due_at_opening,
         CASE WHEN closed_on IS NULL THEN 'open' ELSE 'closed' END AS status, closed_on, closure
    FROM ${CASES_TABLE} WHERE opened_on IS NOT NULL;

  CREATE OR REPLACE VIEW ${REPORTING_SCHEMA}.customer_payment_behaviour AS
  SELECT customer_id, as_of, (w->>'months')::integer AS window_months, (w->>'invoicesCounted')::integer AS invoices_counted,
         (w->>'invoicesSettled')::integer AS invoices_settled, (w->>'averageDaysToPay')::integer AS average_days_to_pay,
         (w->>'weightedDaysLate')::integer AS weighted_days_late, (w->>'onTimeRatioBasisPoints')::integer AS on_time_ratio_bp,
         data->>'trend' AS trend
    FROM ${PAYMENT_BEHAVIOUR_TABLE} CROSS JOIN LATERAL jsonb_array_elements(data->'windows') AS w;

  CREATE OR REPLACE VIEW ${REPORTING_SCHEMA}.aging_bucket_sets AS
  SELECT id AS bucket_set_id, basis, active, b.ordinality::integer AS bucket_order, b.bucket->>'label' AS label,
         (b.bucket->'upTo'->>'days')::integer AS up_to_days, (b.bucket->'upTo'->>'months')::integer AS up_to_months
    FROM ${BUCKET_SETS_TABLE} CROSS JOIN LATERAL jsonb_array_elements(buckets) WITH ORDINALITY AS b(bucket, ordinality);

  -- Aging of the open items as of the last closed day in every active bucket set (configured over the API).
  CREATE OR REPLACE VIEW ${REPORTING_SCHEMA}.customer_aging_by_set AS
  SELECT l.customer_id, l.currency, l.as_of, s.id AS bucket_set_id, s.basis,
         coalesce(b.ord, 0)::integer AS bucket_order, coalesce(b.label, 'not-yet-due') AS bucket,
         sum(l.open_balance_minor) AS amount_minor, count(*) AS invoices
    FROM ${REPORTING_SCHEMA}.ar_ledger l
    CROSS JOIN ${BUCKET_SETS_TABLE} s
    LEFT JOIN LATERAL (
      SELECT x.bucket->>'label' AS label, x.ord
        FROM jsonb_array_elements(s.buckets) WITH ORDINALITY AS x(bucket, ord)
       WHERE l.due_date < l.as_of
         AND (jsonb_typeof(x.bucket->'upTo') = 'null'
              OR l.as_of <= (CASE WHEN s.basis = 'invoice-date' THEN l.issue_date ELSE l.due_date END)
                            + make_interval(days => coalesce((x.bucket->'upTo'->>'days')::integer, 0),
                                            months => coalesce((x.bucket->'upTo'->>'months')::integer, 0)))
       ORDER BY x.ord
       LIMIT 1
    ) b ON true
   WHERE s.active AND l.open_balance_minor > 0
   GROUP BY l.customer_id, l.currency, l.as_of, s.id, s.basis, b.ord, b.label;
`;
