import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@arc/contracts';
import { createTestDatabase, testKafka, uniqueTopicName, waitFor, type TestDatabase } from '@arc/testing';
import { ensureTopics, ExactlyOnceConsumer } from '../src';

// A backlog (after a broker outage, say) arrives as large fetches. Applied in one transaction each, a fetch
// held a transaction id for as long as its handlers ran (every commit-safe reader of the database, the relays
// among them, waits behind the oldest such id), and the member sent no heartbeat meanwhile, so the group put
// it out and rebalanced after every long batch: in the chaos test, events stopped flowing for minutes.

const MESSAGES = 120;
const HANDLER_MS = 10;
const MAX_TRANSACTION_MS = 100;

function envelope(streamVersion: number, customerId: string): EventEnvelope {
  const now = new Date().toISOString();
  return {
    eventId: randomUUID(),
    eventType: 'AmountAdded',
    schemaVersion: 1,
    streamId: `account-${customerId}`,
    streamVersion,
    customerId,
    occurredAt: now,
    recordedAt: now,
    correlationId: randomUUID(),
    causationId: null,
    actor: 'test',
    data: { amountMinor: '100' },
  };
}

describe('a consumer working through a backlog', () => {
  let db: TestDatabase;
  let consumer: ExactlyOnceConsumer | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('long_batch');
    await db.pool.query(
      `CREATE TABLE applied (event_id uuid PRIMARY KEY, xact text NOT NULL, began_at timestamptz NOT NULL, at timestamptz NOT NULL)`,
    );
  });

  afterAll(async () => {
    await consumer?.stop();
    await db.drop();
  });

  it('applies a long fetched batch once, in transactions that each end near the time budget instead of one that lasts the whole batch', async () => {
    const kafka = testKafka('long-batch-test');
    const topic = uniqueTopicName('long_batch');
    await ensureTopics(kafka, [{ topic, partitions: 1 }]);
    const customerId = randomUUID();
    const envelopes = Array.from({ length: MESSAGES }, (_, i) => envelope(i + 1, customerId));
    const producer = kafka.producer();
    await producer.connect();
    // Produced before the consumer starts: the whole backlog comes in one or two fetches.
    await producer.send({ topic, messages: envelopes.map((e) => ({ key: customerId, value: JSON.stringify(e) })) });
    await producer.disconnect();

    const committed: bigint[] = [];
    consumer = new ExactlyOnceConsumer({
      kafka,
      groupId: `long-batch-${randomUUID()}`,
      topics: [topic],
      pool: db.pool,
      maxTransactionMs: MAX_TRANSACTION_MS,
      onBatchCommitted: ({ nextOffset }) => committed.push(nextOffset),
      dispatch: async ({ tx, envelope: delivered }) => {
        await new Promise((resolve) => setTimeout(resolve, HANDLER_MS));
        await tx.query(`INSERT INTO applied VALUES ($1, pg_current_xact_id()::text, now(), clock_timestamp())`, [delivered.eventId]);
      },
    });
    await consumer.start();
    await waitFor(async () => committed.at(-1) === BigInt(MESSAGES), { timeoutMs: 60_000, description: 'the backlog applied' });

    const { rows: counts } = await db.pool.query<{ applied: number; distinct_events: number }>(
      'SELECT count(*)::int AS applied, count(DISTINCT event_id)::int AS distinct_events FROM applied',
    );
    expect(counts[0]).toEqual({ applied: MESSAGES, distinct_events: MESSAGES });
    const { rows: transactions } = await db.pool.query<{ events: number; span_ms: number }>(
      `SELECT count(*)::int AS events, (extract(epoch FROM max(at) - min(began_at)) * 1000)::int AS span_ms FROM applied GROUP BY xact`,
    );
    // The whole backlog takes at least MESSAGES × HANDLER_MS = 1,200 ms of handler time alone.
    expect(transactions.length).toBeGreaterThanOrEqual(4);
    // The budget plus the one message that crosses it, with room for a busy machine; the backlog in one
    // transaction would span over 1,200 ms.
    for (const { span_ms } of transactions) expect(span_ms).toBeLessThan(1_000);
    // Each chunk's position follows on from the last: nothing skipped, nothing applied twice.
    expect(committed).toEqual([...committed].sort((a, b) => (a < b ? -1 : 1)));
  });
});
