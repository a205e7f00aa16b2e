import {
  ConcurrencyError,
  EventIdConflictError,
  START,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type StoredEvent,
} from '@arc/event-store';
import { eventIdFor } from '@arc/decider';
import { CommandConflictError, CommandIdReusedError, handleCommand } from './handle-command';
import { StreamStates, type StreamStateCache } from './stream-states';
import {
  creditLineDecider,
  InsufficientCreditError,
  type CreditLineCommand,
  type CreditLineEvent,
} from './test-support/credit-line.decider';

const metadata: EventMetadata = {
  customerId: 'customer-1',
  correlationId: 'correlation-1',
  causationId: null,
  actor: 'user:finance-1',
  occurredAt: '2025-03-02T10:00:00.000Z',
};
const STREAM = 'creditline-1';
const open: CreditLineCommand = { type: 'OpenCreditLine', data: { limitMinor: '1000', openedOn: '2025-03-01' } };
const reserve = (reservationId: string, amountMinor: string): CreditLineCommand => ({
  type: 'ReserveCredit',
  data: { reservationId, amountMinor, reservedAt: '2025-03-02T10:00:00Z' },
});

/** Just enough of an event store for the handler: versions, idempotency, and a hook to inject a rival append. */
class MemoryStore implements EventStore {
  readonly streams = new Map<string, StoredEvent[]>();
  readonly appends: { streamId: string; expectedVersion: ExpectedVersion; events: NewEvent[] }[] = [];
  beforeAppend: (() => Promise<void>) | undefined;
  private position = 0n;

  async appendToStream(streamId: string, expectedVersion: ExpectedVersion, events: NewEvent[]): Promise<AppendResult> {
    const hook = this.beforeAppend;
    this.beforeAppend = undefined;
    await hook?.();
    this.appends.push({ streamId, expectedVersion, events });
    const stream = this.streams.get(streamId) ?? [];
    const ids = new Set(events.map((e) => e.eventId));
    const known = stream.filter((e) => ids.has(e.eventId)).length;
    if (known === events.length && known > 0) return { nextExpectedVersion: stream.length, alreadyAppended: true };
    if (known > 0) throw new EventIdConflictError(streamId, [...ids], 'partial_repeat');
    const expected = expectedVersion === 'no_stream' ? 0 : expectedVersion;
    if (expected !== 'any' && expected !== stream.length) throw new ConcurrencyError(streamId, expectedVersion);
    for (const event of events) {
      this.position++;
      stream.push({
        ...event,
        streamId,
        streamVersion: stream.length + 1,
        position: { transactionId: this.position, globalPosition: this.position },
        recordedAt: new Date(0),
      });
    }
    this.streams.set(streamId, stream);
    return { nextExpectedVersion: stream.length, alreadyAppended: false };
  }

  async readStream(streamId: string, fromVersion = 1): Promise<StoredEvent[]> {
    return (this.streams.get(streamId) ?? []).filter((e) => e.streamVersion >= fromVersion);
  }

  readonly tailReads: number[] = [];

  async readStreamTail(streamId: string, fromVersion: number, probeEventId: string): Promise<StoredEvent[]> {
    this.tailReads.push(fromVersion);
    return (this.streams.get(streamId) ?? []).filter((e) => e.streamVersion >= fromVersion || e.eventId === probeEventId);
  }

  async readAll() {
    return { events: [], checkpoint: START };
  }

  async waitForAppends(): Promise<void> {}

  async close(): Promise<void> {}
}

const handle = (store: EventStore, command: CreditLineCommand, commandId: string, maxRetries?: number) =>
  handleCommand(store, creditLineDecider, { streamId: STREAM, command, commandId, metadata, maxRetries });

describe('handleCommand', () => {
  it('appends the decided events with ids derived from the command id, their schema versions and the metadata given', async () => {
    const store = new MemoryStore();
    await handle(store, open, 'cmd-open');
    await handle(store, reserve('r1', '400'), 'cmd-reserve');
    const result = await handle(
      store,
      { type: 'ReleaseCredit', data: { reservationId: 'r1', releasedAt: '2025-03-03T00:00:00Z' } },
      'cmd-release',
    );

    expect(result.events).toEqual([
      {
        eventId: eventIdFor('cmd-release', 0),
        eventType: 'CreditReleased',
        schemaVersion: 2,
        data: { reservationId: 'r1', amountMinor: '400', releasedAt: '2025-03-03T00:00:00Z' },
        metadata,
      },
    ]);
    expect(result.streamVersion).toBe(3);
    expect(result.alreadyHandled).toBe(false);
    expect(result.newState).toEqual({ status: 'open', limitMinor: 1000n, reservations: new Map() });
    expect((await store.readStream(STREAM)).map((e) => [e.eventType, e.schemaVersion])).toEqual([
      ['CreditLineOpened', 1],
      ['CreditReserved', 1],
      ['CreditReleased', 2],
    ]);
  });

  it('creates the stream with no_stream and then appends at the version it loaded', async () => {
    const store = new MemoryStore();
    await handle(store, open, 'cmd-1');
    await handle(store, reserve('r1', '1'), 'cmd-2');
    expect(store.appends.map((a) => a.expectedVersion)).toEqual(['no_stream', 1]);
  });

  it('derives event ids that are UUIDs, stable for a command id and distinct per index', () => {
    expect(eventIdFor('cmd-1', 0)).toBe(eventIdFor('cmd-1', 0));
    expect(eventIdFor('cmd-1', 0)).not.toBe(eventIdFor('cmd-1', 1));
    expect(eventIdFor('cmd-1', 0)).not.toBe(eventIdFor('cmd-2', 0));
    expect(eventIdFor('cmd-1', 0)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('answers a repeated command id with the earlier result and appends nothing, even after later commands', async () => {
    const store = new MemoryStore();
    await handle(store, open, 'cmd-open');
    const first = await handle(store, reserve('r1', '300'), 'cmd-reserve');
    await handle(store, reserve('r2', '500'), 'cmd-other');
    const appendsBefore = store.appends.length;

    const repeat = await handle(store, reserve('r1', '300'), 'cmd-reserve');
    expect(repeat).toEqual({ ...first, alreadyHandled: true });
    expect(store.appends).toHaveLength(appendsBefore);
  });

  it('passes a domain error through and appends nothing', async () => {
    const store = new MemoryStore();
    await handle(store, open, 'cmd-open');
    await expect(handle(store, reserve('r1', '1001'), 'cmd-big')).rejects.toBeInstanceOf(InsufficientCreditError);
    expect(store.appends).toHaveLength(1);
  });

  it('appends nothing when the command decides nothing, and reports the loaded version', async () => {
    const store = new MemoryStore();
    await handle(store, open, 'cmd-open');
    await handle(store, reserve('r1', '1'), 'cmd-reserve');
    const result = await handle(store, reserve('r1', '1'), 'cmd-reserve-again');
    expect(result).toMatchObject({ events: [], streamVersion: 2, alreadyHandled: false });
    expect(store.appends).toHaveLength(2);
  });

  it('after losing the race for the stream, decides again on the fresh state', async () => {
    const store = new MemoryStore();
    await handle(store, open, 'cmd-open');
    store.beforeAppend = async () => {
      await handle(store, reserve('rival', '700'), 'cmd-rival');
    };
    await expect(handle(store, reserve('r1', '400'), 'cmd-late')).rejects.toBeInstanceOf(InsufficientCreditError);

    store.beforeAppend = async () => {
      await handle(store, reserve('rival-2', '100'), 'cmd-rival-2');
    };
    const result = await handle(store, reserve('r2', '200'), 'cmd-fits');
    expect(result.streamVersion).toBe(4);
    expect(store.appends.map((a) => a.expectedVersion)).toEqual(['no_stream', 1, 1, 2, 2, 3]);
  });

  it('gives up with a CommandConflictError after maxRetries lost races', async () => {
    const store = new MemoryStore();
    await handle(store, open, 'cmd-open');
    let attempts = 0;
    const alwaysBeaten: EventStore = {
      ...store,
      readStream: (...args) => store.readStream(...args),
      appendToStream: async (streamId, expectedVersion) => {
        attempts++;
        throw new ConcurrencyError(streamId, expectedVersion);
      },
      readAll: () => store.readAll(),
      waitForAppends: () => store.waitForAppends(),
      close: () => store.close(),
    };
    const refused = handle(alwaysBeaten, reserve('r1', '1'), 'cmd-unlucky', 2);
    await expect(refused).rejects.toBeInstanceOf(CommandConflictError);
    await expect(refused).rejects.toMatchObject({ streamId: STREAM, commandId: 'cmd-unlucky', attempts: 3 });
    expect(attempts).toBe(3);
  });

  it('returns the result of the same command handled concurrently elsewhere, as already handled', async () => {
    const store = new MemoryStore();
    await handle(store, open, 'cmd-open');
    let elsewhere: Awaited<ReturnType<typeof handle>> | undefined;
    store.beforeAppend = async () => {
      elsewhere = await handle(store, reserve('r1', '250'), 'cmd-twice');
    };
    const here = await handle(store, reserve('r1', '250'), 'cmd-twice');
    expect(here).toEqual({ ...elsewhere, alreadyHandled: true });
    expect((await store.readStream(STREAM)).map((e) => e.eventId)).toEqual([eventIdFor('cmd-open', 0), eventIdFor('cmd-twice', 0)]);
  });

  it('refuses a command id already used for another stream as a reused id (its events belong to another subject)', async () => {
    const store = new MemoryStore();
    const reused: EventStore = {
      ...store,
      readStream: (...args) => store.readStream(...args),
      appendToStream: async (streamId, _expected, events) => {
        throw new EventIdConflictError(streamId, [events[0]?.eventId ?? ''], 'used_in_another_stream');
      },
      readAll: () => store.readAll(),
      waitForAppends: () => store.waitForAppends(),
      close: () => store.close(),
    };
    const refusal = handle(reused, open, 'cmd-elsewhere');
    await expect(refusal).rejects.toBeInstanceOf(CommandIdReusedError);
    await expect(refusal).rejects.toMatchObject({ commandId: 'cmd-elsewhere', cause: { reason: 'used_in_another_stream' } });
  });

  describe('a caller-chosen id reused for a different request', () => {
    const run = (store: EventStore, command: CreditLineCommand, commandId: string, fingerprint?: string) =>
      handleCommand(store, creditLineDecider, { streamId: STREAM, command, commandId, metadata, ...(fingerprint ? { fingerprint } : {}) });

    it('keeps the request fingerprint in the metadata of the events it appends', async () => {
      const store = new MemoryStore();
      await run(store, open, 'cmd-open', 'fp-open');
      expect(store.appends[0]?.events[0]?.metadata).toEqual({ ...metadata, commandFingerprint: 'fp-open' });
    });

    it('answers the same id with the same request as a repeat, appending nothing', async () => {
      const store = new MemoryStore();
      const first = await run(store, open, 'cmd-open', 'fp-open');
      await expect(run(store, open, 'cmd-open', 'fp-open')).resolves.toEqual({ ...first, alreadyHandled: true });
      expect(store.appends).toHaveLength(1);
    });

    it('refuses the same id with a different request instead of answering the first result', async () => {
      const store = new MemoryStore();
      await run(store, open, 'cmd-open', 'fp-open');
      await run(store, reserve('r1', '100'), 'check-1', 'fp-100');
      const reused = run(store, reserve('r1', '900'), 'check-1', 'fp-900');
      await expect(reused).rejects.toBeInstanceOf(CommandIdReusedError);
      await expect(reused).rejects.toMatchObject({ streamId: STREAM, commandId: 'check-1' });
      expect(store.appends).toHaveLength(2);
    });

    it('answers a repeat as before when the earlier events carry no fingerprint (recorded before fingerprints existed)', async () => {
      const store = new MemoryStore();
      await run(store, open, 'cmd-open');
      await expect(run(store, open, 'cmd-open', 'fp-other')).resolves.toMatchObject({ alreadyHandled: true });
    });
  });

  it('folds stored events through the decider upcaster', async () => {
    const store = new MemoryStore();
    await store.appendToStream(STREAM, 'no_stream', [
      { eventId: eventIdFor('legacy', 0), eventType: 'CreditLineOpened', schemaVersion: 1, data: { limit: 50 }, metadata },
    ]);
    const upcasting = {
      ...creditLineDecider,
      upcast: ({ type, data }: { type: string; data: Record<string, unknown> }): CreditLineEvent =>
        type === 'CreditLineOpened' && 'limit' in data
          ? { type, data: { limitMinor: String(data.limit), openedOn: '2020-01-01' } }
          : ({ type, data } as CreditLineEvent),
    };
    await expect(
      handleCommand(store, upcasting, { streamId: STREAM, command: reserve('r1', '51'), commandId: 'c', metadata }),
    ).rejects.toBeInstanceOf(InsufficientCreditError);
  });

  describe('from a cached state', () => {
    const cacheOf = (states: StreamStates): StreamStateCache<unknown> => ({
      get: (streamId) => states.get(streamId, creditLineDecider),
      remember: (streamId, known) => states.set(streamId, creditLineDecider, known),
      forget: (streamId) => states.forget(streamId),
    });
    const cached = (store: EventStore, states: StreamStates, command: CreditLineCommand, commandId: string) =>
      handleCommand(store, creditLineDecider, { streamId: STREAM, command, commandId, metadata, states: cacheOf(states) });

    it('reads only the events appended since, including those another process appended, and decides on all of them', async () => {
      const store = new MemoryStore();
      const states = new StreamStates();
      await cached(store, states, open, 'cmd-open');
      await cached(store, states, reserve('r1', '300'), 'cmd-1');
      // Another process (no shared cache) reserves 600 more: the cached state does not know it.
      await handle(store, reserve('r2', '600'), 'cmd-elsewhere');
      await expect(cached(store, states, reserve('r3', '200'), 'cmd-3')).rejects.toBeInstanceOf(InsufficientCreditError);
      const fits = await cached(store, states, reserve('r4', '100'), 'cmd-4');
      expect(fits.streamVersion).toBe(4);
      expect(store.tailReads).toEqual([2, 3, 3]);
    });

    it('answers a repeated command id with the earlier result, though its events are older than the cached state', async () => {
      const store = new MemoryStore();
      const states = new StreamStates();
      await cached(store, states, open, 'cmd-open');
      const first = await cached(store, states, reserve('r1', '300'), 'cmd-reserve');
      await cached(store, states, reserve('r2', '500'), 'cmd-other');
      const appendsBefore = store.appends.length;
      const repeat = await cached(store, states, reserve('r1', '300'), 'cmd-reserve');
      expect(repeat).toEqual({ ...first, alreadyHandled: true });
      expect(store.appends).toHaveLength(appendsBefore);
    });

    it('forgets the cached state after a lost race and decides again on the whole stream', async () => {
      const store = new MemoryStore();
      const states = new StreamStates();
      await cached(store, states, open, 'cmd-open');
      store.beforeAppend = async () => {
        await handle(store, reserve('rival', '700'), 'cmd-rival');
      };
      await expect(cached(store, states, reserve('r1', '400'), 'cmd-late')).rejects.toBeInstanceOf(InsufficientCreditError);
      expect(states.get(STREAM, creditLineDecider)).toBeUndefined();
    });
  });
});
