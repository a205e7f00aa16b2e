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
  // A row whose lease ran out while `sending` was claimed by a process that died mid-send: whether the server
  // accepted it is unknown. Counted, and the server's reply to the send that succeeded kept (its queue id).
  `ALTER TABLE ${OUTBOX_TABLE} ADD COLUMN IF NOT EXISTS in_doubt_resends integer NOT NULL DEFAULT 0`,
  `ALTER TABLE ${OUTBOX_TABLE} ADD COLUMN IF NOT EXISTS server_reply text`,
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

/** A delivery row to queue: one per step event and outbox channel. */
export interface DeliveryRow {
  deliveryId: string;
  eventId: string;
  customerId: string;
  channel: OutboxChannel;
  recipient: string | null;
  subject: string;
  text: string;
  html: string;
  payload: Record<string, unknown>;
  status: 'pending' | 'failed';
  lastError: string | null;
}

/**
 * The deliveries of a step just decided. A customer without a dunning contact e-mail gets a `failed` row
 * saying so (visible, retried once a contact is set and the row retried).
 */
export function stepDeliveries(
  eventId: string,
  step: DunningStepExecutedData,
  customer: Pick<DunningCustomer, 'legalName' | 'contactName' | 'contactEmail' | 'items'>,
): DeliveryRow[] {
  const channels = outboxChannelsOf(step);
  if (channels.length === 0) return [];
  const message = renderDunningMessage(step.template as DunningTemplate, {
    step,
    customerName: customer.legalName ?? step.customerId,
    contactName: customer.contactName,
    openItems: customer.items,
  });
  return channels.map((channel) => {
    const recipient = channel === 'email' ? customer.contactEmail : null;
    const missing = channel === 'email' && recipient === null ? 'the customer has no dunning contact with an e-mail address' : null;
    return {
      deliveryId: `${eventId}:${channel}`,
      eventId,
      customerId: step.customerId,
      channel,
      recipient,
      subject: message.subject,
      text: message.text,
      html: message.html,
      payload: { eventType: 'DunningStepExecuted', eventId, data: step },
      status: missing ? 'failed' : 'pending',
      lastError: missing,
    };
  });
}

/** Queues delivery rows in the caller's transaction, in one statement; a row already queued stays as it is. */
export async function insertDeliveries(db: Db, rows: readonly DeliveryRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const { rowCount } = await db.query(
    `INSERT INTO ${OUTBOX_TABLE} (delivery_id, event_id, customer_id, channel, recipient, subject, body_text, body_html, payload, status, last_error)
     SELECT r."deliveryId", r."eventId", r."customerId", r.channel, r.recipient, r.subject, r.text, r.html, r.payload, r.status, r."lastError"
       FROM jsonb_to_recordset($1::jsonb) AS r("deliveryId" text, "eventId" uuid, "customerId" uuid, channel text, recipient text,
                                                subject text, text text, html text, payload jsonb, status text, "lastError" text)
     ON CONFLICT (delivery_id) DO NOTHING`,
    [JSON.stringify(rows)],
  );
  return rowCount ?? 0;
}

/** Queues the deliveries of a step just decided, in the caller's transaction (see `stepDeliveries`). */
export async function enqueueStepDeliveries(
  db: Db,
  eventId: string,
  step: DunningStepExecutedData,
  customer: Pick<DunningCustomer, 'legalName' | 'contactName' | 'contactEmail' | 'items'>,
): Promise<number> {
  return insertDeliveries(db, stepDeliveries(eventId, step, customer));
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
  /** Times the row was sent again after a process died between claiming it and recording the outcome. */
  inDoubtResends: number;
  /** The server's reply to the send recorded as sent (an SMTP 250 line with its queue id). */
  serverReply: string | null;
}

const COLUMNS = (
  o: string,
) => `${o}.delivery_id AS "deliveryId", ${o}.event_id::text AS "eventId", ${o}.customer_id::text AS "customerId", ${o}.channel,
                       ${o}.recipient, ${o}.subject, ${o}.body_text AS "bodyText", ${o}.body_html AS "bodyHtml", ${o}.payload, ${o}.status, ${o}.attempts,
                       to_char(${o}.next_attempt_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "nextAttemptAt", ${o}.last_error AS "lastError",
                       to_char(${o}.sent_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "sentAt",
                       ${o}.in_doubt_resends AS "inDoubtResends", ${o}.server_reply AS "serverReply"`;
const SELECT = `SELECT ${COLUMNS('o')} FROM ${OUTBOX_TABLE} o`;

/*
 * The claims and outcomes commit without waiting for the WAL flush (as the consumers' batches do): a killed process
 * loses none of them (the server has them); only a crash of the database server itself could lose the last few
 * milliseconds, and a lost outcome only makes its row in doubt (sent again, same Message-ID). Waiting for the disk on
 * each of these autocommit statements bounded the dispatcher at one flush per window of sends (~100 e-mails/s here).
 */
const NO_FLUSH_WAIT = `(SELECT set_config('synchronous_commit', 'off', true)) AS no_flush_wait`;

/**
 * Claims up to `limit` rows due for sending, in one statement (pending and due, or `sending` whose lease ran out:
 * the process that claimed them died mid-send, so whether the server accepted them is unknown: counted in
 * `in_doubt_resends`). The claim is the send intent: `sending`, one more attempt, leased for `leaseSeconds`.
 */
export async function claimDue(pool: Pool, limit: number, leaseSeconds: number): Promise<OutboxRow[]> {
  const { rows } = await pool.query<OutboxRow>(
    `WITH due AS (
       SELECT delivery_id FROM ${OUTBOX_TABLE}
        WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now())
        ORDER BY next_attempt_at, created_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     UPDATE ${OUTBOX_TABLE} o SET status = 'sending', attempts = o.attempts + 1, lease_until = now() + make_interval(secs => $2),
            in_doubt_resends = o.in_doubt_resends + CASE WHEN o.status = 'sending' THEN 1 ELSE 0 END
       FROM due, ${NO_FLUSH_WAIT} WHERE o.delivery_id = due.delivery_id
     RETURNING ${COLUMNS('o')}`,
    [limit, leaseSeconds],
  );
  return rows;
}

export async function markSent(pool: Pool, deliveryId: string, serverReply: string | null = null): Promise<void> {
  await markManySent(pool, [{ deliveryId, serverReply }]);
}

/** Records sends the server accepted, in one statement (the dispatcher groups the outcomes that arrive together). */
export async function markManySent(pool: Pool, sent: readonly { deliveryId: string; serverReply: string | null }[]): Promise<void> {
  if (sent.length === 0) return;
  await pool.query(
    `UPDATE ${OUTBOX_TABLE} o SET status = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL, server_reply = s.reply
       FROM unnest($1::text[], $2::text[]) AS s(id, reply), ${NO_FLUSH_WAIT} WHERE o.delivery_id = s.id`,
    [sent.map((s) => s.deliveryId), sent.map((s) => s.serverReply)],
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
    `${SELECT} WHERE ($1::text IS NULL OR o.status = $1) AND ($2::uuid IS NULL OR o.customer_id = $2) ORDER BY o.created_at, o.delivery_id LIMIT $3`,
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
