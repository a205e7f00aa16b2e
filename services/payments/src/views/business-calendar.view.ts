import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { addDays, parseBusinessDate, type BusinessDate } from '@arc/clock';
import { ARC_PG_POOL, transactional, type Queryable } from '@arc/platform';

/**
 * Payments' view of the business calendar: the last day closed on `arc.calendar`, kept by the calendar consumer
 * in its batch transaction. A receipt's date is checked against the open day (last closed day + 1) with the
 * rule of `@arc/clock` (bookingDateVerdict). Until the first close reaches payments no date is refused: the
 * calendar's start is not published, and nothing is closed yet.
 */
export const BUSINESS_CALENDAR_TABLE = 'payments_business_calendar';

/** Its name among the service's read models (GET /v1/admin/read-models). */
export const BUSINESS_CALENDAR_READ_MODEL = 'business-calendar';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${BUSINESS_CALENDAR_TABLE} (
    singleton        boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_closed_day  date NOT NULL
  )`;

/** Records a closed day; the calendar never moves back, so an older close (a redelivery) changes nothing. */
export async function recordDayClosed(tx: PoolClient, date: BusinessDate): Promise<void> {
  await tx.query(
    `INSERT INTO ${BUSINESS_CALENDAR_TABLE} (singleton, last_closed_day) VALUES (true, $1)
     ON CONFLICT (singleton) DO UPDATE SET last_closed_day = GREATEST(${BUSINESS_CALENDAR_TABLE}.last_closed_day, EXCLUDED.last_closed_day)`,
    [date],
  );
}

@Injectable()
export class BusinessCalendarView implements OnModuleInit {
  /** Reads through the transaction open at the time (a command's), never beside it on the bare pool. */
  private readonly db: Queryable;

  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {
    this.db = transactional(pool);
  }

  async onModuleInit(): Promise<void> {
    await this.pool.query(SCHEMA);
  }

  /** The open day as far as the consumer has got; null before any close reached payments. */
  async openDay(): Promise<BusinessDate | null> {
    const { rows } = await this.db.query<{ last_closed_day: string }>(`SELECT last_closed_day::text FROM ${BUSINESS_CALENDAR_TABLE}`);
    const row = rows[0];
    return row === undefined ? null : addDays(parseBusinessDate(row.last_closed_day), 1);
  }
}
