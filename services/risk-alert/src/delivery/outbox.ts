/*
 * The webhook outbox: one row per alert state change (AlertRaised, AlertEscalated, AlertResolved) and
 * subscription that wants it, written in the same transaction as the alert's events (the consumer's batch, or
 * the command's request), keyed `<subscriptionId>:<eventId>` — so a state is queued once per subscription, a
 * redelivered change event (same event ids) queues nothing more, and no event exists without its rows.
 * The dispatcher sends the rows, retries failures with exponential backoff, and leaves a row `failed`,
 * visible (GET /v1/alert-deliveries?status=failed, arc_risk_alert_outbox_rows), after the last attempt.
 *
 * Not a read model: a rebuild never touches it (re-creating rows would send again).
 */
import type { Pool } from 'pg';
import type { AlertSeverity, AlertSubject } from '@arc/contracts';
import type { Queryable } from '@arc/platform';
import { matches } from '../domain';
import type { DecidedAlertEvent } from '../views/alerts.view';
import { ALERTS_TABLE } from '../views/alerts.view';
import { SUBSCRIPTIONS_TABLE, type SubscriptionRow } from '../views/subscriptions.view';

export const OUTBOX_TABLE = 'risk_alert_outbox';
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
/** The alert events a subscription receives: the states of an alert (an acknowledgement is not routed). */
export const DELIVERED_EVENTS = ['AlertRaised', 'AlertEscalated', 'AlertResolved'] as const;

export const OUTBOX_SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${OUTBOX_TABLE} (
    delivery_id     text PRIMARY KEY,
    subscription_id text NOT NULL,
    event_id        uuid NOT NULL,
    event_type      text NOT NULL,
    alert_id        uuid NOT NULL,
    payload         jsonb NOT NULL,
    status          text NOT NULL DEFAULT 'pending',
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    lease_until     timestamptz,
    last_error      text,
    last_status     integer,
    sent_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now()
  );
  CREATE INDEX IF NOT EXISTS ${OUTBOX_TABLE}_due ON ${OUTBOX_TABLE} (next_attempt_at) WHERE status IN ('pending', 'sending');
  CREATE INDEX IF NOT EXISTS ${OUTBOX_TABLE}_subscription ON ${OUTBOX_TABLE} (subscription_id, created_at)`;

interface AlertState {
  alertId: string;
  ruleId: string;
  subject: AlertSubject;
  severity?: AlertSeverity;
}

/**
 * Queues, in `db` (the transaction that appended them), the deliveries of freshly decided alert events to the
 * active subscriptions that match. A resolution goes to whoever matched the alert's highest severity. Call it
 * after the alerts view took the events (the severity of a resolved alert is read from it).
 */
export async function enqueueDeliveries(db: Queryable, events: readonly DecidedAlertEvent[]): Promise<number> {
  const routed = events.filter((e) => e.eventId !== undefined && (DELIVERED_EVENTS as readonly string[]).includes(e.eventType));
  if (routed.length === 0) return 0;
  const { rows: subscriptions } = await db.query<SubscriptionRow>(
    `SELECT subscription_id AS "subscriptionId", rule_ids AS "ruleIds", min_severity AS "minSeverity", scope
       FROM ${SUBSCRIPTIONS_TABLE} WHERE status = 'active'`,
  );
  if (subscriptions.length === 0) return 0;
  let queued = 0;
  for (const event of routed) {
    const d = event.data as unknown as AlertState;
    const severity = d.severity ?? (await severityOf(db, d.alertId));
    if (severity === undefined) continue;
    for (const subscription of subscriptions) {
      if (!matches(subscription, { ruleId: d.ruleId, severity, subject: d.subject })) continue;
      const payload = { eventType: event.eventType, eventId: event.eventId, alertId: d.alertId, severity, data: event.data };
      const { rowCount } = await db.query(
        `INSERT INTO ${OUTBOX_TABLE} (delivery_id, subscription_id, event_id, event_type, alert_id, payload)
         VALUES ($1, $2, $3, $4, $5, $6::jsonb) ON CONFLICT (delivery_id) DO NOTHING`,
        [
          `${subscription.subscriptionId}:${event.eventId}`,
          subscription.subscriptionId,
          event.eventId,
          event.eventType,
          d.alertId,
          JSON.stringify(payload),
        ],
      );
      queued += rowCount ?? 0;
    }
  }
  return queued;
}

async function severityOf(db: Queryable, alertId: string): Promise<AlertSeverity | undefined> {
  const { rows } = await db.query<{ severity: AlertSeverity }>(`SELECT severity FROM ${ALERTS_TABLE} WHERE alert_id = $1`, [alertId]);
  return rows[0]?.severity;
}

export interface OutboxRow {
  deliveryId: string;
  subscriptionId: string;
  eventId: string;
  eventType: string;
  alertId: string;
  payload: Record<string, unknown>;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  lastStatus: number | null;
  sentAt: string | null;
  createdAt: string;
}

const ts = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const SELECT = `SELECT delivery_id AS "deliveryId", subscription_id AS "subscriptionId", event_id::text AS "eventId", event_type AS "eventType",
                       alert_id::text AS "alertId", payload, status, attempts, ${ts('next_attempt_at')} AS "nextAttemptAt",
                       last_error AS "lastError", last_status AS "lastStatus", ${ts('sent_at')} AS "sentAt", ${ts('created_at')} AS "createdAt"
                  FROM ${OUTBOX_TABLE}`;

/** Claims up to `limit` due rows (pending and due, or `sending` whose lease ran out); each claim is an attempt. */
export async function claimDue(pool: Pool, limit: number, leaseSeconds: number): Promise<OutboxRow[]> {
  const { rows } = await pool.query<{ delivery_id: string }>(
    `WITH due AS (
       SELECT delivery_id FROM ${OUTBOX_TABLE}
        WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND lease_until < now())
        ORDER BY next_attempt_at, created_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     UPDATE ${OUTBOX_TABLE} o SET status = 'sending', attempts = attempts + 1, lease_until = now() + make_interval(secs => $2)
       FROM due WHERE o.delivery_id = due.delivery_id
     RETURNING o.delivery_id`,
    [limit, leaseSeconds],
  );
  if (rows.length === 0) return [];
  return (
    await pool.query<OutboxRow>(`${SELECT} WHERE delivery_id = ANY($1::text[]) ORDER BY created_at, delivery_id`, [
      rows.map((r) => r.delivery_id),
    ])
  ).rows;
}

export async function markSent(pool: Pool, deliveryId: string, status: number): Promise<void> {
  await pool.query(
    `UPDATE ${OUTBOX_TABLE} SET status = 'sent', sent_at = now(), lease_until = NULL, last_error = NULL, last_status = $2 WHERE delivery_id = $1`,
    [deliveryId, status],
  );
}

/** A failed attempt: retried after `backoffSeconds`, or `failed` for good once `maxAttempts` were made. */
export async function markFailed(
  pool: Pool,
  deliveryId: string,
  error: string,
  status: number | null,
  maxAttempts: number,
  backoffSeconds: number,
): Promise<void> {
  await pool.query(
    `UPDATE ${OUTBOX_TABLE} SET status = CASE WHEN attempts >= $2 THEN 'failed' ELSE 'pending' END,
            next_attempt_at = now() + make_interval(secs => $3), lease_until = NULL, last_error = $4, last_status = $5
      WHERE delivery_id = $1`,
    [deliveryId, maxAttempts, backoffSeconds, error.slice(0, 2000), status],
  );
}

export async function listOutbox(
  pool: Pool,
  filter: { status?: OutboxStatus; subscriptionId?: string; alertId?: string },
  limit = 1000,
): Promise<OutboxRow[]> {
  const { rows } = await pool.query<OutboxRow>(
    `${SELECT} WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR subscription_id = $2) AND ($3::uuid IS NULL OR alert_id = $3)
     ORDER BY created_at, delivery_id LIMIT $4`,
    [filter.status ?? null, filter.subscriptionId ?? null, filter.alertId ?? null, limit],
  );
  return rows;
}

/** Puts a failed delivery back in the queue (after the receiver was fixed); false if it is not failed. */
export async function retryFailed(db: Queryable, deliveryId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE ${OUTBOX_TABLE} SET status = 'pending', attempts = 0, next_attempt_at = now(), last_error = NULL
      WHERE delivery_id = $1 AND status = 'failed'`,
    [deliveryId],
  );
  return (rowCount ?? 0) > 0;
}

export async function countByStatus(pool: Pool): Promise<Record<string, number>> {
  const { rows } = await pool.query<{ status: string; n: string }>(
    `SELECT status, count(*)::text AS n FROM ${OUTBOX_TABLE} GROUP BY status`,
  );
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}
