import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@arc/contracts';
import { createTestDatabase, testKafka, uniqueTopicName, waitFor, type TestDatabase } from '@arc/testing';
import { createKafka, ensureTopics, ExactlyOnceConsumer } from '../src';

function envelope(streamId: string, streamVersion: number): EventEnvelope {
  const now = new Date().toISOString();
  return {
    eventId: randomUUID(),
    eventType: 'AmountAdded',
    schemaVersion: 1,
    streamId,
    streamVersion,
    customerId: streamId,
    occurredAt: now,
    recordedAt: now,
    correlationId: randomUUID(),
    causationId: null,
    actor: 'test',
    data: {},
  };
}

describe('replaying a consumer group from the start (read-model rebuild) and its lag', () => {
  let db: TestDatabase;
  const kafka = testKafka('replay-test');
  const producer = kafka.producer();
  const topic = uniqueTopicName('replay');
  const groupId = `replay-${randomUUID()}`;
  const versions = new Map<string, number>();
  let running: ExactlyOnceConsumer | undefined;

  const consumer = () =>
    new ExactlyOnceConsumer({
      kafka: createKafka({ brokers: (process.env.ARC_KAFKA_BROKERS ?? '').split(','), clientId: 'replay-test' }),
      groupId,
      topics: [topic],
      pool: db.pool,
      dispatch: async ({ tx, envelope: e, replaying }) => {
        await tx.query('INSERT INTO applied (event_id, replaying) VALUES ($1, $2)', [e.eventId, replaying]);
      },
    });

  const send = async (count: number): Promise<string[]> => {
    const sent = Array.from({ length: count }, (_, i) => {
      const streamId = `account-${i % 7}`;
      const version = (versions.get(streamId) ?? 0) + 1;
      versions.set(streamId, version);
      return envelope(streamId, version);
    });
    await producer.send({ topic, messages: sent.map((e) => ({ key: e.streamId, value: JSON.stringify(e) })) });
    return sent.map((e) => e.eventId);
  };

  const applied = async () =>
    (await db.pool.query<{ event_id: string; replaying: boolean }>('SELECT event_id::text, replaying FROM applied ORDER BY event_id')).rows;
  const totalLag = async (c: ExactlyOnceConsumer) => (await c.lag()).reduce((sum, p) => sum + p.lag, 0n);

  beforeAll(async () => {
    db = await createTestDatabase('replay');
    await db.pool.query('CREATE TABLE applied (event_id uuid PRIMARY KEY, replaying boolean NOT NULL)');
    await ensureTopics(kafka, [{ topic, partitions: 2 }]);
    await producer.connect();
  });

  afterAll(async () => {
    await running?.stop();
    await producer.disconnect();
    await db.drop();
  });

  it('reports lag from the database position, re-applies everything once as replayed, then applies new messages as live', async () => {
    const first = await send(40);
    const before = consumer();
    await before.start();
    await waitFor(async () => (await applied()).length === 40, { description: 'the first 40 applied' });
    await before.stop();

    // Not consumed yet: the lag is counted against the position kept in PostgreSQL.
    const more = await send(9);
    running = consumer();
    await running.start();
    await waitFor(async () => (await applied()).length === 49, { description: 'the next 9 applied' });
    await waitFor(async () => (await totalLag(running!)) === 0n, { description: 'no lag once caught up' });
    expect((await applied()).every((row) => !row.replaying)).toBe(true);

    await running.replayFromStart(async (tx) => {
      await tx.query('TRUNCATE applied');
    });
    await waitFor(async () => (await applied()).length === 49 && (await totalLag(running!)) === 0n, {
      description: 'the replay caught up',
    });
    const replayed = await applied();
    expect(replayed.map((r) => r.event_id).sort()).toEqual([...first, ...more].sort());
    expect(replayed.every((row) => row.replaying)).toBe(true);

    const live = await send(5);
    await waitFor(async () => (await applied()).length === 54, { description: 'new messages after the replay' });
    const rows = await applied();
    expect(
      rows
        .filter((r) => !r.replaying)
        .map((r) => r.event_id)
        .sort(),
    ).toEqual([...live].sort());
  });

  it("counts a stopped group's unread messages as lag", async () => {
    await running?.stop();
    running = undefined;
    await send(6);
    const idle = consumer();
    try {
      expect(await totalLag(idle)).toBe(6n);
    } finally {
      await idle.stop();
    }
  });
});
