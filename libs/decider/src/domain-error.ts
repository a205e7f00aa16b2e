/**
 * How an API answers a command the rules refuse: 'state-conflict' when the aggregate's current state
 * forbids it (409: it may succeed later), 'invalid-request' when it can never succeed as given (422),
 * 'not-permitted' when the rules forbid this person to do it (403: maker-checker, approval level),
 * 'not-found' when the command names something (a customer, a reservation, an invoice, a rule) that does
 * not exist (404): a reference to nothing is never a silent success.
 */
export type DomainErrorCategory = 'state-conflict' | 'invalid-request' | 'not-permitted' | 'not-found';

/** A refusal by a decider. Every context's errors extend it, so one platform mapping answers them all. */
export abstract class DomainError extends Error {
  /** Stable, for clients and tests: `CREDIT_LIMIT_NEGATIVE`. */
  abstract readonly code: string;
  abstract readonly category: DomainErrorCategory;
}
