import { randomInt, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Producer } from 'kafkajs';
import type { EventEnvelope } from '@arc/contracts';
import { createTestDatabase, spawnTs, testKafka, uniqueTopicName, waitFor, type TestDatabase, type TsProcess } from '@arc/testing';
import { ensureTopics } from '../src';

const STREAMS = 500;
const VERSIONS = 40;

function amountEnvelope(
  streamId: string,
  customerId: string,
  streamVersion: number,
  amountMinor: bigint,
): EventEnvelope<{ amountMinor: string }> {
  const now = new Date().toISOString();
  return {
    eventId: randomUUID(),
    eventType: 'AmountAdded',
    schemaVersion: 1,
    streamId,
    streamVersion,
    customerId,
    occurredAt: now,
    recordedAt: now,
    correlationId: randomUUID(),
    causationId: null,
    actor: 'test',
    data: { amountMinor: amountMinor.toString() },
  };
}

async function produce(producer: Producer, topic: string, envelopes: EventEnvelope[]): Promise<void> {
  for (let start = 0; start < envelopes.length; start += 1000) {
    await producer.send({
      topic,
      messages: envelopes.slice(start, start + 1000).map((e) => ({ key: e.customerId, value: JSON.stringify(e) })),
    });
  }
}

describe('exactly-once consumer', () => {
  let db: TestDatabase;
  const kafka = testKafka('exactly-once-test');
  const consumers: TsProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('exactly_once');
    await db.pool.query('CREATE TABLE totals (total_minor bigint NOT NULL, events int NOT NULL); INSERT INTO totals VALUES (0, 0)');
  });

  afterAll(async () => {
    await Promise.all(consumers.map((consumer) => consumer.kill('SIGKILL')));
    await db.drop();
  });

  it('ends with the exact total and each event recorded once after a SIGKILL in the middle of a batch that writes a view and appends, counting relay repeats once', async () => {
    const topic = uniqueTopicName('exactly_once');
    await ensureTopics(kafka, [{ topic, partitions: 4 }]);
    const envelopes: EventEnvelope<{ amountMinor: string }>[] = [];
    for (let stream = 0; stream < STREAMS; stream += 1) {
      const customerId = randomUUID();
      for (let version = 1; version <= VERSIONS; version += 1) {
        envelopes.push(amountEnvelope(`account-${customerId}`, customerId, version, BigInt(randomInt(1, 10_000_000))));
      }
    }
    const expectedTotal = envelopes.reduce((sum, e) => sum + BigInt(e.data.amountMinor), 0n);
    // What a relay crash looks like downstream: the tail of each stream sent a second time.
    const repeats = envelopes.filter((e) => e.streamVersion > VERSIONS - 2);

    const producer = kafka.producer();
    await producer.connect();
    await produce(producer, topic, envelopes);
    await produce(producer, topic, repeats);
    await producer.disconnect();

    const env = { FIXTURE_DATABASE_URL: db.url, FIXTURE_TOPIC: topic, FIXTURE_GROUP: `summing-${randomUUID()}` };
    const first = spawnTs(join(__dirname, 'fixtures/summing-consumer.ts'), env);
    consumers.push(first);

    // Kill only while the consumer holds a batch transaction open with effects already written in it.
    await waitFor(
      async () => {
        const { rows } = await db.pool.query(
          `SELECT 1 FROM pg_stat_activity
            WHERE application_name = 'arc-summing-consumer' AND xact_start IS NOT NULL AND query LIKE 'UPDATE totals%'`,
        );
        const { rows: totals } = await db.pool.query<{ events: number }>('SELECT events FROM totals');
        return rows.length > 0 && (totals[0]?.events ?? 0) > 0;
      },
      // The consumer process starts, joins and commits its first batch first: slow on a busy 2-core machine.
      { intervalMs: 2, timeoutMs: 150_000, description: 'the consumer in the middle of a batch' },
    );
    await first.kill('SIGKILL');

    const { rows: atKill } = await db.pool.query<{ total_minor: string; events: number }>('SELECT total_minor::text, events FROM totals');
    expect(atKill[0]?.events).toBeLessThan(envelopes.length);

    consumers.push(spawnTs(join(__dirname, 'fixtures/summing-consumer.ts'), env));
    const messagesOnTopic = envelopes.length + repeats.length;
    await waitFor(
      async () => {
        const { rows } = await db.pool.query<{ consumed: string }>(
          'SELECT coalesce(sum(next_offset), 0)::text AS consumed FROM consumer_offsets WHERE group_id = $1',
          [env.FIXTURE_GROUP],
        );
        return Number(rows[0]?.consumed) === messagesOnTopic;
      },
      { timeoutMs: 120_000, description: 'every message consumed' },
    );

    const { rows } = await db.pool.query<{ total_minor: string; events: number }>('SELECT total_minor::text, events FROM totals');
    expect(rows[0]).toEqual({ total_minor: expectedTotal.toString(), events: envelopes.length });
    // The appends committed with the view, or not at all: one recorded event per source event (every 8th), in stream order.
    const { rows: recorded } = await db.pool.query<{ events: string; sources: string; total: string; out_of_order: string }>(
      `SELECT count(*)::text AS events, count(DISTINCT data->>'sourceEventId')::text AS sources, sum((data->>'amountMinor')::bigint)::text AS total,
              count(*) FILTER (WHERE stream_version <> (SELECT count(*) FROM events e2 WHERE e2.stream_id = e.stream_id AND e2.global_position <= e.global_position))::text
                AS out_of_order
       FROM events e WHERE event_type = 'AmountApplied'`,
    );
    const recordable = envelopes.filter((e) => e.streamVersion % 8 === 0);
    const recordableTotal = recordable.reduce((sum, e) => sum + BigInt(e.data.amountMinor), 0n);
    expect(recorded[0]).toEqual({
      events: String(recordable.length),
      sources: String(recordable.length),
      total: recordableTotal.toString(),
      out_of_order: '0',
    });
  }, 360_000); // 20,000 messages through two consumer processes, on a machine other suites share
});

describe('exactly-once consumer after its read model was wiped', () => {
  let db: TestDatabase;
  const kafka = testKafka('rebuild-test');

  beforeAll(async () => {
    db = await createTestDatabase('wiped');
    await db.pool.query('CREATE TABLE totals (total_minor bigint NOT NULL, events int NOT NULL); INSERT INTO totals VALUES (0, 0)');
  });

  afterAll(async () => {
    await db.drop();
  });

  it('applies everything again under the same group id', async () => {
    const topic = uniqueTopicName('wiped');
    await ensureTopics(kafka, [{ topic, partitions: 2 }]);
    const customerId = randomUUID();
    const envelopes = Array.from({ length: 50 }, (_, i) => amountEnvelope(`account-${customerId}`, customerId, i + 1, BigInt(i + 1)));
    const producer = kafka.producer();
    await producer.connect();
    await produce(producer, topic, envelopes);
    await producer.disconnect();
    const env = { FIXTURE_DATABASE_URL: db.url, FIXTURE_TOPIC: topic, FIXTURE_GROUP: `wiped-${randomUUID()}` };
    const totals = async () =>
      (await db.pool.query<{ total_minor: string; events: number }>('SELECT total_minor::text, events FROM totals')).rows[0];
    const consumedAll = async () => {
      const { rows } = await db.pool.query<{ consumed: string }>(
        'SELECT coalesce(sum(next_offset), 0)::text AS consumed FROM consumer_offsets WHERE group_id = $1',
        [env.FIXTURE_GROUP],
      );
      return Number(rows[0]?.consumed) === envelopes.length;
    };

    const first = spawnTs(join(__dirname, 'fixtures/summing-consumer.ts'), env);
    await waitFor(consumedAll, { description: 'the first run consumed everything' });
    // A graceful stop commits the consumed offsets to Kafka as well.
    expect(await first.kill('SIGTERM')).toBe(0);
    expect(await totals()).toEqual({ total_minor: '1275', events: 50 });
    const admin = kafka.admin();
    await admin.connect();
    const [committed] = await admin.fetchOffsets({ groupId: env.FIXTURE_GROUP, topics: [topic] });
    await admin.disconnect();
    // The database is the only record of the position: Kafka holds no committed offset to trust.
    expect(committed?.partitions.map(({ offset }) => offset)).toEqual(['-1', '-1']);

    await db.pool.query('UPDATE totals SET total_minor = 0, events = 0; TRUNCATE consumer_offsets, consumer_stream_versions, events');
    const second = spawnTs(join(__dirname, 'fixtures/summing-consumer.ts'), env);
    try {
      await waitFor(consumedAll, { description: 'the second run consumed everything again' });
      expect(await totals()).toEqual({ total_minor: '1275', events: 50 });
    } finally {
      await second.kill('SIGKILL');
    }
  });
});
