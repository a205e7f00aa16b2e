import type { EventMetadata, GlobalPosition, ReadAllResult, StoredEvent } from '../event-store.port';
import type { Queryable } from './queryable';
import { StoreTransaction } from './transaction';
import { EVENTS_TABLE } from './schema';

const COLUMNS = `global_position, transaction_id, stream_id, stream_version, event_id, event_type, schema_version,
  data, metadata, recorded_at`;

const READ_STREAM_SQL = `
SELECT ${COLUMNS} FROM ${EVENTS_TABLE}
WHERE stream_id = $1 AND stream_version >= $2
ORDER BY stream_version`;

/* The tail from $2, plus the probe event if the stream holds it before $2 (through the event id's index). */
const READ_STREAM_TAIL_SQL = `
(SELECT ${COLUMNS} FROM ${EVENTS_TABLE} WHERE stream_id = $1 AND stream_version >= $2)
UNION ALL
(SELECT ${COLUMNS} FROM ${EVENTS_TABLE} WHERE event_id = $3::uuid AND stream_id = $1 AND stream_version < $2)
ORDER BY stream_version`;

/*
 * Identity values are handed out before commit, so rows appear in global_position order only as their
 * transactions commit. The horizon is the oldest transaction still open that could write this table:
 * every transaction below it has ended, so nothing can still appear there; ordering by (transaction_id,
 * global_position) and checkpointing that pair therefore never steps over a row that commits later.
 *
 * It is not the snapshot's xmin, which is the oldest open transaction of the whole SERVER: a DROP
 * DATABASE or a test's transaction in another database held every relay back (an end-to-end run stalled
 * for a minute). A transaction that pg_stat_activity shows in another database cannot write this one's
 * table, so it is passed over; any other open transaction (this database's, a prepared one, one that
 * ended between the snapshot and the look at pg_stat_activity) still holds the horizon.
 */
const READ_ALL_SQL = `
WITH snapshot AS MATERIALIZED (SELECT pg_current_snapshot() AS s),
horizon AS (
  SELECT coalesce(
    (SELECT min(open_xid) FROM pg_snapshot_xip(s) AS open_xid
      WHERE open_xid::xid NOT IN (
        SELECT backend_xid FROM pg_stat_get_activity(NULL)
         WHERE backend_xid IS NOT NULL AND datid IS DISTINCT FROM (SELECT oid FROM pg_database WHERE datname = current_database()))),
    pg_snapshot_xmax(s)) AS xid
  FROM snapshot
)
SELECT ${COLUMNS} FROM ${EVENTS_TABLE}
WHERE (transaction_id, global_position) > ($1::xid8, $2::bigint)
  AND transaction_id < (SELECT xid FROM horizon)
ORDER BY transaction_id, global_position
LIMIT $3`;

/*
 * Everything committed, in global_position order, as this statement's snapshot sees it: no horizon, so it
 * is NOT for tailing (a late commit would be stepped over). It is for a reader that has first locked out
 * whoever writes what it builds, e.g. a read-model rebuild holding its tables' locks.
 */
const READ_COMMITTED_SQL = `
SELECT ${COLUMNS} FROM ${EVENTS_TABLE}
WHERE global_position > $1::bigint
ORDER BY global_position
LIMIT $2`;

interface EventRow {
  global_position: string;
  /** xid8 has no pg type parser: it arrives as its decimal text. */
  transaction_id: string;
  stream_id: string;
  stream_version: number;
  event_id: string;
  event_type: string;
  schema_version: number;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  recorded_at: Date;
}

export async function readStreamWith(db: Queryable, streamId: string, fromVersion = 1): Promise<StoredEvent[]> {
  if (!Number.isSafeInteger(fromVersion)) throw new TypeError(`fromVersion must be an integer, not ${String(fromVersion)}`);
  const values = [streamId, fromVersion];
  const { rows } = startsTransaction(db)
    ? await db.queryInlined<EventRow>(inlined(READ_STREAM_SQL, values))
    : await db.query<EventRow>({ name: 'arc_event_store_read_stream', text: READ_STREAM_SQL, values });
  return rows.map(toStoredEvent);
}

export async function readStreamTailWith(
  db: Queryable,
  streamId: string,
  fromVersion: number,
  probeEventId: string,
): Promise<StoredEvent[]> {
  if (!Number.isSafeInteger(fromVersion)) throw new TypeError(`fromVersion must be an integer, not ${String(fromVersion)}`);
  const values = [streamId, fromVersion, probeEventId];
  const { rows } = startsTransaction(db)
    ? await db.queryInlined<EventRow>(inlined(READ_STREAM_TAIL_SQL, values))
    : await db.query<EventRow>({ name: 'arc_event_store_read_stream_tail', text: READ_STREAM_TAIL_SQL, values });
  return rows.map(toStoredEvent);
}

/**
 * A transaction not begun yet: a command's first statement is usually the read of its stream, which then
 * goes with the BEGIN in one round trip (`StoreTransaction.queryInlined`).
 */
function startsTransaction(db: Queryable): db is StoreTransaction {
  return db instanceof StoreTransaction && !db.begun;
}

/** `sql` with `$1`, `$2`… replaced by the values as literals (strings escaped as PostgreSQL's own client does, integers checked). */
function inlined(sql: string, values: readonly (string | number)[]): string {
  return sql.replace(/\$(\d+)/g, (_match, n: string) => {
    const value = values[Number(n) - 1];
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) throw new TypeError(`not an integer: ${String(value)}`);
      return String(value);
    }
    if (typeof value !== 'string') throw new TypeError(`no value for $${n}`);
    return escapeLiteral(value);
  });
}

/** As pg's Client#escapeLiteral: quotes doubled, and with backslashes an E'' string with them doubled. */
function escapeLiteral(value: string): string {
  if (value.includes('\0')) throw new TypeError('a text value cannot hold a NUL character');
  const quoted = `'${value.replace(/'/g, "''")}'`;
  return value.includes('\\') ? ` E${quoted.replace(/\\/g, '\\\\')}` : quoted;
}

const READ_STREAMS_SQL = `
SELECT ${COLUMNS} FROM ${EVENTS_TABLE}
WHERE stream_id = ANY($1::text[])
ORDER BY stream_id, stream_version`;

/** Many streams' events in one read: stream id → its events in version order (no entry: no such stream). */
export async function readStreamsWith(db: Queryable, streamIds: readonly string[]): Promise<Map<string, StoredEvent[]>> {
  const byStream = new Map<string, StoredEvent[]>();
  if (streamIds.length === 0) return byStream;
  const { rows } = await db.query<EventRow>({ name: 'arc_event_store_read_streams', text: READ_STREAMS_SQL, values: [streamIds] });
  for (const event of rows.map(toStoredEvent)) {
    const list = byStream.get(event.streamId);
    if (list) list.push(event);
    else byStream.set(event.streamId, [event]);
  }
  return byStream;
}

export async function readAllWith(db: Queryable, after: GlobalPosition, limit: number): Promise<ReadAllResult> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new TypeError(`limit must be an integer >= 1, not ${String(limit)}`);
  const { rows } = await db.query<EventRow>({
    name: 'arc_event_store_read_all',
    text: READ_ALL_SQL,
    values: [after.transactionId.toString(), after.globalPosition.toString(), limit],
  });
  const events = rows.map(toStoredEvent);
  const last = events[events.length - 1];
  return { events, checkpoint: last ? last.position : after };
}

/** Up to `limit` committed events after `afterGlobalPosition`, in global order (see READ_COMMITTED_SQL). */
export async function readCommittedWith(db: Queryable, afterGlobalPosition: bigint, limit: number): Promise<StoredEvent[]> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new TypeError(`limit must be an integer >= 1, not ${String(limit)}`);
  const { rows } = await db.query<EventRow>({
    name: 'arc_event_store_read_committed',
    text: READ_COMMITTED_SQL,
    values: [afterGlobalPosition.toString(), limit],
  });
  return rows.map(toStoredEvent);
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    eventId: row.event_id,
    eventType: row.event_type,
    schemaVersion: row.schema_version,
    data: row.data,
    metadata: row.metadata,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    position: { transactionId: BigInt(row.transaction_id), globalPosition: BigInt(row.global_position) },
    recordedAt: row.recorded_at,
  };
}
