import { Pool, type PoolConfig } from 'pg';
import {
  ConcurrencyError,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type GlobalPosition,
  type NewEvent,
  type ReadAllResult,
  type StoredEvent,
} from '../event-store.port';
import { appendToStreamWith } from './append';
import { appendToStreamsWith, type StreamAppend } from './append-many';
import { AppendAnnouncer, AppendListener } from './append-signals';
import { readAllWith, readStreamsWith, readStreamTailWith, readStreamWith } from './read';
import { migrateEventStore } from './schema';
import { currentTransaction, outsideAnyTransaction } from './transaction';

export type PostgresEventStoreOptions = (
  | {
      /** A pool the caller owns: `close()` leaves it open. */
      pool: Pool;
    }
  | {
      /** The store creates and owns its pool. */
      connectionString: string;
      poolConfig?: Omit<PoolConfig, 'connectionString'>;
    }
) & {
  /**
   * How many times an append with expected version 'any' is tried when a concurrent append takes the
   * version it computed. Default 5.
   */
  anyVersionAttempts?: number;
  /** Announce appends so readers of other connections wake up (default true). */
  announceAppends?: boolean;
  /** Least time between two announcements, which coalesce the appends in between; default 5 ms. */
  announceIntervalMs?: number;
};

/** The PostgreSQL adapter of the EventStore port. Run `migrate()` (or `migrateEventStore`) once before use. */
export class PostgresEventStore implements EventStore {
  readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly anyVersionAttempts: number;
  private readonly announcer: AppendAnnouncer | null;
  private readonly listener: AppendListener;

  constructor(options: PostgresEventStoreOptions) {
    if ('pool' in options) {
      this.pool = options.pool;
      this.ownsPool = false;
    } else {
      this.pool = new Pool({ ...options.poolConfig, connectionString: options.connectionString });
      // An idle connection that dies (server restart, failover) is dropped from the pool and the next
      // query opens a new one; unhandled, the pool's 'error' event would crash the process instead.
      this.pool.on('error', () => undefined);
      this.ownsPool = true;
    }
    this.anyVersionAttempts = Math.max(1, options.anyVersionAttempts ?? 5);
    this.announcer = options.announceAppends === false ? null : new AppendAnnouncer(this.pool, options.announceIntervalMs);
    this.listener = new AppendListener(this.pool.options);
  }

  migrate(): Promise<void> {
    return migrateEventStore(this.pool);
  }

  /**
   * Inside a transaction of this store's pool (`withTransaction`, `joinTransaction`) the append is part of
   * it and readers are woken after it commits; a conflict there is thrown at once, for the transaction's owner
   * to run the whole transaction again. Otherwise it is one autocommit statement ('any' retried here).
   */
  async appendToStream(streamId: string, expectedVersion: ExpectedVersion, events: NewEvent[]): Promise<AppendResult> {
    const tx = currentTransaction(this.pool);
    if (tx) {
      // A refusal is explained outside the transaction it aborted.
      const result = await appendToStreamWith(tx, streamId, expectedVersion, events, outsideAnyTransaction(this.pool));
      // Announced after the commit, coalesced, like autocommit appends: a NOTIFY inside the writer's own
      // transaction would serialise its commit behind PostgreSQL's global notify lock.
      if (!result.alreadyAppended && events.length > 0 && this.announcer) {
        const announcer = this.announcer;
        tx.afterCommit(() => announcer.announce());
      }
      return result;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const result = await appendToStreamWith(this.pool, streamId, expectedVersion, events);
        if (!result.alreadyAppended && events.length > 0) this.announcer?.announce();
        return result;
      } catch (error) {
        // Under 'any' a conflict only means another append took the version computed in the statement.
        const retry = expectedVersion === 'any' && error instanceof ConcurrencyError && attempt < this.anyVersionAttempts;
        if (!retry) throw error;
      }
    }
  }

  /**
   * Appends to many streams in one statement, all or nothing (see `appendToStreamsWith`): a stream not at its
   * expected version is a `ConcurrencyError`, no repeat is recognised (read the streams first, `readStreams`).
   * Inside a transaction of this store's pool it is part of it and readers are woken after the commit.
   */
  async appendToStreams(appends: readonly StreamAppend[]): Promise<number> {
    const tx = currentTransaction(this.pool);
    const written = await appendToStreamsWith(tx ?? this.pool, appends);
    if (written > 0 && this.announcer) {
      const announcer = this.announcer;
      if (tx) tx.afterCommit(() => announcer.announce());
      else announcer.announce();
    }
    return written;
  }

  /** Many streams' events in one read (in the open transaction of this store's pool, if any). */
  readStreams(streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
    return readStreamsWith(currentTransaction(this.pool) ?? this.pool, streamIds);
  }

  /** Inside a transaction of this store's pool, read in it (it sees its own appends). */
  readStream(streamId: string, fromVersion = 1): Promise<StoredEvent[]> {
    return readStreamWith(currentTransaction(this.pool) ?? this.pool, streamId, fromVersion);
  }

  /** Inside a transaction of this store's pool, read in it (see `EventStore.readStreamTail`). */
  readStreamTail(streamId: string, fromVersion: number, probeEventId: string): Promise<StoredEvent[]> {
    return readStreamTailWith(currentTransaction(this.pool) ?? this.pool, streamId, fromVersion, probeEventId);
  }

  /** Whether a transaction of this store's pool is open in this async context (see `withTransaction`). */
  get inTransaction(): boolean {
    return currentTransaction(this.pool) !== undefined;
  }

  readAll(after: GlobalPosition, limit: number): Promise<ReadAllResult> {
    return readAllWith(this.pool, after, limit);
  }

  waitForAppends(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    return this.listener.wait(timeoutMs, signal);
  }

  async close(): Promise<void> {
    await this.listener.close();
    await this.announcer?.settle();
    if (this.ownsPool) await this.pool.end();
  }
}

export function createPostgresEventStore(options: PostgresEventStoreOptions): PostgresEventStore {
  return new PostgresEventStore(options);
}
