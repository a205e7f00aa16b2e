import { randomUUID } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Inject, Injectable } from '@nestjs/common';
import { evolveAll, type Command, type Decider, type DomainEvent } from '@arc/decider';
import { eventIdFor } from '@arc/decider';
import { CommandIdReusedError, earlierResult, fold, handleCommand, toDomainEvent, type CommandResult } from './handle-command';
import { currentTransaction, PostgresEventStore, type NewEvent, type StoreTransaction, type StreamAppend } from '@arc/event-store';
import { currentCorrelationId } from '../logging/correlation';
import { StreamTurns } from './stream-turns';
import { StreamStates, type KnownState, type StreamStateCache } from './stream-states';

export interface ExecuteCommand<C> {
  streamId: string;
  command: C;
  /**
   * The id the caller repeats on a retry (the Idempotency-Key, or an id it chose: a check id, an invoice
   * id): event ids derive from it, so a retry appends nothing. Reused for a different request (see
   * `fingerprint`), the command is refused with CommandIdReusedError (409).
   */
  commandId: string;
  customerId: string;
  /** Who asked: the authenticated actor's id, or `system:<service>` for reactions to events. */
  actor: string;
  /** The event id this command reacts to, if any. */
  causationId?: string | null;
  /** Business instant of the command (ISO 8601), passed in, never read here. */
  occurredAt: string;
  /** Default: the request's (or Kafka handler's) correlation id, else a new one. */
  correlationId?: string;
  /**
   * What "the same request" means for `commandId`. Default: the HTTP request being handled (method, path
   * and body, see @Idempotent), so every command route detects a reused id without saying so.
   */
  fingerprint?: string;
}

export interface LoadedStream<S, E> {
  state: S;
  /** 0 for a stream that does not exist yet. */
  version: number;
  /** The stream's events, old schema versions upcast. */
  events: E[];
}

/** A probe for `readStreamTail` that matches no event (the nil UUID is never an event id here). */
const NO_EVENT = '00000000-0000-0000-0000-000000000000';

const requestScope = new AsyncLocalStorage<{ fingerprint: string }>();

/** A stream's state read in a transaction, on the stream's turn, for the command that will decide on it next. */
interface Prepared {
  decider: object;
  commandId: string;
  known: KnownState<unknown>;
}

/** Runs `work` as the handling of a request with this fingerprint (the default `ExecuteCommand.fingerprint`). */
export function runAsRequest<T>(fingerprint: string, work: () => T): T {
  return requestScope.run({ fingerprint }, work);
}

/**
 * Runs commands against the service's event store: load, decide, append (see handleCommand),
 * the one way services read and write their streams.
 *
 * Inside a transaction (an HTTP command route's, see @Idempotent, or a consumer's batch) the command reads
 * and appends in it, together with the handler's own writes; a lost race then reruns the whole transaction.
 * In one process, commands on one stream take turns (StreamTurns) instead of racing: fifty concurrent
 * credit checks for one customer run one after the other, none answers 409. Only a consumer's batch does
 * not wait for turns (it holds a transaction across many streams; it reruns on a lost race).
 */
@Injectable()
export class Commands {
  private readonly turns = new StreamTurns();
  private readonly states = new StreamStates();
  private readonly held = new WeakMap<StoreTransaction, Set<string>>();
  private readonly prepared = new WeakMap<StoreTransaction, Map<string, Prepared>>();

  constructor(@Inject(PostgresEventStore) private readonly store: PostgresEventStore) {}

  async execute<C extends Command, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    request: ExecuteCommand<C>,
  ): Promise<CommandResult<S>> {
    const { streamId, command, commandId, customerId, actor, causationId = null, occurredAt } = request;
    const correlationId = request.correlationId ?? currentCorrelationId() ?? randomUUID();
    const fingerprint = request.fingerprint ?? requestScope.getStore()?.fingerprint;
    const options = {
      streamId,
      command,
      commandId,
      metadata: { customerId, correlationId, causationId, actor, occurredAt },
      ...(fingerprint === undefined ? {} : { fingerprint }),
    };
    const tx = currentTransaction(this.store.pool);
    const states = this.statesOf<S>(decider, tx);
    if (tx) {
      await this.takeTurn(tx, streamId);
      const prepared = this.prepared.get(tx)?.get(streamId);
      this.prepared.get(tx)?.delete(streamId);
      const known =
        prepared && prepared.decider === decider && prepared.commandId === commandId ? (prepared.known as KnownState<S>) : undefined;
      // A lost race aborts the transaction: its owner reruns all of it.
      return handleCommand(this.store, decider, { ...options, maxRetries: 0, states, ...(known ? { known } : {}) });
    }
    const endTurn = await this.turns.take(streamId);
    try {
      return await handleCommand(this.store, decider, { ...options, maxRetries: 8, states });
    } finally {
      endTurn();
    }
  }

  /**
   * Many commands in the open transaction, set-based: every stream they name read in one query, each command
   * decided in order (several on one stream see each other's events), every new event appended in one
   * statement. A command handled before (its first event id in its stream) appends nothing and answers what it
   * decided then, as `execute` does. A stream that moved meanwhile aborts the append (ConcurrencyError): the
   * transaction's owner runs it all again. For a batch over thousands of streams (a day's dunning run), where
   * `execute`'s round trips per command were most of the time. Requires a transaction (`withTransaction`, a
   * consumer's batch).
   */
  async executeMany<C extends Command, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    requests: readonly ExecuteCommand<C>[],
  ): Promise<CommandResult<S>[]> {
    const tx = currentTransaction(this.store.pool);
    if (!tx) throw new Error('executeMany runs inside a transaction');
    const streamIds = [...new Set(requests.map((r) => r.streamId))];
    for (const streamId of streamIds) await this.takeTurn(tx, streamId);
    const stored = await this.store.readStreams(streamIds);
    const streams = new Map(
      streamIds.map((id) => {
        const events = stored.get(id) ?? [];
        const version = events[events.length - 1]?.streamVersion ?? 0;
        return [id, { events, state: fold(decider, events), version, loaded: version, added: [] as NewEvent[] }];
      }),
    );
    const results: CommandResult<S>[] = [];
    for (const request of requests) {
      const stream = streams.get(request.streamId) as NonNullable<ReturnType<typeof streams.get>>;
      const fingerprint = request.fingerprint ?? requestScope.getStore()?.fingerprint;
      const earlier = earlierResult(decider, stream.events, request.commandId);
      if (earlier) {
        const recorded = earlier.events[0]?.metadata.commandFingerprint;
        if (fingerprint !== undefined && recorded !== undefined && recorded !== fingerprint)
          throw new CommandIdReusedError(request.streamId, request.commandId);
        results.push(earlier);
        continue;
      }
      const metadata = {
        customerId: request.customerId,
        correlationId: request.correlationId ?? currentCorrelationId() ?? randomUUID(),
        causationId: request.causationId ?? null,
        actor: request.actor,
        occurredAt: request.occurredAt,
        ...(fingerprint === undefined ? {} : { commandFingerprint: fingerprint }),
      };
      const decided = decider.decide(request.command, stream.state);
      const events = decided.map((event, index): NewEvent => ({
        eventId: eventIdFor(request.commandId, index),
        eventType: event.type,
        schemaVersion: decider.schemaVersions?.[event.type as E['type']] ?? 1,
        data: event.data as Record<string, unknown>,
        metadata,
      }));
      stream.state = evolveAll(decider, stream.state, decided);
      stream.version += events.length;
      stream.added.push(...events);
      results.push({ events, newState: stream.state, streamVersion: stream.version, alreadyHandled: false });
    }
    const appends: StreamAppend[] = [...streams]
      .filter(([, s]) => s.added.length > 0)
      .map(([streamId, s]) => ({ streamId, expectedVersion: s.loaded, events: s.added }));
    await this.store.appendToStreams(appends);
    const states = this.statesOf<S>(decider, tx);
    for (const [streamId, s] of streams) states.remember(streamId, { version: s.version, state: s.state });
    return results;
  }

  /** The stream's current state, folded, and its events upcast (read models and queries on the aggregate's own figures). */
  async load<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string): Promise<LoadedStream<S, E>> {
    // No turn taken: a read (the calendar every invoice consults) must not make commands queue behind it.
    const stored = await this.store.readStream(streamId);
    return {
      state: fold(decider, stored),
      version: stored[stored.length - 1]?.streamVersion ?? 0,
      events: stored.map((event) => toDomainEvent(decider, event)),
    };
  }

  /** Many streams' folded states in one read (in the open transaction, if any): what `load` gives, for a batch. */
  async loadStates<C extends Command, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamIds: readonly string[],
  ): Promise<Map<string, S>> {
    const stored = await this.store.readStreams(streamIds);
    return new Map(streamIds.map((id) => [id, fold(decider, stored.get(id) ?? [])]));
  }

  /** The cache of folded states for `decider`; a state decided in a transaction is kept once it commits. */
  private statesOf<S>(decider: object, tx: StoreTransaction | undefined): StreamStateCache<S> {
    const states = this.states;
    return {
      get: (streamId) => states.get<S>(streamId, decider),
      remember: (streamId, known) => {
        if (tx) tx.afterCommit(() => states.set(streamId, decider, known));
        else states.set(streamId, decider, known);
      },
      forget: (streamId) => states.forget(streamId),
    };
  }

  /**
   * The stream's current state and version, folded (a decision's input, e.g. the calendar an invoice is
   * dated against): from the state cached at the last command or read, plus the events since (see
   * StreamStates), so a long stream is not read whole every time. `load` when the events themselves are needed.
   *
   * `forCommand`: the id of the command this transaction will execute on the stream next (a credit check
   * reading the account it then decides on). The read then takes the stream's turn and also asks whether that
   * command was handled before, so `execute` decides on this state without reading the stream a second time:
   * one round trip per command less. No other command of this process can append to the stream in between
   * (the turn), and one of another process is refused by the append's expected version, as always.
   */
  async state<C extends Command, E extends DomainEvent, S>(
    decider: Decider<C, E, S>,
    streamId: string,
    { forCommand }: { forCommand?: string } = {},
  ): Promise<{ state: S; version: number }> {
    const tx = currentTransaction(this.store.pool);
    const states = this.statesOf<S>(decider, tx);
    const preparing = tx !== undefined && forCommand !== undefined;
    if (preparing) await this.takeTurn(tx, streamId);
    const probe = preparing ? eventIdFor(forCommand, 0) : NO_EVENT;
    const cached = states.get(streamId);
    if (cached) {
      // Events are never removed from a stream, so what has come since is all that is missing.
      const tail = await this.store.readStreamTail(streamId, cached.version + 1, probe);
      const repeat = tail.some((event) => event.eventId === probe || event.streamVersion <= cached.version);
      if (!repeat) {
        const known = {
          state: evolveAll(
            decider,
            cached.state,
            tail.map((event) => toDomainEvent(decider, event)),
          ),
          version: tail[tail.length - 1]?.streamVersion ?? cached.version,
        };
        if (tail.length > 0) states.remember(streamId, known);
        if (preparing) this.prepare(tx, streamId, { decider, commandId: forCommand, known });
        return known;
      }
    }
    const stored = await this.store.readStream(streamId);
    const known = { state: fold(decider, stored), version: stored[stored.length - 1]?.streamVersion ?? 0 };
    states.remember(streamId, known);
    // A repeat of the command is left to `execute`, which answers it from the whole stream.
    if (preparing && !stored.some((event) => event.eventId === probe))
      this.prepare(tx, streamId, { decider, commandId: forCommand, known });
    return known;
  }

  private prepare(tx: StoreTransaction, streamId: string, prepared: Prepared): void {
    let byStream = this.prepared.get(tx);
    if (!byStream) this.prepared.set(tx, (byStream = new Map()));
    byStream.set(streamId, prepared);
  }

  /** Waits for this transaction's turn on the stream (once per stream); the turn ends with the transaction. */
  private async takeTurn(tx: StoreTransaction, streamId: string): Promise<void> {
    if (tx.joined) return;
    let held = this.held.get(tx);
    if (!held) this.held.set(tx, (held = new Set()));
    if (held.has(streamId)) return;
    held.add(streamId);
    tx.onEnd(await this.turns.take(streamId));
  }
}
