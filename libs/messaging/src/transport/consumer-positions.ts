import type { PoolClient } from 'pg';

/*
 * Where a consumer group stands, in its own database: the next offset per partition and the last stream
 * version applied per stream. A batch reads and writes these in three round trips besides its handlers'
 * (begin and lock; read; write and commit): at a few events per batch the fixed cost of a batch, not the
 * events, is what a consumer spends its time on.
 */
export const POSITIONS_SCHEMA = `
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

/** The advisory lock that serialises a group's batches (and its replays) on one partition. */
export const partitionLockKey = (groupId: string, topic: string, partition: number): string =>
  `arc-consumer/${groupId}/${topic}/${partition}`;

/**
 * Opens the batch's transaction and takes the partition's lock, in one round trip. Serialised by an
 * advisory lock rather than a row lock: it takes no transaction id, and an open transaction id holds back
 * every commit-safe reader of the database (the relays). The batch commits without waiting for the WAL
 * flush: a server crash can lose the last batches, but effects and position together, so they are applied
 * again from Kafka, still once.
 */
export async function beginBatch(tx: PoolClient, lockKey: string): Promise<void> {
  await tx.query(
    `BEGIN; SET LOCAL synchronous_commit = off; SELECT pg_advisory_xact_lock(hashtextextended(${tx.escapeLiteral(lockKey)}, 0))`,
  );
}

export interface PartitionPosition {
  nextOffset: bigint;
  replayUntil: bigint;
  /** Last applied version of each of the asked streams that has one. */
  seen: Map<string, number>;
}

/**
 * The partition's position and the streams' last applied versions. Must be a statement after the lock's:
 * its snapshot then sees what an instance we waited for committed.
 */
export async function readPosition(
  tx: PoolClient,
  groupId: string,
  topic: string,
  partition: number,
  streamIds: string[],
): Promise<PartitionPosition> {
  const { rows } = await tx.query<{ next_offset: string | null; replay_until: string | null; seen: [string, number][] | null }>(
    `SELECT o.next_offset::text, o.replay_until::text,
            (SELECT json_agg(json_build_array(stream_id, stream_version)) FROM consumer_stream_versions
              WHERE group_id = $1 AND stream_id = ANY($4::text[])) AS seen
       FROM (SELECT 1) AS one
       LEFT JOIN consumer_offsets o ON o.group_id = $1 AND o.topic = $2 AND o.partition = $3`,
    [groupId, topic, partition, streamIds],
  );
  const row = rows[0];
  return {
    nextOffset: BigInt(row?.next_offset ?? '0'),
    replayUntil: BigInt(row?.replay_until ?? '0'),
    seen: new Map(row?.seen ?? []),
  };
}

/**
 * Saves the partition's next offset and the streams' versions, and commits, in one round trip (a simple
 * query, so its values are escaped literals). If the write fails the COMMIT does not run: the
 * transaction is left aborted for the caller's ROLLBACK.
 */
export async function savePositionAndCommit(
  tx: PoolClient,
  groupId: string,
  topic: string,
  partition: number,
  nextOffset: bigint,
  advanced: Map<string, number>,
): Promise<void> {
  const literal = (value: string) => tx.escapeLiteral(value);
  const group = literal(groupId);
  const versions =
    advanced.size === 0
      ? ''
      : `INSERT INTO consumer_stream_versions (group_id, stream_id, stream_version) VALUES ${[...advanced]
          .map(([streamId, version]) => `(${group}, ${literal(streamId)}, ${safeInteger(version)})`)
          .join(', ')}
         ON CONFLICT (group_id, stream_id) DO UPDATE SET stream_version = EXCLUDED.stream_version;`;
  await tx.query(
    `${versions}
     INSERT INTO consumer_offsets (group_id, topic, partition, next_offset)
     VALUES (${group}, ${literal(topic)}, ${safeInteger(partition)}, ${nextOffset.toString()})
     ON CONFLICT (group_id, topic, partition) DO UPDATE SET next_offset = EXCLUDED.next_offset, updated_at = now();
     COMMIT`,
  );
}

function safeInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new TypeError(`not an integer: ${String(value)}`);
  return String(value);
}
