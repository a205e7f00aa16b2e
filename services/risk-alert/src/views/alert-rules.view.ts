import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { readStreamWith } from '@arc/event-store';
import { ARC_PG_POOL, Commands, fold, transactional, type Queryable } from '@arc/platform';
import {
  alertRuleDecider,
  alertRuleStreamId,
  thresholdFromJson,
  thresholdToJson,
  type AlertRule,
  type RuleSnapshot,
  type ThresholdJson,
} from '../domain';

/**
 * The rules as the API lists them and the consumer evaluates them: one row per rule, the state its stream
 * folds to, written after each rule command that succeeded (a later version never loses to an earlier one).
 */
export const ALERT_RULES_TABLE = 'risk_alert_rules';

const RULE_STREAM_PREFIX = alertRuleStreamId('');

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${ALERT_RULES_TABLE} (
    rule_id     text PRIMARY KEY,
    name        text NOT NULL,
    metric      text NOT NULL,
    comparison  text NOT NULL,
    threshold   jsonb NOT NULL,
    severity    text NOT NULL,
    status      text NOT NULL,
    version     int NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
  );
  ALTER TABLE ${ALERT_RULES_TABLE} ADD COLUMN IF NOT EXISTS escalations jsonb NOT NULL DEFAULT '[]';
  ALTER TABLE ${ALERT_RULES_TABLE} ADD COLUMN IF NOT EXISTS hold_on_critical boolean NOT NULL DEFAULT false;
  ALTER TABLE ${ALERT_RULES_TABLE} ADD COLUMN IF NOT EXISTS currency text;
  CREATE INDEX IF NOT EXISTS ${ALERT_RULES_TABLE}_active ON ${ALERT_RULES_TABLE} (status)`;

export interface AlertRuleRow extends RuleSnapshot {
  status: 'active' | 'retired';
  version: number;
}

interface Row {
  rule_id: string;
  name: string;
  metric: RuleSnapshot['metric'];
  comparison: RuleSnapshot['comparison'];
  threshold: ThresholdJson;
  severity: RuleSnapshot['severity'];
  escalations: { threshold: ThresholdJson; severity: RuleSnapshot['severity'] }[];
  hold_on_critical: boolean;
  currency: string | null;
  status: 'active' | 'retired';
  version: number;
}

const fromRow = (row: Row): AlertRuleRow => ({
  ruleId: row.rule_id,
  name: row.name,
  metric: row.metric,
  comparison: row.comparison,
  threshold: thresholdFromJson(row.threshold),
  severity: row.severity,
  escalations: row.escalations.map((l) => ({ threshold: thresholdFromJson(l.threshold), severity: l.severity })),
  holdOnCritical: row.hold_on_critical,
  currency: row.currency,
  status: row.status,
  version: row.version,
});

@Injectable()
export class AlertRulesView implements OnModuleInit, OnApplicationBootstrap {
  constructor(
    @Inject(ARC_PG_POOL) private readonly pool: Pool,
    @Inject(Commands) private readonly commands: Commands,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.pool.query(SCHEMA);
  }

  /**
   * Catches the view up with the rule streams at start-up (after the event store is migrated): a rule
   * command whose view write was lost (a crash right after the append) is in force again. Rules are few.
   */
  async onApplicationBootstrap(): Promise<void> {
    const { rows } = await this.pool.query<{ stream_id: string }>(
      `SELECT DISTINCT e.stream_id FROM events e
       LEFT JOIN ${ALERT_RULES_TABLE} r ON e.stream_id = '${RULE_STREAM_PREFIX}' || r.rule_id
       WHERE e.stream_id LIKE '${RULE_STREAM_PREFIX}%' AND (r.rule_id IS NULL OR e.stream_version > r.version)`,
    );
    for (const { stream_id } of rows) {
      const { state, version } = await this.commands.load(alertRuleDecider, stream_id);
      await this.record(state, version);
    }
  }

  /** Records the rule's state at `version` of its stream (nothing for a rule never defined), in the command's transaction. */
  record(rule: AlertRule, version: number): Promise<void> {
    return recordRule(transactional(this.pool), rule, version);
  }

  /** In the current transaction when there is one (a consumer's batch evaluating the rules). */
  async list(status?: 'active' | 'retired'): Promise<AlertRuleRow[]> {
    const { rows } = await transactional(this.pool).query<Row>(
      `SELECT rule_id, name, metric, comparison, threshold, severity, escalations, hold_on_critical, currency, status, version FROM ${ALERT_RULES_TABLE}
       WHERE ($1::text IS NULL OR status = $1) ORDER BY rule_id`,
      [status ?? null],
    );
    return rows.map(fromRow);
  }

  /** The rules the consumer evaluates. */
  active(): Promise<AlertRuleRow[]> {
    return this.list('active');
  }
}

async function recordRule(db: Queryable, rule: AlertRule, version: number): Promise<void> {
  if (rule.status === 'undefined') return;
  await db.query(
    `INSERT INTO ${ALERT_RULES_TABLE} (rule_id, name, metric, comparison, threshold, severity, status, version, escalations, hold_on_critical, currency)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9::jsonb, $10, $11)
     ON CONFLICT (rule_id) DO UPDATE
       SET name = EXCLUDED.name, metric = EXCLUDED.metric, comparison = EXCLUDED.comparison, threshold = EXCLUDED.threshold,
           severity = EXCLUDED.severity, escalations = EXCLUDED.escalations, hold_on_critical = EXCLUDED.hold_on_critical, currency = EXCLUDED.currency, status = EXCLUDED.status, version = EXCLUDED.version, updated_at = now()
       WHERE ${ALERT_RULES_TABLE}.version <= EXCLUDED.version`,
    [
      rule.ruleId,
      rule.name,
      rule.metric,
      rule.comparison,
      JSON.stringify(thresholdToJson(rule.threshold)),
      rule.severity,
      rule.status,
      version,
      JSON.stringify(rule.escalations.map((l) => ({ threshold: thresholdToJson(l.threshold), severity: l.severity }))),
      rule.holdOnCritical,
      rule.currency,
    ],
  );
}

/**
 * Records the rules whose streams `events` touch, each folded from its whole stream (read in `db`):
 * the rebuild of the view from the service's own events.
 */
export async function applyRuleEvents(db: Queryable, events: readonly { streamId: string }[]): Promise<void> {
  const streams = [...new Set(events.map((e) => e.streamId).filter((id) => id.startsWith(RULE_STREAM_PREFIX)))];
  for (const streamId of streams) {
    const stored = await readStreamWith(db, streamId);
    await recordRule(db, fold(alertRuleDecider, stored), stored.at(-1)?.streamVersion ?? 0);
  }
}

/** A rule as the API answers it. */
export function ruleJson(rule: RuleSnapshot & { status: string }): Record<string, unknown> {
  return {
    ruleId: rule.ruleId,
    name: rule.name,
    metric: rule.metric,
    comparison: rule.comparison,
    threshold: thresholdToJson(rule.threshold),
    severity: rule.severity,
    escalations: rule.escalations.map((l) => ({ threshold: thresholdToJson(l.threshold), severity: l.severity })),
    holdOnCritical: rule.holdOnCritical,
    currency: rule.currency,
    status: rule.status,
  };
}
