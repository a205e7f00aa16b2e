import type { Admin, Consumer, EachBatchPayload, KafkaMessage, Producer } from 'kafkajs';
import type { PoolClient } from 'pg';
import { deadLetterTopic, type EventEnvelope } from '@arc/contracts';
import { isTransientConflict, joinTransaction, type StoreTransaction } from '@arc/event-store';
import { decode, DeferredWrites, describe, HandlerFailure, pause } from './batch-support';
import { beginBatch, partitionLockKey, POSITIONS_SCHEMA, readPosition, savePositionAndCommit } from './consumer-positions';
import type { CommittedBatch, DeadLetter, Decoded, DeliveredMessage, ExactlyOnceConsumerOptions, PartitionLag } from './consumer-types';

export type * from './consumer-types';

/** Runs of a batch that keeps losing races for the streams its commands append to, before the failure surfaces. */
const TRANSIENT_ATTEMPTS = 10;

/** How long `replaying()` keeps a "no" (see there): a replay another instance started is seen within this. */
export const REPLAYING_RECHECK_MS = 250;

/**
 * Consumes batches so that each message's effect happens exactly once:
 * - a batch's effects, the partition's next offset and the last stream version seen per stream commit
 *   in ONE PostgreSQL transaction (a long batch in several, each of at most about `maxTransactionMs`); a per-partition advisory lock is taken first, so a partition handed
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
  /** The consumer's run(): resolves at the group join. */
  private running: Promise<void> = Promise.resolve();
  /** Replays one at a time. */
  private replay: Promise<void> = Promise.resolve();
  private readonly maxAttempts: number;
  private readonly retryDelayMs: number;
  private readonly maxTransactionMs: number;
  /** Per partition, the stored offset the fetch was last sent to (so a real gap is not chased twice). */
  private readonly soughtTo = new Map<string, bigint>();
  /** The last answer of `replaying()`, shared by concurrent callers. */
  private replayingAnswer: { at: number; value: Promise<boolean> } | undefined;

  constructor(private readonly options: ExactlyOnceConsumerOptions) {
    this.maxAttempts = options.maxAttempts ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 100;
    this.maxTransactionMs = options.maxTransactionMs ?? 500;
  }

  async start(): Promise<void> {
    const { kafka, pool } = this.options;
    await pool.query(POSITIONS_SCHEMA);
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
      this.replayingAnswer = undefined;
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
      this.replayingAnswer = undefined;
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

  /**
   * True while a replay has not yet re-applied everything the group had consumed before it (any instance).
   * Every command deciding on a read model asks (ReadModelsRebuiltGuard), so the answer is shared: one
   * query at a time, and a "no" is kept for REPLAYING_RECHECK_MS. A replay started here is seen at once;
   * one started by another instance up to that long after (a command checks before its transaction
   * anyway, so a rebuild starting meanwhile was never excluded).
   */
  replaying(): Promise<boolean> {
    if (this.replayingAnswer && performance.now() - this.replayingAnswer.at < REPLAYING_RECHECK_MS) return this.replayingAnswer.value;
    const asked = this.options.pool
      .query<{ replaying: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM consumer_offsets WHERE group_id = $1 AND next_offset < replay_until) AS replaying',
        [this.options.groupId],
      )
      .then(({ rows }) => rows[0]?.replaying === true);
    const answer = { at: performance.now(), value: asked };
    this.replayingAnswer = answer;
    // Only a "no" is kept: while replaying, every caller asks until it is over. A failed query is not kept.
    asked.then(
      (value) => {
        if (value && this.replayingAnswer === answer) this.replayingAnswer = undefined;
      },
      () => {
        if (this.replayingAnswer === answer) this.replayingAnswer = undefined;
      },
    );
    return asked;
  }

  private async runConsumer(): Promise<void> {
    const { kafka, groupId, topics } = this.options;
    const sessionTimeout = this.options.sessionTimeoutMs ?? 10_000;
    const consumer = kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      maxWaitTimeInMs: this.options.maxWaitTimeInMs ?? 3000,
      sessionTimeout,
      heartbeatInterval: Math.max(100, Math.min(3000, Math.floor(sessionTimeout / 3))),
    });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: true });
    // Not awaited: run() resolves only once the group is joined, which after a crash waits for the dead
    // member's session to expire. The service starts (and answers) meanwhile; consumption begins at the
    // join. A failed join is kafkajs' crash, which restarts the consumer.
    this.running = consumer
      .run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
        eachBatch: (payload) => this.handleBatch(payload),
      })
      .catch(() => undefined);
  }

  /** Resolves once the consumer has joined its group and got its partitions (tests; the service does not wait). */
  async joined(): Promise<void> {
    await this.running;
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

  /**
   * Applies a fetched batch in chunks, one transaction each: a chunk ends once its transaction has run
   * `maxTransactionMs`, so a backlog (after an outage, say) neither holds a transaction id for long (which
   * holds back every commit-safe reader of the database: the relays) nor keeps this member silent past its
   * session (kafkajs heartbeats only between fetches and when asked), which put it out of the group and
   * stalled the partition for a rebalance after each long batch.
   */
  private async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    let remaining = batch.messages.map(decode);
    while (remaining.length > 0) {
      if (!isRunning() || isStale()) return;
      const outcome = await this.applyChunk(batch.topic, batch.partition, remaining);
      if (outcome.kind === 'seek') {
        this.consumer?.seek({ topic: batch.topic, partition: batch.partition, offset: outcome.nextOffset.toString() });
        return;
      }
      if (outcome.kind === 'nothing-new') {
        resolveOffset((remaining.at(-1) as Decoded).message.offset);
        return;
      }
      const next = outcome.batch.nextOffset;
      const done = remaining.filter(({ message }) => BigInt(message.offset) < next);
      remaining = remaining.slice(done.length);
      const lastDone = done.at(-1);
      if (lastDone) resolveOffset(lastDone.message.offset);
      this.options.onBatchCommitted?.(outcome.batch);
      if (remaining.length === 0) return;
      // Outside any transaction. A failed heartbeat (a rebalance, the broker gone) ends the batch here: what
      // is committed stays, and the rest is fetched again from the stored position.
      try {
        await heartbeat();
      } catch {
        return;
      }
    }
  }

  /** One chunk of the batch in its own transaction (see handleBatch), run again in full on a lost race. */
  private async applyChunk(topic: string, partition: number, decoded: Decoded[]): Promise<Outcome> {
    const client = await this.options.pool.connect();
    try {
      const apply = (careful: HandlerFailure | null) => this.applyBatch(client, topic, partition, decoded, careful);
      for (let attempt = 1; ; attempt++) {
        try {
          return await apply(null).catch((error: unknown) => {
            if (!(error instanceof HandlerFailure)) throw error;
            return apply(error);
          });
        } catch (error) {
          // A command of the batch lost the race for its stream (to an HTTP command, say): the batch's
          // transaction is gone, so the whole chunk runs again, in a fresh one, after a random pause.
          if (!isTransientConflict(error) || attempt >= TRANSIENT_ATTEMPTS) throw error;
          await pause(Math.random() * this.retryDelayMs * 2 ** (attempt - 1));
        }
      }
    } finally {
      client.release();
    }
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
    careful: HandlerFailure | null,
  ): Promise<Outcome> {
    const { pool } = this.options;
    // The batch's transaction is the event store's too: commands the handlers run read their streams and
    // append in it, so their events commit with the batch's effects and position, or not at all.
    return joinTransaction(pool, tx, (storeTx) => this.applyInTransaction(tx, storeTx, topic, partition, decoded, careful));
  }

  private async applyInTransaction(
    tx: PoolClient,
    storeTx: StoreTransaction,
    topic: string,
    partition: number,
    decoded: Decoded[],
    careful: HandlerFailure | null,
  ): Promise<Outcome> {
    const { groupId } = this.options;
    const startedAt = performance.now();
    try {
      // The partition's lock first; the position is read by the NEXT statement, whose snapshot sees what
      // an instance we waited for committed.
      await beginBatch(tx, partitionLockKey(groupId, topic, partition));
      const streamIds = [...new Set(decoded.flatMap((item) => ('envelope' in item ? [item.envelope.streamId] : [])))];
      const { nextOffset, replayUntil, seen } = await readPosition(tx, groupId, topic, partition, streamIds);
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
      const advanced = new Map<string, number>();
      const applied: EventEnvelope[] = [];
      const deadLetters: { message: KafkaMessage; letter: DeadLetter }[] = [];
      const batchScope = new DeferredWrites();
      // Where the next chunk starts: after the last message, or at the first one left for it (see handleBatch).
      let next = BigInt(last.message.offset) + 1n;
      for (const [index, item] of fresh.entries()) {
        const { offset } = item.message;
        if (index > 0 && performance.now() - startedAt >= this.maxTransactionMs) {
          next = BigInt(offset);
          break;
        }
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
      await savePositionAndCommit(tx, groupId, topic, partition, next, advanced);
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
}

type Outcome = { kind: 'committed'; batch: CommittedBatch } | { kind: 'nothing-new' } | { kind: 'seek'; nextOffset: bigint };
