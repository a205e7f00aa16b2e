import { START, type EventStore, type GlobalPosition, type ReadAllResult } from './event-store.port';

export interface TailAllOptions {
  /** Continue after this position (a saved checkpoint); default: from the beginning. */
  from?: GlobalPosition;
  /** Maximum events per batch; default 500. */
  batchSize?: number;
  /** Longest sleep while nothing happens; default 1000 ms. */
  idleTimeoutMs?: number;
  /** First re-poll delay after a wake-up that found nothing readable; default 5 ms, doubling up to the idle timeout. */
  recheckMs?: number;
  /** Ends the tail: the generator returns without yielding the batch in progress. */
  signal?: AbortSignal;
}

/**
 * Follows the store in commit-safe order, yielding non-empty batches with their checkpoint. The next batch
 * is read only when the consumer asks for it, so a consumer that saves `checkpoint` after handling a batch
 * resumes exactly there.
 *
 * A wake-up can come before the event is readable: the append committed, but an older transaction
 * (anywhere on the server) still holds the read horizon back and may never announce its end. So after a
 * wake-up that reads nothing, the tail re-polls after 5 ms, 10 ms, ... up to the idle timeout instead of
 * sleeping the whole idle timeout.
 */
export async function* tailAll(store: EventStore, options: TailAllOptions = {}): AsyncGenerator<ReadAllResult, void, undefined> {
  const { batchSize = 500, idleTimeoutMs = 1000, recheckMs = 5, signal } = options;
  let checkpoint = options.from ?? START;
  let recheckIn = 0;
  while (!signal?.aborted) {
    const batch = await store.readAll(checkpoint, batchSize);
    if (signal?.aborted) return;
    if (batch.events.length > 0) {
      checkpoint = batch.checkpoint;
      recheckIn = 0;
      yield batch;
      continue;
    }
    const woken = await waitForWakeUp(store, recheckIn > 0 ? recheckIn : idleTimeoutMs, signal);
    if (woken) recheckIn = Math.min(recheckMs, idleTimeoutMs);
    else if (recheckIn > 0) recheckIn = recheckIn * 2 < idleTimeoutMs ? recheckIn * 2 : 0;
  }
}

/**
 * True when the store woke the wait before `timeoutMs`. waitForAppends does not say why it returned, so the
 * tail keeps its own timer, started first so that it fires first, and ends the store's wait through the signal.
 */
async function waitForWakeUp(store: EventStore, timeoutMs: number, signal: AbortSignal | undefined): Promise<boolean> {
  const wait = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    wait.abort();
  }, timeoutMs);
  const stop = (): void => wait.abort();
  signal?.addEventListener('abort', stop, { once: true });
  try {
    await store.waitForAppends(timeoutMs, wait.signal);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', stop);
  }
  return !timedOut && !signal?.aborted;
}
