import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@arc/testing';
import { ConcurrencyError, type NewEvent, type StoredEvent } from '../event-store.port';
import { readEverything } from '../testing/event-store.contract';
import { createPostgresEventStore, type PostgresEventStore } from './postgres-event-store';
import { migrateEventStore } from './schema';
import { withTransaction } from './transaction';

describe('appending to many streams in one statement (a batch over thousands of streams)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  /** Another process's writer: its own pool, never in the transaction under test. */
  let other: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase('event_store_many');
    await migrateEventStore(db.pool);
    store = createPostgresEventStore({ pool: db.pool });
    other = createPostgresEventStore({ connectionString: db.url, poolConfig: { max: 2 } });
  }, 60_000);

  afterAll(async () => {
    await store.close();
    await other.close();
    await db.drop();
  }, 60_000);

  const event = (n: number): NewEvent => ({
    eventId: randomUUID(),
    eventType: 'AmountAdded',
    schemaVersion: 1,
    data: { n },
    metadata: {
      customerId: randomUUID(),
      correlationId: randomUUID(),
      causationId: null,
      actor: 'test',
      occurredAt: '2026-03-01T00:00:00Z',
    },
  });
  const versions = (events: StoredEvent[], streamId: string) => events.filter((e) => e.streamId === streamId).map((e) => e.streamVersion);

  it('appends each stream after its expected version, in the order given, and reads them back in one query', async () => {
    const [a, b, c] = [`a-${randomUUID()}`, `b-${randomUUID()}`, `c-${randomUUID()}`];
    await store.appendToStream(a, 'no_stream', [event(1)]);
    const written = await store.appendToStreams([
      { streamId: a, expectedVersion: 1, events: [event(2), event(3)] },
      { streamId: b, expectedVersion: 0, events: [event(1)] },
      { streamId: c, expectedVersion: 0, events: [] },
    ]);
    expect(written).toBe(3);
    const everything = await readEverything(store);
    expect(versions(everything, a)).toEqual([1, 2, 3]);
    expect(versions(everything, b)).toEqual([1]);
    const read = await store.readStreams([a, b, c]);
    expect(read.get(a)?.map((e) => e.data.n)).toEqual([1, 2, 3]);
    expect(read.get(b)?.map((e) => e.streamVersion)).toEqual([1]);
    expect(read.has(c)).toBe(false);
  });

  it('writes nothing when any one stream is not at its expected version (the transaction runs again)', async () => {
    const [a, b] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    await store.appendToStream(b, 'no_stream', [event(1)]);
    await expect(
      store.appendToStreams([
        { streamId: a, expectedVersion: 0, events: [event(1)] },
        { streamId: b, expectedVersion: 0, events: [event(2)] },
      ]),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await store.readStreams([a, b])).get(a)).toBeUndefined();
  });

  it('keeps commit order: refuses to go after a stream head written by a later transaction that committed first', async () => {
    const stream = `order-${randomUUID()}`;
    await store.appendToStream(stream, 'no_stream', [event(1)]);
    const attempts: string[] = [];
    await withTransaction(db.pool, async (tx) => {
      await tx.query('SELECT pg_current_xact_id()'); // this transaction's id, older than the other writer's
      if (attempts.length === 0) await other.appendToStream(stream, 1, [event(2)]);
      const version = (await store.readStream(stream)).length;
      try {
        await store.appendToStreams([{ streamId: stream, expectedVersion: version, events: [event(3)] }]);
        attempts.push('appended');
      } catch (error) {
        attempts.push(error instanceof ConcurrencyError ? 'refused' : 'failed');
        throw error;
      }
    });
    expect(attempts).toEqual(['refused', 'appended']);
    expect(versions(await readEverything(store), stream)).toEqual([1, 2, 3]);
  });
});
