import type { EventEnvelope } from '../envelope';
import { EventContractViolationError } from '../contract-violation';
import { CalendarEvents } from './calendar.events';
import { CollectionsEvents } from './collections.events';
import { CreditEvents } from './credit.events';
import { InvoicingEvents } from './invoicing.events';
import { PaymentsEvents } from './payments.events';
import { ProjectionChangeEvents } from './projections.events';
import { RiskEvents } from './risk.events';
import type { AnyEventContract, DataOf, EventContract, EventUnion, ValidationResult } from './validation';

/** Every ARC event type, by name: where it is published, the schema version written now, its validator. */
export const eventRegistry = Object.freeze({
  ...CreditEvents,
  ...InvoicingEvents,
  ...PaymentsEvents,
  ...CollectionsEvents,
  ...RiskEvents,
  ...ProjectionChangeEvents,
  ...CalendarEvents,
});

export type EventRegistry = typeof eventRegistry;
export type ArcEventType = keyof EventRegistry;
export type ArcEventData<T extends ArcEventType> = DataOf<EventRegistry[T]>;
/** Any ARC event as `{ type, data }`. */
export type ArcEvent = EventUnion<EventRegistry>;
/** An envelope whose data has been validated, narrowed by `eventType`. */
export type ArcEventEnvelope = {
  [T in ArcEventType]: EventEnvelope<ArcEventData<T>> & { eventType: T };
}[ArcEventType];

export function isArcEventType(eventType: string): eventType is ArcEventType {
  return Object.prototype.hasOwnProperty.call(eventRegistry, eventType);
}

export function contractOf(eventType: string): AnyEventContract | undefined {
  return isArcEventType(eventType) ? eventRegistry[eventType] : undefined;
}

/** `{ type: schemaVersion }` for a map of contracts, the shape a decider's `schemaVersions` takes. */
export function schemaVersionsOf<M extends Readonly<Record<string, AnyEventContract>>>(contracts: M): { readonly [K in keyof M]: number } {
  return Object.freeze(Object.fromEntries(Object.entries(contracts).map(([type, contract]) => [type, contract.schemaVersion]))) as {
    readonly [K in keyof M]: number;
  };
}

/**
 * Checks an event's data against the current contract of its type. Data of an older schema version must be
 * upcast first, so the version is part of the check: validating v1 data against v2 rules would pass or
 * fail for the wrong reasons.
 */
export function validateEventData(eventType: string, schemaVersion: number, data: unknown): ValidationResult<unknown> {
  const contract = contractOf(eventType);
  if (contract === undefined) return { ok: false, problems: [`${eventType} is not an ARC event type`] };
  if (schemaVersion < contract.schemaVersion) {
    return {
      ok: false,
      problems: [
        `schema version ${schemaVersion} of ${eventType} is older than the current ${contract.schemaVersion}: upcast it before validating`,
      ],
    };
  }
  if (schemaVersion > contract.schemaVersion) {
    return {
      ok: false,
      problems: [
        `schema version ${schemaVersion} of ${eventType} is newer than this consumer knows (${contract.schemaVersion}): deploy the updated contracts`,
      ],
    };
  }
  return contract.validate(data);
}

/**
 * Validates an envelope's data (the envelope itself is `parseEnvelope`'s job) and returns it narrowed by
 * event type. With `topic`, also refuses an event that does not belong on the topic it was read from.
 * Throws EventContractViolationError with every problem found; a consumer parks the message on the DLQ.
 */
export function parseEvent(envelope: EventEnvelope, topic?: string): ArcEventEnvelope {
  const result = validateEventData(envelope.eventType, envelope.schemaVersion, envelope.data);
  const problems = result.ok ? [] : [...result.problems];
  const contract: EventContract | undefined = contractOf(envelope.eventType);
  if (contract !== undefined && topic !== undefined && contract.topic !== topic) {
    problems.push(`${envelope.eventType} belongs on ${contract.topic}, not ${topic}`);
  }
  const data = envelope.data as Record<string, unknown>;
  // The Kafka key is the envelope's customerId; data naming another customer would be ordered under the wrong key.
  if (result.ok && typeof data['customerId'] === 'string' && data['customerId'] !== envelope.customerId) {
    problems.push(`data.customerId ${data['customerId']} differs from the envelope's customerId ${envelope.customerId}`);
  }
  if (problems.length > 0) {
    throw new EventContractViolationError(
      envelope.eventType,
      problems,
      `invalid ${envelope.eventType} v${envelope.schemaVersion}: ${problems.join('; ')}`,
    );
  }
  return envelope as ArcEventEnvelope;
}
