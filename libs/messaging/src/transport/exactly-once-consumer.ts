import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { Pool, PoolClient } from 'pg';
import { deadLetterTopic, decodeEnvelope, type EventEnvelope } from '@arc/contracts';
import { isTransientConflict, joinTransaction, type StoreTransaction } from '@arc/event-store';

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
   * How long a fetch waits on the broker for a first message (long poll); default 100. The broker answers
   * as soon as one arrives, so a longer wait should cost no latency and makes an idle consumer ask less
   * often; 1000 was tried, but the exactly-once SIGKILL test then timed out once on a machine at load 50
   * and there was no time to tell whether that was the load, so the default stays until it is measured.
   */
  maxWaitTimeInMs?: number;
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

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS consumer_offsets (
    group_id    text NOT NULL,
    topic       text NOT NULL,
    partition   int NOT NULL,
    next_offset bigint NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, topic, partition)
  );
  -- Offsets below this were consumed before the group's last replay: their messages are applied again as replayed.
  ALTER TABLE consumer_offsets ADD COLUMN IF NOT EXISTS replay_until bigint NOT NULL DEFAULT 0;
  CREATE TABLE IF NOT EXISTS consumer_stream_versions (
    group_id       text NOT NULL,
    stream_id      text NOT NULL,
    stream_version int NOT NULL,
    PRIMARY KEY (group_id, stream_id)
  );`;

/** Runs of a batch that keeps losing races for the streams its commands append to, before the failure surfaces. */
const TRANSIENT_ATTEMPTS = 10;

type Decoded = { message: KafkaMessage; envelope: EventEnvelope } | { message: KafkaMessage; invalid: Error };

/**
 * Consumes batches so that each message's effect happens exactly once:
 * - a batch's effects, the partition's next offset and the last stream version seen per stream commit
 *   in ONE PostgreSQL transaction; a per-partition advisory lock is taken first, so a partition handed
 *   to another instance mid-batch waits instead of applying the same messages twice;
 * - messages below the stored offset (Kafka redelivery) and stream versions already seen (a relay
 *   re-sending after a crash) are skipped;
 * - the database is the only record of the position: nothing is committed to Kafka, so a consumer that
 *   (re)joins fetches from the start, and its first batch of each partition seeks to the stored offset
 *   (this also makes a wiped read model re-apply everything under the same group id).
 * The batch transaction commits without waiting for the WAL flush: a server crash can lose the last
 * batches, but effects and position together, so they are applied again from Kafka, still once.
 * A batch runs without savepoints; if a handler throws, it is rolled back and run again with a
 * savepoint per message, so one failing message is retried alone and, after `maxAttempts`, parked on
 * `<topic>.dlq` with its error while the rest of the partition moves on.
 */
export class ExactlyOnceConsumer {
  private consumer: Consumer | undefined;
  private producer: Producer | undefined;
  private admin: Admin | undefined;
  /** Replays one at a time. */
  private replay: Promise<void> = Promise.resolve();
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  /** Per partition, the stored offset the fetch was last sent to (so a real gap is not chased twice). */
  private readonly soughtTo = new Map<string, bigint>();

  constructor(private readonly options: ExactlyOnceConsumerOptions) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 100;
  }

  async start(): Promise<void> {
    const { kafka, pool } = this.options;
    await pool.query(SCHEMA);
    this.producer = kafka.producer({ maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await this.producer.connect();
    await this.runConsumer();
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    await this.admin?.disconnect();
  }

  /**
   * Applies the subscribed topics again from their first message (a read-model rebuild): the consumer
   * leaves the group; one transaction, holding every partition's lock, runs `reset` (empty the read model)
   * and moves the group's position back to the start, marking what it had consumed as replayed; then the
   * consumer rejoins. Other instances of the group wait on the partition locks and find the new position.
   */
  replayFromStart(reset: (tx: PoolClient) => Promise<void>): Promise<void> {
    const run = this.replay.then(async () => {
      await this.consumer?.disconnect();
      this.consumer = undefined;
      const ends = await this.endOffsets();
      const tx = await this.options.pool.connect();
      try {
        await tx.query('BEGIN');
        for (const { topic, partition } of ends)
          await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
            partitionLockKey(this.options.groupId, topic, partition),
          ]);
        await reset(tx);
        await tx.query('DELETE FROM consumer_offsets WHERE group_id = $1', [this.options.groupId]);
        await tx.query('DELETE FROM consumer_stream_versions WHERE group_id = $1', [this.options.groupId]);
        await tx.query(
          `INSERT INTO consumer_offsets (group_id, topic, partition, next_offset, replay_until)
           SELECT $1, topic, partition, 0, replay_until FROM unnest($2::text[], $3::int[], $4::bigint[]) AS ends(topic, partition, replay_until)`,
          [this.options.groupId, ends.map((e) => e.topic), ends.map((e) => e.partition), ends.map((e) => e.endOffset.toString())],
        );
        await tx.query('COMMIT');
      } catch (error) {
        await tx.query('ROLLBACK');
        throw error;
      } finally {
        tx.release();
      }
      this.soughtTo.clear();
      await this.runConsumer();
    });
    this.replay = run.catch(() => undefined);
    return run;
  }

  /** Per subscribed partition: messages on Kafka that the group has not applied yet. */
  async lag(): Promise<PartitionLag[]> {
    const ends = await this.endOffsets();
    const { rows } = await this.options.pool.query<{ topic: string; partition: number; next_offset: string }>(
      'SELECT topic, partition, next_offset::text FROM consumer_offsets WHERE group_id = $1',
      [this.options.groupId],
    );
    const positions = new Map(rows.map((row) => [`${row.topic}/${row.partition}`, BigInt(row.next_offset)]));
    return ends.map(({ topic, partition, endOffset, startOffset }) => {
      const nextOffset = positions.get(`${topic}/${partition}`) ?? startOffset;
      const behind = endOffset - (nextOffset > startOffset ? nextOffset : startOffset);
      return { topic, partition, endOffset, nextOffset, lag: behind > 0n ? behind : 0n };
    });
  }

  /** True while a replay has not yet re-applied everything the group had consumed before it (any instance). */
  async replaying(): Promise<boolean> {
    const { rows } = await this.options.pool.query<{ replaying: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM consumer_offsets WHERE group_id = $1 AND next_offset < replay_until) AS replaying',
      [this.options.groupId],
    );
    return rows[0]?.replaying === true;
  }

  private async runConsumer(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    this.consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: this.options.maxWaitTimeInMs ?? 100 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  private async endOffsets(): Promise<{ topic: string; partition: number; startOffset: bigint; endOffset: bigint }[]> {
    if (!this.admin) {
      const admin = this.options.kafka.admin();
      await admin.connect();
      this.admin = admin;
    }
    const admin = this.admin;
    const perTopic = await Promise.all(
      this.options.topics.map(async (topic) =>
        (await admin.fetchTopicOffsets(topic)).map(({ partition, low, high }) => ({
          topic,
          partition,
          startOffset: BigInt(low),
          endOffset: BigInt(high),
        })),
      ),
    );
    return perTopic.flat();
  }

  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const last = batch.messages.at(-1);
    if (!last || !isRunning() || isStale()) return;
    const decoded = batch.messages.map(decode);
    const client = await this.options.pool.connect();
    let outcome: Outcome;
    try {
      const apply = (careful: HandlerFailure | null) => this.applyBatch(client, batch.topic, batch.partition, decoded, heartbeat, careful);
      for (let attempt = 1; ; attempt++) {
        try {
          outcome = await apply(null).catch((error: unknown) => {
            if (!(error instanceof HandlerFailure)) throw error;
            return apply(error);
          });
          break;
        } catch (error) {
          // A command of the batch lost the race for its stream (to an HTTP command, say): the batch's
          // transaction is gone, so the whole batch runs again, in a fresh one, after a random pause.
          if (!isTransientConflict(error) || attempt >= TRANSIENT_ATTEMPTS) throw error;
          await pause(Math.random() * this.retryDelayMs * 2 ** (attempt - 1));
        }
      }
    } finally {
      client.release();
    }
    if (outcome.kind === 'seek') {
      this.consumer?.seek({ topic: batch.topic, partition: batch.partition, offset: outcome.nextOffset.toString() });
      return;
    }
    resolveOffset(last.offset);
    if (outcome.kind === 'committed') this.options.onBatchCommitted?.(outcome.batch);
  }

  /**
   * One transaction for the whole batch. `careful` is null on the fast pass; on the second pass it
   * names the message that failed the fast pass (null offset: a deferred flush failed), which has used
   * one attempt already.
   */
  private async applyBatch(
    tx: PoolClient,
    topic: string,
    partition: number,
    decoded: Decoded[],
    heartbeat: () => Promise<void>,
    careful: HandlerFailure | null,
  ): Promise<Outcome> {
    const { pool } = this.options;
    await tx.query('BEGIN; SET LOCAL synchronous_commit = off');
    // The batch's transaction is the event store's too: commands the handlers run read their streams and
    // append in it, so their events commit with the batch's effects and position, or not at all.
    return joinTransaction(pool, tx, (storeTx) => this.applyInTransaction(tx, storeTx, topic, partition, decoded, heartbeat, careful));
  }

  private async applyInTransaction(
    tx: PoolClient,
    storeTx: StoreTransaction,
    topic: string,
    partition: number,
    decoded: Decoded[],
    heartbeat: () => Promise<void>,
    careful: HandlerFailure | null,
  ): Promise<Outcome> {
    const { groupId } = this.options;
    try {
      // Serialise instances on this partition with an advisory lock rather than a row lock: it takes no
      // transaction id, and an open transaction id holds back every commit-safe reader on the server
      // (the relays). The offset is read by the NEXT statement, whose snapshot sees what an instance we
      // waited for committed.
      await tx.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [partitionLockKey(groupId, topic, partition)]);
      const { rows } = await tx.query<{ next_offset: string; replay_until: string }>(
        'SELECT next_offset::text, replay_until::text FROM consumer_offsets WHERE group_id = $1 AND topic = $2 AND partition = $3',
        [groupId, topic, partition],
      );
      const nextOffset = BigInt(rows[0]?.next_offset ?? '0');
      const replayUntil = BigInt(rows[0]?.replay_until ?? '0');
      const firstOffset = BigInt(decoded[0]?.message.offset ?? nextOffset);
      const partitionKey = `${topic}/${partition}`;
      if (firstOffset !== nextOffset && this.soughtTo.get(partitionKey) !== nextOffset) {
        // The fetch did not start where we stopped (a fresh start reads from the beginning): go there.
        // If it still starts later after that, those offsets hold no messages (e.g. transaction markers).
        this.soughtTo.set(partitionKey, nextOffset);
        await tx.query('ROLLBACK');
        return { kind: 'seek', nextOffset };
      }
      const fresh = decoded.filter(({ message }) => BigInt(message.offset) >= nextOffset);
      const last = fresh.at(-1);
      if (!last) {
        await tx.query('COMMIT');
        return { kind: 'nothing-new' };
      }
      const seen = await this.seenVersions(tx, fresh);
      const advanced = new Map<string, number>();
      const applied: EventEnvelope[] = [];
      const deadLetters: { message: KafkaMessage; letter: DeadLetter }[] = [];
      const batchScope = new DeferredWrites();
      for (const item of fresh) {
        const { offset } = item.message;
        const replaying = BigInt(offset) < replayUntil;
        if ('invalid' in item) {
          deadLetters.push({ message: item.message, letter: { topic, partition, offset, attempts: 0, error: item.invalid.message } });
          continue;
        }
        const { envelope } = item;
        const { streamId, streamVersion } = envelope;
        if (streamVersion <= (advanced.get(streamId) ?? seen.get(streamId) ?? 0)) continue;
        if (careful) {
          const priorAttempts = careful.offset === offset ? 1 : 0;
          const failure = await this.attemptInSavepoint({ tx, topic, partition, offset, envelope, replaying }, priorAttempts);
          await heartbeat();
          if (failure) {
            deadLetters.push({ message: item.message, letter: { topic, partition, offset, ...failure } });
            // Parked, so seen: the partition moves past it.
            advanced.set(streamId, streamVersion);
            continue;
          }
        } else {
          await this.options.dispatch({ tx, batch: batchScope, topic, partition, offset, envelope, replaying }).catch((error: unknown) => {
            throw isTransientConflict(error) ? error : new HandlerFailure(offset, error);
          });
        }
        advanced.set(streamId, streamVersion);
        applied.push(envelope);
      }
      await batchScope.flush(tx).catch((error: unknown) => {
        throw isTransientConflict(error) ? error : new HandlerFailure(null, error);
      });
      // Parked before the commit: a crash in between parks a message twice, never loses one.
      await this.park(topic, deadLetters);
      await this.saveVersions(tx, advanced);
      const next = BigInt(last.message.offset) + 1n;
      await tx.query(
        `INSERT INTO consumer_offsets (group_id, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
         ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now()`,
        [groupId, topic, partition, next.toString()],
      );
      await tx.query('COMMIT');
      storeTx.committed();
      this.soughtTo.delete(partitionKey);
      return { kind: 'committed', batch: { topic, partition, nextOffset: next, applied } };
    } catch (error) {
      await tx.query('ROLLBACK');
      throw error;
    }
  }

  private async attemptInSavepoint(
    message: Omit<DeliveredMessage, 'batch'>,
    priorAttempts: number,
  ): Promise<{ attempts: number; error: string } | null> {
    let lastError: unknown;
    for (let attempt = priorAttempts + 1; attempt <= this.maxAttempts; attempt += 1) {
      await message.tx.query('SAVEPOINT arc_message');
      try {
        const batch = new DeferredWrites();
        await this.options.dispatch({ ...message, batch });
        await batch.flush(message.tx);
        await message.tx.query('RELEASE SAVEPOINT arc_message');
        return null;
      } catch (error) {
        await message.tx.query('ROLLBACK TO SAVEPOINT arc_message');
        // Not this message's fault, and a savepoint keeps the transaction id the race was lost with.
        if (isTransientConflict(error)) throw error;
        lastError = error;
        if (attempt < this.maxAttempts) await pause(this.retryDelayMs * 2 ** (attempt - 1));
      }
    }
    return { attempts: Math.max(this.maxAttempts, priorAttempts), error: describe(lastError) };
  }

  private async park(topic: string, deadLetters: { message: KafkaMessage; letter: DeadLetter }[]): Promise<void> {
    if (deadLetters.length === 0 || !this.producer) return;
    await this.producer.send({
      topic: deadLetterTopic(topic),
      acks: -1,
      messages: deadLetters.map(({ message, letter }) => ({
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          'arc-dlq-error': letter.error,
          'arc-dlq-attempts': String(letter.attempts),
          'arc-dlq-group': this.options.groupId,
          'arc-dlq-source': `${letter.topic}/${letter.partition}/${letter.offset}`,
        },
      })),
    });
    for (const { letter } of deadLetters) this.options.onDeadLetter?.(letter);
  }

  private async seenVersions(tx: PoolClient, fresh: Decoded[]): Promise<Map<string, number>> {
    const streamIds = [...new Set(fresh.flatMap((item) => ('envelope' in item ? [item.envelope.streamId] : [])))];
    const { rows } = await tx.query<{ stream_id: string; stream_version: number }>(
      'SELECT stream_id, stream_version FROM consumer_stream_versions WHERE group_id = $1 AND stream_id = ANY($2)',
      [this.options.groupId, streamIds],
    );
    return new Map(rows.map((row) => [row.stream_id, row.stream_version]));
  }

  private async saveVersions(tx: PoolClient, advanced: Map<string, number>): Promise<void> {
    if (advanced.size === 0) return;
    await tx.query(
      `INSERT INTO consumer_stream_versions (group_id, stream_id, stream_version)
       SELECT $1, stream_id, stream_version FROM unnest($2::text[], $3::int[]) AS seen(stream_id, stream_version)
       ON CONFLICT (group_id, stream_id) DO UPDATE SET stream_version = EXCLUDED.stream_version`,
      [this.options.groupId, [...advanced.keys()], [...advanced.values()]],
    );
  }
}

/** The advisory lock that serialises a group's batches (and its replays) on one partition. */
const partitionLockKey = (groupId: string, topic: string, partition: number): string => `arc-consumer/${groupId}/${topic}/${partition}`;

type Outcome = { kind: 'committed'; batch: CommittedBatch } | { kind: 'nothing-new' } | { kind: 'seek'; nextOffset: bigint };

class DeferredWrites implements BatchScope {
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

class HandlerFailure extends Error {
  constructor(
    /** The message whose handler failed; null when a deferred write of the batch failed. */
    readonly offset: string | null,
    readonly failure: unknown,
  ) {
    super(describe(failure));
  }
}

function decode(message: KafkaMessage): Decoded {
  try {
    return { message, envelope: decodeEnvelope(message.value) };
  } catch (error) {
    return { message, invalid: error instanceof Error ? error : new Error(String(error)) };
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return typeof error === 'object' ? JSON.stringify(error) : String(error);
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
