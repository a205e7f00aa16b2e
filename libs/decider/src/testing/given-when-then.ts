import { AssertionError, deepStrictEqual } from 'node:assert';
import { inspect } from 'node:util';
import type { Command, Decider, DomainEvent } from '../decider';

type ErrorClass = abstract new (...args: never[]) => Error;

export interface DeciderExpectation<E extends DomainEvent> {
  /** `decide` returns exactly these events (deep, strict equality; order matters). */
  then(expected: E[]): void;
  /** `decide` returns no events: the command changes nothing. */
  thenNothingHappens(): void;
  /**
   * `decide` throws: an instance of the class, or an error whose message contains the text or matches
   * the pattern. Returns the error for further checks.
   */
  thenThrows(expected: ErrorClass | string | RegExp): Error;
}

/**
 * given(decider, pastEvents).when(command).then(expectedEvents): the decider's rules as examples. It is
 * synchronous and throws an AssertionError with a diff, so it works in any test runner.
 */
export function given<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, history: E[] = []) {
  const state = history.reduce((s, e) => decider.evolve(s, e), decider.initialState);
  return {
    when(command: C): DeciderExpectation<E> {
      return {
        then(expected: E[]): void {
          if (typeof expected === 'function') {
            // `await given(...).when(...)` calls then(resolve, reject): say so instead of hanging.
            throw new TypeError('given/when/then is synchronous: call .then([...expected events]) rather than awaiting it');
          }
          const actual = decider.decide(command, state);
          deepStrictEqual(actual, expected, `${command.type} decided other events than expected`);
          // The decided events must also be foldable, or the next command would fail on them.
          actual.reduce((s, e) => decider.evolve(s, e), state);
        },
        thenNothingHappens(): void {
          this.then([]);
        },
        thenThrows(expected: ErrorClass | string | RegExp): Error {
          let decided: E[];
          try {
            decided = decider.decide(command, state);
          } catch (error) {
            if (!(error instanceof Error)) {
              throw new AssertionError({ message: `${command.type} threw a non-Error: ${inspect(error)}`, actual: error });
            }
            if (!matches(error, expected)) {
              throw new AssertionError({
                message: `${command.type} threw ${error.name}: ${error.message}, expected ${describeExpectation(expected)}`,
                actual: error,
                expected,
              });
            }
            return error;
          }
          throw new AssertionError({
            message: `${command.type} was expected to throw ${describeExpectation(expected)} but decided ${inspect(decided, { depth: 5 })}`,
          });
        },
      };
    },
  };
}

function matches(error: Error, expected: ErrorClass | string | RegExp): boolean {
  if (typeof expected === 'string') return error.message.includes(expected);
  if (expected instanceof RegExp) return expected.test(error.message);
  return error instanceof expected;
}

function describeExpectation(expected: ErrorClass | string | RegExp): string {
  if (typeof expected === 'string') return `an error whose message contains ${JSON.stringify(expected)}`;
  if (expected instanceof RegExp) return `an error whose message matches ${String(expected)}`;
  return `a ${expected.name}`;
}
