import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Command, Decider, DomainEvent } from '@arc/decider';
import { PostgresEventStore } from '@arc/event-store';
import { currentCorrelationId } from '../logging/correlation';
import { fold, handleCommand, type CommandResult } from './handle-command';

export interface ExecuteCommand<C> {
  streamId: string;
  command: C;
  /** The Idempotency-Key (or another id the caller repeats on a retry): event ids derive from it. */
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
}

export interface LoadedStream<S> {
  state: S;
  /** 0 for a stream that does not exist yet. */
  version: number;
}

/** Runs commands against the service's event store: load, decide, append (see handleCommand). */
@Injectable()
export class Commands {
  constructor(@Inject(PostgresEventStore) private readonly store: PostgresEventStore) {}

  execute<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, request: ExecuteCommand<C>): Promise<CommandResult<S>> {
    const { streamId, command, commandId, customerId, actor, causationId = null, occurredAt } = request;
    const correlationId = request.correlationId ?? currentCorrelationId() ?? randomUUID();
    return handleCommand(this.store, decider, {
      streamId,
      command,
      commandId,
      metadata: { customerId, correlationId, causationId, actor, occurredAt },
    });
  }

  /** The stream's current state, folded (read models and queries that need the aggregate's own figures). */
  async load<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, streamId: string): Promise<LoadedStream<S>> {
    const stored = await this.store.readStream(streamId);
    return { state: fold(decider, stored), version: stored[stored.length - 1]?.streamVersion ?? 0 };
  }
}
