import { Client, type ClientConfig } from 'pg';
import type { Queryable } from './queryable';
import { APPENDS_CHANNEL } from './schema';

/**
 * Wakes tailing readers (of any process) after events were appended. Inside a transaction the notification
 * is delivered when it commits, and dropped if it rolls back, which is what an appending caller wants.
 */
export async function notifyAppends(db: Queryable): Promise<void> {
  await db.query({ name: 'arc_event_store_notify', text: `SELECT pg_notify($1, '')`, values: [APPENDS_CHANNEL] });
}

/*
 * The announcer's own transaction carries nothing but the wake-up hint (readers re-read, and their idle
 * timeout covers a lost one), so its commit need not wait for the WAL flush. Never in a caller's
 * transaction: there it would make the caller's events commit without waiting for durability.
 */
const ANNOUNCE_SQL = `SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, '')`;

/**
 * Announces the store's own appends, in autocommit transactions of their own rather than the writers':
 * PostgreSQL serialises the commits of notifying transactions behind one global lock, which cut append
 * throughput to about a third when every append notified. One NOTIFY covers every append made while it
 * was pending, and NOTIFYs are at least `minIntervalMs` apart: busy writers cost at most a few hundred
 * notifying commits a second, for at most `minIntervalMs` of extra wake-up latency.
 */
export class AppendAnnouncer {
  private inFlight: Promise<void> | null = null;
  private again = false;
  private lastSentAt = -Infinity;

  constructor(
    private readonly db: Queryable,
    private readonly minIntervalMs = 5,
  ) {}

  announce(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = this.send().finally(() => {
      this.inFlight = null;
    });
  }

  /** Waits for the announcement in flight, if any (before the pool it uses is closed). */
  async settle(): Promise<void> {
    await this.inFlight;
  }

  private async send(): Promise<void> {
    do {
      const wait = this.lastSentAt + this.minIntervalMs - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      this.again = false;
      this.lastSentAt = performance.now();
      try {
        await this.db.query({ name: 'arc_event_store_announce', text: ANNOUNCE_SQL, values: [APPENDS_CHANNEL] });
      } catch {
        // A lost hint only delays readers until their idle timeout; the append itself has committed.
        return;
      }
    } while (this.again);
  }
}

/** setTimeout fires at once for longer delays than this. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * One LISTEN connection shared by every waiter of a store, opened on the first wait and reopened on the
 * next wait after it drops. Whenever it (re)connects it wakes all waiters, because notifications sent while
 * nobody was listening are lost and the waiters must re-read rather than trust the silence.
 */
export class AppendListener {
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly waiters = new Set<() => void>();
  /** A notification that arrived while nobody waited; the next wait returns at once instead of missing it. */
  private unseen = false;
  private closed = false;

  constructor(private readonly config: ClientConfig) {}

  wait(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.closed || signal?.aborted) return resolve();
      if (this.unseen) {
        this.unseen = false;
        return resolve();
      }
      const wake = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', wake);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.min(Math.max(0, timeoutMs), MAX_TIMER_MS));
      signal?.addEventListener('abort', wake, { once: true });
      this.waiters.add(wake);
      if (!this.client && !this.connecting) this.connecting = this.connect();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeAll();
    await this.connecting;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ ...this.config, keepAlive: true });
    const drop = (): void => {
      if (this.client !== client) return;
      this.client = null;
      client.end().catch(() => undefined);
      this.wakeAll();
    };
    client.on('notification', () => this.notified());
    client.on('error', drop);
    client.on('end', drop);
    try {
      await client.connect();
      await client.query(`LISTEN ${APPENDS_CHANNEL}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.client = client;
      this.wakeAll();
    } catch {
      // Waiters fall back to their timeouts; the next wait tries to connect again.
      client.end().catch(() => undefined);
    } finally {
      this.connecting = null;
    }
  }

  private notified(): void {
    if (this.waiters.size === 0) this.unseen = true;
    else this.wakeAll();
  }

  private wakeAll(): void {
    for (const wake of [...this.waiters]) wake();
  }
}
