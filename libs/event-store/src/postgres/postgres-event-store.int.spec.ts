import { randomUUID } from 'node:crypto';
import { createTestDatabase, withDatabase, type TestDatabase } from '@arc/testing';
import { Client, type PoolClient } from 'pg';
import { ConcurrencyError, START, type EventStore, type GlobalPosition, type NewEvent, type StoredEvent } from '../event-store.port';
import { tailAll } from '../tail-all';
import { describeEventStoreContract, readEverything, type TransactionalAppender } from '../testing/event-store.contract';
import { appendToStreamWith } from './append';
import { readCommittedWith } from './read';
import { notifyAppends } from './append-signals';
import { createPostgresEventStore } from './postgres-event-store';
import { APPENDS_CHANNEL, migrateEventStore } from './schema';

describeEventStoreContract('PostgreSQL', async () => {
  const db = await createTestDatabase('event_store_contract');
  await migrateEventStore(db.pool);
  const store = createPostgresEventStore({ pool: db.pool });
  const open = new Set<PoolClient>();
  return {
    store,
    beginTransaction: async (): Promise<TransactionalAppender> => {
      const client = await db.pool.connect();
      open.add(client);
      await client.query('BEGIN');
      const finish = async (statement: string): Promise<void> => {
        if (!open.delete(client)) return;
        try {
          await client.query(statement);
        } finally {
          client.release();
        }
      };
      return {
        appendToStream: (streamId, expectedVersion, events) => appendToStreamWith(client, streamId, expectedVersion, events),
        commit: async () => {
          // Delivered at COMMIT, so the reader wakes when the late events become visible.
          await notifyAppends(client);
          await finish('COMMIT');
        },
        rollback: () => finish('ROLLBACK'),
      };
    },
    cleanup: async () => {
      for (const client of open) client.release(true);
      open.clear();
      await store.close();
      await db.drop();
    },
  };
});

describe('PostgreSQL event store specifics', () => {
  const LONG_WAIT_MS = 30_000;
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase('event_store_pg');
    await migrateEventStore(db.pool);
  }, 60_000);

  afterAll(async () => {
    await db.drop();
  }, 60_000);

  const event = (): NewEvent => ({
    eventId: randomUUID(),
    eventType: 'PaymentReceived',
    schemaVersion: 1,
    data: { amountMinor: '5000' },
    metadata: {
      customerId: randomUUID(),
      correlationId: randomUUID(),
      causationId: null,
      actor: 'test',
      occurredAt: '2025-03-01T00:00:00Z',
    },
  });

  it('migrates idempotently, even when several replicas migrate at once', async () => {
    const fresh = await createTestDatabase('event_store_migrate');
    try {
      await Promise.all([1, 2, 3, 4].map(() => migrateEventStore(fresh.pool)));
      await migrateEventStore(fresh.pool);
      const { rows } = await fresh.pool.query(`SELECT indexname FROM pg_indexes WHERE tablename = 'events' ORDER BY indexname`);
      expect(rows.map((r: { indexname: string }) => r.indexname)).toEqual([
        'events_commit_order',
        'events_event_id_unique',
        'events_pkey',
        'events_stream_version_unique',
      ]);
    } finally {
      await fresh.drop();
    }
  }, 60_000);

  it('reports a conflict inside a caller transaction as a concurrency error, also when the conflict aborted that transaction', async () => {
    const store = createPostgresEventStore({ pool: db.pool });
    const stream = `tx-${randomUUID()}`;
    await store.appendToStream(stream, 'no_stream', [event()]);
    const [first, second] = [await db.pool.connect(), await db.pool.connect()];
    try {
      await first.query('BEGIN');
      await appendToStreamWith(first, stream, 1, [event()]);
      await second.query('BEGIN');
      const secondPid = (await second.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
      const blocked = appendToStreamWith(second, stream, 1, [event()]);
      blocked.catch(() => undefined);
      await waitUntil(async () => {
        const { rows } = await db.pool.query(`SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'`, [secondPid]);
        return rows.length === 1;
      });
      await first.query('COMMIT');
      // The unique violation aborted the second transaction, so the refusal could not be examined further.
      await expect(blocked).rejects.toBeInstanceOf(ConcurrencyError);
      await second.query('ROLLBACK');

      await second.query('BEGIN');
      // A stale expected version inserts nothing: the transaction survives and stays usable.
      await expect(appendToStreamWith(second, stream, 1, [event()])).rejects.toBeInstanceOf(ConcurrencyError);
      await expect(second.query('SELECT 1 AS ok')).resolves.toMatchObject({ rows: [{ ok: 1 }] });
      await second.query('ROLLBACK');
      expect((await store.readStream(stream)).map((e) => e.streamVersion)).toEqual([1, 2]);
    } finally {
      await release(first);
      await release(second);
      await store.close();
    }
  });

  it('reopens its LISTEN connection after it drops and keeps waking waiters', async () => {
    const store = createPostgresEventStore({ pool: db.pool });
    const listenerPids = async (): Promise<number[]> =>
      (
        await db.pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = $1`, [
          `LISTEN ${APPENDS_CHANNEL}`,
        ])
      ).rows.map((r) => r.pid);
    try {
      await store.waitForAppends(LONG_WAIT_MS); // returns once listening
      const [first] = await listenerPids();
      if (first === undefined) throw new Error('no LISTEN connection found');

      const interrupted = store.waitForAppends(LONG_WAIT_MS);
      await db.pool.query('SELECT pg_terminate_backend($1)', [first]);
      await interrupted; // a dropped listener wakes its waiters, who must re-read

      await store.waitForAppends(LONG_WAIT_MS); // returns once listening again
      const reopened = await listenerPids();
      expect(reopened).not.toContain(first);
      expect(reopened).toHaveLength(1);

      const woken = store.waitForAppends(LONG_WAIT_MS);
      await store.appendToStream(`listen-${randomUUID()}`, 'no_stream', [event()]);
      await woken;
    } finally {
      await store.close();
    }
  }, 10_000);

  it('tailAll re-polls soon after a wake-up that found nothing readable, so an unrelated transaction ending silently does not cost the idle timeout', async () => {
    const store = createPostgresEventStore({ pool: db.pool });
    const end = await endOfStore(store);
    let appended = false;
    let wokeAfterAppend = false;
    let idle!: () => void;
    const tailIdle = new Promise<void>((resolve) => (idle = resolve));
    let heldBack!: () => void;
    const readNothingAfterWake = new Promise<void>((resolve) => (heldBack = resolve));
    const watched: EventStore = {
      appendToStream: (...args) => store.appendToStream(...args),
      readStream: (...args) => store.readStream(...args),
      readAll: async (after, limit) => {
        const result = await store.readAll(after, limit);
        if (wokeAfterAppend && result.events.length === 0) heldBack();
        return result;
      },
      waitForAppends: async (timeoutMs, signal) => {
        idle();
        await store.waitForAppends(timeoutMs, signal);
        if (appended) wokeAfterAppend = true;
      },
      close: () => store.close(),
    };
    const blocker = await db.pool.connect();
    const stop = new AbortController();
    try {
      const firstBatch = (async () => {
        for await (const batch of tailAll(watched, { from: end, idleTimeoutMs: LONG_WAIT_MS, signal: stop.signal })) {
          return batch.events.map((e) => e.eventId);
        }
        return [];
      })();
      const tailEndedEarly = firstBatch.then((ids) => {
        throw new Error(`the tail stopped before the scenario played out, with ${ids.length} events`);
      });
      tailEndedEarly.catch(() => undefined);
      await Promise.race([tailIdle, tailEndedEarly]);

      // An older transaction that never touches the events table holds the read horizon back. (Whether the
      // tail then wakes on the append's notification or on its listener connecting, it reads nothing.)
      await blocker.query('BEGIN');
      await blocker.query('SELECT pg_current_xact_id()');
      const held = event();
      appended = true;
      await store.appendToStream(`held-${randomUUID()}`, 'no_stream', [held]);
      await Promise.race([readNothingAfterWake, tailEndedEarly]);
      await blocker.query('COMMIT'); // ends without any notification

      expect(await firstBatch).toEqual([held.eventId]);
    } finally {
      stop.abort();
      await release(blocker);
      await store.close();
    }
  }, 10_000);

  it('is not held back by a transaction open in another database of the same server (another suite, a DROP DATABASE)', async () => {
    const store = createPostgresEventStore({ pool: db.pool });
    const end = await endOfStore(store);
    const elsewhere = new Client({ connectionString: withDatabase(db.url, 'postgres') });
    await elsewhere.connect();
    try {
      await elsewhere.query('BEGIN');
      await elsewhere.query('SELECT pg_current_xact_id()');
      const appended = event();
      await store.appendToStream(`elsewhere-${randomUUID()}`, 'no_stream', [appended]);
      const events = await readAtLeast(store, end, 1);
      expect(events.map((e) => e.eventId)).toEqual([appended.eventId]);
      await elsewhere.query('COMMIT');
    } finally {
      await elsewhere.end();
      await store.close();
    }
  });

  it('holds every reader back while a transaction that took its id earlier is open in the same database', async () => {
    const store = createPostgresEventStore({ pool: db.pool });
    const end = await endOfStore(store);
    const blocker = await db.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('SELECT pg_current_xact_id()');
      const appended = event();
      await store.appendToStream(`held-${randomUUID()}`, 'no_stream', [appended]);
      expect((await store.readAll(end, 10)).events).toEqual([]);
      await blocker.query('COMMIT');
      const events = await readAtLeast(store, end, 1);
      expect(events.map((e) => e.eventId)).toEqual([appended.eventId]);
    } finally {
      await release(blocker);
      await store.close();
    }
  });

  it('reads every committed event in global order past an open transaction, for a rebuild that has locked out its writers', async () => {
    const store = createPostgresEventStore({ pool: db.pool });
    const { rows } = await db.pool.query<{ last: string }>('SELECT coalesce(max(global_position), 0)::text AS last FROM events');
    const after = BigInt(rows[0]?.last ?? '0');
    const elsewhere = new Client({ connectionString: db.url });
    await elsewhere.connect();
    try {
      await elsewhere.query('BEGIN');
      await elsewhere.query('SELECT pg_current_xact_id()');
      const appended = [event(), event(), event()];
      for (const e of appended) await store.appendToStream(`rebuild-${randomUUID()}`, 'no_stream', [e]);
      // The tailing read waits for the open transaction; the committed read does not.
      const page = await readCommittedWith(db.pool, after, 2);
      expect(page.map((e) => e.eventId)).toEqual(appended.slice(0, 2).map((e) => e.eventId));
      const rest = await readCommittedWith(db.pool, page[1]?.position.globalPosition ?? 0n, 10);
      expect(rest.map((e) => e.eventId)).toEqual([appended[2]?.eventId]);
      await elsewhere.query('COMMIT');
    } finally {
      await elsewhere.end();
      await store.close();
    }
  });
});

/** A checkpoint after every event appended so far. */
async function endOfStore(store: EventStore): Promise<GlobalPosition> {
  await readEverything(store); // the read horizon has now passed every event appended before
  let end = START;
  for (;;) {
    const page = await store.readAll(end, 1000);
    if (page.events.length === 0) return end;
    end = page.checkpoint;
  }
}

/** Reads from `after` until at least `count` events came back, waiting while the read horizon lags. */
async function readAtLeast(store: EventStore, after: GlobalPosition, count: number): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  let checkpoint = after;
  while (events.length < count) {
    const page = await store.readAll(checkpoint, 1000);
    events.push(...page.events);
    checkpoint = page.checkpoint;
    if (page.events.length === 0) await store.waitForAppends(100);
  }
  return events;
}

/** Ends whatever transaction a failed test left open before the connection goes back to the pool. */
async function release(client: PoolClient): Promise<void> {
  await client.query('ROLLBACK').catch(() => undefined);
  client.release();
}

async function waitUntil(condition: () => Promise<boolean>): Promise<void> {
  while (!(await condition())) await new Promise((resolve) => setImmediate(resolve));
}
