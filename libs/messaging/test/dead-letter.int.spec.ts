import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Controller, Module, type INestMicroservice } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import type { KafkaMessage } from 'kafkajs';
import { deadLetterTopic, type EventEnvelope } from '@arc/contracts';
import { createTestDatabase, testKafka, uniqueTopicName, waitFor, type TestDatabase } from '@arc/testing';
import { ArcKafkaContext, ArcKafkaExceptionFilter, ArcKafkaTransport, ensureTopics } from '../src';

const attempts = new Map<string, number>();
const flushes: number[] = [];

@Controller()
class LedgerController {
  @EventPattern('AmountAdded')
  async add(@Payload() event: EventEnvelope, @Ctx() context: ArcKafkaContext): Promise<void> {
    await context.tx.query('INSERT INTO applied (event_id) VALUES ($1)', [event.eventId]);
  }

  @EventPattern('AmountAddedFlaky')
  async addFlaky(@Payload() event: EventEnvelope, @Ctx() context: ArcKafkaContext): Promise<void> {
    const attempt = (attempts.get(event.eventId) ?? 0) + 1;
    attempts.set(event.eventId, attempt);
    // The write of a failed attempt must not survive it.
    await context.tx.query('INSERT INTO applied (event_id) VALUES ($1)', [event.eventId]);
    if (attempt === 1) throw new Error('a passing fault');
  }

  @EventPattern('AmountDeferred')
  deferred(@Payload() event: EventEnvelope, @Ctx() context: ArcKafkaContext): void {
    const id = (event.data as { appliedAs?: string | null }).appliedAs === null ? null : event.eventId;
    context.batch.defer('applied', id, async (tx, ids) => {
      flushes.push(ids.length);
      // applied.event_id is NOT NULL: a batch holding a null fails as a whole.
      await tx.query('INSERT INTO applied (event_id) SELECT unnest($1::uuid[])', [ids]);
    });
  }

  @EventPattern('AmountPoisoned')
  async poisoned(@Payload() event: EventEnvelope, @Ctx() context: ArcKafkaContext): Promise<void> {
    attempts.set(event.eventId, (attempts.get(event.eventId) ?? 0) + 1);
    await context.tx.query('INSERT INTO applied (event_id) VALUES ($1)', [event.eventId]);
    throw new Error(`cannot apply ${event.eventId}`);
  }
}

@Module({ controllers: [LedgerController] })
class LedgerModule {}

function envelope(
  eventType: string,
  streamVersion: number,
  customerId: string,
  data: Record<string, unknown> = { amountMinor: '100' },
): EventEnvelope {
  const now = new Date().toISOString();
  return {
    eventId: randomUUID(),
    eventType,
    schemaVersion: 1,
    streamId: `account-${customerId}`,
    streamVersion,
    customerId,
    occurredAt: now,
    recordedAt: now,
    correlationId: randomUUID(),
    causationId: null,
    actor: 'test',
    data,
  };
}

describe('dead letters', () => {
  let db: TestDatabase;
  let app: INestMicroservice;
  const kafka = testKafka('dead-letter-test');
  const topic = uniqueTopicName('dead_letter');
  const groupId = `ledger-${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase('dead_letter');
    await db.pool.query('CREATE TABLE applied (event_id uuid PRIMARY KEY)');
    await ensureTopics(kafka, [{ topic, partitions: 1 }]);
    const moduleRef = await Test.createTestingModule({ imports: [LedgerModule] }).compile();
    app = moduleRef.createNestMicroservice({
      strategy: new ArcKafkaTransport({
        kafka: { brokers: (process.env.ARC_KAFKA_BROKERS ?? '').split(','), clientId: 'ledger' },
        groupId,
        topics: [topic],
        pool: db.pool,
        maxAttempts: 3,
        retryDelayMs: 1,
      }),
      logger: false,
    });
    app.useGlobalFilters(new ArcKafkaExceptionFilter());
    await app.listen();
  });

  afterAll(async () => {
    await app?.close();
    await db.drop();
  });

  it('parks a message that always throws after the configured attempts, with its error, and goes on with the partition', async () => {
    const customerId = randomUUID();
    const types = ['AmountAdded', 'AmountAdded', 'AmountAddedFlaky', 'AmountPoisoned', 'AmountAdded', 'AmountAdded'];
    const sent = types.map((type, index) => envelope(type, index + 1, customerId));
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        ...sent.slice(0, 4).map((e) => ({ key: customerId, value: JSON.stringify(e) })),
        { key: customerId, value: '{"not": "an envelope"' },
        ...sent.slice(4).map((e) => ({ key: customerId, value: JSON.stringify(e) })),
      ],
    });
    await producer.disconnect();
    const [, , flaky, poisoned] = sent as [EventEnvelope, EventEnvelope, EventEnvelope, EventEnvelope];

    const parked: KafkaMessage[] = [];
    const reader = kafka.consumer({ groupId: `dlq-reader-${randomUUID()}` });
    await reader.connect();
    await reader.subscribe({ topic: deadLetterTopic(topic), fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void parked.push(message) });
    try {
      await waitFor(
        async () => {
          const { rows } = await db.pool.query<{ next_offset: string }>(
            'SELECT next_offset::text FROM consumer_offsets WHERE group_id = $1',
            [groupId],
          );
          return rows[0]?.next_offset === String(sent.length + 1) && parked.length >= 2;
        },
        { description: 'the partition consumed to its end and two messages parked' },
      );
    } finally {
      await reader.disconnect();
    }

    const { rows } = await db.pool.query<{ event_id: string }>('SELECT event_id FROM applied');
    expect(new Set(rows.map((row) => row.event_id))).toEqual(new Set(sent.filter((e) => e !== poisoned).map((e) => e.eventId)));
    expect(attempts.get(poisoned.eventId)).toBe(3);
    expect(attempts.get(flaky.eventId)).toBe(2);

    const header = (message: KafkaMessage, name: string) => message.headers?.[name]?.toString();
    const poisonLetter = parked.find((message) => message.value?.toString().includes(poisoned.eventId));
    expect(poisonLetter && header(poisonLetter, 'arc-dlq-error')).toBe(`Error: cannot apply ${poisoned.eventId}`);
    expect(poisonLetter && header(poisonLetter, 'arc-dlq-attempts')).toBe('3');
    expect(poisonLetter && header(poisonLetter, 'arc-dlq-source')).toBe(`${topic}/0/3`);
    const malformed = parked.find((message) => message !== poisonLetter);
    expect(malformed && header(malformed, 'arc-dlq-error')).toMatch(/not JSON/);
    expect(parked).toHaveLength(2);
  });

  it('writes deferred effects once per batch, and pins a failing deferred write on its own message', async () => {
    const customerId = randomUUID();
    const sent = [1, 2, 3, 4, 5, 6].map((version) =>
      envelope('AmountDeferred', version, customerId, version === 4 ? { appliedAs: null } : { amountMinor: '100' }),
    );
    const producer = kafka.producer();
    await producer.connect();
    const { rows: before } = await db.pool.query<{ next_offset: string }>(
      'SELECT next_offset::text FROM consumer_offsets WHERE group_id = $1',
      [groupId],
    );
    await producer.send({ topic, messages: sent.map((e) => ({ key: customerId, value: JSON.stringify(e) })) });
    await producer.disconnect();
    const broken = sent[3] as EventEnvelope;
    flushes.length = 0;

    await waitFor(
      async () => {
        const { rows } = await db.pool.query<{ next_offset: string }>(
          'SELECT next_offset::text FROM consumer_offsets WHERE group_id = $1',
          [groupId],
        );
        return BigInt(rows[0]?.next_offset ?? 0) === BigInt(before[0]?.next_offset ?? 0) + BigInt(sent.length);
      },
      { description: 'the six deferred messages consumed' },
    );

    const { rows } = await db.pool.query<{ event_id: string }>('SELECT event_id FROM applied WHERE event_id = ANY($1)', [
      sent.map((e) => e.eventId),
    ]);
    expect(new Set(rows.map((row) => row.event_id))).toEqual(new Set(sent.filter((e) => e !== broken).map((e) => e.eventId)));
    // The first pass tried one flush for the batch (or more, if Kafka split it); the message-by-message
    // pass then flushed each message alone.
    expect(flushes.some((size) => size > 1)).toBe(true);
    expect(flushes.filter((size) => size === 1).length).toBeGreaterThanOrEqual(sent.length);
  });
});
