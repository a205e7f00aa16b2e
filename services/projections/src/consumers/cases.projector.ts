import type { CollectionCaseClosed, CollectionCaseOpened, EventOf } from '@arc/contracts';
import type { Queryable } from '@arc/event-store';
import { CASES_TABLE } from '../views/history-schema';

export type CaseEvent = EventOf<typeof CollectionCaseOpened> | EventOf<typeof CollectionCaseClosed>;

/**
 * Collection cases across all customers (collections' CollectionCaseOpened / CollectionCaseClosed), for the portfolio
 * reads and reporting.collection_cases. Each event sets its own columns only, so a redelivered or reordered event
 * gives the same row.
 */
export async function projectCases(tx: Queryable, events: readonly CaseEvent[]): Promise<void> {
  const opened = events.flatMap((e) =>
    e.type === 'CollectionCaseOpened'
      ? [
          {
            case_id: e.data.caseId,
            customer_id: e.data.customerId,
            currency: e.data.overdueAmount.currency,
            opened_on: e.data.openedOn,
            overdue: e.data.overdueAmount.amountMinor,
            oldest: e.data.oldestDaysPastDue,
          },
        ]
      : [],
  );
  const closed = events.flatMap((e) =>
    e.type === 'CollectionCaseClosed'
      ? [{ case_id: e.data.caseId, customer_id: e.data.customerId, closed_on: e.data.closedOn, closure: e.data.reason }]
      : [],
  );
  if (opened.length > 0) {
    await tx.query(
      `INSERT INTO ${CASES_TABLE} (case_id, customer_id, currency, opened_on, overdue_at_opening_minor, oldest_days_past_due_at_opening)
       SELECT case_id, customer_id, currency, opened_on, overdue, oldest
         FROM jsonb_to_recordset($1::jsonb) AS x(case_id text, customer_id text, currency text, opened_on date, overdue numeric, oldest integer)
       ON CONFLICT (case_id) DO UPDATE SET currency = EXCLUDED.currency, opened_on = EXCLUDED.opened_on,
         overdue_at_opening_minor = EXCLUDED.overdue_at_opening_minor, oldest_days_past_due_at_opening = EXCLUDED.oldest_days_past_due_at_opening`,
      [JSON.stringify(opened)],
    );
  }
  if (closed.length > 0) {
    await tx.query(
      `INSERT INTO ${CASES_TABLE} (case_id, customer_id, closed_on, closure)
       SELECT case_id, customer_id, closed_on, closure FROM jsonb_to_recordset($1::jsonb) AS x(case_id text, customer_id text, closed_on date, closure text)
       ON CONFLICT (case_id) DO UPDATE SET closed_on = EXCLUDED.closed_on, closure = EXCLUDED.closure`,
      [JSON.stringify(closed)],
    );
  }
}
