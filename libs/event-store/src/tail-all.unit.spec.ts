import { START, type EventStore, type GlobalPosition, type ReadAllResult, type StoredEvent } from './event-store.port';
import { tailAll } from './tail-all';

const position = (n: number): GlobalPosition => ({ transactionId: BigInt(n), globalPosition: BigInt(n) });

function storedEvent(n: number): StoredEvent {
  return {
    eventId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    eventType: 'SomethingHappened',
    schemaVersion: 1,
    data: {},
    metadata: { customerId: 'c', correlationId: 'x', causationId: null, actor: 'a', occurredAt: '2025-01-01T00:00:00Z' },
    streamId: 's',
    streamVersion: n,
    position: position(n),
    recordedAt: new Date(0),
  };
}

/** A store whose reads and waits follow a script, recording what the tail asked for. */
function scriptedStore(reads: ReadAllResult[], wait: (timeoutMs: number, call: number, signal?: AbortSignal) => Promise<void>) {
  const readsFrom: GlobalPosition[] = [];
  const waits: number[] = [];
  const store: EventStore = {
    appendToStream: () => Promise.reject(new Error('not used')),
    readStream: () => Promise.reject(new Error('not used')),
    readAll: async (after) => {
      readsFrom.push(after);
      return reads.shift() ?? { events: [], checkpoint: after };
    },
    waitForAppends: (timeoutMs, signal) => {
      waits.push(timeoutMs);
      return wait(timeoutMs, waits.length, signal);
    },
    close: async () => undefined,
  };
  return { store, readsFrom, waits };
}

describe('tailAll', () => {
  it('yields only non-empty batches and continues from each batch checkpoint', async () => {
    const first = [storedEvent(1), storedEvent(2)];
    const second = [storedEvent(3)];
    const { store, readsFrom } = scriptedStore(
      [
        { events: first, checkpoint: position(2) },
        { events: [], checkpoint: position(2) },
        { events: second, checkpoint: position(3) },
      ],
      async () => undefined,
    );
    const stop = new AbortController();
    const yielded: number[][] = [];
    for await (const batch of tailAll(store, { from: position(0), signal: stop.signal })) {
      yielded.push(batch.events.map((e) => e.streamVersion));
      if (yielded.length === 2) stop.abort();
    }
    expect(yielded).toEqual([[1, 2], [3]]);
    expect(readsFrom).toEqual([position(0), position(2), position(2)]);
  });

  it('after a wake-up that reads nothing, re-polls at 5, 10, 20, 40 ms, then sleeps the idle timeout again', async () => {
    const stop = new AbortController();
    const { store, waits } = scriptedStore([], async (_timeoutMs, call, signal) => {
      if (call === 6) stop.abort();
      // The first wait is cut short by a notification; no other notification comes, so the rest end by
      // timing out, which the tail signals through the abort signal it passes.
      if (call === 1 || signal?.aborted) return;
      await new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }));
    });
    for await (const _ of tailAll(store, { idleTimeoutMs: 60, signal: stop.signal })) {
      throw new Error('nothing was readable');
    }
    expect(waits).toEqual([60, 5, 10, 20, 40, 60]);
  });

  it('starts from the beginning of the store when no checkpoint is given', async () => {
    const { store, readsFrom } = scriptedStore([], async () => undefined);
    const stop = new AbortController();
    stop.abort();
    for await (const _ of tailAll(store, { signal: stop.signal })) throw new Error('aborted before reading');
    expect(readsFrom).toEqual([]);

    const running = new AbortController();
    const tail = tailAll(store, { signal: running.signal });
    const next = tail.next();
    running.abort();
    await expect(next).resolves.toEqual({ done: true, value: undefined });
    expect(readsFrom).toEqual([START]);
  });

  it('does not hand over a batch read while it was being stopped, so the consumer checkpoint stays before it', async () => {
    const stop = new AbortController();
    const store: EventStore = {
      ...scriptedStore([], async () => undefined).store,
      readAll: async () => {
        stop.abort();
        return { events: [storedEvent(1)], checkpoint: position(1) };
      },
    };
    const yielded: ReadAllResult[] = [];
    for await (const batch of tailAll(store, { signal: stop.signal })) yielded.push(batch);
    expect(yielded).toEqual([]);
  });
});
