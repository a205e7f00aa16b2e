import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { currentTransaction } from '@arc/event-store';
import { addDays, parseBusinessDate } from '@arc/clock';
import { ARC_PG_POOL, Commands, UnprocessableProblem } from '@arc/platform';
import { customerDunningDecider, dunningStreamId, type CustomerDunning, type CustomerDunningCommand } from '../domain';
import { DunningRunner } from '../dunning/dunning-runner';
import { ReceivablesView } from '../views/receivables.view';
import { commandContext } from './command-context';

/** Runs a command from the API on a customer's dunning stream and folds what it decided into the dunning view, in the route's transaction. */
@Injectable()
export class DunningStreamCommands {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(DunningRunner) private readonly runner: DunningRunner,
    @Inject(ReceivablesView) private readonly receivables: ReceivablesView,
    @Inject(ARC_PG_POOL) private readonly pool: Pool,
  ) {}

  /** The open business day (the day after the last closed one): the date promises, plans and legal steps are recorded on. */
  async openDay(): Promise<string> {
    // Inside a command route's transaction: read through it, never a second pool connection.
    const last = await this.receivables.lastClosedDay(currentTransaction(this.pool) ?? this.pool);
    if (last === null) throw new UnprocessableProblem('the business calendar has not closed a day yet: collections does not know the date');
    return addDays(parseBusinessDate(last), 1);
  }

  async execute(customerId: string, command: CustomerDunningCommand, actor: string, key: string | undefined): Promise<CustomerDunning> {
    const { newState, events } = await this.commands.execute(customerDunningDecider, {
      ...commandContext(key),
      streamId: dunningStreamId(customerId),
      customerId,
      actor,
      command,
    });
    await this.runner.record(currentTransaction(this.pool) ?? this.pool, events);
    return newState;
  }
}
