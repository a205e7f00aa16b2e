import { randomUUID } from 'node:crypto';
import { createPostgresEventStore, type NewEvent, type PostgresEventStore } from '@arc/event-store';
import { decodeEnvelope } from '@arc/contracts';
import { createTestDatabase, endpoints, testKafka, uniqueTopicName, messagesOnTopic, waitFor, type TestDatabase } from '@arc/testing';
import { createKafka, ensureTopics, Relay, routeByEventType } from '../src';

function event(eventType: string, customerId: string): NewEvent {
  return {
    eventId: randomUUID(),
    eventType,
    schemaVersion: 1,
    data: {},
    metadata: { customerId, correlationId: randomUUID(), causationId: null, actor: 'test', occurredAt: new Date().toISOString() },
  };
}

describe('relay: routing events to several topics', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let relay: Relay;
  const main = uniqueTopicName('relay-main');
  const calendar = uniqueTopicName('relay-calendar');
  const kafka = testKafka('relay-routing-test');

  beforeAll(async () => {
    db = await createTestDatabase('relay_routing');
    store = createPostgresEventStore({ pool: db.pool });
    await store.migrate();
    await ensureTopics(kafka, [
      { topic: main, partitions: 1 },
      { topic: calendar, partitions: 1 },
    ]);
  });

  afterAll(async () => {
    await relay?.stop();
    await store?.close();
    await db?.drop();
  });

  async function read(topic: string, expected: number): Promise<{ type: string; streamVersion: number }[]> {
    const seen: { type: string; streamVersion: number }[] = [];
    const consumer = kafka.consumer({ groupId: `verify-${randomUUID()}` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const envelope = decodeEnvelope(message.value);
          seen.push({ type: envelope.eventType, streamVersion: envelope.streamVersion });
        },
      });
      await waitFor(() => seen.length >= expected, { description: `${expected} messages on ${topic}` });
      // Anything wrongly routed here was sent in the same batch: read to the topic's end before judging.
      const onTopic = await messagesOnTopic(kafka, topic);
      await waitFor(() => seen.length >= onTopic, { description: `all ${onTopic} messages on ${topic}` });
    } finally {
      await consumer.disconnect();
    }
    return seen;
  }

  it('sends each event to the topic its type is routed to, keeps private events out of Kafka, and checkpoints the batch', async () => {
    const customerId = randomUUID();
    await store.appendToStream(`mixed-${customerId}`, 'no_stream', [
      event('Started', customerId), // private: routed to null
      event('InvoiceIssued', customerId),
      event('BusinessDayClosed', customerId),
      event('CreditNoteIssued', customerId),
      event('BusinessDayClosed', customerId),
    ]);
    relay = new Relay({
      name: 'routing-relay',
      store,
      pool: db.pool,
      kafka: createKafka({ brokers: endpoints().kafkaBrokers, clientId: 'routing-relay' }),
      topic: routeByEventType(main, { BusinessDayClosed: calendar, Started: null }),
    });
    await relay.start();

    expect(await read(calendar, 2)).toEqual([
      { type: 'BusinessDayClosed', streamVersion: 3 },
      { type: 'BusinessDayClosed', streamVersion: 5 },
    ]);
    expect(await read(main, 2)).toEqual([
      { type: 'InvoiceIssued', streamVersion: 2 },
      { type: 'CreditNoteIssued', streamVersion: 4 },
    ]);
    await waitFor(() => relay.position.globalPosition > 0n, { description: 'the checkpoint to move' });
    expect(relay.publishedCount).toBe(4);
  });
});
