import type { Kafka, Message, Producer, TopicMessages } from 'kafkajs';
import type { Pool } from 'pg';
import { START, tailAll, type EventStore, type GlobalPosition, type StoredEvent } from '@arc/event-store';
import { toEnvelope } from './envelope-mapping';

/**
 * Where a stored event is published: a topic name, or null for an event that stays in the store (private
 * to the context, e.g. a calendar's start). Must be pure: a re-sent batch must go where it went before.
 */
export type TopicRoute = (event: StoredEvent) => string | null;

/** Routes event types to their topics (null: not published); every other type goes to `defaultTopic`. */
export function routeByEventType(defaultTopic: string, routes: Readonly<Record<string, string | null>> = {}): TopicRoute {
  return (event) => (Object.prototype.hasOwnProperty.call(routes, event.eventType) ? (routes[event.eventType] ?? null) : defaultTopic);
}

export interface RelayOptions {
  /** Names the checkpoint; one per relay of a store. */
  name: string;
  store: EventStore;
  /** A pool on the store's own database: the checkpoint lives beside the events it points into. */
  pool: Pool;
  kafka: Kafka;
  /**
   * The topic every event goes to, or a route choosing each event's topic (see `routeByEventType`). A batch
   * may then span several topics; it is sent in one request and checkpointed once all of them acknowledged.
   */
  topic: string | TopicRoute;
  /** Events read and sent per round trip. */
  batchSize?: number;
  /**
   * Longest sleep while caught up; default 5,000 ms. Appends wake the relay at once (LISTEN/NOTIFY, from any
   * process); the sleep only bounds how late an event is seen whose wake-up was lost, and the re-polls after a
   * wake-up that read nothing (an older transaction held the read horizon) double up to it (see tailAll).
   */
  idleWaitMs?: number;
  onError?: (error: unknown) => void;
}

const CHECKPOINT_SCHEMA = `
  CREATE TABLE IF NOT EXISTS relay_checkpoints (
    relay_name      text PRIMARY KEY,
    transaction_id  xid8 NOT NULL,
    global_position bigint NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
  )`;

/**
 * Tails the event store in commit order and publishes every event to its topic (the context's, or the one
 * its route names), keyed by
 * customer id so one customer's events stay in order. The checkpoint is saved after Kafka acknowledged
 * the batch: a crash between the two re-sends that batch (at-least-once), never loses one. Consumers
 * drop the repeats by stream version (see ArcKafkaTransport).
 */
export class Relay {
  private producer: Producer | undefined;
  private loop: Promise<void> | undefined;
  private readonly abort = new AbortController();
  private checkpoint: GlobalPosition = START;
  private relayed = 0;

  constructor(private readonly options: RelayOptions) {}

  async start(): Promise<void> {
    await this.options.pool.query(CHECKPOINT_SCHEMA);
    this.checkpoint = await this.loadCheckpoint();
    // One request in flight keeps the send order through retries. A retry may still write a batch twice;
    // consumers drop repeats by stream version, so kafkajs' idempotent mode (which wants unbounded
    // retries, hanging the relay while a broker is down) buys nothing here.
    this.producer = this.options.kafka.producer({ maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await this.producer.connect();
    this.loop = this.run(this.producer);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    await this.producer?.disconnect();
  }

  /** Events published since start, for metrics and benchmarks. */
  get publishedCount(): number {
    return this.relayed;
  }

  get position(): GlobalPosition {
    return this.checkpoint;
  }

  private async run(producer: Producer): Promise<void> {
    const { store, topic, batchSize = 2000, idleWaitMs = 5000 } = this.options;
    const route: TopicRoute = typeof topic === 'string' ? () => topic : topic;
    const signal = this.abort.signal;
    let failures = 0;
    while (!signal.aborted) {
      try {
        for await (const { events, checkpoint } of tailAll(store, {
          from: this.checkpoint,
          batchSize,
          idleTimeoutMs: idleWaitMs,
          signal,
        })) {
          const topicMessages = byTopic(events, route);
          if (topicMessages.length > 0) await producer.sendBatch({ topicMessages, acks: -1 });
          await this.saveCheckpoint(checkpoint);
          this.checkpoint = checkpoint;
          this.relayed += topicMessages.reduce((sum, { messages }) => sum + messages.length, 0);
          failures = 0;
        }
      } catch (error) {
        if (signal.aborted) return;
        this.options.onError?.(error);
        failures += 1;
        // The checkpoint did not move, so the next round re-reads the same events.
        await delay(Math.min(100 * 2 ** failures, 5000), signal);
      }
    }
  }

  private async loadCheckpoint(): Promise<GlobalPosition> {
    const { rows } = await this.options.pool.query<{ transaction_id: string; global_position: string }>(
      'SELECT transaction_id::text, global_position::text FROM relay_checkpoints WHERE relay_name = $1',
      [this.options.name],
    );
    const row = rows[0];
    return row ? { transactionId: BigInt(row.transaction_id), globalPosition: BigInt(row.global_position) } : START;
  }

  /**
   * Saved without waiting for the WAL flush: a checkpoint lost in a server crash only makes the relay
   * re-send events consumers already drop, and a durable commit here would add a disk flush (tens of
   * milliseconds at p99 on cloud disks) to every event's way to Kafka.
   */
  private async saveCheckpoint({ transactionId, globalPosition }: GlobalPosition): Promise<void> {
    await this.options.pool.query(
      `INSERT INTO relay_checkpoints (relay_name, transaction_id, global_position)
       SELECT $1, $2::text::xid8, $3 FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed
       ON CONFLICT (relay_name) DO UPDATE
         SET transaction_id = EXCLUDED.transaction_id, global_position = EXCLUDED.global_position, updated_at = now()`,
      [this.options.name, transactionId.toString(), globalPosition.toString()],
    );
  }
}

/** The batch's messages grouped by topic, each topic's in commit order (events routed to null are left out). */
function byTopic(events: readonly StoredEvent[], route: TopicRoute): TopicMessages[] {
  const topics = new Map<string, Message[]>();
  for (const event of events) {
    const topic = route(event);
    if (topic === null) continue;
    let messages = topics.get(topic);
    if (!messages) topics.set(topic, (messages = []));
    messages.push({
      key: event.metadata.customerId,
      value: JSON.stringify(toEnvelope(event)),
      headers: { 'arc-event-type': event.eventType },
    });
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
