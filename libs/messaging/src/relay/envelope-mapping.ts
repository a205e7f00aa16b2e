import type { EventEnvelope } from '@arc/contracts';
import type { StoredEvent } from '@arc/event-store';

/** The Kafka envelope of a stored event: what every other context sees of it. */
export function toEnvelope(event: StoredEvent): EventEnvelope {
  const { customerId, occurredAt, correlationId, causationId, actor } = event.metadata;
  return {
    eventId: event.eventId,
    eventType: event.eventType,
    schemaVersion: event.schemaVersion,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    customerId,
    occurredAt,
    recordedAt: event.recordedAt.toISOString(),
    correlationId,
    causationId,
    actor,
    data: event.data,
  };
}
