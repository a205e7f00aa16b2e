/** A command: a request to change one aggregate, named by its `type`. */
export interface Command {
  type: string;
}

/**
 * A domain event as the decider sees it. `data` must be plain JSON (money as strings of minor units, never
 * bigint or Date): it is stored as it is.
 */
export interface DomainEvent {
  type: string;
  data: object;
}

/**
 * An aggregate's business rules as two pure functions. Anything time-dependent (now, the business date)
 * arrives on the command; `decide` never reads a clock. `decide` throws a domain error for a command the
 * rules refuse, and returns no events for a command that changes nothing (such as a repeat).
 */
export interface Decider<C extends Command, E extends DomainEvent, S> {
  initialState: S;
  decide(command: C, state: S): E[];
  evolve(state: S, event: E): S;
  /**
   * Optional: the state after several events at once, equal to reducing them with `evolve`. For a state that is costly
   * to copy (an account of thousands of payments), where `evolve` copies it once per event and this once per call.
   */
  evolveAll?(state: S, events: readonly E[]): S;
  /** The schema version each event type is written with; 1 for types not listed. */
  schemaVersions?: { readonly [T in E['type']]?: number };
  /**
   * Turns a stored event, of whatever schema version, into the current event shape (upcasting old versions).
   * Without it, stored events are taken as they are.
   */
  upcast?(stored: { type: string; schemaVersion: number; data: Record<string, unknown> }): E;
}

/** The state after `events`, through the decider's `evolveAll` when it has one (else `evolve`, event by event). */
export function evolveAll<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, state: S, events: readonly E[]): S {
  if (events.length === 0) return state;
  return decider.evolveAll ? decider.evolveAll(state, events) : events.reduce((s, e) => decider.evolve(s, e), state);
}
