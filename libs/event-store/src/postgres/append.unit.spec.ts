import { DatabaseError, type QueryConfig, type QueryResult, type QueryResultRow } from 'pg';
import { ConcurrencyError, EventIdConflictError, type NewEvent } from '../event-store.port';
import { appendToStreamWith } from './append';
import type { Queryable } from './queryable';

const event = (eventId: string): NewEvent => ({
  eventId,
  eventType: 'InvoiceIssued',
  schemaVersion: 1,
  data: { amountMinor: '100' },
  metadata: { customerId: 'c', correlationId: 'x', causationId: null, actor: 'a', occurredAt: '2025-01-01T00:00:00Z' },
});
const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

type Reply = QueryResultRow[] | Error;

/** Answers the append statement with `append`, and the refusal query with `refusal`. */
function fakeDb(append: Reply, refusal: Reply = []) {
  const sent: (QueryConfig | string)[] = [];
  const db: Queryable = {
    query: async <R extends QueryResultRow>(config: QueryConfig | string): Promise<QueryResult<R>> => {
      sent.push(config);
      const text = typeof config === 'string' ? config : config.text;
      const reply = text.includes('INSERT INTO') ? append : refusal;
      if (reply instanceof Error) throw reply;
      return { rows: reply as R[], rowCount: reply.length, command: 'SELECT', oid: 0, fields: [] };
    },
  };
  return { db, sent };
}

function uniqueViolation(constraint: string): DatabaseError {
  const error = new DatabaseError('duplicate key value violates unique constraint', 0, 'error');
  error.code = '23505';
  error.constraint = constraint;
  return error;
}

describe('appendToStreamWith', () => {
  it.each([
    ['an empty stream id', '', 'any', [event(A)]],
    ['a negative expected version', 's', -1, [event(A)]],
    ['a fractional expected version', 's', 1.5, [event(A)]],
    ['an event id that is not a UUID', 's', 'any', [event('not-a-uuid')]],
    ['a schema version below 1', 's', 'any', [{ ...event(A), schemaVersion: 0 }]],
    ['an empty event type', 's', 'any', [{ ...event(A), eventType: '' }]],
  ] as const)('refuses %s before touching the database', async (_case, streamId, expected, events) => {
    const { db, sent } = fakeDb([]);
    await expect(appendToStreamWith(db, streamId, expected as never, [...events])).rejects.toBeInstanceOf(TypeError);
    expect(sent).toEqual([]);
  });

  it('refuses the same event id twice in one append, whatever its letter case, before touching the database', async () => {
    const { db, sent } = fakeDb([]);
    const refused = appendToStreamWith(db, 's', 'any', [event(A), event(A.toUpperCase())]);
    await expect(refused).rejects.toMatchObject({ reason: 'repeated_in_append', eventIds: [A] });
    expect(sent).toEqual([]);
  });

  it('appends in one statement and pays for no idempotency lookup when the append goes through', async () => {
    const single = fakeDb([{ stream_version: 4 }]);
    await expect(appendToStreamWith(single.db, 's', 3, [event(A)])).resolves.toEqual({ nextExpectedVersion: 4, alreadyAppended: false });
    expect(single.sent).toHaveLength(1);

    const batch = fakeDb([{ stream_version: 2 }, { stream_version: 1 }]);
    await expect(appendToStreamWith(batch.db, 's', 'no_stream', [event(A), event(B)])).resolves.toEqual({
      nextExpectedVersion: 2,
      alreadyAppended: false,
    });
    expect(batch.sent).toHaveLength(1);
    const [statement] = batch.sent as QueryConfig[];
    expect(statement?.values?.[1]).toBe(0); // 'no_stream' is "the stream is at version 0"
  });

  it('answers a refused append whose ids are all in the stream as already appended, with the stream version', async () => {
    const { db } = fakeDb([], [{ version: 7, in_stream: 2, elsewhere: null }]);
    await expect(appendToStreamWith(db, 's', 1, [event(A), event(B)])).resolves.toEqual({ nextExpectedVersion: 7, alreadyAppended: true });
  });

  it('reports a refused append with no known ids as a concurrency error', async () => {
    const versionMismatch = fakeDb([], [{ version: 7, in_stream: 0, elsewhere: null }]);
    await expect(appendToStreamWith(versionMismatch.db, 's', 1, [event(A)])).rejects.toBeInstanceOf(ConcurrencyError);
    const lostRace = fakeDb(uniqueViolation('events_stream_version_unique'), [{ version: 2, in_stream: 0, elsewhere: null }]);
    await expect(appendToStreamWith(lostRace.db, 's', 1, [event(A)])).rejects.toBeInstanceOf(ConcurrencyError);
  });

  it('reports ids found in another stream, or only some ids found, as event id conflicts', async () => {
    const elsewhere = fakeDb(uniqueViolation('events_event_id_unique'), [{ version: 0, in_stream: 0, elsewhere: [B] }]);
    await expect(appendToStreamWith(elsewhere.db, 's', 'no_stream', [event(A), event(B)])).rejects.toEqual(
      new EventIdConflictError('s', [B], 'used_in_another_stream'),
    );
    const partial = fakeDb(uniqueViolation('events_event_id_unique'), [{ version: 1, in_stream: 1, elsewhere: null }]);
    await expect(appendToStreamWith(partial.db, 's', 1, [event(A), event(B)])).rejects.toMatchObject({ reason: 'partial_repeat' });
  });

  it('passes on database errors that are not write conflicts', async () => {
    const broken = new DatabaseError('relation "events" does not exist', 0, 'error');
    broken.code = '42P01';
    const { db, sent } = fakeDb(broken);
    await expect(appendToStreamWith(db, 's', 'any', [event(A)])).rejects.toBe(broken);
    expect(sent).toHaveLength(1);
  });
});
