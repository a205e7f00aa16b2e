import { Kafka, logLevel, type Admin, type KafkaConfig, type LogEntry } from 'kafkajs';
import { deadLetterTopic } from '@arc/contracts';
import { fixKafkajsIdleLoop } from './kafkajs-idle-loop';

// Before any connection exists: see kafkajs-idle-loop.ts.
fixKafkajsIdleLoop();

/**
 * kafkajs is no longer maintained, so nothing outside libs/messaging imports it: this file and the two
 * classes built on it (Relay, ArcKafkaTransport) are what a swap would replace.
 */
export interface KafkaConnection {
  brokers: string[];
  clientId: string;
}

export function createKafka({ brokers, clientId }: KafkaConnection, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => jsonLog(entry),
    retry: { retries: 8, initialRetryTime: 100 },
    ...overrides,
  });
}

function jsonLog({ namespace, level, log }: LogEntry): void {
  const { message, timestamp: _timestamp, ...extra } = log;
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), level: logLevel[level]?.toLowerCase(), context: `kafkajs:${namespace}`, msg: message, ...extra })}\n`,
  );
}

export interface TopicSpec {
  topic: string;
  partitions: number;
}

/**
 * Creates ARC's topics and their dead-letter topics if missing. Event topics keep everything
 * (retention.ms = -1): projections are rebuilt from them. Several services create the same topics at
 * start-up; on a fresh broker that race answers TOPIC_ALREADY_EXISTS or UNKNOWN_TOPIC_OR_PARTITION while
 * leaders are elected, so a failed round is tried again (bounded) on what is still missing.
 */
export async function ensureTopics(kafka: Kafka, specs: TopicSpec[], attempts = 10): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await createMissingTopics(kafka, specs);
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

async function createMissingTopics(kafka: Kafka, specs: TopicSpec[]): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = specs.flatMap(({ topic, partitions }) => [
      { topic, numPartitions: partitions },
      { topic: deadLetterTopic(topic), numPartitions: 1 },
    ]);
    const missing = wanted.filter(({ topic }) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map(({ topic, numPartitions }) => ({
          topic,
          numPartitions,
          replicationFactor: -1, // the broker's default: 1 on a single node, 3 on a production cluster
          configEntries: [{ name: 'retention.ms', value: '-1' }],
        })),
      });
    }
    // Whoever created them, every wanted topic must have its partitions led before anyone produces.
    await admin.fetchTopicMetadata({ topics: wanted.map(({ topic }) => topic) });
  } finally {
    await admin.disconnect();
  }
}
