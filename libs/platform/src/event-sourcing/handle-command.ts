import {
  ConcurrencyError,
  EventIdConflictError,
  type EventMetadata,
  type EventStore,
  type NewEvent,
  type StoredEvent,
} from '@arc/event-store';
import { eventIdFor, evolveAll, type Command, type Decider, type DomainEvent } from '@arc/decider';
import type { KnownState, StreamStateCache } from './stream-states';

export interface HandleCommandOptions<C, S = unknown> {
  streamId: string;
  command: C;
  /** The caller's idempotency key: the events' ids derive from it, so a repeat appends nothing. */
  commandId: string;
  metadata: EventMetadata;
  /**
   * A digest of what the caller asked for (e.g. of the HTTP request), kept in the events' metadata. The
   * same `commandId` again with another fingerprint is not a repeat: it is refused (CommandIdReusedError).
   */
  fingerprint?: string;
  /** Full reload-decide-append cycles after the first one lost a race; default 3. 0: throw at the first lost race. */
  maxRetries?: number;
  /** Upper bound of the random pause before the first retry, doubled for each further one; default 5 ms. */
  backoffMs?: number;
  /**
   * Folded states of streams decided on before: the first attempt then reads only the stream's newer
   * events (and whether this command was handled before), if the store can (`readStreamTail`).
   */
  states?: StreamStateCache<S>;
  /**
   * The stream's state as read just before in the caller's transaction, on the stream's turn, with this
   * command's first event id looked for and not found (`Commands.state` with `forCommand`): the first
   * attempt decides on it without reading the stream again.
   */
  known?: KnownState<S>;
}

export interface CommandResult<S> {
  events: NewEvent[];
  newState: S;
  /** The stream's version right after this command's events (the loaded version when it decided none). */
  streamVersion: number;
  /** True when the command had been handled before: nothing was decided or appended this time. */
  alreadyHandled: boolean;
}

/** Other commands kept winning the race for the stream; the API answers 409. */
export class CommandConflictError extends Error {
  constructor(
    readonly streamId: string,
    readonly commandId: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(`command ${commandId} lost the race for stream ${streamId} ${attempts} times`, options);
    this.name = 'CommandConflictError';
  }
}

/**
 * The caller reused an id it chose (a check id, an invoice id, an Idempotency-Key) for a different
 * request: answering the first request's result would hide the mistake. The API answers 409.
 */
export class CommandIdReusedError extends Error {
  constructor(
    readonly streamId: string,
    readonly commandId: string,
    options?: { cause?: unknown },
  ) {
    super(`${commandId} was already used for a different request`, options);
    this.name = 'CommandIdReusedError';
  }
}

/**
 * Load, fold, decide, append with the loaded version; on a version conflict do it all again on fresh state.
 * Domain errors thrown by `decide` pass through untouched.
 */
export async function handleCommand<C extends Command, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  {
    streamId,
    command,
    commandId,
    metadata: given,
    fingerprint,
    maxRetries = 3,
    backoffMs = 5,
    states,
    known: readBefore,
  }: HandleCommandOptions<C, S>,
): Promise<CommandResult<S>> {
  const metadata: EventMetadata = fingerprint === undefined ? given : { ...given, commandFingerprint: fingerprint };
  for (let attempt = 1; ; attempt++) {
    // After a lost race the cached state is stale: read the whole stream again.
    const known = attempt === 1 ? (readBefore ?? (await readFromKnown(store, decider, streamId, commandId, states))) : undefined;
    let state: S;
    let version: number;
    if (known) {
      ({ state, version } = known);
    } else {
      const stored = await store.readStream(streamId);
      const earlier = earlierResult(decider, stored, commandId);
      if (earlier) {
        const recorded = earlier.events[0]?.metadata.commandFingerprint;
        if (fingerprint !== undefined && recorded !== undefined && recorded !== fingerprint)
          throw new CommandIdReusedError(streamId, commandId);
        return earlier;
      }
      state = fold(decider, stored);
      version = stored[stored.length - 1]?.streamVersion ?? 0;
    }
    const decided = decider.decide(command, state);
    const events = decided.map((event, index): NewEvent => ({
      eventId: eventIdFor(commandId, index),
      eventType: event.type,
      schemaVersion: decider.schemaVersions?.[event.type as E['type']] ?? 1,
      data: event.data as Record<string, unknown>,
      metadata,
    }));
    const newState = evolveAll(decider, state, decided);
    if (events.length === 0) {
      states?.remember(streamId, { version, state });
      return { events, newState, streamVersion: version, alreadyHandled: false };
    }

    try {
      const appended = await store.appendToStream(streamId, version === 0 ? 'no_stream' : version, events);
      if (!appended.alreadyAppended) {
        states?.remember(streamId, { version: appended.nextExpectedVersion, state: newState });
        return { events, newState, streamVersion: appended.nextExpectedVersion, alreadyHandled: false };
      }
      // The same command, handled concurrently, got there first: the next read returns what it decided.
      states?.forget(streamId);
    } catch (error) {
      states?.forget(streamId);
      // The command's event ids are taken by another stream: its id was used for another subject.
      if (error instanceof EventIdConflictError && error.reason === 'used_in_another_stream') {
        throw new CommandIdReusedError(streamId, commandId, { cause: error });
      }
      // A partial repeat is the same race, lost to a handler that decided a different number of events.
      const lostRace = error instanceof ConcurrencyError || (error instanceof EventIdConflictError && error.reason === 'partial_repeat');
      if (!lostRace) throw error;
      if (attempt > maxRetries) throw new CommandConflictError(streamId, commandId, attempt, { cause: error });
      // Full jitter: writers that collided do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * backoffMs * 2 ** (attempt - 1)));
    }
  }
}

/**
 * The stream's state from its cached state and the events since, or undefined when there is no cached
 * state or this command's first event is in the stream (a repeat, answered from the whole stream).
 */
async function readFromKnown<C extends Command, E extends DomainEvent, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  streamId: string,
  commandId: string,
  states: StreamStateCache<S> | undefined,
): Promise<KnownState<S> | undefined> {
  const cached = states?.get(streamId);
  if (!cached || !store.readStreamTail) return undefined;
  const firstId = eventIdFor(commandId, 0);
  const tail = await store.readStreamTail(streamId, cached.version + 1, firstId);
  if (tail.some((event) => event.eventId === firstId || event.streamVersion <= cached.version)) return undefined;
  return {
    state: evolveAll(
      decider,
      cached.state,
      tail.map((event) => toDomainEvent(decider, event)),
    ),
    version: tail[tail.length - 1]?.streamVersion ?? cached.version,
  };
}

/** The result of an earlier handling of this command, rebuilt from the events its ids point at. */
export function earlierResult<C extends Command, E extends DomainEvent, S>(
  decider: Decider<C, E, S>,
  stored: StoredEvent[],
  commandId: string,
): CommandResult<S> | undefined {
  const firstId = eventIdFor(commandId, 0);
  const start = stored.findIndex((e) => e.eventId === firstId);
  if (start < 0) return undefined;
  let end = start + 1;
  while (stored[end]?.eventId === eventIdFor(commandId, end - start)) end++;
  const ownEvents = stored.slice(start, end);
  return {
    events: ownEvents.map(({ eventId, eventType, schemaVersion, data, metadata }) => ({
      eventId,
      eventType,
      schemaVersion,
      data,
      metadata,
    })),
    newState: fold(decider, stored.slice(0, end)),
    streamVersion: stored[end - 1]?.streamVersion ?? 0,
    alreadyHandled: true,
  };
}

/** The state a stream's stored events fold to, old schema versions upcast on the way. */
export function fold<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, stored: StoredEvent[]): S {
  return evolveAll(
    decider,
    decider.initialState,
    stored.map((event) => toDomainEvent(decider, event)),
  );
}

/** A stored event as the decider's event type, old schema versions upcast. */
export function toDomainEvent<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, stored: StoredEvent): E {
  const { eventType: type, schemaVersion, data } = stored;
  return decider.upcast ? decider.upcast({ type, schemaVersion, data }) : ({ type, data } as unknown as E);
}
