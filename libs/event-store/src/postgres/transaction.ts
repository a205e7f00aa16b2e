import { AsyncLocalStorage } from 'node:async_hooks';
import { DatabaseError, type Pool, type PoolClient, type QueryConfig, type QueryResult, type QueryResultRow } from 'pg';
import { ConcurrencyError } from '../event-store.port';
import type { Queryable } from './queryable';

/**
 * One PostgreSQL transaction that a handler's appends, stream reads and own writes (views, claims,
 * idempotency records) share, so they commit together or not at all.
 *
 * It begins lazily, at its first statement: work that never touches the database holds no connection.
 * While it is open (inside `withTransaction` or `joinTransaction`), `PostgresEventStore.appendToStream`
 * and `readStream` on the same pool run in it; no caller passes it around to the store.
 */
export class StoreTransaction implements Queryable {
  private client: PoolClient | null;
  private beginning: Promise<PoolClient> | null = null;
  private readonly endHooks: (() => void)[] = [];
  private readonly commitHooks: (() => void)[] = [];
  private ended = false;

  private constructor(
    readonly pool: Pool,
    client: PoolClient | null,
    /** Joined: the caller opened it and commits it. */
    readonly joined: boolean,
  ) {
    this.client = client;
  }

  /** @internal A transaction of its own on `pool`, begun at its first statement. */
  static lazy(pool: Pool): StoreTransaction {
    return new StoreTransaction(pool, null, false);
  }

  /** @internal The caller's open transaction on a client of `pool`. */
  static joining(pool: Pool, client: PoolClient): StoreTransaction {
    return new StoreTransaction(pool, client, true);
  }

  get begun(): boolean {
    return this.client !== null;
  }

  /** Committed or rolled back: work still running in its async context (a timer it started) is outside it. */
  get finished(): boolean {
    return this.ended;
  }

  query<R extends QueryResultRow = QueryResultRow>(config: QueryConfig | string, values?: unknown[]): Promise<QueryResult<R>> {
    if (this.client) return this.client.query<R>(config as QueryConfig, values);
    return this.connection().then((client) => client.query<R>(config as QueryConfig, values));
  }

  /**
   * Runs `text` (values already inlined as escaped literals: a simple query) in the transaction. As its first
   * statement it travels with the BEGIN in one round trip (`BEGIN; text`; `text` must be ONE statement): a command that starts by reading
   * its stream saves one round trip of the handful it makes. Once begun, it is an ordinary statement.
   */
  queryInlined<R extends QueryResultRow = QueryResultRow>(text: string): Promise<QueryResult<R>> {
    if (this.client) return this.client.query<R>(text);
    if (this.beginning) return this.beginning.then((client) => client.query<R>(text));
    let first!: Promise<QueryResult<R>>;
    this.beginning = (async () => {
      const client = await this.pool.connect();
      // One statement in `text`: the results are the BEGIN's and its.
      first = client.query(`BEGIN; ${text}`).then((results) => (results as unknown as QueryResult<R>[])[1] as QueryResult<R>);
      // The client is the transaction's as soon as the BEGIN is on its way: whatever fails, the owner rolls
      // it back (a broken connection is then released as broken).
      this.client = client;
      return client;
    })();
    return this.beginning.then(() => first);
  }

  /** Runs `hook` once when the transaction ends, committed or not (e.g. to let the next command on a stream go). */
  onEnd(hook: () => void): void {
    this.endHooks.push(hook);
  }

  /** Runs `hook` once after the transaction committed (e.g. to wake tailing readers). */
  afterCommit(hook: () => void): void {
    this.commitHooks.push(hook);
  }

  /** What the owner of a joined transaction calls right after its COMMIT. */
  committed(): void {
    for (const hook of this.commitHooks.splice(0)) hook();
  }

  /** @internal */
  async commit(): Promise<void> {
    // A statement that began the transaction while the work was finishing (a query it did not await) must
    // not be left behind as a transaction nobody commits.
    if (!this.client && this.beginning) await this.beginning.catch(() => undefined);
    if (!this.client) {
      this.committed();
      return this.end();
    }
    try {
      await this.client.query('COMMIT');
    } catch (error) {
      this.commitHooks.length = 0;
      throw error;
    } finally {
      this.release(false);
    }
    this.committed();
  }

  /** @internal */
  async rollback(): Promise<void> {
    this.commitHooks.length = 0;
    if (!this.client && this.beginning) await this.beginning.catch(() => undefined);
    if (!this.client) return this.end();
    let broken = false;
    try {
      await this.client.query('ROLLBACK');
    } catch {
      broken = true;
    } finally {
      this.release(broken);
    }
  }

  /** @internal Ends a joined transaction's scope (its owner commits or rolls back the client). */
  end(): void {
    this.ended = true;
    for (const hook of this.endHooks.splice(0)) hook();
  }

  private release(broken: boolean): void {
    const client = this.client;
    this.client = null;
    this.beginning = null;
    client?.release(broken);
    this.end();
  }

  private connection(): Promise<PoolClient> {
    this.beginning ??= (async () => {
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
      } catch (error) {
        client.release(true);
        throw error;
      }
      this.client = client;
      return client;
    })();
    return this.beginning;
  }
}

const current = new AsyncLocalStorage<StoreTransaction>();

/** The transaction open in this async context on `pool`, if any. */
export function currentTransaction(pool?: Pool): StoreTransaction | undefined {
  const tx = current.getStore();
  return tx && !tx.finished && (pool === undefined || tx.pool === pool) ? tx : undefined;
}

export interface WithTransactionOptions {
  /** Runs of `work` in all, when it keeps losing races (see `isTransientConflict`); default 8. */
  attempts?: number;
  /** Upper bound of the first random pause before a rerun, doubled for each further one; default 5 ms. */
  backoffMs?: number;
}

/**
 * Runs `work` in one transaction on `pool` and commits it; rolls back if `work` throws. A transient
 * conflict (another writer took the stream version first, see `isTransientConflict`) reruns the whole of
 * `work` in a fresh transaction after a random pause (full jitter), up to `attempts` runs; then the last
 * error is thrown. `work` must therefore be safe to run again: everything it changes goes through the
 * transaction. Nested calls join the outer transaction.
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (tx: StoreTransaction) => Promise<T>,
  options: WithTransactionOptions = {},
): Promise<T> {
  const outer = currentTransaction(pool);
  if (outer) return work(outer);
  const attempts = Math.max(1, options.attempts ?? 8);
  const backoffMs = options.backoffMs ?? 5;
  for (let attempt = 1; ; attempt++) {
    const tx = StoreTransaction.lazy(pool);
    try {
      const result = await current.run(tx, () => work(tx));
      await tx.commit();
      return result;
    } catch (error) {
      await tx.rollback();
      if (attempt >= attempts || !isTransientConflict(error)) throw error;
      await pause(Math.random() * backoffMs * 2 ** (attempt - 1));
    }
  }
}

/**
 * Runs `work` with the caller's open transaction (on a client of `pool`) as the store's transaction: a
 * consumer's batch. The caller commits, then calls `tx.committed()`.
 */
export async function joinTransaction<T>(pool: Pool, client: PoolClient, work: (tx: StoreTransaction) => Promise<T>): Promise<T> {
  const tx = StoreTransaction.joining(pool, client);
  try {
    return await current.run(tx, () => work(tx));
  } finally {
    tx.end();
  }
}

const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';

/**
 * True for a failure that running the same work again in a fresh transaction can cure: a concurrency
 * conflict on a stream (also when wrapped as another error's `cause`), a serialization failure or a deadlock.
 */
export function isTransientConflict(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof ConcurrencyError) return true;
    if (e instanceof DatabaseError && (e.code === SERIALIZATION_FAILURE || e.code === DEADLOCK_DETECTED)) return true;
  }
  return false;
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A Queryable for a service's own tables that writes (and reads) in the transaction open at the time of
 * each query on `pool` (an HTTP command's, a consumer's batch), else straight on the pool: a view written
 * through it commits with the events that changed it.
 */
export function transactional(pool: Pool): Queryable {
  return {
    query: <R extends QueryResultRow = QueryResultRow>(config: QueryConfig | string, values?: unknown[]) => {
      const tx = currentTransaction(pool);
      return tx ? tx.query<R>(config, values) : pool.query<R>(config as QueryConfig, values);
    },
  };
}

const bareQueries = new WeakMap<Pool, Queryable>();

/**
 * `pool` as it answers outside any transaction, even where its queries join the open one: for the few reads
 * that must see only what others committed, or that run after a statement aborted the transaction.
 */
export function outsideAnyTransaction(pool: Pool): Queryable {
  return bareQueries.get(pool) ?? pool;
}

/**
 * Makes every `pool.query` run in the transaction open on `pool` in the caller's async context, if any (as
 * `transactional` does for one view), for a service's own pool. A read made inside a command then sees the
 * command's writes and never asks the pool for a second connection: fifty concurrent commands, each holding
 * one connection and each waiting for another, once starved a 20-connection pool for ever. Outside a
 * transaction (and in the callback style), queries go to the pool as before.
 */
export function queriesJoinTheOpenTransaction(pool: Pool): Pool {
  const onPool = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  bareQueries.set(pool, { query: onPool as Queryable['query'] });
  const routed = (...args: unknown[]): unknown => {
    const tx = currentTransaction(pool);
    if (tx === undefined || typeof args[args.length - 1] === 'function') return onPool(...args);
    return tx.query(args[0] as QueryConfig | string, args[1] as unknown[] | undefined);
  };
  pool.query = routed as Pool['query'];
  return pool;
}
