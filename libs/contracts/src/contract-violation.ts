import type { EventEnvelope } from './envelope';
import type { AnyEventContract, EventContract } from './events/validation';

/**
 * An event that breaks its contract: one class for every context, and its outcome is decided by where it
 * is met, never by who throws it.
 * - A command on the HTTP path would record it (`validated`): the platform answers 422 problem+json
 *   `urn:arc:problem:command-data-invalid` (code `COMMAND_DATA_INVALID`), and nothing is appended.
 * - A consumer meets it (`dataOf` on a consumed event, or `validated` in a command a consumer runs): it is
 *   thrown out of the handler and the message is dead-lettered with the problems. It is not a refusal
 *   (not a `DomainError`), so no consumer skips it as one.
 */
export class EventContractViolationError extends Error {
  override readonly name = 'EventContractViolationError';
  constructor(
    readonly eventType: string,
    readonly problems: readonly string[],
    message = `${eventType} breaks its contract: ${problems.join('; ')}`,
  ) {
    super(message);
  }
}

/**
 * The data of a consumed event, checked against its contract (schema version included: an older version
 * must be upcast first, a newer one waits on the DLQ for the updated consumer).
 */
export function dataOf<T>(contract: EventContract<string, T>, envelope: EventEnvelope): T {
  const result =
    envelope.schemaVersion === contract.schemaVersion
      ? contract.validate(envelope.data)
      : {
          ok: false as const,
          problems: [`schema version ${envelope.schemaVersion} is not supported (expected ${contract.schemaVersion})`],
        };
  if (result.ok) return result.value;
  const detail = `${envelope.eventType} ${envelope.eventId} breaks its contract: ${result.problems.join('; ')}`;
  throw new EventContractViolationError(envelope.eventType, result.problems, detail);
}

/**
 * How a decided event is checked: its contract; for an event private to its context, a function listing
 * its problems, or `null` when nothing outside the context ever reads it.
 */
export type EventCheck = Pick<AnyEventContract, 'validate'> | ((data: unknown) => readonly string[]) | null;

/**
 * The decide-then-validate step of every decider: refuses any decided event its check would not accept,
 * before it is stored, so no consumer ever dead-letters an event of ours. A type with no check is refused too.
 */
export function validated<E extends { type: string; data: object }>(checks: Readonly<Record<string, EventCheck>>, events: E[]): E[] {
  for (const event of events) {
    const check = checks[event.type];
    if (check === null) continue;
    const problems =
      check === undefined
        ? ['no contract declares this event type']
        : typeof check === 'function'
          ? check(event.data)
          : ((r) => (r.ok ? [] : r.problems))(check.validate(event.data));
    if (problems.length > 0) {
      throw new EventContractViolationError(
        event.type,
        problems,
        `the command would record an invalid ${event.type}: ${problems.join('; ')}`,
      );
    }
  }
  return events;
}
