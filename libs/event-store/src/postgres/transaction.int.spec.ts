import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@arc/testing';
import { ConcurrencyError, type NewEvent, type StoredEvent } from '../event-store.port';
import { readEverything } from '../testing/event-store.contract';
import { createPostgresEventStore, type PostgresEventStore } from './postgres-event-store';
import { migrateEventStore } from './schema';
import { Pool } from 'pg';
import { queriesJoinTheOpenTransaction, transactional, withTransaction } from './transaction';

describe('appending inside a transaction, anywhere in it', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  /** Another process's writer: its own pool, so never in the transaction under test. */
  let other: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('event_store_tx');
    await migrateEventStore(db.pool);
    await db.pool.query('CREATE TABLE view_rows (id text PRIMARY KEY, n int NOT NULL)');
    store = createPostgresEventStore({ pool: db.pool });
    other = createPostgresEventStore({ connectionString: db.url, poolConfig: { max: 2 } });
  }, 60_000);

  afterAll(async () => {
    await store.close();
    await other.close();
    await db.drop();
  }, 60_000);

  const event = (): NewEvent => ({
    eventId: randomUUID(),
    eventType: 'AmountAdded',
    schemaVersion: 1,
    data: { amountMinor: '100' },
    metadata: {
      customerId: randomUUID(),
      correlationId: randomUUID(),
      causationId: null,
      actor: 'test',
      occurredAt: '2026-03-01T00:00:00Z',
    },
  });
  const versionsInCommitOrder = (events: StoredEvent[], streamId: string) =>
    events.filter((e) => e.streamId === streamId).map((e) => e.streamVersion);

  it('keeps a stream in commit order when a transaction that wrote first appends after a later transaction committed', async () => {
    const stream = `order-${randomUUID()}`;
    await store.appendToStream(stream, 'no_stream', [event()]);
    const attempts: string[] = [];
    await withTransaction(db.pool, async (tx) => {
      // The view write takes this transaction's id, before the other writer's.
      await tx.query('INSERT INTO view_rows VALUES ($1, 1) ON CONFLICT (id) DO UPDATE SET n = view_rows.n + 1', [stream]);
      if (attempts.length === 0) await other.appendToStream(stream, 1, [event()]); // a later id, committed first
      const version = (await store.readStream(stream)).length;
      try {
        await store.appendToStream(stream, version, [event()]);
        attempts.push('appended');
      } catch (error) {
        attempts.push(error instanceof ConcurrencyError ? 'refused' : 'failed');
        throw error;
      }
    });
    // Appending version 3 with the older id would have put it before version 2 in the readers' order.
    expect(attempts).toEqual(['refused', 'appended']);
    expect(versionsInCommitOrder(await readEverything(store), stream)).toEqual([1, 2, 3]);
    expect((await db.pool.query('SELECT n FROM view_rows WHERE id = $1', [stream])).rows).toEqual([{ n: 1 }]);
  });

  it("commits the events with the transaction's own writes, or neither", async () => {
    const kept = `kept-${randomUUID()}`;
    const dropped = `dropped-${randomUUID()}`;
    const view = transactional(db.pool);
    await withTransaction(db.pool, async () => {
      await view.query('INSERT INTO view_rows VALUES ($1, 1)', [kept]);
      await store.appendToStream(kept, 'no_stream', [event()]);
    });
    await expect(
      withTransaction(db.pool, async () => {
        await view.query('INSERT INTO view_rows VALUES ($1, 1)', [dropped]);
        await store.appendToStream(dropped, 'no_stream', [event()]);
        throw new Error('refused after the append');
      }),
    ).rejects.toThrow('refused after the append');
    expect((await store.readStream(kept)).map((e) => e.streamVersion)).toEqual([1]);
    expect(await store.readStream(dropped)).toEqual([]);
    const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM view_rows WHERE id = ANY($1) ORDER BY id', [[kept, dropped]]);
    expect(rows.map((r) => r.id)).toEqual([kept]);
  });

  it("lets a command read its own pool while holding that pool's every connection: the read joins the command's transaction", async () => {
    // Two connections, four concurrent commands that each read through the bare pool mid-transaction: without
    // the routing, each command holds a connection and waits for another one, for ever.
    const pool = queriesJoinTheOpenTransaction(new Pool({ connectionString: db.url, max: 2 }));
    try {
      const ids = Array.from({ length: 4 }, () => `joined-${randomUUID()}`);
      const seen = await Promise.all(
        ids.map((id) =>
          withTransaction(pool, async (tx) => {
            await tx.query('INSERT INTO view_rows VALUES ($1, 1)', [id]);
            const { rows } = await pool.query<{ n: number }>('SELECT n FROM view_rows WHERE id = $1', [id]);
            return rows.length;
          }),
        ),
      );
      expect(seen).toEqual([1, 1, 1, 1]);
      // Outside a transaction the pool answers as before.
      const { rows } = await pool.query<{ count: string }>('SELECT count(*) FROM view_rows WHERE id = ANY($1)', [ids]);
      expect(rows[0]?.count).toBe('4');
    } finally {
      await pool.end();
    }
  }, 30_000);

  it('runs work a command left behind (a timer it started) outside its finished transaction, never in a new one', async () => {
    const pool = queriesJoinTheOpenTransaction(new Pool({ connectionString: db.url, max: 2 }));
    try {
      const id = `left-behind-${randomUUID()}`;
      let later: Promise<unknown> = Promise.resolve();
      await withTransaction(pool, async (tx) => {
        await tx.query('SELECT 1');
        later = new Promise((resolve, reject) => {
          setTimeout(() => pool.query('INSERT INTO view_rows VALUES ($1, 1)', [id]).then(resolve, reject), 50);
        });
      });
      await later;
      // Committed on its own: another connection sees it, and no connection is left idle in a transaction.
      const { rows } = await db.pool.query('SELECT id FROM view_rows WHERE id = $1', [id]);
      expect(rows).toHaveLength(1);
      const idle = await db.pool.query(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'",
      );
      expect(idle.rows[0]?.n).toBe(0);
    } finally {
      await pool.end();
    }
  }, 30_000);

  it("sends a command's first stream read with its BEGIN, in one round trip, and reads what a statement of its own reads", async () => {
    // Quotes and backslashes in the stream id: the values go into that statement as literals.
    const stream = `it's a \\ stream-${randomUUID()}`;
    await store.appendToStream(stream, 'no_stream', [event(), event()]);
    const sent: string[] = [];
    const pool = new Pool({ connectionString: db.url, max: 1 });
    pool.on('connect', (client) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      client.query = ((...args: unknown[]) => {
        const config = args[0] as string | { text: string };
        sent.push(typeof config === 'string' ? config : config.text);
        return query(...args);
      }) as typeof client.query;
    });
    const inTx = createPostgresEventStore({ pool, announceAppends: false });
    try {
      const read = await withTransaction(pool, async () => {
        const events = await inTx.readStreamTail(stream, 2, randomUUID());
        await inTx.appendToStream(stream, 2, [event()]);
        return events;
      });
      expect(read.map((e) => e.streamVersion)).toEqual([2]);
      expect(read).toEqual((await store.readStream(stream)).slice(1, 2));
      const [first, ...rest] = sent;
      expect(first?.startsWith('BEGIN; ')).toBe(true);
      expect(rest).toEqual([expect.stringContaining('INSERT INTO events'), 'COMMIT']);
      expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2, 3]);
    } finally {
      await inTx.close();
      await pool.end();
    }
  });

  it('rolls back a transaction whose first statement (sent with its BEGIN) failed, and leaves its connection usable', async () => {
    const stream = `failed-first-${randomUUID()}`;
    const pool = new Pool({ connectionString: db.url, max: 1 });
    const inTx = createPostgresEventStore({ pool, announceAppends: false });
    try {
      await expect(
        withTransaction(pool, async () => {
          await inTx.readStreamTail(stream, 1, 'not-a-uuid'); // refused by the server: invalid uuid
          await inTx.appendToStream(stream, 'no_stream', [event()]);
        }),
      ).rejects.toThrow(/uuid/);
      expect(await store.readStream(stream)).toEqual([]);
      // The one connection went back to the pool outside any transaction.
      await withTransaction(pool, async () => {
        expect(await inTx.readStreamTail(stream, 1, randomUUID())).toEqual([]);
        await inTx.appendToStream(stream, 'no_stream', [event()]);
      });
      expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1]);
    } finally {
      await inTx.close();
      await pool.end();
    }
  });

  it('wakes tailing readers when a transaction that appended commits', async () => {
    const listening = store.waitForAppends(30_000);
    await listening; // returns once the listener is connected
    const woken = store.waitForAppends(30_000);
    await withTransaction(db.pool, async () => {
      await store.appendToStream(`wake-${randomUUID()}`, 'no_stream', [event()]);
    });
    await woken;
  }, 10_000);

  it('reruns the whole transaction when a concurrent writer took the expected version, then gives up with the conflict', async () => {
    const stream = `race-${randomUUID()}`;
    await store.appendToStream(stream, 'no_stream', [event()]);
    let runs = 0;
    await withTransaction(db.pool, async () => {
      runs++;
      const version = (await store.readStream(stream)).length;
      if (runs === 1) await other.appendToStream(stream, version, [event()]); // another writer wins the version
      await store.appendToStream(stream, version, [event()]);
    });
    expect(runs).toBe(2);
    expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2, 3]);

    let tries = 0;
    await expect(
      withTransaction(
        db.pool,
        async () => {
          tries++;
          await store.appendToStream(stream, 1, [event()]);
        },
        { attempts: 3, backoffMs: 1 },
      ),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect(tries).toBe(3);
  });
});
