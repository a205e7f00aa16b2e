/**
 * The EventStore port. Adapters (PostgreSQL by default, EventStoreDB/KurrentDB later) implement it and
 * must pass the contract suite in `./testing/event-store.contract.ts`.
 */

/** Who did it and why, carried with every event into the Kafka envelope. */
export interface EventMetadata {
  customerId: string;
  correlationId: string;
  causationId: string | null;
  actor: string;
  /** Business instant the event happened at (ISO 8601); passed in by the caller, never read from a clock here. */
  occurredAt: string;
  /** A digest of the request that decided the event: tells a repeat of a command from an id reused for another request. */
  commandFingerprint?: string;
}

export interface NewEvent {
  /** Derived from the command id, so a retried command appends nothing new. */
  eventId: string;
  eventType: string;
  schemaVersion: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface StoredEvent extends NewEvent {
  streamId: string;
  /** 1 for the first event of a stream, contiguous after that. */
  streamVersion: number;
  position: GlobalPosition;
  recordedAt: Date;
}

/**
 * A place in the store-wide commit order. `transactionId` is the writer's transaction id (xid8 in
 * PostgreSQL), `globalPosition` the row's identity; readers order by the pair and checkpoint it.
 */
export interface GlobalPosition {
  transactionId: bigint;
  globalPosition: bigint;
}

export const START: GlobalPosition = { transactionId: 0n, globalPosition: 0n };

/** `'no_stream'`: the stream must not exist yet; a number: the stream's current version must equal it; `'any'`: no check. */
export type ExpectedVersion = number | 'no_stream' | 'any';

export interface AppendResult {
  /** The stream's version after the append. */
  nextExpectedVersion: number;
  /** True when every event id was already in the stream: a repeat of an earlier append, nothing written. */
  alreadyAppended: boolean;
}

export interface ReadAllResult {
  events: StoredEvent[];
  /** Where to continue from; equal to the `after` given when nothing new was readable. */
  checkpoint: GlobalPosition;
}

export interface EventStore {
  /**
   * Appends atomically, or not at all. Throws `ConcurrencyError` when the stream is not at `expectedVersion`
   * and `EventIdConflictError` when event ids collide with other events. Repeating an earlier append (every
   * event id already in this stream) writes nothing and answers `alreadyAppended`, whatever the expected version.
   */
  appendToStream(streamId: string, expectedVersion: ExpectedVersion, events: NewEvent[]): Promise<AppendResult>;
  /** The stream's events in version order, from `fromVersion` (default 1); empty for a stream that does not exist. */
  readStream(streamId: string, fromVersion?: number): Promise<StoredEvent[]>;
  /**
   * The stream's events from `fromVersion`, and also the event `probeEventId` if the stream holds it
   * earlier: in one read, a caller that knows the state up to `fromVersion - 1` learns what came since and
   * whether a command (whose first event id is the probe) was handled before. Optional: a store without
   * it is read whole.
   */
  readStreamTail?(streamId: string, fromVersion: number, probeEventId: string): Promise<StoredEvent[]>;
  /**
   * Events committed after `after`, in commit-safe order: never returns an event while an earlier-ordered
   * one may still commit, so a reader that checkpoints the returned position skips nothing.
   */
  readAll(after: GlobalPosition, limit: number): Promise<ReadAllResult>;
  /**
   * Resolves when new events may be readable, or after `timeoutMs` at the latest. Lets tailing readers
   * sleep instead of polling hot. Resolves at once if `signal` is aborted.
   */
  waitForAppends(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/** The stream was not at the expected version: someone else appended first. */
export class ConcurrencyError extends Error {
  constructor(
    readonly streamId: string,
    readonly expectedVersion: ExpectedVersion,
    /**
     * The refusal aborted the caller's transaction (a concurrent writer's version collided inside it): only a
     * rerun of the whole transaction can go on, not a retry of the command in it.
     */
    readonly transactionAborted = false,
  ) {
    super(`stream ${streamId} is not at the expected version ${String(expectedVersion)}`);
    this.name = 'ConcurrencyError';
  }
}

/**
 * Why an append's event ids were refused. A repeat of a whole earlier append is not an error (see
 * `AppendResult.alreadyAppended`); these are the cases where answering "already done" would be a lie.
 */
export type EventIdConflictReason =
  /** An event id is already used by an event of another stream. */
  | 'used_in_another_stream'
  /** Some of the event ids are already in this stream and some are new: not a repeat of one earlier append. */
  | 'partial_repeat'
  /** The same event id appears twice in one append. */
  | 'repeated_in_append';

/** The append's event ids collide with stored events (or with each other); nothing was written. */
export class EventIdConflictError extends Error {
  constructor(
    readonly streamId: string,
    readonly eventIds: string[],
    readonly reason: EventIdConflictReason,
  ) {
    super(`event ids refused for stream ${streamId} (${reason}): ${eventIds.join(', ')}`);
    this.name = 'EventIdConflictError';
  }
}
