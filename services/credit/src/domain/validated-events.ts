import type { AnyEventContract } from '@arc/contracts';
import { EventContractViolationError } from './customer-credit-account.errors';

/**
 * Refuses anything its contract would not accept, before it is stored, so no consumer ever dead-letters
 * an event of ours. Every credit decider ends its decide with it.
 */
export function validated<E extends { type: string; data: object }>(contracts: Readonly<Record<string, AnyEventContract>>, events: E[]): E[] {
  for (const event of events) {
    const contract = contracts[event.type];
    if (contract === undefined) throw new EventContractViolationError(event.type, ['no contract declares this event type']);
    const result = contract.validate(event.data);
    if (!result.ok) throw new EventContractViolationError(event.type, result.problems);
  }
  return events;
}
