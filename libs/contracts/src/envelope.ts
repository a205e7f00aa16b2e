/**
 * The JSON envelope every event travels in on Kafka (architecture brief, section 3).
 * Kafka key = customerId, so one customer's events keep their order within a topic.
 */
export interface EventEnvelope<TData = unknown> {
  eventId: string;
  eventType: string;
  schemaVersion: number;
  streamId: string;
  streamVersion: number;
  customerId: string;
  /** When it happened in the business (ISO 8601). */
  occurredAt: string;
  /** When the event store committed it (ISO 8601). */
  recordedAt: string;
  correlationId: string;
  causationId: string | null;
  /** Who did it: a user id, or `system:<service>` for automated reactions. */
  actor: string;
  data: TData;
}

export class EnvelopeValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid event envelope: ${problems.join('; ')}`);
    this.name = 'EnvelopeValidationError';
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Check = (value: unknown) => boolean;
const nonEmptyString: Check = (v) => typeof v === 'string' && v.length > 0;
const uuid: Check = (v) => typeof v === 'string' && UUID.test(v);
const instant: Check = (v) => typeof v === 'string' && ISO_INSTANT.test(v) && !Number.isNaN(Date.parse(v));
const positiveInteger: Check = (v) => Number.isSafeInteger(v) && (v as number) >= 1;

const FIELDS: Record<keyof EventEnvelope, [Check, string]> = {
  eventId: [uuid, 'a UUID'],
  eventType: [(v) => typeof v === 'string' && /^[A-Z][A-Za-z0-9]*$/.test(v), 'a PascalCase event name'],
  schemaVersion: [positiveInteger, 'an integer >= 1'],
  streamId: [nonEmptyString, 'a non-empty string'],
  streamVersion: [positiveInteger, 'an integer >= 1'],
  customerId: [nonEmptyString, 'a non-empty string'],
  occurredAt: [instant, 'an ISO 8601 instant'],
  recordedAt: [instant, 'an ISO 8601 instant'],
  correlationId: [nonEmptyString, 'a non-empty string'],
  causationId: [(v) => v === null || nonEmptyString(v), 'null or a non-empty string'],
  actor: [nonEmptyString, 'a non-empty string'],
  data: [(v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'a JSON object'],
};

/** Checks an untrusted value (a decoded Kafka message) and returns it typed, or throws with every problem found. */
export function parseEnvelope(value: unknown): EventEnvelope {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EnvelopeValidationError(['the envelope must be a JSON object']);
  }
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const [field, [check, expected]] of Object.entries(FIELDS)) {
    if (!(field in record)) problems.push(`${field} is missing`);
    else if (!check(record[field])) problems.push(`${field} must be ${expected}`);
  }
  for (const field of Object.keys(record)) {
    if (!(field in FIELDS)) problems.push(`${field} is not an envelope field`);
  }
  if (problems.length > 0) throw new EnvelopeValidationError(problems);
  return record as unknown as EventEnvelope;
}

/** Decodes a Kafka message value (UTF-8 JSON) into a validated envelope. */
export function decodeEnvelope(value: Buffer | string | null): EventEnvelope {
  if (value === null) throw new EnvelopeValidationError(['the message has no value']);
  let decoded: unknown;
  try {
    decoded = JSON.parse(value.toString());
  } catch {
    throw new EnvelopeValidationError(['the message value is not JSON']);
  }
  return parseEnvelope(decoded);
}
