import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { ARC_PG_POOL } from '@arc/platform';

/**
 * The temporary limits in force, per customer, with their end date: what a day close must look at to
 * let them fall back. Kept by the calendar consumer from the service's own events on its topic (in the
 * consumer's batch transaction), so it is rebuilt from the topic like any read model.
 */
export const TEMPORARY_LIMITS_TABLE = 'credit_temporary_limits';
export const TEMPORARY_LIMITS_READ_MODEL = 'temporary-limits';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${TEMPORARY_LIMITS_TABLE} (
    customer_id text PRIMARY KEY,
    request_id  text NOT NULL,
    end_date    date NOT NULL
  )`;

export async function recordTemporaryLimit(tx: PoolClient, customerId: string, requestId: string, endDate: string | null): Promise<void> {
  if (endDate === null) {
    // A permanent limit approved over a temporary one: nothing falls back any more.
    await tx.query(`DELETE FROM ${TEMPORARY_LIMITS_TABLE} WHERE customer_id = $1`, [customerId]);
    return;
  }
  await tx.query(
    `INSERT INTO ${TEMPORARY_LIMITS_TABLE} (customer_id, request_id, end_date) VALUES ($1, $2, $3::date)
     ON CONFLICT (customer_id) DO UPDATE SET request_id = EXCLUDED.request_id, end_date = EXCLUDED.end_date`,
    [customerId, requestId, endDate],
  );
}

export async function forgetTemporaryLimit(tx: PoolClient, customerId: string, requestId: string): Promise<void> {
  await tx.query(`DELETE FROM ${TEMPORARY_LIMITS_TABLE} WHERE customer_id = $1 AND request_id = $2`, [customerId, requestId]);
}

/** Customers whose temporary limit ended before `closedDate` (the close of a later day ends it). */
export async function endedBefore(tx: PoolClient, closedDate: string): Promise<string[]> {
  const { rows } = await tx.query<{ customer_id: string }>(
    `SELECT customer_id FROM ${TEMPORARY_LIMITS_TABLE} WHERE end_date < $1::date ORDER BY customer_id`,
    [closedDate],
  );
  return rows.map((row) => row.customer_id);
}

@Injectable()
export class TemporaryLimitsView implements OnModuleInit {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await this.pool.query(SCHEMA);
  }
}
