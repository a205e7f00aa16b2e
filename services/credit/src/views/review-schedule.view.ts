import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { ARC_PG_POOL } from '@arc/platform';
import type { InvoiceDates } from '../domain/review/payment-behaviour';
import { RECEIVABLES_TABLE } from './open-ar.view';

/**
 * Each customer's next review date, from the `CreditPolicySet` events on the service's own topic (and moved
 * forward in the day-close batch that reviews it): the list of reviews due and what a day close reviews.
 */
export const REVIEW_SCHEDULE_TABLE = 'credit_review_schedule';
export const REVIEW_SCHEDULE_READ_MODEL = 'review-schedule';
/** The last business day closed (one row): the open day is the next, what "expired" is measured against. */
export const LAST_CLOSED_DAY_TABLE = 'credit_last_closed_day';
/** Promises to pay and plan instalments collections reported broken (one row per arrangement and instalment). */
export const BROKEN_PROMISES_TABLE = 'credit_broken_promises';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${REVIEW_SCHEDULE_TABLE} (
    customer_id      text PRIMARY KEY,
    next_review_date date NOT NULL
  );
  CREATE TABLE IF NOT EXISTS ${LAST_CLOSED_DAY_TABLE} (
    calendar    text PRIMARY KEY,
    closed_date date NOT NULL
  );
  CREATE TABLE IF NOT EXISTS ${BROKEN_PROMISES_TABLE} (
    arrangement_id text NOT NULL,
    instalment     integer NOT NULL,
    customer_id    text NOT NULL,
    broken_on      date NOT NULL,
    PRIMARY KEY (arrangement_id, instalment)
  )`;

type Queryable = Pick<PoolClient, 'query'>;

export async function scheduleReview(tx: Queryable, customerId: string, nextReviewDate: string): Promise<void> {
  await tx.query(
    `INSERT INTO ${REVIEW_SCHEDULE_TABLE} (customer_id, next_review_date) VALUES ($1, $2::date)
     ON CONFLICT (customer_id) DO UPDATE SET next_review_date = EXCLUDED.next_review_date`,
    [customerId, nextReviewDate],
  );
}

export async function recordDayClosed(tx: Queryable, date: string): Promise<void> {
  await tx.query(
    `INSERT INTO ${LAST_CLOSED_DAY_TABLE} (calendar, closed_date) VALUES ('business', $1::date)
     ON CONFLICT (calendar) DO UPDATE SET closed_date = GREATEST(${LAST_CLOSED_DAY_TABLE}.closed_date, EXCLUDED.closed_date)`,
    [date],
  );
}

export async function recordBrokenPromise(
  tx: Queryable,
  broken: { customerId: string; arrangementId: string; instalment: number; brokenOn: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO ${BROKEN_PROMISES_TABLE} (arrangement_id, instalment, customer_id, broken_on) VALUES ($1, $2, $3, $4::date)
     ON CONFLICT DO NOTHING`,
    [broken.arrangementId, broken.instalment, broken.customerId, broken.brokenOn],
  );
}

/** Promises (and plan instalments) the customer broke on or before `date`. */
export async function brokenPromises(db: Queryable, customerId: string, date: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM ${BROKEN_PROMISES_TABLE} WHERE customer_id = $1 AND broken_on <= $2::date`,
    [customerId, date],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Customers whose review date is on or before `date`, earliest first. */
export async function reviewsDue(db: Queryable, date: string): Promise<Array<{ customerId: string; nextReviewDate: string }>> {
  const { rows } = await db.query<{ customer_id: string; next_review_date: string }>(
    `SELECT customer_id, next_review_date::text FROM ${REVIEW_SCHEDULE_TABLE}
      WHERE next_review_date <= $1::date ORDER BY next_review_date, customer_id`,
    [date],
  );
  return rows.map((row) => ({ customerId: row.customer_id, nextReviewDate: row.next_review_date }));
}

/** The customer's issued invoices with their dates, from the open-AR view: what its payment behaviour is computed from. */
export async function invoiceDates(db: Queryable, customerId: string): Promise<InvoiceDates[]> {
  const { rows } = await db.query<{ issue_date: string; due_date: string; settled_on: string | null }>(
    `SELECT issue_date::text, due_date::text, settled_on::text FROM ${RECEIVABLES_TABLE}
      WHERE customer_id = $1 AND amount_minor IS NOT NULL AND issue_date IS NOT NULL AND due_date IS NOT NULL`,
    [customerId],
  );
  return rows.map((row) => ({ issueDate: row.issue_date, dueDate: row.due_date, settledOn: row.settled_on }));
}

@Injectable()
export class ReviewScheduleView implements OnModuleInit {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await this.pool.query(SCHEMA);
  }

  due(date: string): Promise<Array<{ customerId: string; nextReviewDate: string }>> {
    return reviewsDue(this.pool, date);
  }

  /** The last business day closed, as far as the calendar topic has reached this service; null before any. */
  async lastClosedDay(): Promise<string | null> {
    const { rows } = await this.pool.query<{ closed_date: string }>(`SELECT closed_date::text FROM ${LAST_CLOSED_DAY_TABLE}`);
    return rows[0]?.closed_date ?? null;
  }

  invoiceDates(customerId: string): Promise<InvoiceDates[]> {
    return invoiceDates(this.pool, customerId);
  }

  brokenPromises(customerId: string, date: string): Promise<number> {
    return brokenPromises(this.pool, customerId, date);
  }
}
