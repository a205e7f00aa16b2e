import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { money, type Money } from '@arc/money';
import { ARC_PG_POOL } from '@arc/platform';

/**
 * The credit service's own view of each customer's open AR (Σ invoices − credit notes − allocated
 * payments), per currency, kept by the receivables consumer from invoicing and payments events.
 * Written only inside the consumer's batch transaction, so every event counts exactly once.
 */
export const OPEN_AR_TABLE = 'credit_open_ar';

/** Its name among the service's read models (GET /v1/admin/read-models). */
export const OPEN_AR_READ_MODEL = 'open-ar';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${OPEN_AR_TABLE} (
    customer_id   text NOT NULL,
    currency      char(3) NOT NULL,
    open_ar_minor numeric(38, 0) NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, currency)
  )`;

export async function migrateOpenArView(pool: Pool): Promise<void> {
  await pool.query(SCHEMA);
}

/** Adds `delta` (negative for payments and credit notes) to the customer's open AR, in the consumer's transaction. */
export async function addToOpenAr(tx: PoolClient, customerId: string, delta: Money): Promise<void> {
  await tx.query(
    `INSERT INTO ${OPEN_AR_TABLE} (customer_id, currency, open_ar_minor) VALUES ($1, $2, $3::numeric)
     ON CONFLICT (customer_id, currency) DO UPDATE
       SET open_ar_minor = ${OPEN_AR_TABLE}.open_ar_minor + EXCLUDED.open_ar_minor, updated_at = now()`,
    [customerId, delta.currency, delta.amountMinor.toString()],
  );
}

@Injectable()
export class OpenArView implements OnModuleInit {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await migrateOpenArView(this.pool);
  }

  /**
   * The customer's open AR in `currency` as far as the consumer has got. A payment may arrive before the
   * invoice it pays (no order across topics), so the raw sum can dip below zero for a moment; a credit
   * decision counts that as zero rather than as free credit.
   */
  async openAr(customerId: string, currency: string): Promise<Money> {
    const { rows } = await this.pool.query<{ open_ar_minor: string }>(
      `SELECT open_ar_minor::text FROM ${OPEN_AR_TABLE} WHERE customer_id = $1 AND currency = $2`,
      [customerId, currency],
    );
    const raw = BigInt(rows[0]?.open_ar_minor ?? '0');
    return money(raw < 0n ? 0n : raw, currency);
  }
}
