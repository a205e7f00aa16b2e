import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { readStreamWith } from '@arc/event-store';
import { ARC_PG_POOL, fold, transactional, type Queryable } from '@arc/platform';
import { subscriptionDecider, subscriptionStreamId, type Subscription, type SubscriptionDefinition } from '../domain';

/**
 * The department subscriptions: one row per subscription, the state its stream folds to, written in the
 * command's transaction. The outbox matches alert events against the active ones; the dispatcher reads the
 * url and secret of each delivery from here.
 */
export const SUBSCRIPTIONS_TABLE = 'risk_alert_subscriptions';
const STREAM_PREFIX = subscriptionStreamId('');

export const SUBSCRIPTIONS_SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${SUBSCRIPTIONS_TABLE} (
    subscription_id text PRIMARY KEY,
    department      text NOT NULL,
    url             text NOT NULL,
    secret          text NOT NULL,
    rule_ids        jsonb,
    min_severity    text NOT NULL,
    scope           jsonb,
    status          text NOT NULL,
    version         int NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
  )`;

/** What the outbox matches on. */
export type SubscriptionRow = Pick<SubscriptionDefinition, 'subscriptionId' | 'ruleIds' | 'minSeverity' | 'scope'>;

/** A subscription as the API answers it: never its secret. */
export type SubscriptionJson = Omit<SubscriptionDefinition, 'secret'> & { status: 'active' | 'cancelled' };

async function recordSubscription(db: Queryable, s: Subscription, version: number): Promise<void> {
  if (s.status === 'none') return;
  await db.query(
    `INSERT INTO ${SUBSCRIPTIONS_TABLE} (subscription_id, department, url, secret, rule_ids, min_severity, scope, status, version)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7::jsonb, $8, $9)
     ON CONFLICT (subscription_id) DO UPDATE
       SET department = EXCLUDED.department, url = EXCLUDED.url, secret = EXCLUDED.secret, rule_ids = EXCLUDED.rule_ids,
           min_severity = EXCLUDED.min_severity, scope = EXCLUDED.scope, status = EXCLUDED.status, version = EXCLUDED.version,
           updated_at = now()
       WHERE ${SUBSCRIPTIONS_TABLE}.version <= EXCLUDED.version`,
    [
      s.subscriptionId,
      s.department,
      s.url,
      s.secret,
      s.ruleIds === null ? null : JSON.stringify(s.ruleIds),
      s.minSeverity,
      s.scope === null ? null : JSON.stringify(s.scope),
      s.status,
      version,
    ],
  );
}

/** Rebuild: records the subscriptions whose streams `events` touch, each folded from its whole stream. */
export async function applySubscriptionEvents(db: Queryable, events: readonly { streamId: string }[]): Promise<void> {
  const streams = [...new Set(events.map((e) => e.streamId).filter((id) => id.startsWith(STREAM_PREFIX)))];
  for (const streamId of streams) {
    const stored = await readStreamWith(db, streamId);
    await recordSubscription(db, fold(subscriptionDecider, stored), stored.at(-1)?.streamVersion ?? 0);
  }
}

@Injectable()
export class SubscriptionsView implements OnModuleInit {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await this.pool.query(SUBSCRIPTIONS_SCHEMA);
  }

  /** In the command's transaction. */
  record(s: Subscription, version: number): Promise<void> {
    return recordSubscription(transactional(this.pool), s, version);
  }

  async list(filter: { department?: string; status?: 'active' | 'cancelled' }): Promise<SubscriptionJson[]> {
    const { rows } = await this.pool.query<SubscriptionJson>(
      `SELECT subscription_id AS "subscriptionId", department, url, rule_ids AS "ruleIds", min_severity AS "minSeverity", scope, status
         FROM ${SUBSCRIPTIONS_TABLE}
        WHERE ($1::text IS NULL OR department = $1) AND ($2::text IS NULL OR status = $2)
        ORDER BY department, subscription_id`,
      [filter.department ?? null, filter.status ?? null],
    );
    return rows;
  }
}

export function subscriptionJson(s: Subscription): SubscriptionJson | Record<string, never> {
  if (s.status === 'none') return {};
  const { secret: _secret, ...rest } = s;
  return rest;
}
