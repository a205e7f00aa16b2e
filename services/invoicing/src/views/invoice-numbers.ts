import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { ARC_PG_POOL, transactional, type Queryable } from '@arc/platform';
import { InvoiceNumberTakenError } from '../domain/invoice.errors';

/**
 * The register of invoice numbers: one row per number, the primary key is the uniqueness rule. A number
 * is claimed in the issuing command's transaction (see @Idempotent), so it is held exactly when the
 * invoice is issued: a refused command rolls the claim back with everything else.
 * - claimed by this invoice id already (a retry): the command goes on, and the decider makes the repeat a no-op;
 * - claimed by another invoice id: refused, 409 `INVOICE_NUMBER_TAKEN`, nothing appended.
 */
export const INVOICE_NUMBERS_TABLE = 'invoicing_invoice_numbers';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${INVOICE_NUMBERS_TABLE} (
    invoice_number text PRIMARY KEY,
    invoice_id     uuid NOT NULL,
    claimed_at     timestamptz NOT NULL DEFAULT now()
  )`;

@Injectable()
export class InvoiceNumbers implements OnModuleInit {
  private readonly db: Queryable;

  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {
    this.db = transactional(pool);
  }

  async onModuleInit(): Promise<void> {
    await this.pool.query(SCHEMA);
  }

  /**
   * Claims `invoiceNumber` for `invoiceId` in the command's transaction; throws InvoiceNumberTakenError
   * when another invoice holds it. Two commands claiming one number: the second waits for the first to
   * end, then finds its row (or, if it rolled back, takes the number).
   */
  async claim(invoiceNumber: string, invoiceId: string): Promise<void> {
    for (;;) {
      const inserted = await this.db.query(
        `INSERT INTO ${INVOICE_NUMBERS_TABLE} (invoice_number, invoice_id) VALUES ($1, $2) ON CONFLICT (invoice_number) DO NOTHING`,
        [invoiceNumber, invoiceId],
      );
      if (inserted.rowCount === 1) return;
      // A statement of its own: its snapshot sees the holder the insert waited for.
      const { rows } = await this.db.query<{ invoice_id: string }>(
        `SELECT invoice_id::text FROM ${INVOICE_NUMBERS_TABLE} WHERE invoice_number = $1`,
        [invoiceNumber],
      );
      const holder = rows[0]?.invoice_id;
      if (holder === undefined) continue; // the holder rolled back meanwhile: claim again
      if (holder !== invoiceId.toLowerCase()) throw new InvoiceNumberTakenError(invoiceNumber);
      return;
    }
  }
}
