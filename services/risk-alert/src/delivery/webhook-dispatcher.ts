import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { ARC_PG_POOL, MetricsService } from '@arc/platform';
import { SUBSCRIPTIONS_TABLE } from '../views/subscriptions.view';
import { OUTBOX_SCHEMA, claimDue, countByStatus, markFailed, markSent, type OutboxRow } from './outbox';
import { DELIVERY_ID_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signature } from './signature';

export interface WebhookOptions {
  pollMs: number;
  maxAttempts: number;
  /** First retry delay; doubled per attempt, at most an hour. */
  backoffSeconds: number;
  /** How long one POST may take before it counts as failed. */
  timeoutMs: number;
}

export const WEBHOOK_OPTIONS = Symbol.for('arc.riskAlert.webhookOptions');

/** The delay before attempt `attempts + 1`: backoff × 2^(attempts − 1), at most an hour. */
export function backoffAfter(attempts: number, backoffSeconds: number): number {
  return Math.min(3600, backoffSeconds * 2 ** Math.max(0, attempts - 1));
}

/**
 * Sends the outbox's due rows to their subscriptions' webhooks, signed (see signature.ts), one poll at a time,
 * and records each outcome: 2xx is sent; anything else (an error status, a refused connection, a timeout) is
 * retried with backoff, and `failed` after the last attempt. A row is claimed under a lease, so two instances
 * never send it at once; a crash between the receiver's 2xx and `markSent` sends it again when the lease runs
 * out, with the same X-ARC-Delivery-Id (HTTP offers no more than that: receivers deduplicate on it).
 */
@Injectable()
export class WebhookDispatcher implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WebhookDispatcher');
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly deliveries: ReturnType<MetricsService['counter']>;

  constructor(
    @Inject(ARC_PG_POOL) private readonly pool: Pool,
    @Inject(WEBHOOK_OPTIONS) private readonly options: WebhookOptions,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.deliveries = metrics.counter({
      name: 'arc_risk_alert_deliveries_total',
      help: 'Alert webhook delivery attempts by outcome (sent, retry, failed)',
      labelNames: ['outcome'],
    });
    metrics.gauge({
      name: 'arc_risk_alert_outbox_rows',
      help: 'Alert webhook deliveries by status (failed ones need attention: GET /v1/alert-deliveries?status=failed)',
      labelNames: ['status'],
      collect: async function (this: { set(labels: { status: string }, value: number): void }) {
        const counts = await countByStatus(pool).catch(() => ({}) as Record<string, number>);
        for (const status of ['pending', 'sending', 'sent', 'failed']) this.set({ status }, counts[status] ?? 0);
      },
    });
  }

  async onModuleInit(): Promise<void> {
    await this.pool.query(OUTBOX_SCHEMA);
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.poll()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error(`webhook poll failed: ${String(error)}`))
        .finally(() => {
          this.running = null;
          this.schedule(this.options.pollMs);
        });
    }, ms);
  }

  /** Sends every row due now; returns how many were attempted. */
  async poll(): Promise<number> {
    let attempted = 0;
    for (;;) {
      if (this.stopped) return attempted;
      const rows = await claimDue(this.pool, 20, Math.ceil(this.options.timeoutMs / 1000) + 30);
      if (rows.length === 0) return attempted;
      attempted += rows.length;
      await Promise.all(rows.map((row) => this.deliver(row)));
    }
  }

  private async deliver(row: OutboxRow): Promise<void> {
    let status: number | null = null;
    try {
      const target = await this.subscription(row.subscriptionId);
      if (target === undefined) throw new Error(`subscription ${row.subscriptionId} is cancelled`);
      const body = JSON.stringify({ deliveryId: row.deliveryId, subscriptionId: row.subscriptionId, ...row.payload });
      const timestamp = Math.floor(Date.now() / 1000);
      const response = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [DELIVERY_ID_HEADER]: row.deliveryId,
          [TIMESTAMP_HEADER]: String(timestamp),
          [SIGNATURE_HEADER]: signature(target.secret, timestamp, body),
        },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
      await markSent(this.pool, row.deliveryId, response.status);
      this.deliveries.inc({ outcome: 'sent' });
    } catch (error) {
      const message = error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ''}` : String(error);
      const backoff = backoffAfter(row.attempts, this.options.backoffSeconds);
      await markFailed(this.pool, row.deliveryId, message, status, this.options.maxAttempts, backoff);
      const final = row.attempts >= this.options.maxAttempts;
      this.deliveries.inc({ outcome: final ? 'failed' : 'retry' });
      this.logger.warn(
        `delivery ${row.deliveryId} attempt ${row.attempts} failed${final ? ' for good' : `, retry in ${backoff}s`}: ${message}`,
      );
    }
  }

  private async subscription(subscriptionId: string): Promise<{ url: string; secret: string } | undefined> {
    const { rows } = await this.pool.query<{ url: string; secret: string }>(
      `SELECT url, secret FROM ${SUBSCRIPTIONS_TABLE} WHERE subscription_id = $1 AND status = 'active'`,
      [subscriptionId],
    );
    return rows[0];
  }
}
