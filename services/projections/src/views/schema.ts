import type { Pool, PoolClient } from 'pg';
import { BUSINESS_DATE_TABLE, EXPOSURE_STATE_TABLE, EXPOSURE_TABLE, LEDGER_TABLE, PUBLISHED_TABLE, REPORTING_SCHEMA } from './tables';
import { BUCKET_SETS_TABLE, HISTORY_TABLES, historyTablesDdl, historyViews } from './history-schema';
import { DEFAULT_BUCKET_SET, MONTH_BUCKET_SET } from '../domain/aging-buckets';

/*
 * The service's own tables (private: only the service's database user reads them) and the `reporting`
 * schema BI reads. Plain SQL, applied at start-up, idempotent (IF NOT EXISTS / CREATE OR REPLACE). The
 * TypeORM decision of the architecture brief is open: nothing here depends on an ORM.
 */
export { BUSINESS_DATE_TABLE, EXPOSURE_STATE_TABLE, EXPOSURE_TABLE, LEDGER_TABLE, PUBLISHED_TABLE, REPORTING_SCHEMA };

/**
 * Everything the consumer derives from the topics (a rebuild empties them and replays the topics). Not
 * PUBLISHED_TABLE: it records what the change events announced, which a rebuild does not announce again.
 */
export const READ_MODEL_TABLES = [LEDGER_TABLE, EXPOSURE_STATE_TABLE, EXPOSURE_TABLE, BUSINESS_DATE_TABLE, ...HISTORY_TABLES];

const TABLES = `
  CREATE TABLE IF NOT EXISTS ${LEDGER_TABLE} (
    invoice_id          text PRIMARY KEY,
    customer_id         text NOT NULL,
    currency            char(3) NOT NULL,
    invoice_number      text,
    issue_date          date,
    due_date            date,
    amount_minor        numeric,
    reservation_id      text,
    paid_minor          numeric NOT NULL,
    credited_minor      numeric NOT NULL,
    disputed_minor      numeric NOT NULL,
    written_off_minor   numeric NOT NULL,
    debit_noted_minor   numeric NOT NULL,
    last_allocated_on   date,
    open_balance_minor  numeric,
    status              text,
    updated_at          timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX IF NOT EXISTS ${LEDGER_TABLE}_customer ON ${LEDGER_TABLE} (customer_id);
  -- Written by the projector from the one rule (@arc/receivables), so BI reads the figure every service counts.
  ALTER TABLE ${LEDGER_TABLE} ADD COLUMN IF NOT EXISTS open_balance_minor numeric;
  ALTER TABLE ${LEDGER_TABLE} ADD COLUMN IF NOT EXISTS status text;

  CREATE TABLE IF NOT EXISTS ${EXPOSURE_STATE_TABLE} (
    customer_id text PRIMARY KEY,
    state       jsonb NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
  );

  CREATE TABLE IF NOT EXISTS ${EXPOSURE_TABLE} (
    customer_id             text PRIMARY KEY,
    as_of                   date NOT NULL,
    currency                char(3) NOT NULL,
    business_unit           text,
    credit_limit_minor      numeric,
    open_ar_minor           numeric NOT NULL,
    overdue_minor           numeric NOT NULL,
    disputed_minor          numeric NOT NULL,
    reserved_minor          numeric NOT NULL,
    unapplied_cash_minor    numeric NOT NULL,
    exposure_minor          numeric NOT NULL,
    available_credit_minor  numeric,
    utilisation_bp          numeric,
    credit_class            text,
    on_hold                 boolean NOT NULL,
    updated_at              timestamptz NOT NULL DEFAULT now()
  );

  CREATE TABLE IF NOT EXISTS ${BUSINESS_DATE_TABLE} (
    singleton      boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    business_date  date NOT NULL,
    from_calendar  boolean NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
  );
  -- Set while a rebuild's replay has folded events whose history (exposure figures, snapshots, KPIs, payment
  -- behaviour) is computed once at the end of the replay instead of per batch (consumers/replay-settle.ts).
  ALTER TABLE ${BUSINESS_DATE_TABLE} ADD COLUMN IF NOT EXISTS history_pending boolean NOT NULL DEFAULT false;

  CREATE TABLE IF NOT EXISTS ${PUBLISHED_TABLE} (
    subject     text PRIMARY KEY,
    data        jsonb NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
  );
`;

/*
 * Amount columns are numeric without a precision, so any sum of bounded amounts fits and a rebuild can never
 * fail on a figure that live batches wrote. Tables created with numeric(38, 0) (or an integer utilisation)
 * are widened once; the reporting views that read the columns are dropped first (PostgreSQL refuses to
 * change a column a view uses) and created again right after, in the same transaction.
 */
const WIDEN_AMOUNT_COLUMNS = `
  DO $$
  DECLARE c record;
  BEGIN
    IF EXISTS (
      SELECT 1 FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name IN ('${LEDGER_TABLE}', '${EXPOSURE_TABLE}')
         AND ((data_type = 'numeric' AND numeric_precision IS NOT NULL) OR (column_name = 'utilisation_bp' AND data_type <> 'numeric'))
    ) THEN
      DROP VIEW IF EXISTS ${REPORTING_SCHEMA}.customer_aging;
      DROP VIEW IF EXISTS ${REPORTING_SCHEMA}.customer_aging_by_set;
      DROP VIEW IF EXISTS ${REPORTING_SCHEMA}.customer_exposure;
      DROP VIEW IF EXISTS ${REPORTING_SCHEMA}.ar_ledger;
      FOR c IN
        SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name IN ('${LEDGER_TABLE}', '${EXPOSURE_TABLE}')
           AND ((data_type = 'numeric' AND numeric_precision IS NOT NULL) OR (column_name = 'utilisation_bp' AND data_type <> 'numeric'))
      LOOP
        EXECUTE format('ALTER TABLE %I ALTER COLUMN %I TYPE numeric', c.table_name, c.column_name);
      END LOOP;
    END IF;
  END $$`;

/*
 * Stable views for BI. Amounts are integer minor units (numeric) with their currency; dates are the
 * business date of projections_business_date. Aging uses the default bucket set (days-30-60-90) with the
 * domain's rules: overdue when due_date < as_of; bucket by days past due (1–30, 31–60, 61–90, 90+).
 */
const VIEWS = `
  CREATE SCHEMA IF NOT EXISTS ${REPORTING_SCHEMA};

  CREATE OR REPLACE VIEW ${REPORTING_SCHEMA}.ar_ledger AS
  SELECT l.invoice_id,
         l.invoice_number,
         l.customer_id,
         l.currency::text AS currency,
         l.issue_date,
         l.due_date,
         l.reservation_id,
         l.amount_minor,
         l.paid_minor,
         l.credited_minor,
         l.disputed_minor,
         l.written_off_minor,
         l.debit_noted_minor,
         o.open_balance_minor,
         d.business_date AS as_of,
         (d.business_date - l.due_date) AS days_past_due,
         (o.open_balance_minor > 0 AND l.due_date < d.business_date) AS overdue,
         CASE
           WHEN o.open_balance_minor <= 0 THEN NULL
           WHEN l.due_date >= d.business_date THEN 'not-yet-due'
           WHEN d.business_date - l.due_date <= 30 THEN '1-30'
           WHEN d.business_date - l.due_date <= 60 THEN '31-60'
           WHEN d.business_date - l.due_date <= 90 THEN '61-90'
           ELSE '90+'
         END AS bucket,
         l.status,
         l.last_allocated_on
  FROM ${LEDGER_TABLE} l
  CROSS JOIN ${BUSINESS_DATE_TABLE} d
  -- The open balance and status the projector wrote by the one rule (@arc/receivables): never negative.
  CROSS JOIN LATERAL (SELECT coalesce(l.open_balance_minor, 0) AS open_balance_minor) o
  WHERE l.amount_minor IS NOT NULL;

  CREATE OR REPLACE VIEW ${REPORTING_SCHEMA}.customer_aging AS
  SELECT customer_id,
         currency,
         as_of,
         'days-30-60-90'::text AS bucket_set_id,
         coalesce(sum(open_balance_minor) FILTER (WHERE bucket = 'not-yet-due'), 0) AS not_yet_due_minor,
         coalesce(sum(open_balance_minor) FILTER (WHERE bucket = '1-30'), 0) AS bucket_1_30_minor,
         coalesce(sum(open_balance_minor) FILTER (WHERE bucket = '31-60'), 0) AS bucket_31_60_minor,
         coalesce(sum(open_balance_minor) FILTER (WHERE bucket = '61-90'), 0) AS bucket_61_90_minor,
         coalesce(sum(open_balance_minor) FILTER (WHERE bucket = '90+'), 0) AS bucket_90_plus_minor,
         coalesce(sum(open_balance_minor) FILTER (WHERE overdue), 0) AS overdue_minor,
         coalesce(sum(open_balance_minor) FILTER (WHERE open_balance_minor > 0), 0) AS total_open_minor,
         max(days_past_due) FILTER (WHERE overdue) AS oldest_days_past_due
  FROM ${REPORTING_SCHEMA}.ar_ledger
  GROUP BY customer_id, currency, as_of;

  CREATE OR REPLACE VIEW ${REPORTING_SCHEMA}.customer_exposure AS
  SELECT customer_id,
         as_of,
         currency::text AS currency,
         business_unit,
         credit_limit_minor,
         open_ar_minor,
         overdue_minor,
         disputed_minor,
         reserved_minor,
         unapplied_cash_minor,
         exposure_minor,
         available_credit_minor,
         utilisation_bp,
         credit_class,
         on_hold
  FROM ${EXPOSURE_TABLE};
`;

export interface MigrationOptions {
  initialBusinessDate: string;
  bi: { role: string; password: string | null };
}

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** A string literal for DDL, which takes no parameters (standard_conforming_strings is on since PostgreSQL 9.1). */
export function sqlLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('a NUL byte cannot be put in a literal');
  return `'${value.replace(/'/g, "''")}'`;
}

/** Creates or updates the tables, the reporting views and the BI role. Serialised across instances by an advisory lock. */
export async function migrateReadModel(pool: Pool, options: MigrationOptions): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('arc-projections/migrate', 0))`);
    await client.query(TABLES);
    await client.query(historyTablesDdl());
    await client.query(WIDEN_AMOUNT_COLUMNS);
    await seedBusinessDate(client, options.initialBusinessDate);
    await client.query(VIEWS);
    await client.query(historyViews());
    await seedBucketSets(client);
    if (options.bi.password !== null) await grantBiRole(client, options.bi.role, options.bi.password);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** The business date before the calendar's first close (the one row an empty read model holds). */
export async function seedBusinessDate(db: Pick<PoolClient, 'query'>, initialBusinessDate: string): Promise<void> {
  await db.query(
    `INSERT INTO ${BUSINESS_DATE_TABLE} (singleton, business_date, from_calendar) VALUES (true, $1::date, false)
     ON CONFLICT (singleton) DO NOTHING`,
    [initialBusinessDate],
  );
}

/** The two bucket sets of the domain brief, always there (more are configured over the API). */
async function seedBucketSets(db: Pick<PoolClient, 'query'>): Promise<void> {
  for (const set of [DEFAULT_BUCKET_SET, MONTH_BUCKET_SET]) {
    await db.query(
      `INSERT INTO ${BUCKET_SETS_TABLE} (id, basis, buckets, created_by) VALUES ($1, 'due-date', $2::jsonb, 'system:projections')
       ON CONFLICT (id) DO NOTHING`,
      [set.id, JSON.stringify(set.buckets)],
    );
  }
}

async function grantBiRole(client: { query: (sql: string) => Promise<unknown> }, role: string, password: string): Promise<void> {
  if (!ROLE_NAME.test(role)) throw new Error(`the BI role name must match ${ROLE_NAME.source}`);
  const pw = sqlLiteral(password);
  // Roles are cluster-wide: create it once, keep its password in step with the configuration.
  await client.query(`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = ${sqlLiteral(role)}) THEN
        CREATE ROLE ${role} LOGIN PASSWORD ${pw} NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT;
      ELSE
        ALTER ROLE ${role} LOGIN PASSWORD ${pw};
      END IF;
    END $$`);
  await client.query(`ALTER ROLE ${role} SET default_transaction_read_only = on`);
  await client.query(`DO $$ BEGIN EXECUTE format('GRANT CONNECT ON DATABASE %I TO ${role}', current_database()); END $$`);
  // Nothing may be created in the service's database by anyone but its owner (PostgreSQL < 15 lets PUBLIC).
  await client.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
  await client.query(`REVOKE ALL ON SCHEMA ${REPORTING_SCHEMA} FROM PUBLIC`);
  await client.query(`GRANT USAGE ON SCHEMA ${REPORTING_SCHEMA} TO ${role}`);
  await client.query(`GRANT SELECT ON ALL TABLES IN SCHEMA ${REPORTING_SCHEMA} TO ${role}`);
}
