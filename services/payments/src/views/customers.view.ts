import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { ARC_PG_POOL, transactional, type Queryable } from '@arc/platform';

/**
 * The customers payments knows exist: one row per CustomerRegistered on `arc.credit.events`, kept by the
 * credit consumer in its batch transaction. A receipt for a customer credit never registered is refused (422
 * `CUSTOMER_UNKNOWN`) instead of being filed as unapplied cash of nobody. The window: a customer registered a
 * moment ago may not be here yet (normally under a second); the same request then succeeds on a retry.
 */
export const CUSTOMERS_TABLE = 'payments_customers';

/** Its name among the service's read models (GET /v1/admin/read-models). */
export const CUSTOMERS_READ_MODEL = 'customers';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${CUSTOMERS_TABLE} (
    customer_id  text PRIMARY KEY,
    currency     text NOT NULL
  )`;

export async function recordCustomer(tx: PoolClient, customerId: string, currency: string): Promise<void> {
  await tx.query(`INSERT INTO ${CUSTOMERS_TABLE} (customer_id, currency) VALUES ($1, $2) ON CONFLICT (customer_id) DO NOTHING`, [
    customerId,
    currency,
  ]);
}

@Injectable()
export class CustomersView implements OnModuleInit {
  /** Reads through the transaction open at the time (a command's), never beside it on the bare pool. */
  private readonly db: Queryable;

  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {
    this.db = transactional(pool);
  }

  async onModuleInit(): Promise<void> {
    await this.pool.query(SCHEMA);
  }

  /** True once the customer's registration reached payments. */
  async isKnown(customerId: string): Promise<boolean> {
    const { rowCount } = await this.db.query(`SELECT 1 FROM ${CUSTOMERS_TABLE} WHERE customer_id = $1`, [customerId.toLowerCase()]);
    return (rowCount ?? 0) > 0;
  }
}
