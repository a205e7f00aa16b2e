import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createPostgresEventStore, type NewEvent, type PostgresEventStore } from '@arc/event-store';
import {
  createTestDatabase,
  spawnTs,
  testKafka,
  uniqueTopicName,
  messagesOnTopic,
  waitFor,
  type TestDatabase,
  type TsProcess,
} from '@arc/testing';
import { decodeEnvelope } from '@arc/contracts';
import { ensureTopics } from '../src';

const STREAMS = 500;
const EVENTS_PER_STREAM = 20;
const TOTAL = STREAMS * EVENTS_PER_STREAM;

function amountAdded(customerId: string): NewEvent {
  return {
    eventId: randomUUID(),
    eventType: 'AmountAdded',
    schemaVersion: 1,
    data: { amountMinor: '100' },
    metadata: { customerId, correlationId: randomUUID(), causationId: null, actor: 'test', occurredAt: new Date().toISOString() },
  };
}

describe('relay: event store to Kafka', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let topic: string;
  const kafka = testKafka('relay-test');
  const relays: TsProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('relay');
    store = createPostgresEventStore({ pool: db.pool });
    await store.migrate();
    topic = uniqueTopicName('relay');
    await ensureTopics(kafka, [{ topic, partitions: 8 }]);
  });

  afterAll(async () => {
    await Promise.all(relays.map((relay) => relay.kill('SIGKILL')));
    await store.close();
    await db.drop();
  });

  function startRelay(): TsProcess {
    const relay = spawnTs(join(__dirname, 'fixtures/relay-process.ts'), { FIXTURE_DATABASE_URL: db.url, FIXTURE_TOPIC: topic });
    relays.push(relay);
    return relay;
  }

  it('publishes every event, each stream in order, and loses nothing when SIGKILLed half-way', async () => {
    const customers = Array.from({ length: STREAMS }, () => randomUUID());
    const appended = new Set<string>();

    const first = startRelay();
    // Writers append while the relay runs: 8 at a time, each stream's versions in turn.
    let appendedCount = 0;
    const writing = (async () => {
      for (let version = 1; version <= EVENTS_PER_STREAM; version += 1) {
        for (let start = 0; start < STREAMS; start += 8) {
          await Promise.all(
            customers.slice(start, start + 8).map(async (customerId) => {
              const event = amountAdded(customerId);
              await store.appendToStream(`account-${customerId}`, version - 1 === 0 ? 'no_stream' : version - 1, [event]);
              appended.add(event.eventId);
              appendedCount += 1;
            }),
          );
        }
      }
    })();

    await waitFor(async () => (await messagesOnTopic(kafka, topic)) >= TOTAL / 4, { description: 'a quarter of the events on the topic' });
    await first.kill('SIGKILL');
    const publishedAtKill = await messagesOnTopic(kafka, topic);
    expect(appendedCount).toBeLessThan(TOTAL); // the kill really came half-way

    await writing;
    startRelay();

    const received = new Map<string, number[]>();
    const receivedIds = new Set<string>();
    const wrongKeys: string[] = [];
    const consumer = kafka.consumer({ groupId: `verify-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const envelope = decodeEnvelope(message.value);
        if (message.key?.toString() !== envelope.customerId) wrongKeys.push(envelope.eventId);
        receivedIds.add(envelope.eventId);
        received.set(envelope.streamId, [...(received.get(envelope.streamId) ?? []), envelope.streamVersion]);
      },
    });
    try {
      await waitFor(() => receivedIds.size === TOTAL, { timeoutMs: 120_000, description: `all ${TOTAL} event ids read back` });
    } finally {
      await consumer.disconnect();
    }

    expect(receivedIds).toEqual(appended);
    expect(wrongKeys).toEqual([]); // key = customer id, so a customer's events share a partition
    for (const versions of received.values()) {
      // After a crash the relay may re-send its last batch; a stream never shows a version before its predecessor.
      let highest = 0;
      for (const version of versions) {
        expect(version).toBeLessThanOrEqual(highest + 1);
        highest = Math.max(highest, version);
      }
      expect(highest).toBe(EVENTS_PER_STREAM);
    }
    const resent = (await messagesOnTopic(kafka, topic)) - TOTAL;
    // At-least-once: only the batch in flight at the kill (200 events at most) may be sent twice.
    expect(resent).toBeLessThanOrEqual(200);
    console.log(`relay test: ${publishedAtKill} published before SIGKILL, ${resent} re-sent after restart`);
  });
});
