import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Queryable } from '@arc/event-store';
import type { CollectionCaseClosedData, CollectionCaseOpenedData } from '@arc/contracts';
import { money, toJson, type MoneyJson } from '@arc/money';
import type { CollectionCaseReviewed } from '../domain';
import { ARC_PG_POOL } from '@arc/platform';

/**
 * The collection cases as the service's API reads them: a fold of the collection streams' events
 * (CollectionCaseOpened, the internal CollectionCaseReviewed with each change of an open case's figures,
 * CollectionCaseClosed) and of nothing else, so it can be rebuilt from the service's own event store.
 * Kept by the aging consumer from the events each review decided, in the consumer's batch transaction
 * (deferred writes); every write is idempotent: a redelivered event changes nothing.
 */
export const CASES_TABLE = 'collections_cases';

/** Every table of the view (what a rebuild truncates before folding the stored events again). */
export const CASES_VIEW_TABLES: readonly string[] = [CASES_TABLE];

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

/** A stored event of a collection stream, as the event store (or a rebuild reading its `events` table) gives it. */
export interface CaseStreamEvent {
  streamId: string;
  eventType: string;
  data: Record<string, unknown>;
}

/**
 * Folds events of the collection streams into the view, in the order given (a stream's events in stream
 * order; a rebuild gives every stored event in global order). Other event types are passed over. Every write
 * is idempotent and depends only on the events, never on the clock: applying the same events again changes
 * nothing, and a rebuild (truncate, then every stored event) gives the same rows as the live view.
 */
export async function applyCaseEvents(db: Queryable, events: readonly CaseStreamEvent[]): Promise<void> {
  for (const event of events) {
    switch (event.eventType) {
      case 'CollectionCaseOpened': {
        const d = event.data as unknown as CollectionCaseOpenedData;
        await db.query(
          `INSERT INTO ${CASES_TABLE} (case_id, customer_id, status, currency, opened_on, opening_overdue_minor, opening_oldest_days_past_due,
                                      overdue_minor, oldest_days_past_due, figures_as_of)
           VALUES ($1, $2, 'open', $3, $4::date, $5::numeric, $6, $5::numeric, $6, $4::date)
           ON CONFLICT (case_id) DO NOTHING`,
          [d.caseId, d.customerId, d.overdueAmount.currency, d.openedOn, d.overdueAmount.amountMinor, d.oldestDaysPastDue],
        );
        break;
      }
      case 'CollectionCaseReviewed': {
        const d = event.data as unknown as CollectionCaseReviewed['data'];
        // A late figure (older business date) never overwrites a newer one; a closed case keeps its closing figures.
        await db.query(
          `UPDATE ${CASES_TABLE} SET overdue_minor = $2::numeric, oldest_days_past_due = $3, figures_as_of = $4::date
            WHERE case_id = $1 AND status = 'open' AND currency = $5 AND figures_as_of <= $4::date`,
          [d.caseId, d.overdue.amountMinor, d.oldestDaysPastDue, d.asOf, d.overdue.currency],
        );
        break;
      }
      case 'CollectionCaseClosed': {
        const d = event.data as unknown as CollectionCaseClosedData;
        const overdueCleared = d.reason === 'overdue-cleared';
        await db.query(
          `UPDATE ${CASES_TABLE}
              SET status = 'closed', closed_on = $2::date, close_reason = $3,
                  overdue_minor = CASE WHEN $4 THEN 0 ELSE overdue_minor END,
                  oldest_days_past_due = CASE WHEN $4 THEN NULL ELSE oldest_days_past_due END,
                  figures_as_of = GREATEST(figures_as_of, $2::date)
            WHERE case_id = $1`,
          [d.caseId, d.closedOn, d.reason, overdueCleared],
        );
        break;
      }
      default:
        break;
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
  /** The latest overdue figure recorded for the case (zero once closed as overdue-cleared). */
  overdue: MoneyJson;
  /** Days past due of the oldest overdue item at the latest review; null when nothing is overdue. */
  oldestDaysPastDue: number | null;
  /** The business date of the latest recorded figures (a review repeating them records nothing), or of the closing if later. */
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
