import type { KafkaMessage } from 'kafkajs';
import type { PoolClient } from 'pg';
import { decodeEnvelope } from '@arc/contracts';
import type { BatchScope, Decoded, FlushDeferred } from './consumer-types';

/** The writes handlers deferred to the end of their batch (see BatchScope). */
export class DeferredWrites implements BatchScope {
  private readonly pending = new Map<string, { flush: FlushDeferred<unknown>; items: unknown[] }>();

  defer<T>(key: string, item: T, flush: FlushDeferred<T>): void {
    const entry = this.pending.get(key);
    if (entry) entry.items.push(item);
    else this.pending.set(key, { flush: flush as FlushDeferred<unknown>, items: [item] });
  }

  async flush(tx: PoolClient): Promise<void> {
    for (const { flush, items } of this.pending.values()) await flush(tx, items);
    this.pending.clear();
  }
}

/** A handler (or a deferred write) of the batch failed: the batch is run again message by message. */
export class HandlerFailure extends Error {
  constructor(
    /** The message whose handler failed; null when a deferred write of the batch failed. */
    readonly offset: string | null,
    readonly failure: unknown,
  ) {
    super(describe(failure));
  }
}

export function decode(message: KafkaMessage): Decoded {
  try {
    return { message, envelope: decodeEnvelope(message.value) };
  } catch (error) {
    return { message, invalid: error instanceof Error ? error : new Error(String(error)) };
  }
}

export function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === 'object' ? JSON.stringify(error) : String(error);
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
