import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { ARC_PG_POOL } from '@arc/platform';
import type { KnownReservation } from '../domain/invoice.decider';

/**
 * Invoicing's own view of the credit reservations (credit check ids) the credit service has made, released
 * and consumed, kept by the credit consumer in its batch transaction. An invoice may only name a reservation
 * this view knows, for the same customer, not released and not billed by another invoice.
 *
 * Why a view and not a question to credit's HTTP API: invoicing already follows `arc.credit.events` (payment
 * terms), a customer's events arrive in order on one partition, and issuing an invoice then never depends on
 * the credit service being up. The price is the consumer's lag (see the README): a reservation made a moment
 * ago may not be here yet (422 `RESERVATION_UNKNOWN`, a retry succeeds), and one released a moment ago may
 * still read as open (the invoice is issued; credit then logs that it cannot consume it, and open AR counts
 * the invoice, so exposure errs on the high side).
 */
export const CREDIT_RESERVATIONS_TABLE = 'invoicing_credit_reservations';

/** Its name among the service's read models (GET /v1/admin/read-models). */
export const CREDIT_RESERVATIONS_READ_MODEL = 'credit-reservations';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${CREDIT_RESERVATIONS_TABLE} (
    reservation_id        uuid PRIMARY KEY,
    customer_id           text NOT NULL,
    status                text NOT NULL CHECK (status IN ('open', 'released', 'consumed')),
    consumed_by_invoice   uuid,
    updated_at            timestamptz NOT NULL DEFAULT now()
  )`;

export async function migrateCreditReservationsView(pool: Pool): Promise<void> {
  await pool.query(SCHEMA);
}

/**
 * Records what happened to a reservation. Released and consumed are final: a later (or redelivered) "open"
 * never reopens one, so the row comes out the same whatever order the events are applied in.
 */
export async function recordReservation(
  tx: PoolClient,
  reservationId: string,
  customerId: string,
  status: KnownReservation['status'],
  consumedByInvoice: string | null = null,
): Promise<void> {
  await tx.query(
    `INSERT INTO ${CREDIT_RESERVATIONS_TABLE} (reservation_id, customer_id, status, consumed_by_invoice)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (reservation_id) DO UPDATE
       SET status = EXCLUDED.status, consumed_by_invoice = EXCLUDED.consumed_by_invoice, updated_at = now()
       WHERE ${CREDIT_RESERVATIONS_TABLE}.status = 'open' AND EXCLUDED.status <> 'open'`,
    [reservationId, customerId, status, consumedByInvoice],
  );
}

@Injectable()
export class CreditReservationsView implements OnModuleInit {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await migrateCreditReservationsView(this.pool);
  }

  /** The reservation as far as the consumer has got; null when credit has not reported it (yet). */
  async find(reservationId: string): Promise<KnownReservation | null> {
    const { rows } = await this.pool.query<{ customer_id: string; status: KnownReservation['status']; consumed_by_invoice: string | null }>(
      `SELECT customer_id, status, consumed_by_invoice FROM ${CREDIT_RESERVATIONS_TABLE} WHERE reservation_id = $1`,
      [reservationId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    if (row.status === 'consumed') return { customerId: row.customer_id, status: 'consumed', invoiceId: row.consumed_by_invoice ?? '' };
    return { customerId: row.customer_id, status: row.status };
  }
}
