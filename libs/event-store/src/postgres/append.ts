import { DatabaseError } from 'pg';
import { ConcurrencyError, EventIdConflictError, type AppendResult, type ExpectedVersion, type NewEvent } from '../event-store.port';
import type { Queryable } from './queryable';
import { EVENT_ID_CONSTRAINT, EVENTS_TABLE, STREAM_VERSION_CONSTRAINT } from './schema';

/*
 * One statement decides the expected version and writes, so an autocommit append is one round trip and
 * one commit. `$2` NULL means 'any'. Two writers that both pass the version check under READ COMMITTED
 * collide on (stream_id, stream_version); the loser gets a unique violation once the winner commits. A
 * version can only ever be written as "current + n", so no check can open a gap.
 *
 * Commit order. Readers follow the store by (transaction_id, global_position) (see read.ts), and a
 * transaction's id is taken at its first write, which may come long before its append: a transaction
 * that wrote a view first, then appended version n + 1 after another transaction (with a later id) had
 * committed version n, would sort before version n, and readers (and every consumer that skips stream
 * versions it has seen) would meet the stream out of order. So an append refuses, as a version conflict,
 * to go after a stream's last event whose transaction id is greater than its own; the whole transaction
 * is then run again (`withTransaction`, a consumer's batch) and takes a later id. Within one stream,
 * version order and commit order therefore always agree, wherever in a transaction the append comes.
 * In autocommit the id is taken by the append itself, later than any committed one: never refused.
 */
const STREAM_HEAD_CTE = `
WITH head AS (SELECT stream_version, transaction_id FROM ${EVENTS_TABLE} WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1),
stream AS (SELECT coalesce((SELECT stream_version FROM head), 0) AS version,
                  coalesce((SELECT transaction_id FROM head) <= pg_current_xact_id(), true) AS in_commit_order)`;

const APPEND_ONE_SQL = `${STREAM_HEAD_CTE}
INSERT INTO ${EVENTS_TABLE} (stream_id, stream_version, event_id, event_type, schema_version, data, metadata)
SELECT $1, stream.version + 1, $3::uuid, $4, $5::int, $6::jsonb, $7::jsonb
FROM stream
WHERE ($2::int IS NULL OR stream.version = $2::int) AND stream.in_commit_order
RETURNING stream_version`;

const APPEND_MANY_SQL = `${STREAM_HEAD_CTE}
INSERT INTO ${EVENTS_TABLE} (stream_id, stream_version, event_id, event_type, schema_version, data, metadata)
SELECT $1, stream.version + e.n::int, (e.doc->>'id')::uuid, e.doc->>'type', (e.doc->>'sv')::int, e.doc->'data', e.doc->'meta'
FROM stream, jsonb_array_elements($3::jsonb) WITH ORDINALITY AS e(doc, n)
WHERE ($2::int IS NULL OR stream.version = $2::int) AND stream.in_commit_order
RETURNING stream_version`;

/** Runs only after a refused append, so the happy path pays for no idempotency lookup. */
const EXPLAIN_REFUSAL_SQL = `
SELECT (SELECT coalesce(max(stream_version), 0) FROM ${EVENTS_TABLE} WHERE stream_id = $1) AS version,
       (SELECT count(*) FROM ${EVENTS_TABLE} WHERE event_id = ANY($2::uuid[]) AND stream_id = $1)::int AS in_stream,
       (SELECT array_agg(event_id::text) FROM ${EVENTS_TABLE} WHERE event_id = ANY($2::uuid[]) AND stream_id <> $1)
         AS elsewhere`;

const CURRENT_VERSION_SQL = `SELECT coalesce(max(stream_version), 0) AS version FROM ${EVENTS_TABLE} WHERE stream_id = $1`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNIQUE_VIOLATION = '23505';
const DEADLOCK_DETECTED = '40P01';
const IN_FAILED_TRANSACTION = '25P02';

/**
 * Appends with the given connection and nothing else: no retry for 'any', no wake-up notification.
 * Through a pool or an autocommit client it is the whole append in one statement. Library-internal: callers
 * append through `PostgresEventStore.appendToStream` (inside `withTransaction` when with other writes).
 *
 * Inside a transaction a unique violation aborts it, so the refusal cannot be examined there. `explainWith`
 * (a pool: it sees what the winner committed) examines it instead; without it the refusal is reported as
 * a `ConcurrencyError`.
 */
export async function appendToStreamWith(
  db: Queryable,
  streamId: string,
  expectedVersion: ExpectedVersion,
  events: NewEvent[],
  explainWith?: Queryable,
): Promise<AppendResult> {
  validateAppend(streamId, expectedVersion, events);
  const expected = expectedVersion === 'any' ? null : expectedVersion === 'no_stream' ? 0 : expectedVersion;

  if (events.length === 0) {
    const { rows } = await db.query<{ version: number }>(CURRENT_VERSION_SQL, [streamId]);
    const version = rows[0]?.version ?? 0;
    if (expected !== null && version !== expected) throw new ConcurrencyError(streamId, expectedVersion);
    return { nextExpectedVersion: version, alreadyAppended: false };
  }

  let aborted = false;
  try {
    const { rows } = await db.query<{ stream_version: number }>(appendQuery(streamId, expected, events));
    if (rows.length === events.length) {
      return { nextExpectedVersion: rows.reduce((max, r) => Math.max(max, r.stream_version), 0), alreadyAppended: false };
    }
  } catch (error) {
    if (!isWriteConflict(error)) throw error;
    aborted = true;
  }
  const result = await explainRefusal(aborted && explainWith ? explainWith : db, streamId, expectedVersion, events);
  // A repeat seen from outside the aborted transaction is still a refusal inside it: the caller reruns the
  // transaction, whose fresh read finds the repeat.
  if (aborted && explainWith) throw new ConcurrencyError(streamId, expectedVersion, true);
  return result;
}

function appendQuery(streamId: string, expected: number | null, events: NewEvent[]) {
  const [only] = events;
  if (events.length === 1 && only) {
    return {
      name: 'arc_event_store_append_one',
      text: APPEND_ONE_SQL,
      values: [
        streamId,
        expected,
        only.eventId,
        only.eventType,
        only.schemaVersion,
        JSON.stringify(only.data),
        JSON.stringify(only.metadata),
      ],
    };
  }
  const batch = events.map((e) => ({ id: e.eventId, type: e.eventType, sv: e.schemaVersion, data: e.data, meta: e.metadata }));
  return { name: 'arc_event_store_append_many', text: APPEND_MANY_SQL, values: [streamId, expected, JSON.stringify(batch)] };
}

function isWriteConflict(error: unknown): boolean {
  if (!(error instanceof DatabaseError)) return false;
  if (error.code === DEADLOCK_DETECTED) return true;
  return error.code === UNIQUE_VIOLATION && (error.constraint === STREAM_VERSION_CONSTRAINT || error.constraint === EVENT_ID_CONSTRAINT);
}

/** Tells a repeat (answered as success) from a real conflict, which is thrown. */
async function explainRefusal(
  db: Queryable,
  streamId: string,
  expectedVersion: ExpectedVersion,
  events: NewEvent[],
): Promise<AppendResult> {
  const ids = events.map((e) => e.eventId);
  let row: { version: number; in_stream: number; elsewhere: string[] | null } | undefined;
  try {
    ({
      rows: [row],
    } = await db.query<{ version: number; in_stream: number; elsewhere: string[] | null }>(EXPLAIN_REFUSAL_SQL, [streamId, ids]));
  } catch (error) {
    if (error instanceof DatabaseError && error.code === IN_FAILED_TRANSACTION) {
      throw new ConcurrencyError(streamId, expectedVersion, true);
    }
    throw error;
  }
  if (!row) throw new Error('the refusal query returned no row');
  if (row.elsewhere && row.elsewhere.length > 0) {
    throw new EventIdConflictError(streamId, row.elsewhere, 'used_in_another_stream');
  }
  if (row.in_stream === ids.length) return { nextExpectedVersion: row.version, alreadyAppended: true };
  if (row.in_stream > 0) throw new EventIdConflictError(streamId, ids, 'partial_repeat');
  throw new ConcurrencyError(streamId, expectedVersion);
}

function validateAppend(streamId: string, expectedVersion: ExpectedVersion, events: NewEvent[]): void {
  if (typeof streamId !== 'string' || streamId.length === 0) throw new TypeError('streamId must be a non-empty string');
  if (expectedVersion !== 'any' && expectedVersion !== 'no_stream' && !(Number.isSafeInteger(expectedVersion) && expectedVersion >= 0)) {
    throw new TypeError(`expectedVersion must be 'any', 'no_stream' or an integer >= 0, not ${String(expectedVersion)}`);
  }
  const seen = new Set<string>();
  const repeated = new Set<string>();
  for (const event of events) {
    if (typeof event.eventId !== 'string' || !UUID.test(event.eventId)) {
      throw new TypeError(`eventId must be a UUID, not ${String(event.eventId)}`);
    }
    if (typeof event.eventType !== 'string' || event.eventType.length === 0) {
      throw new TypeError('eventType must be a non-empty string');
    }
    if (!Number.isSafeInteger(event.schemaVersion) || event.schemaVersion < 1) {
      throw new TypeError(`schemaVersion must be an integer >= 1, not ${String(event.schemaVersion)}`);
    }
    const id = event.eventId.toLowerCase();
    if (seen.has(id)) repeated.add(id);
    seen.add(id);
  }
  if (repeated.size > 0) throw new EventIdConflictError(streamId, [...repeated], 'repeated_in_append');
}
