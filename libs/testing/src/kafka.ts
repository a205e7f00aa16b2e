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
