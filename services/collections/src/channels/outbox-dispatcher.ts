import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import nodemailer, { type Transporter } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { Pool } from 'pg';
import { ARC_PG_POOL, MetricsService } from '@arc/platform';
import { letterFileName, letterPdf } from './letters';
import { claimDue, countByStatus, markFailed, markManySent, type OutboxRow } from './outbox';

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
  /**
   * How long a claimed row belongs to the process that claimed it; after that it is due again (the process died
   * mid-send). Each SMTP or webhook call times out well before it, so a slow send is never sent twice meanwhile.
   */
  leaseSeconds: number;
}

export const OUTBOX_OPTIONS = Symbol.for('arc.collections.outboxOptions');

/**
 * The Message-ID of a step's e-mail: derived from the outbox row's id (the DunningStepExecuted event's id + channel),
 * so it is the same on every attempt, before and after a crash: a receiving system sees a repeat as the same message.
 */
export const messageIdOf = (deliveryId: string): string => `<${deliveryId.replace(':', '.')}@collections.arc>`;

/**
 * The outcomes of sends, recorded as they arrive: one UPDATE at a time, carrying every outcome that came in while
 * the previous one ran (a group commit). So a 250 from the server is committed within about one round trip, not
 * after a whole batch: the window in which a crash makes an accepted mail look unsent stays that short.
 */
class SentOutcomes {
  private waiting: { deliveryId: string; serverReply: string | null; done: () => void; failed: (e: unknown) => void }[] = [];
  private flushing: Promise<void> | null = null;

  constructor(private readonly pool: Pool) {}

  record(deliveryId: string, serverReply: string | null): Promise<void> {
    return new Promise<void>((done, failed) => {
      this.waiting.push({ deliveryId, serverReply, done, failed });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      try {
        await markManySent(this.pool, batch);
        for (const b of batch) b.done();
      } catch (error) {
        for (const b of batch) b.failed(error);
      }
    }
    this.flushing = null;
  }
}

/**
 * Sends the outbox's due rows over a pool of at most `smtpMaxConnections` SMTP connections that are kept open and
 * reused (not one connection per e-mail; nodemailer pipelines each message's commands when the server offers
 * PIPELINING), keeping a window of sends in flight, claimed in batches, their outcomes committed as they come.
 *
 * What a crash can repeat: the claim (`sending`, one statement per batch) is the send intent, and the outcome is
 * committed right after the server's 250. A row is sent again only if the process dies between claiming it and
 * committing its outcome: if the server had not yet accepted it, that is no repeat; if it had (the 250 arrived,
 * the commit did not), the mail goes a second time when the lease runs out, with the same Message-ID
 * (`messageIdOf`), which receiving systems use to drop the repeat, and the row counts it (`in_doubt_resends`).
 * SMTP has no idempotent submission, so no sender can close that window; here it is one commit's round trip per
 * message in flight. A mail recorded as sent is never sent again. The outbox row itself is queued exactly once.
 */
@Injectable()
export class OutboxDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxDispatcher');
  private transporter: Transporter | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly deliveries: ReturnType<MetricsService['counter']>;
  private readonly outcomes: SentOutcomes;
  /**
   * Rows claimed and not yet decided, at most (4 per connection): enough to keep every pooled connection busy while
   * the next batch is claimed, and the bound on what a crash leaves in doubt.
   */
  private readonly window: number;

  constructor(
    @Inject(ARC_PG_POOL) private readonly pool: Pool,
    @Inject(OUTBOX_OPTIONS) private readonly options: OutboxOptions,
    @Inject(MetricsService) metrics: MetricsService,
  ) {
    this.outcomes = new SentOutcomes(pool);
    this.window = Math.max(8, options.smtpMaxConnections * 4);
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
        // Every wait on the server ends well within the lease (a send outliving it could go twice).
        connectionTimeout: this.sendTimeoutMs(),
        greetingTimeout: this.sendTimeoutMs(),
        socketTimeout: this.sendTimeoutMs(),
      });
    }
    this.schedule(0);
  }

  /** A third of the lease: a send that takes longer fails (and is retried) long before its row is due again. */
  private sendTimeoutMs(): number {
    return Math.floor((this.options.leaseSeconds * 1000) / 3);
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

  /** Sends every row due now, keeping up to `window` sends in flight; returns how many were attempted. */
  async poll(): Promise<number> {
    let attempted = 0;
    const inFlight = new Set<Promise<void>>();
    for (;;) {
      const room = this.stopped ? 0 : this.window - inFlight.size;
      // Claim when half the window is free: a batch per claim, and the connections never run dry meanwhile.
      const rows = room * 2 >= this.window ? await claimDue(this.pool, room, this.options.leaseSeconds) : [];
      for (const row of rows) {
        const sending: Promise<void> = this.deliver(row).finally(() => inFlight.delete(sending));
        inFlight.add(sending);
      }
      attempted += rows.length;
      if (inFlight.size === 0 && (rows.length === 0 || this.stopped)) return attempted;
      if (rows.length === 0 || inFlight.size * 2 > this.window) await Promise.race(inFlight);
    }
  }

  private async deliver(row: OutboxRow): Promise<void> {
    let reply: string | null;
    try {
      reply = row.channel === 'email' ? await this.sendEmail(row) : await this.callWebhook(row);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const backoff = Math.min(3600, this.options.backoffSeconds * 2 ** Math.max(0, row.attempts - 1));
      await markFailed(this.pool, row, message, this.options.maxAttempts, backoff).catch((e: unknown) =>
        this.logger.error(`recording the failure of ${row.deliveryId} failed: ${String(e)}`),
      );
      const final = row.attempts >= this.options.maxAttempts;
      this.deliveries.inc({ channel: row.channel, outcome: final ? 'failed' : 'retry' });
      this.logger.warn(
        `delivery ${row.deliveryId} attempt ${row.attempts} failed${final ? ' for good' : `, retry in ${backoff}s`}: ${message}`,
      );
      return;
    }
    // Accepted: committed at once (grouped with the others that came in meanwhile). If that commit fails the row
    // stays `sending` and goes again after its lease, with the same Message-ID.
    await this.outcomes
      .record(row.deliveryId, reply)
      .then(() => this.deliveries.inc({ channel: row.channel, outcome: 'sent' }))
      .catch((error: unknown) => this.logger.error(`recording ${row.deliveryId} as sent failed: ${String(error)}`));
  }

  /** Hands the e-mail to the SMTP server; the server's reply (250 … with its queue id). */
  private async sendEmail(row: OutboxRow): Promise<string | null> {
    if (!this.transporter) throw new Error('no SMTP server configured (ARC_COLLECTIONS_SMTP_URL)');
    if (!row.recipient) throw new Error('the customer has no dunning contact with an e-mail address');
    // A step with a letter sends it along as a PDF (rendered from what was recorded with the step).
    const step = (row.payload as { data?: { channels?: string[] } }).data;
    const letter = step?.channels?.includes('letter') ? await letterPdf(this.pool, row.eventId) : null;
    // Composed into one buffer first, then handed over as it is: the pooled connection writes it in one go instead
    // of a socket write per piece of the MIME stream (those writes were a fifth of a large run's time).
    const raw = await new MailComposer({
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
    })
      .compile()
      .build();
    const info = (await this.transporter.sendMail({ from: this.options.mailFrom, to: row.recipient, raw })) as { response?: string };
    return info.response ?? null;
  }

  private async callWebhook(row: OutboxRow): Promise<string | null> {
    if (!this.options.webhookUrl) throw new Error('no webhook configured (ARC_COLLECTIONS_WEBHOOK_URL)');
    const response = await fetch(this.options.webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': row.deliveryId },
      body: JSON.stringify({ deliveryId: row.deliveryId, subject: row.subject, text: row.bodyText, ...row.payload }),
      signal: AbortSignal.timeout(Math.min(10_000, this.sendTimeoutMs())),
    });
    if (!response.ok) throw new Error(`the webhook answered ${response.status}`);
    return `HTTP ${response.status}`;
  }
}
