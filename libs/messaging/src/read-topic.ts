import { randomUUID } from 'node:crypto';
import { decodeEnvelope, type EventEnvelope } from '@arc/contracts';
import { createKafka, type KafkaConnection } from './kafka';

/**
 * Reads a topic from its first retained message up to its end as of the call (messages published later are
 * not read), handing each envelope to `onEnvelope` in partition order. For reading the log without consuming
 * it (risk-alert's backtest): a throw-away consumer group that commits nothing and is deleted afterwards.
 * A message that is not a valid envelope is passed to `onInvalid` and skipped. Returns how many were read.
 */
export async function readTopicToEnd(
  connection: KafkaConnection,
  topic: string,
  onEnvelope: (envelope: EventEnvelope, partition: number) => void | Promise<void>,
  onInvalid: (error: unknown, partition: number, offset: string) => void = () => undefined,
): Promise<number> {
  const kafka = createKafka(connection);
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${connection.clientId}-read-${randomUUID()}`;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    // The last offset to read per partition; partitions with nothing retained are done from the start.
    const remaining = new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high) - 1n]));
    if (remaining.size === 0) return 0;
    let read = 0;
    let failed = false;
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              const last = remaining.get(partition);
              if (failed || last === undefined || BigInt(message.offset) > last) return;
              let envelope: EventEnvelope | null = null;
              try {
                envelope = decodeEnvelope(message.value);
              } catch (error) {
                onInvalid(error, partition, message.offset);
              }
              if (envelope !== null) {
                try {
                  await onEnvelope(envelope, partition);
                } catch (error) {
                  failed = true;
                  reject(error instanceof Error ? error : new Error(String(error)));
                  return;
                }
                read += 1;
              }
              if (BigInt(message.offset) >= last) {
                remaining.delete(partition);
                if (remaining.size === 0) resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return read;
  } finally {
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}
