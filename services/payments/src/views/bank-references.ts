import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { ARC_PG_POOL, ConflictProblem, transactional, type Queryable } from '@arc/platform';

/**
 * The company-wide register of bank references: one row per reference, the primary key is the rule that a
 * receipt's bank reference identifies it across the company (one bank reference, one receipt, one customer).
 * Within one customer the payment account (its stream) recognises a repeat; across customers only this table
 * can, since each customer's account is a stream of its own.
 *
 * A reference is claimed in the recording command's transaction (see @Idempotent), so it is held exactly when
 * the receipt is recorded: a refused command rolls the claim back with everything else.
 * - free, or held by the same customer: the command goes on, and the account answers a repeat (or its 409 for
 *   another amount);
 * - held by another customer: 409 `urn:arc:problem:bank-reference-used`, naming the receipt that holds it;
 *   nothing appended.
 * Receipts recorded before this register existed are not in it (no deployment had any).
 */
export const BANK_REFERENCES_TABLE = 'payments_bank_references';

export const BANK_REFERENCE_USED_PROBLEM = 'urn:arc:problem:bank-reference-used';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${BANK_REFERENCES_TABLE} (
    bank_reference text PRIMARY KEY,
    customer_id    text NOT NULL,
    payment_id     uuid NOT NULL,
    claimed_at     timestamptz NOT NULL DEFAULT now()
  )`;

@Injectable()
export class BankReferences implements OnModuleInit {
  private readonly db: Queryable;

  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {
    this.db = transactional(pool);
  }

  async onModuleInit(): Promise<void> {
    await this.pool.query(SCHEMA);
  }

  /**
   * Claims `bankReference` for the customer's payment in the command's transaction; throws a 409
   * ConflictProblem when another customer's receipt holds it. Two commands claiming one reference: the
   * second waits for the first to end, then finds its row (or, if it rolled back, takes the reference).
   */
  async claim(bankReference: string, customerId: string, paymentId: string): Promise<void> {
    const customer = customerId.toLowerCase();
    for (;;) {
      const inserted = await this.db.query(
        `INSERT INTO ${BANK_REFERENCES_TABLE} (bank_reference, customer_id, payment_id) VALUES ($1, $2, $3) ON CONFLICT (bank_reference) DO NOTHING`,
        [bankReference, customer, paymentId],
      );
      if (inserted.rowCount === 1) return;
      // A statement of its own: its snapshot sees the holder the insert waited for.
      const { rows } = await this.db.query<{ customer_id: string; payment_id: string }>(
        `SELECT customer_id, payment_id::text FROM ${BANK_REFERENCES_TABLE} WHERE bank_reference = $1`,
        [bankReference],
      );
      const holder = rows[0];
      if (holder === undefined) continue; // the holder rolled back meanwhile: claim again
      if (holder.customer_id === customer) return;
      throw new ConflictProblem(
        `bank reference ${bankReference} already identifies receipt ${holder.payment_id} of another customer (${holder.customer_id}): a bank reference is one receipt across the company`,
        {
          type: BANK_REFERENCE_USED_PROBLEM,
          title: 'Bank reference already used',
          bankReference,
          existingPaymentId: holder.payment_id,
          existingCustomerId: holder.customer_id,
        },
      );
    }
  }
}
