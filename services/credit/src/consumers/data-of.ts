import type { EventContract, EventEnvelope } from '@arc/contracts';

/** The event's data checked against its contract; a message that breaks it is dead-lettered with the problems. */
export function dataOf<T>(contract: EventContract<string, T>, envelope: EventEnvelope): T {
  if (envelope.schemaVersion !== contract.schemaVersion) {
    throw new Error(`${envelope.eventType} schema version ${envelope.schemaVersion} is not supported (expected ${contract.schemaVersion})`);
  }
  const result = contract.validate(envelope.data);
  if (!result.ok) throw new Error(`${envelope.eventType} ${envelope.eventId} breaks its contract: ${result.problems.join('; ')}`);
  return result.value;
}
