import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { ARC_PG_POOL } from '@arc/platform';
import { InvoiceNumberTakenError } from '../domain/invoice.errors';

/**
 * The register of invoice numbers: one row per number, the primary key is the uniqueness rule.
 *
 * A number is claimed for an invoice id *before* the invoice is appended, not in the append's
 * transaction: appends go through `Commands` (one autocommit statement of the event store, which must be
 * a transaction's first write to keep the store's commit order), so the claim is a statement of its own.
 * - claimed by this invoice id already (a retry): the command goes on, and the decider makes the repeat a no-op;
 * - claimed by another invoice id: refused, 409 `INVOICE_NUMBER_TAKEN`, nothing appended;
 * - the command is then refused (unknown terms, bad lines …): the claim this request made is released.
 * Every issued invoice therefore holds its number here, and no number is held by two invoices. The one gap:
 * a process that dies between the claim and the append (or cannot release) leaves the number claimed by an
 * invoice id that was never issued; issuing that invoice id again uses it, another id gets 409.
 */
export const INVOICE_NUMBERS_TABLE = 'invoicing_invoice_numbers';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${INVOICE_NUMBERS_TABLE} (
    invoice_number text PRIMARY KEY,
    invoice_id     uuid NOT NULL,
    claimed_at     timestamptz NOT NULL DEFAULT now()
  )`;

export interface NumberClaim {
  /** True when this call wrote the claim (so it is the one to release it if the command is refused). */
  claimedNow: boolean;
  release(): Promise<void>;
}

@Injectable()
export class InvoiceNumbers implements OnModuleInit {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await this.pool.query(SCHEMA);
  }

  /** Claims `invoiceNumber` for `invoiceId`; throws InvoiceNumberTakenError when another invoice holds it. */
  async claim(invoiceNumber: string, invoiceId: string): Promise<NumberClaim> {
    const inserted = await this.pool.query(
      `INSERT INTO ${INVOICE_NUMBERS_TABLE} (invoice_number, invoice_id) VALUES ($1, $2) ON CONFLICT (invoice_number) DO NOTHING`,
      [invoiceNumber, invoiceId],
    );
    if (inserted.rowCount === 1) {
      return {
        claimedNow: true,
        release: async () => {
          await this.pool.query(`DELETE FROM ${INVOICE_NUMBERS_TABLE} WHERE invoice_number = $1 AND invoice_id = $2`, [invoiceNumber, invoiceId]);
        },
      };
    }
    const { rows } = await this.pool.query<{ invoice_id: string }>(`SELECT invoice_id::text FROM ${INVOICE_NUMBERS_TABLE} WHERE invoice_number = $1`, [
      invoiceNumber,
    ]);
    const holder = rows[0]?.invoice_id;
    // Released between our insert and this read: claim again.
    if (holder === undefined) return this.claim(invoiceNumber, invoiceId);
    if (holder !== invoiceId.toLowerCase()) throw new InvoiceNumberTakenError(invoiceNumber);
    return { claimedNow: false, release: () => Promise.resolve() };
  }
}
