import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import type { AlertEscalatedData, AlertInvoice, AlertRaisedData, AlertResolvedData } from '@arc/contracts';
import { ARC_PG_POOL, transactional, type Queryable } from '@arc/platform';
import type { AlertAcknowledged } from '../domain';
import { INVOICES_TABLE } from './invoices.view';

/**
 * The alerts as the API lists them: one row per alert (episode), kept from the events the alert decider
 * decided. Every write is an idempotent upsert keyed by the alert id, so applying an event twice (a
 * redelivered change event answered from the store) changes nothing.
 */
export const ALERTS_TABLE = 'risk_alert_alerts';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${ALERTS_TABLE} (
    alert_id         uuid PRIMARY KEY,
    stream_id        text NOT NULL,
    rule_id          text NOT NULL,
    metric           text NOT NULL,
    subject_kind     text NOT NULL,
    subject_key      text,
    severity         text NOT NULL,
    observed_value   text NOT NULL,
    threshold_value  text NOT NULL,
    unit             text NOT NULL,
    currency         char(3),
    message          text NOT NULL,
    status           text NOT NULL,
    raised_on        date NOT NULL,
    resolved_on      date,
    resolution       text,
    acknowledged_by  text,
    acknowledged_at  timestamptz,
    updated_at       timestamptz NOT NULL DEFAULT now()
  );
  ALTER TABLE ${ALERTS_TABLE} ADD COLUMN IF NOT EXISTS escalated_on date;
  ALTER TABLE ${ALERTS_TABLE} ADD COLUMN IF NOT EXISTS hold_requested boolean NOT NULL DEFAULT false;
  ALTER TABLE ${ALERTS_TABLE} ADD COLUMN IF NOT EXISTS invoices jsonb;
  CREATE INDEX IF NOT EXISTS ${ALERTS_TABLE}_subject ON ${ALERTS_TABLE} (subject_kind, subject_key, status);
  CREATE INDEX IF NOT EXISTS ${ALERTS_TABLE}_rule ON ${ALERTS_TABLE} (rule_id, status)`;

/** An event of an alert stream, as the decider returned it (fresh or from the store on a repeat). */
export interface DecidedAlertEvent {
  streamId: string;
  /** The stored event's id (the outbox keys deliveries on it). */
  eventId?: string;
  eventType: string;
  data: Record<string, unknown>;
}

/** Applies decided alert events to the view, in order. */
export async function applyAlertEvents(db: Queryable, events: readonly DecidedAlertEvent[]): Promise<void> {
  for (const event of events) {
    switch (event.eventType) {
      case 'AlertRaised': {
        const d = event.data as unknown as AlertRaisedData;
        await db.query(
          `INSERT INTO ${ALERTS_TABLE} (alert_id, stream_id, rule_id, metric, subject_kind, subject_key, severity, observed_value,
                                        threshold_value, unit, currency, message, status, raised_on, invoices)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'open', $13, $14::jsonb)
           ON CONFLICT (alert_id) DO NOTHING`,
          [
            d.alertId,
            event.streamId,
            d.ruleId,
            d.metric,
            d.subject.kind,
            d.subject.key,
            d.severity,
            d.observedValue,
            d.thresholdValue,
            d.unit,
            d.currency,
            d.message,
            d.businessDate,
            d.invoices === undefined ? null : JSON.stringify(d.invoices),
          ],
        );
        break;
      }
      case 'AlertEscalated': {
        // The alert now shows the level it reached: its severity, figure, threshold, message and invoices.
        const d = event.data as unknown as AlertEscalatedData;
        await db.query(
          `UPDATE ${ALERTS_TABLE} SET severity = $2, observed_value = $3, threshold_value = $4, currency = $5, message = $6,
                  escalated_on = $7, invoices = COALESCE($8::jsonb, invoices), updated_at = now()
           WHERE alert_id = $1 AND status = 'open'`,
          [
            d.alertId,
            d.severity,
            d.observedValue,
            d.thresholdValue,
            d.currency,
            d.message,
            d.businessDate,
            d.invoices === undefined ? null : JSON.stringify(d.invoices),
          ],
        );
        break;
      }
      case 'RiskCreditHoldRequested':
      case 'RiskCreditHoldReleaseRequested':
        await db.query(`UPDATE ${ALERTS_TABLE} SET hold_requested = $2, updated_at = now() WHERE alert_id = $1`, [
          (event.data as { alertId: string }).alertId,
          event.eventType === 'RiskCreditHoldRequested',
        ]);
        break;
      case 'AlertResolved': {
        const d = event.data as unknown as AlertResolvedData;
        await db.query(
          `UPDATE ${ALERTS_TABLE} SET status = 'resolved', resolved_on = $2, resolution = $3, updated_at = now() WHERE alert_id = $1`,
          [d.alertId, d.businessDate, d.resolution],
        );
        break;
      }
      case 'AlertAcknowledged': {
        const d = event.data as unknown as AlertAcknowledged['data'];
        await db.query(
          `UPDATE ${ALERTS_TABLE} SET acknowledged_by = $2, acknowledged_at = $3, updated_at = now()
           WHERE alert_id = $1 AND acknowledged_by IS NULL`,
          [d.alertId, d.acknowledgedBy, d.acknowledgedAt],
        );
        break;
      }
      default:
        break;
    }
  }
}

export interface AlertRow {
  alertId: string;
  ruleId: string;
  metric: string;
  subject: { kind: string; key: string | null };
  severity: string;
  observedValue: string;
  thresholdValue: string;
  unit: string;
  currency: string | null;
  message: string;
  /** The invoices behind the figure when it was raised or last escalated (empty: the metric lists none). */
  invoices: AlertInvoice[];
  status: 'open' | 'resolved';
  raisedOn: string;
  escalatedOn: string | null;
  /** It asked credit for a hold that has not been released yet. */
  holdRequested: boolean;
  resolvedOn: string | null;
  resolution: string | null;
  acknowledgedBy: string | null;
  acknowledgedAt: string | null;
}

interface Row {
  alert_id: string;
  stream_id: string;
  rule_id: string;
  metric: string;
  subject_kind: string;
  subject_key: string | null;
  severity: string;
  observed_value: string;
  threshold_value: string;
  unit: string;
  currency: string | null;
  message: string;
  invoices: AlertInvoice[] | null;
  status: 'open' | 'resolved';
  raised_on: string;
  escalated_on: string | null;
  hold_requested: boolean;
  resolved_on: string | null;
  resolution: string | null;
  acknowledged_by: string | null;
  acknowledged_at: Date | null;
}

const COLUMNS = `alert_id::text, stream_id, rule_id, metric, subject_kind, subject_key, severity, observed_value, threshold_value, unit,
  currency, message, invoices, status, to_char(raised_on, 'YYYY-MM-DD') AS raised_on,
  to_char(escalated_on, 'YYYY-MM-DD') AS escalated_on, hold_requested, to_char(resolved_on, 'YYYY-MM-DD') AS resolved_on,
  resolution, acknowledged_by, acknowledged_at`;

const fromRow = (row: Row): AlertRow => ({
  alertId: row.alert_id,
  ruleId: row.rule_id,
  metric: row.metric,
  subject: { kind: row.subject_kind, key: row.subject_key },
  severity: row.severity,
  observedValue: row.observed_value,
  thresholdValue: row.threshold_value,
  unit: row.unit,
  currency: row.currency,
  message: row.message,
  invoices: row.invoices ?? [],
  status: row.status,
  raisedOn: row.raised_on,
  escalatedOn: row.escalated_on,
  holdRequested: row.hold_requested,
  resolvedOn: row.resolved_on,
  resolution: row.resolution,
  acknowledgedBy: row.acknowledged_by,
  acknowledgedAt: row.acknowledged_at === null ? null : row.acknowledged_at.toISOString(),
});

export interface AlertFilter {
  status?: 'open' | 'resolved';
  customerId?: string;
  ruleId?: string;
}

@Injectable()
export class AlertsView implements OnModuleInit {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await this.pool.query(SCHEMA);
  }

  /** Written in the command's transaction, when there is one (see @arc/event-store `transactional`). */
  apply(events: readonly DecidedAlertEvent[]): Promise<void> {
    return applyAlertEvents(transactional(this.pool), events);
  }

  async list(filter: AlertFilter): Promise<AlertRow[]> {
    const { rows } = await transactional(this.pool).query<Row>(
      `SELECT ${COLUMNS} FROM ${ALERTS_TABLE}
       WHERE ($1::text IS NULL OR status = $1)
         AND ($2::text IS NULL OR (subject_kind = 'customer' AND subject_key = $2)
              OR (subject_kind = 'invoice' AND subject_key IN (SELECT invoice_id::text FROM ${INVOICES_TABLE} WHERE customer_id::text = $2)))
         AND ($3::text IS NULL OR rule_id = $3)
       ORDER BY raised_on DESC, alert_id LIMIT 1000`,
      [filter.status ?? null, filter.customerId ?? null, filter.ruleId ?? null],
    );
    return rows.map(fromRow);
  }

  /**
   * The alert and its stream, or undefined when no alert has that id. Read in the command's transaction when
   * there is one, so a route answers with what its own command just wrote.
   */
  async find(alertId: string): Promise<(AlertRow & { streamId: string }) | undefined> {
    const { rows } = await transactional(this.pool).query<Row>(`SELECT ${COLUMNS} FROM ${ALERTS_TABLE} WHERE alert_id = $1`, [alertId]);
    const row = rows[0];
    return row === undefined ? undefined : { ...fromRow(row), streamId: row.stream_id };
  }
}
