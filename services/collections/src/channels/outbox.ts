/*
 * The outbox: what a dunning step must deliver outside (an e-mail, a webhook call), written in the same
 * transaction as the step's event, so a delivery is never lost (no event without its row, no row without its
 * event) and never queued twice (one row per step event and channel). The dispatcher sends the rows, retries a
 * failure with exponential backoff, and leaves a row `failed`, visible, after the last attempt.
 *
 * Not a read model: a rebuild never touches it (re-creating rows would send again).
 */
import type { Pool } from 'pg';
import type { Queryable } from '@arc/event-store';
import type { DunningStepExecutedData } from '@arc/contracts';
import type { DunningTemplate } from '../domain';
import type { DunningCustomer } from '../views/receivables.view';
import { renderDunningMessage } from './templates';

export const OUTBOX_TABLE = 'collections_outbox';
export const OUTBOX_CHANNELS = ['email', 'webhook'] as const;
export type OutboxChannel = (typeof OUTBOX_CHANNELS)[number];
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS ${OUTBOX_TABLE} (
    delivery_id     text PRIMARY KEY,
    event_id        uuid NOT NULL,
    customer_id     uuid NOT NULL,
    channel         text NOT NULL,
    recipient       text,
    subject         text NOT NULL,
    body_text       text NOT NULL,
    body_html       text NOT NULL,
    payload         jsonb NOT NULL,
    status          text NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_until     timestamptz,
    last_error      text,
    sent_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE INDEX IF NOT EXISTS ${OUTBOX_TABLE}_due ON ${OUTBOX_TABLE} (next_attempt_at) WHERE status IN ('pending', 'sending')`,
  `CREATE INDEX IF NOT EXISTS ${OUTBOX_TABLE}_customer ON ${OUTBOX_TABLE} (customer_id, created_at)`,
];

export async function migrateOutbox(pool: Pool): Promise<void> {
  for (const statement of SCHEMA) await pool.query(statement);
}

type Db = Queryable;

/** The channels of a step that go through the outbox (a phone call is a task, the hold an event). */
export function outboxChannelsOf(step: DunningStepExecutedData): OutboxChannel[] {
  const channels: OutboxChannel[] = [];
  if (step.channels.includes('email')) channels.push('email');
  if (step.channels.includes('webhook') || step.channels.includes('sms')) channels.push('webhook');
  return channels;
}

/**
 * Queues the deliveries of a step just decided, in the caller's transaction. A customer without a dunning
 * contact e-mail gets a `failed` row saying so (visible, retried once a contact is set and the row retried).
 */
export async function enqueueStepDeliveries(
  db: Db,
  eventId: string,
  step: DunningStepExecutedData,
  customer: Pick<DunningCustomer, 'legalName' | 'contactName' | 'contactEmail' | 'items'>,
): Promise<number> {
  let queued = 0;
  for (const channel of outboxChannelsOf(step)) {
    const message = renderDunningMessage(step.template as DunningTemplate, {
      step,
      customerName: customer.legalName ?? step.customerId,
      contactName: customer.contactName,
      openItems: customer.items,
    });
    const recipient = channel === 'email' ? customer.contactEmail : null;
    const missing = channel === 'email' && recipient === null ? 'the customer has no dunning contact with an e-mail address' : null;
    const { rowCount } = await db.query(
      `INSERT INTO ${OUTBOX_TABLE} (delivery_id, event_id, customer_id, channel, recipient, subject, body_text, body_html, payload, status, last_error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11) ON CONFLICT (delivery_id) DO NOTHING`,
      [
        `${eventId}:${channel}`,
        eventId,
        step.customerId,
        channel,
        recipient,
        message.subject,
        message.text,
        message.html,
        JSON.stringify({ eventType: 'DunningStepExecuted', eventId, data: step }),
        missing ? 'failed' : 'pending',
        missing,
      ],
    );
    queued += rowCount ?? 0;
  }
  return queued;
}

export interface OutboxRow {
  deliveryId: string;
  eventId: string;
  customerId: string;
  channel: OutboxChannel;
  recipient: string | null;
  subject: string;
  bodyText: string;
  bodyHtml: string;
  payload: Record<string, unknown>;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  sentAt: string | null;
}

const SELECT = `SELECT delivery_id AS "deliveryId", event_id::text AS "eventId", customer_id::text AS "customerId", channel, recipient, subject,
                       body_text AS "bodyText", body_html AS "bodyHtml", payload, status, attempts,
                       to_char(next_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "nextAttemptAt", last_error AS "lastError",
                       to_char(sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "sentAt"
                  FROM ${OUTBOX_TABLE}`;

/**
 * Claims up to `limit` rows due for sending (pending and due, or `sending` whose lease ran out: the process
 * that claimed them died mid-send). Each claim counts as an attempt.
 */
export async function claimDue(pool: Pool, limit: number, leaseSeconds: number): Promise<OutboxRow[]> {
  const { rows } = await pool.query<OutboxRow>(
    `WITH due AS (
       SELECT delivery_id FROM ${OUTBOX_TABLE}
        WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now())
        ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     UPDATE ${OUTBOX_TABLE} o SET status = 'sending', attempts = attempts + 1, lease_until = now() + make_interval(secs => $2)
       FROM due WHERE o.delivery_id = due.delivery_id
     RETURNING o.delivery_id`,
    [limit, leaseSeconds],
  );
  if (rows.length === 0) return [];
  const ids = rows.map((r) => (r as unknown as { delivery_id: string }).delivery_id);
  return (await pool.query<OutboxRow>(`${SELECT} WHERE delivery_id = ANY($1::text[]) ORDER BY created_at`, [ids])).rows;
}

export async function markSent(pool: Pool, deliveryId: string): Promise<void> {
  await pool.query(
    `UPDATE ${OUTBOX_TABLE} SET status = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL WHERE delivery_id = $1`,
    [deliveryId],
  );
}

/** A failed attempt: retried after `backoffSeconds`, or `failed` for good once `attempts` reached `maxAttempts`. */
export async function markFailed(pool: Pool, row: OutboxRow, error: string, maxAttempts: number, backoffSeconds: number): Promise<void> {
  await pool.query(
    `UPDATE ${OUTBOX_TABLE} SET status = CASE WHEN attempts >= $2 THEN 'failed' ELSE 'pending' END,
            next_attempt_at = now() + make_interval(secs => $3), lease_until = NULL, last_error = $4
      WHERE delivery_id = $1`,
    [row.deliveryId, maxAttempts, backoffSeconds, error.slice(0, 2000)],
  );
}

export async function listOutbox(
  pool: Pool,
  status: OutboxStatus | undefined,
  customerId: string | undefined,
  limit: number,
): Promise<OutboxRow[]> {
  const { rows } = await pool.query<OutboxRow>(
    `${SELECT} WHERE ($1::text IS NULL OR status = $1) AND ($2::uuid IS NULL OR customer_id = $2) ORDER BY created_at, delivery_id LIMIT $3`,
    [status ?? null, customerId ?? null, limit],
  );
  return rows;
}

/** Puts a failed delivery back in the queue (after the contact was fixed, say); false if it is not failed. */
export async function retryFailed(pool: Pool, deliveryId: string, recipient: string | null): Promise<boolean> {
  const { rowCount } = await pool.query(
    `UPDATE ${OUTBOX_TABLE} SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL,
            recipient = COALESCE($2, recipient)
      WHERE delivery_id = $1 AND status = 'failed'`,
    [deliveryId, recipient],
  );
  return (rowCount ?? 0) > 0;
}

export async function countByStatus(pool: Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ status: string; n: string }>(
    `SELECT status, count(*)::text AS n FROM ${OUTBOX_TABLE} GROUP BY status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
