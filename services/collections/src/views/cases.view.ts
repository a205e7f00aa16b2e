import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import type { CollectionsEvent } from '@arc/contracts';
import { money, toJson, type Money, type MoneyJson } from '@arc/money';
import { ARC_PG_POOL } from '@arc/platform';

/**
 * The collection cases as the service's API reads them, kept by the aging consumer from what the
 * collection-case decider decided (CollectionCaseOpened / CollectionCaseClosed) and from the figures of
 * each review of an open case (current overdue and oldest days past due). Written only in the consumer's
 * batch transaction (deferred writes), every write an idempotent upsert: a redelivered event changes nothing.
 */
export const CASES_TABLE = 'collections_cases';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS ${CASES_TABLE} (
    case_id                      uuid PRIMARY KEY,
    customer_id                  uuid NOT NULL,
    status                       text NOT NULL CHECK (status IN ('open', 'closed')),
    currency                     char(3) NOT NULL,
    opened_on                    date NOT NULL,
    opening_overdue_minor        numeric(38, 0) NOT NULL,
    opening_oldest_days_past_due integer NOT NULL,
    overdue_minor                numeric(38, 0) NOT NULL,
    oldest_days_past_due         integer,
    figures_as_of                date NOT NULL,
    closed_on                    date,
    close_reason                 text
  )`,
  `CREATE INDEX IF NOT EXISTS ${CASES_TABLE}_customer ON ${CASES_TABLE} (customer_id, opened_on DESC)`,
  `CREATE INDEX IF NOT EXISTS ${CASES_TABLE}_status ON ${CASES_TABLE} (status, opened_on)`,
];

export async function migrateCasesView(pool: Pool): Promise<void> {
  for (const statement of SCHEMA) await pool.query(statement);
}

/** One change of the view, derived from a review's outcome. */
export type CaseViewChange =
  | { kind: 'event'; event: CollectionsEvent }
  /** The figures of a review of an open case in its own currency (nothing decided). */
  | { kind: 'figures'; caseId: string; asOf: string; overdue: Money; oldestDaysPastDue: number | null };

/** Applies the changes of a batch in order, in the consumer's transaction (a ctx.batch.defer flush). */
export async function applyCaseViewChanges(tx: PoolClient, changes: readonly CaseViewChange[]): Promise<void> {
  for (const change of changes) {
    if (change.kind === 'figures') {
      // A late figure (older business date) never overwrites a newer one.
      await tx.query(
        `UPDATE ${CASES_TABLE} SET overdue_minor = $2::numeric, oldest_days_past_due = $3, figures_as_of = $4::date
          WHERE case_id = $1 AND status = 'open' AND currency = $5 AND figures_as_of <= $4::date`,
        [change.caseId, change.overdue.amountMinor.toString(), change.oldestDaysPastDue, change.asOf, change.overdue.currency],
      );
      continue;
    }
    const { event } = change;
    if (event.type === 'CollectionCaseOpened') {
      const d = event.data;
      await tx.query(
        `INSERT INTO ${CASES_TABLE} (case_id, customer_id, status, currency, opened_on, opening_overdue_minor, opening_oldest_days_past_due,
                                    overdue_minor, oldest_days_past_due, figures_as_of)
         VALUES ($1, $2, 'open', $3, $4::date, $5::numeric, $6, $5::numeric, $6, $4::date)
         ON CONFLICT (case_id) DO NOTHING`,
        [d.caseId, d.customerId, d.overdueAmount.currency, d.openedOn, d.overdueAmount.amountMinor, d.oldestDaysPastDue],
      );
    } else {
      const d = event.data;
      const overdueCleared = d.reason === 'overdue-cleared';
      await tx.query(
        `UPDATE ${CASES_TABLE}
            SET status = 'closed', closed_on = $2::date, close_reason = $3,
                overdue_minor = CASE WHEN $4 THEN 0 ELSE overdue_minor END,
                oldest_days_past_due = CASE WHEN $4 THEN NULL ELSE oldest_days_past_due END,
                figures_as_of = GREATEST(figures_as_of, $2::date)
          WHERE case_id = $1`,
        [d.caseId, d.closedOn, d.reason, overdueCleared],
      );
    }
  }
}

export interface CaseView {
  caseId: string;
  customerId: string;
  status: 'open' | 'closed';
  openedOn: string;
  closedOn: string | null;
  closeReason: string | null;
  /** The customer's overdue amount when the case opened. */
  openingOverdue: MoneyJson;
  /** The latest overdue figure reviewed for the case (zero once closed as overdue-cleared). */
  overdue: MoneyJson;
  /** Days past due of the oldest overdue item at the latest review; null when nothing is overdue. */
  oldestDaysPastDue: number | null;
  /** The business date of the latest figures. */
  figuresAsOf: string;
}

interface CaseRow {
  case_id: string;
  customer_id: string;
  status: 'open' | 'closed';
  currency: string;
  opened_on: string;
  closed_on: string | null;
  close_reason: string | null;
  opening_overdue_minor: string;
  overdue_minor: string;
  oldest_days_past_due: number | null;
  figures_as_of: string;
}

const SELECT_CASES = `
  SELECT case_id::text, customer_id::text, status, currency, to_char(opened_on, 'YYYY-MM-DD') AS opened_on,
         to_char(closed_on, 'YYYY-MM-DD') AS closed_on, close_reason, opening_overdue_minor::text, overdue_minor::text,
         oldest_days_past_due, to_char(figures_as_of, 'YYYY-MM-DD') AS figures_as_of
    FROM ${CASES_TABLE}`;

function toCaseView(row: CaseRow): CaseView {
  const currency = row.currency.trim();
  return {
    caseId: row.case_id,
    customerId: row.customer_id,
    status: row.status,
    openedOn: row.opened_on,
    closedOn: row.closed_on,
    closeReason: row.close_reason,
    openingOverdue: toJson(money(BigInt(row.opening_overdue_minor), currency)),
    overdue: toJson(money(BigInt(row.overdue_minor), currency)),
    oldestDaysPastDue: row.oldest_days_past_due,
    figuresAsOf: row.figures_as_of,
  };
}

@Injectable()
export class CasesView implements OnModuleInit {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await migrateCasesView(this.pool);
  }

  /** Cases with the given status (all when undefined), oldest opening first. */
  async list(status: 'open' | 'closed' | undefined, limit: number): Promise<CaseView[]> {
    const { rows } = await this.pool.query<CaseRow>(
      `${SELECT_CASES} WHERE ($1::text IS NULL OR status = $1) ORDER BY opened_on, case_id LIMIT $2`,
      [status ?? null, limit],
    );
    return rows.map(toCaseView);
  }

  /** The customer's cases, the current (or last) first. */
  async ofCustomer(customerId: string): Promise<CaseView[]> {
    const { rows } = await this.pool.query<CaseRow>(
      `${SELECT_CASES} WHERE customer_id = $1 ORDER BY (status = 'open') DESC, opened_on DESC, closed_on DESC NULLS FIRST`,
      [customerId],
    );
    return rows.map(toCaseView);
  }
}
