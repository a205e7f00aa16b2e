import type { Kafka, KafkaMessage } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import type { EventEnvelope } from '@arc/contracts';

/** What a handler gets besides the envelope. Its database effects must go through `tx` or `batch`. */
export interface DeliveredMessage {
  /** The open transaction of this batch: effects written here commit together with the consumer's position. */
  tx: PoolClient;
  /** Writes deferred to the end of the batch, so a batch costs one round trip per kind of write, not per event. */
  batch: BatchScope;
  topic: string;
  partition: number;
  offset: string;
  envelope: EventEnvelope;
  /**
   * True while a replay (see ExactlyOnceConsumer.replayFromStart) re-reads what the group had consumed
   * before: rebuild the read model, but do not issue commands or announce changes a second time.
   */
  replaying: boolean;
}

export type FlushDeferred<T> = (tx: PoolClient, items: T[]) => Promise<void>;

export interface BatchScope {
  /**
   * Collects `item` under `key`; before the batch commits, `flush` runs once with everything collected
   * under that key, in delivery order, in the batch's transaction. (When a failing batch is retried
   * message by message, it runs after each message instead, so a failure is pinned on its message.)
   */
  defer<T>(key: string, item: T, flush: FlushDeferred<T>): void;
}

export type Dispatch = (message: DeliveredMessage) => Promise<void>;

export interface ExactlyOnceConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  /** The consumer's own database: effects, positions and seen stream versions live here. */
  pool: Pool;
  dispatch: Dispatch;
  /** Tries of a failing message before it is parked on `<topic>.dlq`. */
  maxAttempts?: number;
  /** Pause before the second try, doubled for each further one. */
  retryDelayMs?: number;
  partitionsConsumedConcurrently?: number;
  /**
   * How long a fetch waits on the broker for a first message (long poll); default 3000. The broker answers
   * as soon as one message arrives (minBytes 1), so the wait costs no latency; an idle consumer asks every
   * 3 s instead of ten times a second (docs/performance.md). kafkajs heartbeats between fetches, so this
   * stays at most the heartbeat interval (3 s), well inside the 10 s session.
   */
  maxWaitTimeInMs?: number;
  /**
   * The group session (kafkajs `sessionTimeout`); default 10,000 ms, a heartbeat every third of it (at most 3 s). A process
   * that dies without leaving the group (SIGKILL, a lost machine) holds its partitions this long: its
   * successor's join waits for it. Shorter stalls less after a crash; but a consumer that sends no
   * heartbeat for this long (a batch stuck that long, an event loop starved on an overloaded machine) is
   * put out of the group and rejoins, a rebalance (never a duplicate: positions and the partition lock
   * live in PostgreSQL). The broker refuses less than its `group.min.session.timeout.ms` (6,000 by default).
   */
  sessionTimeoutMs?: number;
  /**
   * A fetched batch is applied in transactions of about this long at most (default 500 ms): the chunk
   * that reaches it commits, and the rest of the batch follows in a fresh transaction after a heartbeat.
   */
  maxTransactionMs?: number;
  onDeadLetter?: (deadLetter: DeadLetter) => void;
  /** Called after a batch's transaction committed, with the envelopes it applied (for lag metrics). */
  onBatchCommitted?: (committed: CommittedBatch) => void;
}

export interface DeadLetter {
  topic: string;
  partition: number;
  offset: string;
  attempts: number;
  error: string;
}

/** How far one partition's consumer is behind the end of the partition. */
export interface PartitionLag {
  topic: string;
  partition: number;
  /** The offset the next message will get (the high watermark). */
  endOffset: bigint;
  /** The next offset the group will apply (from the database, the only record of its position). */
  nextOffset: bigint;
  lag: bigint;
}

export interface CommittedBatch {
  topic: string;
  partition: number;
  /** The next offset to consume on this partition. */
  nextOffset: bigint;
  applied: EventEnvelope[];
}

export type Decoded = { message: KafkaMessage; envelope: EventEnvelope } | { message: KafkaMessage; invalid: Error };
