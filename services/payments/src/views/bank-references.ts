import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { ARC_PG_POOL, ConflictProblem } from '@arc/platform';

/**
 * The company-wide register of bank references: one row per reference, the primary key is the rule that a
 * receipt's bank reference identifies it across the company (one bank reference, one receipt, one customer).
 * Within one customer the payment account (its stream) recognises a repeat; across customers only this table
 * can, since each customer's account is a stream of its own.
 *
 * A reference is claimed for a customer *before* the payment is appended, in a statement of its own: appends
 * go through `Commands` (the event store's own autocommit statement, which must be a transaction's first write),
 * so the claim cannot share the append's transaction until the store offers that. Hence:
 * - free: claimed for this customer and payment, then the command runs;
 * - held by the same customer: the command runs, and the account answers the repeat (or its 409 for another amount);
 * - held by another customer: 409 `urn:arc:problem:bank-reference-used`, naming the receipt that holds it;
 *   nothing appended;
 * - the command is then refused: the claim this request made is released.
 * The one gap (as for invoice numbers): a process that dies between the claim and the append leaves the
 * reference claimed for a receipt never recorded; the same customer can still record it, another gets 409.
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

export interface BankReferenceClaim {
  /** True when this call wrote the claim (so it is the one to release it if the command is refused). */
  claimedNow: boolean;
  release(): Promise<void>;
}

@Injectable()
export class BankReferences implements OnModuleInit {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await this.pool.query(SCHEMA);
  }

  /** Claims `bankReference` for the customer's payment; throws a 409 ConflictProblem when another customer's receipt holds it. */
  async claim(bankReference: string, customerId: string, paymentId: string): Promise<BankReferenceClaim> {
    const customer = customerId.toLowerCase();
    const inserted = await this.pool.query(
      `INSERT INTO ${BANK_REFERENCES_TABLE} (bank_reference, customer_id, payment_id) VALUES ($1, $2, $3) ON CONFLICT (bank_reference) DO NOTHING`,
      [bankReference, customer, paymentId],
    );
    if (inserted.rowCount === 1) {
      return {
        claimedNow: true,
        release: async () => {
          await this.pool.query(`DELETE FROM ${BANK_REFERENCES_TABLE} WHERE bank_reference = $1 AND payment_id = $2`, [
            bankReference,
            paymentId,
          ]);
        },
      };
    }
    const { rows } = await this.pool.query<{ customer_id: string; payment_id: string }>(
      `SELECT customer_id, payment_id::text FROM ${BANK_REFERENCES_TABLE} WHERE bank_reference = $1`,
      [bankReference],
    );
    const holder = rows[0];
    // Released between our insert and this read: claim again.
    if (holder === undefined) return this.claim(bankReference, customerId, paymentId);
    if (holder.customer_id !== customer) {
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
    return { claimedNow: false, release: () => Promise.resolve() };
  }
}
