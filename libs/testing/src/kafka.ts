import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { endpoints } from './endpoints';

export function testKafka(clientId = 'arc-test'): Kafka {
  return new Kafka({ clientId, brokers: endpoints().kafkaBrokers, logLevel: logLevel.NOTHING });
}

/** A topic name no other suite uses, so suites never see each other's messages. */
export function uniqueTopicName(prefix: string): string {
  return `test.${prefix}.${randomBytes(4).toString('hex')}`;
}

/** How many messages a topic holds (the sum of its partitions' end offsets): read until then, no settling sleep. */
export async function messagesOnTopic(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, { high }) => sum + Number(high), 0);
  } finally {
    await admin.disconnect();
  }
}
