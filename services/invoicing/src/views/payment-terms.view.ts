import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { ARC_PG_POOL } from '@arc/platform';
import type { PaymentTerms } from '../domain/invoice.decider';

/**
 * Invoicing's own view of each customer's payment terms (net days and early-payment discount), kept by
 * the payment-terms consumer from the credit service's CreditPolicySet events. Written only inside the
 * consumer's batch transaction, so every policy counts exactly once and the latest one wins.
 */
export const PAYMENT_TERMS_TABLE = 'invoicing_payment_terms';

/** Its name among the service's read models (GET /v1/admin/read-models). */
export const PAYMENT_TERMS_READ_MODEL = 'payment-terms';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${PAYMENT_TERMS_TABLE} (
    customer_id             text PRIMARY KEY,
    net_days                integer NOT NULL,
    discount_basis_points   integer,
    discount_within_days    integer,
    policy_stream_version   integer NOT NULL,
    policy_event_id         uuid NOT NULL,
    policy_occurred_at      timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL DEFAULT now()
  )`;

export async function migratePaymentTermsView(pool: Pool): Promise<void> {
  await pool.query(SCHEMA);
}

export interface PolicyTerms extends PaymentTerms {
  /** Version of the credit account's stream that set these terms (an older policy never overwrites a newer one). */
  streamVersion: number;
  eventId: string;
  occurredAt: string;
}

/** Records the customer's terms from a CreditPolicySet, in the consumer's transaction. */
export async function setPaymentTerms(tx: PoolClient, customerId: string, terms: PolicyTerms): Promise<void> {
  const discount = terms.earlyPaymentDiscount ?? null;
  await tx.query(
    `INSERT INTO ${PAYMENT_TERMS_TABLE}
       (customer_id, net_days, discount_basis_points, discount_within_days, policy_stream_version, policy_event_id, policy_occurred_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (customer_id) DO UPDATE
       SET net_days = EXCLUDED.net_days,
           discount_basis_points = EXCLUDED.discount_basis_points,
           discount_within_days = EXCLUDED.discount_within_days,
           policy_stream_version = EXCLUDED.policy_stream_version,
           policy_event_id = EXCLUDED.policy_event_id,
           policy_occurred_at = EXCLUDED.policy_occurred_at,
           updated_at = now()
       WHERE ${PAYMENT_TERMS_TABLE}.policy_stream_version < EXCLUDED.policy_stream_version`,
    [
      customerId,
      terms.netDays,
      discount?.basisPoints ?? null,
      discount?.withinDays ?? null,
      terms.streamVersion,
      terms.eventId,
      terms.occurredAt,
    ],
  );
}

@Injectable()
export class PaymentTermsView implements OnModuleInit {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await migratePaymentTermsView(this.pool);
  }

  /** The customer's terms as far as the consumer has got; null when no CreditPolicySet has been seen. */
  async termsOf(customerId: string): Promise<PaymentTerms | null> {
    const { rows } = await this.pool.query<{ net_days: number; discount_basis_points: number | null; discount_within_days: number | null }>(
      `SELECT net_days, discount_basis_points, discount_within_days FROM ${PAYMENT_TERMS_TABLE} WHERE customer_id = $1`,
      [customerId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    return {
      netDays: row.net_days,
      earlyPaymentDiscount:
        row.discount_basis_points === null || row.discount_within_days === null
          ? null
          : { basisPoints: row.discount_basis_points, withinDays: row.discount_within_days },
    };
  }
}
