import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Pool } from 'pg';
import { ARC_PG_POOL, MetricsService } from '@arc/platform';
import { letterFileName, letterPdf } from './letters';
import { claimDue, countByStatus, markFailed, markSent, type OutboxRow } from './outbox';

export interface OutboxOptions {
  /** `smtp://host:port` (or smtps://user:pass@host); null: e-mails wait in the outbox until one is configured. */
  smtpUrl: string | null;
  /** SMTP connections kept open and reused (nodemailer's pooled transport); at most this many at once. */
  smtpMaxConnections: number;
  /** Messages sent over one connection before it is replaced. */
  smtpMaxMessages: number;
  mailFrom: string;
  /** Where webhook and SMS deliveries are POSTed; null: they wait. */
  webhookUrl: string | null;
  pollMs: number;
  maxAttempts: number;
  /** First retry delay; doubled per attempt, at most an hour. */
  backoffSeconds: number;
}

export const OUTBOX_OPTIONS = Symbol.for('arc.collections.outboxOptions');

/**
 * The Message-ID of a step's e-mail: derived from the outbox row's id (the DunningStepExecuted event's id + channel),
 * so it is the same on every attempt, before and after a crash: a receiving system sees a repeat as the same message.
 */
export const messageIdOf = (deliveryId: string): string => `<${deliveryId.replace(':', '.')}@collections.arc>`;

/**
 * Sends the outbox's due rows, one poll at a time, and records each outcome, over a pool of at most
 * `smtpMaxConnections` SMTP connections that are kept open and reused (not one connection per e-mail). Delivery to
 * SMTP is at-least-once: a crash between the hand-over to SMTP and `markSent` makes the row due again when its lease
 * runs out, and the mail goes a second time with the same Message-ID (`messageIdOf`), which mail systems use to drop
 * the repeat — SMTP offers no more. The outbox row itself is queued exactly once.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxDispatcher');
  private transporter: Transporter | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly deliveries: ReturnType<MetricsService['counter']>;

  constructor(
    @Inject(ARC_PG_POOL) private readonly pool: Pool,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.deliveries = metrics.counter({
      name: 'arc_collections_deliveries_total',
      help: 'Outbox delivery attempts by channel and outcome (sent, retry, failed)',
      labelNames: ['channel', 'outcome'],
    });
    metrics.gauge({
      name: 'arc_collections_outbox_rows',
      help: 'Outbox rows by status (failed ones need attention: GET /v1/outbox?status=failed)',
      labelNames: ['status'],
      collect: async function (this: { set(labels: { status: string }, value: number): void }) {
        const counts = await countByStatus(pool).catch(() => ({}) as Record<string, number>);
        for (const status of ['pending', 'sending', 'sent', 'failed']) this.set({ status }, counts[status] ?? 0);
      },
    });
  }

  onApplicationBootstrap(): void {
    if (this.options.smtpUrl) {
      this.transporter = nodemailer.createTransport({
        url: this.options.smtpUrl,
        pool: true,
        maxConnections: this.options.smtpMaxConnections,
        maxMessages: this.options.smtpMaxMessages,
      });
    }
    this.schedule(0);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.transporter?.close();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.poll()
        .then(() => undefined)
        .catch((error: unknown) => this.logger.error(`outbox poll failed: ${String(error)}`))
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
      const rows = await claimDue(this.pool, 20, 60);
      if (rows.length === 0) return attempted;
      attempted += rows.length;
      await Promise.all(rows.map((row) => this.deliver(row)));
    }
  }

  private async deliver(row: OutboxRow): Promise<void> {
    try {
      if (row.channel === 'email') await this.sendEmail(row);
      else await this.callWebhook(row);
      await markSent(this.pool, row.deliveryId);
      this.deliveries.inc({ channel: row.channel, outcome: 'sent' });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const backoff = Math.min(3600, this.options.backoffSeconds * 2 ** Math.max(0, row.attempts - 1));
      await markFailed(this.pool, row, message, this.options.maxAttempts, backoff);
      const final = row.attempts >= this.options.maxAttempts;
      this.deliveries.inc({ channel: row.channel, outcome: final ? 'failed' : 'retry' });
      this.logger.warn(
        `delivery ${row.deliveryId} attempt ${row.attempts} failed${final ? ' for good' : `, retry in ${backoff}s`}: ${message}`,
      );
    }
  }

  private async sendEmail(row: OutboxRow): Promise<void> {
    if (!this.transporter) throw new Error('no SMTP server configured (ARC_COLLECTIONS_SMTP_URL)');
    if (!row.recipient) throw new Error('the customer has no dunning contact with an e-mail address');
    // A step with a letter sends it along as a PDF (rendered from what was recorded with the step).
    const letter = await letterPdf(this.pool, row.eventId);
    await this.transporter.sendMail({
      from: this.options.mailFrom,
      to: row.recipient,
      subject: row.subject,
      text: row.bodyText,
      html: row.bodyHtml,
      messageId: messageIdOf(row.deliveryId),
      headers: { 'X-ARC-Delivery-Id': row.deliveryId },
      ...(letter
        ? { attachments: [{ filename: letterFileName(letter.summary), content: letter.pdf, contentType: 'application/pdf' }] }
        : {}),
    });
  }

  private async callWebhook(row: OutboxRow): Promise<void> {
    if (!this.options.webhookUrl) throw new Error('no webhook configured (ARC_COLLECTIONS_WEBHOOK_URL)');
    const response = await fetch(this.options.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': row.deliveryId },
      body: JSON.stringify({ deliveryId: row.deliveryId, subject: row.subject, text: row.bodyText, ...row.payload }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
  }
}
