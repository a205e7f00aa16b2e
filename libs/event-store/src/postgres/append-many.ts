import { DatabaseError } from 'pg';
import { ConcurrencyError, EventIdConflictError, type NewEvent } from '../event-store.port';
import type { Queryable } from './queryable';
import { EVENT_ID_CONSTRAINT, EVENTS_TABLE, STREAM_VERSION_CONSTRAINT } from './schema';

/** One stream's part of a many-stream append: its events go after `expectedVersion` (0: a new stream). */
export interface StreamAppend {
  streamId: string;
  expectedVersion: number;
  events: NewEvent[];
}

/*
 * Many streams' appends in one statement (a day's dunning run appends to thousands of customer streams in one
 * transaction: one round trip per stream was most of its time). The same rules as APPEND_ONE_SQL, for every
 * stream at once: each stream must be at its expected version and its head must not come from a later
 * transaction (commit order, see append.ts); if any is not, nothing is written. Rows are inserted in the
 * order given, so global positions follow the versions within each stream.
 */
const APPEND_TO_STREAMS_SQL = `
WITH input AS (
  SELECT e.doc->>'s' AS stream_id, (e.doc->>'x')::int AS expected, e.ord,
         row_number() OVER (PARTITION BY e.doc->>'s' ORDER BY e.ord) AS n, e.doc
    FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(doc, ord)),
streams AS (SELECT DISTINCT stream_id, expected FROM input),
refused AS (
  SELECT 1 FROM streams s
    LEFT JOIN LATERAL (SELECT stream_version, transaction_id FROM ${EVENTS_TABLE}
                        WHERE stream_id = s.stream_id ORDER BY stream_version DESC LIMIT 1) h ON true
   WHERE coalesce(h.stream_version, 0) <> s.expected OR NOT coalesce(h.transaction_id <= pg_current_xact_id(), true)
   LIMIT 1)
INSERT INTO ${EVENTS_TABLE} (stream_id, stream_version, event_id, event_type, schema_version, data, metadata)
SELECT stream_id, expected + n::int, (doc->>'id')::uuid, doc->>'type', (doc->>'sv')::int, doc->'data', doc->'meta'
  FROM input WHERE NOT EXISTS (SELECT 1 FROM refused)
 ORDER BY ord
RETURNING 1`;

const UNIQUE_VIOLATION = '23505';
const DEADLOCK_DETECTED = '40P01';

/**
 * Appends to many streams at once, all or nothing, in one statement. Any stream not at its expected version
 * (or a concurrent writer taking a version first) is a `ConcurrencyError` naming the first stream: inside a
 * transaction its owner runs the whole transaction again. No repeat detection: callers read the streams first
 * (`readStreamsWith`) and append only what they decided new. Library-internal: use `PostgresEventStore.appendToStreams`.
 */
export async function appendToStreamsWith(db: Queryable, appends: readonly StreamAppend[]): Promise<number> {
  const docs: unknown[] = [];
  const ids = new Set<string>();
  const streams = new Set<string>();
  for (const { streamId, expectedVersion, events } of appends) {
    if (streams.has(streamId)) throw new TypeError(`stream ${streamId} appears twice in one append`);
    streams.add(streamId);
    if (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0) {
      throw new TypeError(`expectedVersion must be an integer >= 0, not ${String(expectedVersion)}`);
    }
    for (const e of events) {
      if (ids.has(e.eventId)) throw new EventIdConflictError(streamId, [e.eventId], 'repeated_in_append');
      ids.add(e.eventId);
      docs.push({ s: streamId, x: expectedVersion, id: e.eventId, type: e.eventType, sv: e.schemaVersion, data: e.data, meta: e.metadata });
    }
  }
  if (docs.length === 0) return 0;
  const first = appends.find((a) => a.events.length > 0) as StreamAppend;
  try {
    const { rowCount } = await db.query({
      name: 'arc_event_store_append_to_streams',
      text: APPEND_TO_STREAMS_SQL,
      values: [JSON.stringify(docs)],
    });
    if (rowCount !== docs.length) throw new ConcurrencyError(first.streamId, first.expectedVersion);
    return docs.length;
  } catch (error) {
    const conflict =
      error instanceof DatabaseError &&
      (error.code === DEADLOCK_DETECTED ||
        (error.code === UNIQUE_VIOLATION && (error.constraint === STREAM_VERSION_CONSTRAINT || error.constraint === EVENT_ID_CONSTRAINT)));
    if (conflict) throw new ConcurrencyError(first.streamId, first.expectedVersion);
    throw error;
  }
}
