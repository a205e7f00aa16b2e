/**
 * The behaviour every EventStore adapter must show, as a Jest suite. An adapter's integration spec calls
 * `describeEventStoreContract('<adapter>', factory)` with a factory that gives each test a fresh, empty store.
 */
import { randomUUID } from 'node:crypto';
import {
  ConcurrencyError,
  EventIdConflictError,
  START,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type GlobalPosition,
  type NewEvent,
  type StoredEvent,
} from '../event-store.port';
import { tailAll } from '../tail-all';

/** A writer holding its own transaction open, to commit late on purpose. */
export interface TransactionalAppender {
  appendToStream(streamId: string, expectedVersion: ExpectedVersion, events: NewEvent[]): Promise<AppendResult>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

export interface EventStoreHarness {
  store: EventStore;
  /**
   * Opens a writer transaction. Adapters whose writers can hold a transaction open (PostgreSQL) must
   * provide it: the late-commit scenarios depend on it. Without it those scenarios use autocommit writers only.
   */
  beginTransaction?: () => Promise<TransactionalAppender>;
  /** Releases everything the harness created, including transactions a failed test left open. */
  cleanup(): Promise<void>;
}

export type EventStoreFactory = () => Promise<EventStoreHarness>;

/*
 * Explicit per-test timeouts: Jest takes `testTimeout` from the global config only, so a value set in a
 * project's config (as jest.preset.js does for integration) does not reach the tests.
 */
const SETUP_TIMEOUT_MS = 60_000;
const LOAD_TEST_TIMEOUT_MS = 180_000;
const WAKE_TEST_TIMEOUT_MS = 10_000;
/** Longer than the wake-up tests' own timeout: if a waiter resolved, it was not by timing out. */
const LONG_WAIT_MS = 30_000;

export function describeEventStoreContract(adapterName: string, factory: EventStoreFactory): void {
  describe(`${adapterName} event store contract`, () => {
    let harness: EventStoreHarness;
    let store: EventStore;

    beforeEach(async () => {
      harness = await factory();
      store = harness.store;
    }, SETUP_TIMEOUT_MS);

    afterEach(async () => {
      await harness.cleanup();
    }, SETUP_TIMEOUT_MS);

    describe('expected version', () => {
      it('starts a new stream at version 1 when no stream is expected', async () => {
        const stream = streamId();
        await expect(store.appendToStream(stream, 'no_stream', [newEvent()])).resolves.toEqual({
          nextExpectedVersion: 1,
          alreadyAppended: false,
        });
        await expect(store.appendToStream(streamId(), 0, [newEvent(), newEvent()])).resolves.toEqual({
          nextExpectedVersion: 2,
          alreadyAppended: false,
        });
      });

      it('refuses no_stream once the stream exists', async () => {
        const stream = streamId();
        await store.appendToStream(stream, 'no_stream', [newEvent()]);
        await expect(store.appendToStream(stream, 'no_stream', [newEvent()])).rejects.toBeInstanceOf(ConcurrencyError);
        expect(await versionsOf(store, stream)).toEqual([1]);
      });

      it('refuses an expected version behind the stream', async () => {
        const stream = streamId();
        await store.appendToStream(stream, 'no_stream', [newEvent(), newEvent()]);
        const refused = store.appendToStream(stream, 1, [newEvent()]);
        await expect(refused).rejects.toBeInstanceOf(ConcurrencyError);
        await expect(refused).rejects.toMatchObject({ streamId: stream, expectedVersion: 1 });
        expect(await versionsOf(store, stream)).toEqual([1, 2]);
      });

      it('refuses an expected version ahead of the stream without leaving a gap', async () => {
        const stream = streamId();
        await store.appendToStream(stream, 'no_stream', [newEvent(), newEvent()]);
        await expect(store.appendToStream(stream, 5, [newEvent()])).rejects.toBeInstanceOf(ConcurrencyError);
        await expect(store.appendToStream(streamId(), 1, [newEvent()])).rejects.toBeInstanceOf(ConcurrencyError);
        await store.appendToStream(stream, 2, [newEvent()]);
        expect(await versionsOf(store, stream)).toEqual([1, 2, 3]);
      });

      it('appends at the end of the stream, new or not, when any version is accepted', async () => {
        const stream = streamId();
        await expect(store.appendToStream(stream, 'any', [newEvent()])).resolves.toMatchObject({ nextExpectedVersion: 1 });
        await store.appendToStream(stream, 1, [newEvent(), newEvent()]);
        await expect(store.appendToStream(stream, 'any', [newEvent()])).resolves.toMatchObject({ nextExpectedVersion: 4 });
        expect(await versionsOf(store, stream)).toEqual([1, 2, 3, 4]);
      });

      it('lets exactly one of 20 concurrent appends at the same expected version win, round after round, with no gaps', async () => {
        const stream = streamId();
        let version = 0;
        for (let round = 0; round < 5; round++) {
          const contenders = Array.from({ length: 20 }, (_, i) =>
            store.appendToStream(stream, version === 0 ? 'no_stream' : version, eventsOf(1 + (i % 3))),
          );
          const outcomes = await Promise.allSettled(contenders);
          const winners = outcomes.filter((o) => o.status === 'fulfilled');
          const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
          expect(winners).toHaveLength(1);
          expect(losers).toHaveLength(19);
          for (const loser of losers) expect(loser).toBeInstanceOf(ConcurrencyError);
          const [winner] = winners;
          if (winner?.status !== 'fulfilled') throw new Error('unreachable');
          expect(winner.value.alreadyAppended).toBe(false);
          version = winner.value.nextExpectedVersion;
        }
        const versions = await versionsOf(store, stream);
        expect(versions).toEqual(range(1, version));
      });

      it('lands every one of several concurrent appends that accept any version, one after the other', async () => {
        const stream = streamId();
        const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => store.appendToStream(stream, 'any', eventsOf(2))));
        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
        expect(await versionsOf(store, stream)).toEqual(range(1, 8));
      });

      it('checks the expected version of an empty append and writes nothing', async () => {
        const stream = streamId();
        await expect(store.appendToStream(stream, 'no_stream', [])).resolves.toEqual({ nextExpectedVersion: 0, alreadyAppended: false });
        await store.appendToStream(stream, 'no_stream', [newEvent()]);
        await expect(store.appendToStream(stream, 1, [])).resolves.toEqual({ nextExpectedVersion: 1, alreadyAppended: false });
        await expect(store.appendToStream(stream, 0, [])).rejects.toBeInstanceOf(ConcurrencyError);
        expect(await versionsOf(store, stream)).toEqual([1]);
      });
    });

    describe('idempotency by event id', () => {
      it('answers a repeat of an earlier append as already appended, whatever the expected version, and writes nothing', async () => {
        const stream = streamId();
        const first = eventsOf(2);
        const second = eventsOf(1);
        await store.appendToStream(stream, 'no_stream', first);
        await store.appendToStream(stream, 2, second);
        const repeated = { nextExpectedVersion: 3, alreadyAppended: true };
        await expect(store.appendToStream(stream, 'no_stream', first)).resolves.toEqual(repeated);
        await expect(store.appendToStream(stream, 'any', first)).resolves.toEqual(repeated);
        await expect(store.appendToStream(stream, 2, second)).resolves.toEqual(repeated);
        await expect(store.appendToStream(stream, 3, second)).resolves.toEqual(repeated);
        expect((await store.readStream(stream)).map((e) => e.eventId)).toEqual([...first, ...second].map((e) => e.eventId));
        expect(await readEverything(store)).toHaveLength(3);
      });

      it('refuses an event id already used in another stream, and writes nothing', async () => {
        const reused = newEvent();
        await store.appendToStream(streamId(), 'no_stream', [reused]);
        const other = streamId();
        const refused = store.appendToStream(other, 'no_stream', [newEvent(), reused]);
        await expect(refused).rejects.toBeInstanceOf(EventIdConflictError);
        await expect(refused).rejects.toMatchObject({ reason: 'used_in_another_stream', eventIds: [reused.eventId] });
        expect(await store.readStream(other)).toEqual([]);
      });

      it('refuses an append that mixes already-stored and new event ids, and writes nothing', async () => {
        const stream = streamId();
        const stored = newEvent();
        await store.appendToStream(stream, 'no_stream', [stored]);
        const refused = store.appendToStream(stream, 1, [stored, newEvent()]);
        await expect(refused).rejects.toMatchObject({ name: 'EventIdConflictError', reason: 'partial_repeat' });
        expect(await versionsOf(store, stream)).toEqual([1]);
      });

      it('refuses an append that carries the same event id twice', async () => {
        const stream = streamId();
        const twice = newEvent();
        await expect(store.appendToStream(stream, 'no_stream', [twice, { ...twice }])).rejects.toMatchObject({
          name: 'EventIdConflictError',
          reason: 'repeated_in_append',
        });
        expect(await store.readStream(stream)).toEqual([]);
      });
    });

    describe('reading a stream', () => {
      it('returns the events in version order exactly as they were appended', async () => {
        const stream = streamId();
        const appended = [newEvent({ eventType: 'CreditLimitSet', schemaVersion: 2 }), newEvent(), newEvent()];
        await store.appendToStream(stream, 'no_stream', appended.slice(0, 2));
        await store.appendToStream(streamId(), 'no_stream', [newEvent()]);
        await store.appendToStream(stream, 2, appended.slice(2));
        const read = await store.readStream(stream);
        expect(
          read.map(({ eventId, eventType, schemaVersion, data, metadata }) => ({ eventId, eventType, schemaVersion, data, metadata })),
        ).toEqual(appended);
        expect(read.map((e) => [e.streamId, e.streamVersion])).toEqual([
          [stream, 1],
          [stream, 2],
          [stream, 3],
        ]);
        for (const event of read) {
          expect(event.recordedAt).toBeInstanceOf(Date);
          expect(typeof event.position.transactionId).toBe('bigint');
          expect(typeof event.position.globalPosition).toBe('bigint');
        }
      });

      it('reads from a given version on', async () => {
        const stream = streamId();
        await store.appendToStream(stream, 'no_stream', eventsOf(5));
        expect((await store.readStream(stream, 3)).map((e) => e.streamVersion)).toEqual([3, 4, 5]);
        expect(await store.readStream(stream, 6)).toEqual([]);
      });

      it('reads a tail with the probed event only when the stream holds it earlier (a command handled before)', async () => {
        if (!store.readStreamTail) return;
        const stream = streamId();
        const events = eventsOf(5);
        await store.appendToStream(stream, 'no_stream', events);
        const elsewhere = newEvent();
        await store.appendToStream(streamId(), 'no_stream', [elsewhere]);
        const versions = async (from: number, probe: string) =>
          (await store.readStreamTail!(stream, from, probe)).map((e) => e.streamVersion);
        expect(await versions(4, newEvent().eventId)).toEqual([4, 5]);
        expect(await versions(4, events[1]!.eventId)).toEqual([2, 4, 5]);
        expect(await versions(4, events[4]!.eventId)).toEqual([4, 5]);
        expect(await versions(6, elsewhere.eventId)).toEqual([]);
      });

      it('reads nothing from a stream that does not exist', async () => {
        expect(await store.readStream(streamId())).toEqual([]);
      });
    });

    describe('reading everything in commit order', () => {
      it('pages through every event once, in commit order, and keeps the checkpoint once nothing is new', async () => {
        const appended: string[] = [];
        for (const stream of [streamId(), streamId(), streamId()]) {
          const events = eventsOf(3);
          await store.appendToStream(stream, 'no_stream', events);
          appended.push(...events.map((e) => e.eventId));
        }
        const read: StoredEvent[] = [];
        let checkpoint = START;
        while (read.length < appended.length) {
          const page = await store.readAll(checkpoint, 2);
          if (page.events.length === 0) {
            await store.waitForAppends(100);
            continue;
          }
          expect(page.events.length).toBeLessThanOrEqual(2);
          expect(page.checkpoint).toEqual(page.events[page.events.length - 1]?.position);
          read.push(...page.events);
          checkpoint = page.checkpoint;
        }
        expect(read.map((e) => e.eventId)).toEqual(appended);
        expectStrictlyIncreasing(read.map((e) => e.position));
        const caughtUp = await store.readAll(checkpoint, 10);
        expect(caughtUp).toEqual({ events: [], checkpoint });
      });

      it('holds back an event committed after an older transaction started, until that transaction commits, then returns both in order', async () => {
        const { beginTransaction } = harness;
        if (!beginTransaction) return; // nothing can stay open in this adapter, so nothing can commit late
        const early = newEvent();
        const late = newEvent();
        const writerA = await beginTransaction();
        await writerA.appendToStream(streamId(), 'no_stream', [early]);
        await store.appendToStream(streamId(), 'no_stream', [late]);

        const whileAOpen = await store.readAll(START, 100);
        expect(whileAOpen).toEqual({ events: [], checkpoint: START });

        await writerA.commit();
        const read = await readAtLeast(store, START, 2);
        expect(read.map((e) => e.eventId)).toEqual([early.eventId, late.eventId]);
      });

      it('never shows a rolled-back append and lets the stream continue at the same version', async () => {
        const { beginTransaction } = harness;
        if (!beginTransaction) return;
        const stream = streamId();
        const writer = await beginTransaction();
        await writer.appendToStream(stream, 'no_stream', [newEvent()]);
        await writer.rollback();
        const kept = newEvent();
        await store.appendToStream(stream, 'no_stream', [kept]);
        const read = await readAtLeast(store, START, 1);
        expect(read.map((e) => [e.eventId, e.streamVersion])).toEqual([[kept.eventId, 1]]);
      });

      it(
        'lets a tail reader running alongside 8 writers see each of 20,000 events exactly once, every stream in version order, including events whose transactions committed late',
        async () => {
          const total = 20_000;
          const writerCount = 8;
          const streamsPerWriter = 25;
          const prefix = `tail-${randomUUID()}`;
          const { beginTransaction } = harness;

          let budget = total;
          const take = (wanted: number): number => {
            const granted = Math.min(wanted, budget);
            budget -= granted;
            return granted;
          };
          const written = new Set<string>();

          const writer = async (w: number): Promise<void> => {
            const versions = new Map<string, number>();
            let turn = 0;
            const appendNext = async (
              append: (stream: string, expected: ExpectedVersion, events: NewEvent[]) => Promise<AppendResult>,
              count: number,
            ): Promise<void> => {
              const stream = `${prefix}-w${w}-s${turn++ % streamsPerWriter}`;
              const version = versions.get(stream) ?? 0;
              const events = eventsOf(count);
              const result = await append(stream, version === 0 ? 'no_stream' : version, events);
              versions.set(stream, result.nextExpectedVersion);
              for (const e of events) written.add(e.eventId);
            };
            // Half the writers hold their transactions open for a random while, so they commit out of position order.
            const transactional = beginTransaction !== undefined && w % 2 === 0;
            for (;;) {
              if (transactional && beginTransaction) {
                const tx = await beginTransaction();
                let appended = 0;
                try {
                  for (let k = randomInt(1, 3); k > 0; k--) {
                    const count = take(randomInt(1, 4));
                    if (count === 0) break;
                    await appendNext((s, e, evs) => tx.appendToStream(s, e, evs), count);
                    appended += count;
                  }
                  await new Promise((resolve) => setTimeout(resolve, randomInt(0, 30)));
                  await tx.commit();
                } catch (error) {
                  await tx.rollback();
                  throw error;
                }
                if (appended === 0) return;
              } else {
                const count = take(randomInt(1, 3));
                if (count === 0) return;
                await appendNext((s, e, evs) => store.appendToStream(s, e, evs), count);
              }
            }
          };

          const problems: string[] = [];
          const seen = new Set<string>();
          const lastVersion = new Map<string, number>();
          let previous: GlobalPosition = START;
          let highestGlobalPosition = 0n;
          let committedLate = 0;
          let writersDone = false;
          let seenWhileWriting = 0;
          const stop = new AbortController();
          const reader = (async () => {
            for await (const batch of tailAll(store, { batchSize: 1000, idleTimeoutMs: 250, signal: stop.signal })) {
              for (const event of batch.events) {
                if (comparePositions(event.position, previous) <= 0) problems.push(`position went backwards at ${event.eventId}`);
                previous = event.position;
                // A reader following global_position alone would already have stepped past this one.
                if (event.position.globalPosition < highestGlobalPosition) committedLate++;
                else highestGlobalPosition = event.position.globalPosition;
                if (!event.streamId.startsWith(prefix)) continue;
                if (seen.has(event.eventId)) problems.push(`${event.eventId} delivered twice`);
                seen.add(event.eventId);
                if (!writersDone) seenWhileWriting++;
                const expected = (lastVersion.get(event.streamId) ?? 0) + 1;
                if (event.streamVersion !== expected) {
                  problems.push(`${event.streamId}: version ${event.streamVersion} arrived when ${expected} was due`);
                }
                lastVersion.set(event.streamId, event.streamVersion);
              }
              if (seen.size >= total) stop.abort();
            }
          })();

          try {
            await Promise.all(Array.from({ length: writerCount }, (_, w) => writer(w)));
          } finally {
            writersDone = true;
          }
          // A reader that skipped a late commit never reaches the total: give up after a bounded wait.
          const giveUp = setTimeout(() => stop.abort(), 30_000);
          await reader.finally(() => clearTimeout(giveUp));

          expect(written.size).toBe(total);
          expect(problems.slice(0, 10)).toEqual([]);
          expect([...written].filter((id) => !seen.has(id)).length).toBe(0);
          expect(seen.size).toBe(total);
          expect(seenWhileWriting).toBeGreaterThan(0);
          if (beginTransaction) expect(committedLate).toBeGreaterThan(0);
        },
        LOAD_TEST_TIMEOUT_MS,
      );
    });

    describe('waiting for appends', () => {
      it(
        'wakes a waiting reader when an append commits, long before its timeout',
        async () => {
          await store.waitForAppends(200); // lets an adapter that listens lazily get ready
          let startedWaiting!: () => void;
          const waiting = new Promise<void>((resolve) => (startedWaiting = resolve));
          const woken = (async () => {
            const wait = store.waitForAppends(LONG_WAIT_MS);
            startedWaiting();
            await wait;
            return 'woken';
          })();
          await waiting;
          const appended = newEvent();
          await store.appendToStream(streamId(), 'no_stream', [appended]);
          expect(await woken).toBe('woken');
          expect((await readAtLeast(store, START, 1)).map((e) => e.eventId)).toEqual([appended.eventId]);
        },
        WAKE_TEST_TIMEOUT_MS,
      );

      it(
        'returns at once when the wait is aborted, before or during the wait',
        async () => {
          const alreadyAborted = AbortSignal.abort();
          await store.waitForAppends(LONG_WAIT_MS, alreadyAborted);
          const controller = new AbortController();
          const waiting = store.waitForAppends(LONG_WAIT_MS, controller.signal);
          controller.abort();
          await waiting;
        },
        WAKE_TEST_TIMEOUT_MS,
      );

      it('returns after the timeout when nothing is appended', async () => {
        await store.waitForAppends(200);
        await expect(store.waitForAppends(50)).resolves.toBeUndefined();
      });
    });

    describe('tailAll', () => {
      it('delivers everything after a checkpoint in batches and ends when its signal is aborted', async () => {
        const events = eventsOf(5);
        await store.appendToStream(streamId(), 'no_stream', events);
        const stop = new AbortController();
        const batches: StoredEvent[][] = [];
        for await (const batch of tailAll(store, { batchSize: 2, idleTimeoutMs: LONG_WAIT_MS, signal: stop.signal })) {
          batches.push(batch.events);
          if (batches.flat().length === 5) stop.abort();
        }
        expect(batches.map((b) => b.length)).toEqual([2, 2, 1]);
        const delivered = batches.flat();
        expect(delivered.map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));

        const resumed = new AbortController();
        const rest: string[] = [];
        const third = delivered[2];
        if (!third) throw new Error('unreachable');
        for await (const batch of tailAll(store, { from: third.position, signal: resumed.signal })) {
          rest.push(...batch.events.map((e) => e.eventId));
          if (rest.length === 2) resumed.abort();
        }
        expect(rest).toEqual(events.slice(3).map((e) => e.eventId));
      });

      it(
        'ends while idle as soon as its signal is aborted',
        async () => {
          const stop = new AbortController();
          let idle!: () => void;
          const isIdle = new Promise<void>((resolve) => (idle = resolve));
          const watched: EventStore = {
            appendToStream: (...args) => store.appendToStream(...args),
            readStream: (...args) => store.readStream(...args),
            readAll: (...args) => store.readAll(...args),
            waitForAppends: (timeoutMs, signal) => {
              idle();
              return store.waitForAppends(timeoutMs, signal);
            },
            close: () => store.close(),
          };
          const tail = (async () => {
            let batches = 0;
            for await (const _ of tailAll(watched, { idleTimeoutMs: LONG_WAIT_MS, signal: stop.signal })) batches++;
            return batches;
          })();
          await isIdle;
          stop.abort();
          expect(await tail).toBe(0);
        },
        WAKE_TEST_TIMEOUT_MS,
      );
    });
  });
}

function streamId(): string {
  return `contract-${randomUUID()}`;
}

function newEvent(overrides: Partial<NewEvent> = {}): NewEvent {
  return {
    eventId: randomUUID(),
    eventType: 'ContractEventHappened',
    schemaVersion: 1,
    data: { amountMinor: '12500', currency: 'EUR', nested: { list: [1, 'two', null] } },
    metadata: {
      customerId: randomUUID(),
      correlationId: randomUUID(),
      causationId: null,
      actor: 'contract-test',
      occurredAt: '2025-03-01T09:30:00.000Z',
    },
    ...overrides,
  };
}

function eventsOf(count: number): NewEvent[] {
  return Array.from({ length: count }, () => newEvent());
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

async function versionsOf(store: EventStore, stream: string): Promise<number[]> {
  return (await store.readStream(stream)).map((e) => e.streamVersion);
}

/**
 * Every event appended so far. A sentinel appended last marks the end: once it is readable, the read
 * horizon has passed everything before it, whatever other transactions on the server are doing.
 */
export async function readEverything(store: EventStore): Promise<StoredEvent[]> {
  const sentinel = newEvent({ eventType: 'ContractSentinelAppended' });
  await store.appendToStream(`sentinel-${randomUUID()}`, 'no_stream', [sentinel]);
  const read: StoredEvent[] = [];
  let checkpoint = START;
  for (;;) {
    const page = await store.readAll(checkpoint, 1000);
    checkpoint = page.checkpoint;
    for (const event of page.events) {
      if (event.eventId === sentinel.eventId) return read;
      read.push(event);
    }
    if (page.events.length === 0) await store.waitForAppends(100);
  }
}

/**
 * Reads from `after` until at least `count` events came back. Waits on the store rather than giving up on
 * an empty page, because any open transaction on the server may hold the read horizon back for a moment.
 */
async function readAtLeast(store: EventStore, after: GlobalPosition, count: number): Promise<StoredEvent[]> {
  const read: StoredEvent[] = [];
  let checkpoint = after;
  for (;;) {
    const page = await store.readAll(checkpoint, 1000);
    read.push(...page.events);
    checkpoint = page.checkpoint;
    if (page.events.length > 0) continue;
    if (read.length >= count) return read;
    await store.waitForAppends(100);
  }
}

function comparePositions(a: GlobalPosition, b: GlobalPosition): number {
  if (a.transactionId !== b.transactionId) return a.transactionId < b.transactionId ? -1 : 1;
  if (a.globalPosition !== b.globalPosition) return a.globalPosition < b.globalPosition ? -1 : 1;
  return 0;
}

function expectStrictlyIncreasing(positions: GlobalPosition[]): void {
  for (let i = 1; i < positions.length; i++) {
    const [previous, current] = [positions[i - 1], positions[i]];
    if (!previous || !current) continue;
    expect(comparePositions(previous, current)).toBe(-1);
  }
}
