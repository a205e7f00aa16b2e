import type { EachBatchPayload } from 'kafkajs';
import { Client } from 'pg';
import { createTestDatabase, endpoints, testKafka, uniqueTopicName } from './index';

// Proves the harness against the real servers: the endpoints the Jest global setup provides, a database of
// a suite's own, and kafkajs 2.2.4 doing what ARC's consumers do (topic with partitions, produce, consumer
// group with manual offset commits).

describe('test infrastructure harness', () => {
  it('provides both endpoints', () => {
    const { kafkaBrokers, databaseUrl } = endpoints();
    expect(kafkaBrokers.length).toBeGreaterThan(0);
    expect(databaseUrl).toMatch(/^postgres(ql)?:\/\//);
  });

  it('creates a database of its own, usable, and drops it', async () => {
    const db = await createTestDatabase('harness');
    const admin = new Client({ connectionString: endpoints().databaseUrl });
    await admin.connect();
    try {
      await db.pool.query('CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL)');
      await db.pool.query("INSERT INTO item VALUES (1, 'one'), (2, 'two')");
      const { rows } = await db.pool.query<{ name: string }>('SELECT name FROM item ORDER BY id');
      expect(rows.map((r) => r.name)).toEqual(['one', 'two']);
      const { rows: xact } = await db.pool.query<{ tx: string }>('SELECT pg_current_xact_id()::text AS tx');
      expect(Number(xact[0]?.tx)).toBeGreaterThan(0);

      const exists = async () => (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [db.name])).rowCount === 1;
      expect(await exists()).toBe(true);
      await db.drop();
      expect(await exists()).toBe(false);
    } finally {
      await admin.end();
    }
  });

  it('creates a topic, produces to it and consumes it in a consumer group with committed offsets', async () => {
    const kafka = testKafka('harness');
    const topic = uniqueTopicName('harness');
    const groupId = `${topic}.group`;
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId });
    try {
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true })).toBe(true);
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(metadata.topics[0]?.partitions).toHaveLength(3);

      await producer.connect();
      const sent = Array.from({ length: 30 }, (_, i) => ({ key: `key-${i % 7}`, value: `event-${i}` }));
      await producer.send({ topic, messages: sent });

      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received: string[] = [];
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch, resolveOffset, heartbeat }: EachBatchPayload) => {
              for (const message of batch.messages) {
                received.push(message.value?.toString() ?? '');
                resolveOffset(message.offset);
              }
              await consumer.commitOffsets([{ topic, partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) }]);
              await heartbeat();
              if (received.length >= sent.length) resolve();
            },
          })
          .catch(reject);
      });
      await consumer.stop();
      expect(received.sort()).toEqual(sent.map((m) => m.value).sort());

      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const committedBy = new Map(committed?.partitions.map((p) => [p.partition, p.offset]));
      for (const end of ends) expect(committedBy.get(end.partition)).toBe(end.high);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
