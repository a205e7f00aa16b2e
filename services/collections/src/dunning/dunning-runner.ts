import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Queryable } from '@arc/event-store';
import type { DunningStepExecutedData } from '@arc/contracts';
import { withTransaction, type NewEvent } from '@arc/event-store';
import { ARC_PG_POOL, Commands, type CommandResult } from '@arc/platform';
import {
  ASSIGNMENT_RULES_STREAM,
  assignmentRulesDecider,
  customerDunningDecider,
  pickCollector,
  type AssignmentRules,
  decideDunning,
  dunningStreamId,
  strategyConfigDecider,
  strategyStreamId,
  type CustomerDunningEvent,
  type DunningStrategy,
  type RunDunning,
  type CustomerDunning,
} from '../domain';
import { insertLetters, stepLetter, type LetterRow } from '../channels/letters';
import { CaseCloser } from './case-closer';
import { insertDeliveries, stepDeliveries, type DeliveryRow } from '../channels/outbox';
import { applyDunningEvents, ASSIGNMENTS_TABLE } from '../views/dunning.view';
import { ReceivablesView, type DunningCustomer } from '../views/receivables.view';

type Db = Queryable;

/** Customers per set-based step of a run: one read, one append and one write of each kind per chunk. */
const RUN_CHUNK = 1_000;

/** One thing a run did (or, dry, would do): a step for an item, a hold request or release, a promise or plan decided. */
export interface RunAction {
  customerId: string;
  eventType: string;
  invoiceId?: string;
  invoiceNumber?: string;
  stepId?: string;
  action?: string;
  channels?: string[];
  openAmount?: { amountMinor: string; currency: string };
  arrangementId?: string;
  collector?: string;
}

interface Assigner {
  rules: AssignmentRules;
  load: Map<string, number>;
}

export interface RunOutcome {
  businessDate: string;
  dryRun: boolean;
  customers: number;
  actions: RunAction[];
}

export interface RunTrigger {
  /** What asked for the run (the calendar event's id, a request's idempotency key): part of each command id. */
  triggerId: string;
  actor: string;
  causationId: string | null;
  occurredAt: string;
}

function actionOf(event: Pick<CustomerDunningEvent, 'type' | 'data'>): RunAction {
  const data = event.data as Partial<DunningStepExecutedData> & { customerId: string; arrangementId?: string };
  return {
    customerId: data.customerId,
    eventType: event.type,
    ...(data.invoiceId ? { invoiceId: data.invoiceId, invoiceNumber: data.invoiceNumber as string } : {}),
    ...(data.stepId ? { stepId: data.stepId, action: data.action as string, channels: data.channels as string[] } : {}),
    ...(data.openAmount ? { openAmount: data.openAmount } : {}),
    ...(data.arrangementId ? { arrangementId: data.arrangementId } : {}),
    ...('collector' in data ? { collector: String((data as { collector: unknown }).collector) } : {}),
  };
}

/**
 * The dunning run of a business day, for every customer with something to chase (open items, a hold it
 * asked for, an open promise or plan). Each customer is one RunDunning command on its dunning stream: the
 * stream decides which steps are due and records each exactly once; the e-mails and webhooks of the steps
 * go into the outbox, and the steps into the dunning view, in the same transaction as the events.
 */
@Injectable()
export class DunningRunner {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(ReceivablesView) private readonly receivables: ReceivablesView,
    @Inject(ARC_PG_POOL) private readonly pool: Pool,
    @Inject(CaseCloser) private readonly closer: CaseCloser,
  ) {}

  /** The strategy in force for the customer: its own, else its class's; null when neither is configured. */
  async strategyFor(
    customer: Pick<DunningCustomer, 'customerId' | 'creditClass'>,
    classCache?: Map<string, DunningStrategy | null>,
  ): Promise<DunningStrategy | null> {
    const own = await this.commands.load(strategyConfigDecider, strategyStreamId({ kind: 'customer', customerId: customer.customerId }));
    if (own.state.strategy) return own.state.strategy;
    if (customer.creditClass === null) return null;
    const cached = classCache?.get(customer.creditClass);
    if (cached !== undefined) return cached;
    const { state } = await this.commands.load(
      strategyConfigDecider,
      strategyStreamId({ kind: 'class', creditClass: customer.creditClass }),
    );
    classCache?.set(customer.creditClass, state.strategy);
    return state.strategy;
  }

  private runCommand(customer: DunningCustomer, businessDate: string, strategy: DunningStrategy | null): RunDunning {
    return {
      type: 'RunDunning',
      data: { customerId: customer.customerId, businessDate, strategy, items: customer.items, paidToDate: customer.paidToDate },
    };
  }

  private async commandFor(
    customer: DunningCustomer,
    businessDate: string,
    cache: Map<string, DunningStrategy | null>,
  ): Promise<RunDunning> {
    return {
      type: 'RunDunning',
      data: {
        customerId: customer.customerId,
        businessDate,
        strategy: await this.strategyFor(customer, cache),
        items: customer.items,
        paidToDate: customer.paidToDate,
      },
    };
  }

  /** What the run of `businessDate` would do now, appending nothing. */
  async dryRun(businessDate: string): Promise<RunOutcome> {
    const customers = await this.receivables.dunningCustomers();
    const cache = new Map<string, DunningStrategy | null>();
    const actions: RunAction[] = [];
    const assigner = await this.assigner(this.pool);
    for (const customer of customers) {
      const { state } = await this.commands.load(customerDunningDecider, dunningStreamId(customer.customerId));
      actions.push(...decideDunning(await this.commandFor(customer, businessDate, cache), state).map(actionOf));
      const collector = this.collectorFor(customer, businessDate, state.collector, assigner);
      if (collector !== null) actions.push({ customerId: customer.customerId, eventType: 'CollectorAssigned', collector });
    }
    return { businessDate, dryRun: true, customers: customers.length, actions };
  }

  /**
   * Runs the day inside the caller's transaction (a consumer batch: `db` is its client), every customer's
   * command, outbox rows and view rows committing with the batch. Set-based, a chunk of customers at a time:
   * their dunning streams read in one query, decided in memory, appended in one statement, and the letters,
   * outbox rows and view rows of their steps written in one statement each (a round trip per customer and per
   * step was most of a large run's time).
   */
  async runInTransaction(db: Db, businessDate: string, trigger: RunTrigger): Promise<RunOutcome> {
    const customers = await this.receivables.dunningCustomers(db);
    const strategies = await this.strategiesFor(customers);
    const actions: RunAction[] = [];
    const assigner = await this.assigner(db);
    for (let i = 0; i < customers.length; i += RUN_CHUNK) {
      actions.push(...(await this.runChunk(db, customers.slice(i, i + RUN_CHUNK), strategies, businessDate, trigger, assigner)));
    }
    return { businessDate, dryRun: false, customers: customers.length, actions };
  }

  /** The strategy in force for each customer (its own, else its class's; null: none), read in two queries. */
  private async strategiesFor(customers: readonly DunningCustomer[]): Promise<Map<string, DunningStrategy | null>> {
    const own = await this.commands.loadStates(
      strategyConfigDecider,
      customers.map((c) => strategyStreamId({ kind: 'customer', customerId: c.customerId })),
    );
    const classes = [...new Set(customers.map((c) => c.creditClass).filter((c): c is string => c !== null))];
    const byClass = await this.commands.loadStates(
      strategyConfigDecider,
      classes.map((creditClass) => strategyStreamId({ kind: 'class', creditClass })),
    );
    return new Map(
      customers.map((c) => {
        const mine = own.get(strategyStreamId({ kind: 'customer', customerId: c.customerId }))?.strategy ?? null;
        const ofClass =
          c.creditClass === null ? null : (byClass.get(strategyStreamId({ kind: 'class', creditClass: c.creditClass }))?.strategy ?? null);
        return [c.customerId, mine ?? ofClass];
      }),
    );
  }

  private async runChunk(
    db: Db,
    customers: readonly DunningCustomer[],
    strategies: ReadonlyMap<string, DunningStrategy | null>,
    businessDate: string,
    trigger: RunTrigger,
    assigner: Assigner,
  ): Promise<RunAction[]> {
    const base = { causationId: trigger.causationId, actor: trigger.actor, occurredAt: trigger.occurredAt };
    const runs = await this.commands.executeMany(
      customerDunningDecider,
      customers.map((customer) => ({
        ...base,
        streamId: dunningStreamId(customer.customerId),
        customerId: customer.customerId,
        command: this.runCommand(customer, businessDate, strategies.get(customer.customerId) ?? null),
        commandId: `dunning-run:${businessDate}:${trigger.triggerId}:${customer.customerId}`,
        // Not the HTTP request's: whatever asked, the same trigger and day is the same command.
        fingerprint: `dunning-run:${businessDate}`,
      })),
    );
    // A customer with money overdue and nobody on it gets a collector by the assignment rules.
    const assignments = customers.flatMap((customer, i) => {
      const collector = this.collectorFor(customer, businessDate, (runs[i] as CommandResult<CustomerDunning>).newState.collector, assigner);
      return collector === null
        ? []
        : [
            {
              ...base,
              streamId: dunningStreamId(customer.customerId),
              customerId: customer.customerId,
              command: {
                type: 'AssignCollector' as const,
                data: { customerId: customer.customerId, collector, on: businessDate, reason: 'rule' as const },
              },
              commandId: `assign-collector:${businessDate}:${trigger.triggerId}:${customer.customerId}`,
              fingerprint: `assign-collector:${businessDate}`,
            },
          ];
    });
    const assigned = assignments.length > 0 ? await this.commands.executeMany(customerDunningDecider, assignments) : [];
    const assignedEvents = new Map(assignments.map((a, i) => [a.customerId, (assigned[i] as CommandResult<CustomerDunning>).events]));
    const recorded = customers.map((customer, i) => ({
      customer,
      events: [...(runs[i] as CommandResult<CustomerDunning>).events, ...(assignedEvents.get(customer.customerId) ?? [])],
    }));
    await this.recordMany(db, recorded);
    // A repayment plan completed today closes the case, unless something else of the customer is overdue.
    for (const [i, customer] of customers.entries()) {
      const completed = (runs[i] as CommandResult<CustomerDunning>).events.find(
        (e) => e.eventType === 'PaymentArrangementKept' && (e.data as { kind?: string }).kind === 'plan',
      );
      if (completed) {
        await this.closer.closeIfNothingOverdue(db, customer.customerId, businessDate, 'plan-completed', {
          ...base,
          causationId: completed.eventId,
        });
      }
    }
    return recorded.flatMap(({ events }) => events.map((e) => actionOf({ type: e.eventType, data: e.data } as CustomerDunningEvent)));
  }

  /** Runs the day customer by customer, each in a short transaction of its own (an on-demand run over HTTP). */
  async runEach(businessDate: string, trigger: RunTrigger): Promise<RunOutcome> {
    const customers = await this.receivables.dunningCustomers();
    const cache = new Map<string, DunningStrategy | null>();
    const actions: RunAction[] = [];
    const assigner = await this.assigner(this.pool);
    for (const { customerId } of customers) {
      const done = await withTransaction(this.pool, async (tx) => {
        const [fresh] = await this.receivables.dunningCustomers(tx, [customerId]);
        return fresh ? this.runCustomer(tx, fresh, businessDate, trigger, cache, assigner) : [];
      });
      actions.push(...done);
    }
    return { businessDate, dryRun: false, customers: customers.length, actions };
  }

  /** The assignment rules in force and how many customers each collector works now (for the round robin). */
  private async assigner(db: Db): Promise<Assigner> {
    const { state: rules } = await this.commands.load(assignmentRulesDecider, ASSIGNMENT_RULES_STREAM);
    const { rows } = await db.query<{ collector: string; n: number }>(
      `SELECT collector, count(*)::int AS n FROM ${ASSIGNMENTS_TABLE} GROUP BY collector`,
    );
    return { rules, load: new Map(rows.map((r) => [r.collector, r.n])) };
  }

  /** The collector the rules give a customer with money overdue and nobody on it (counted in the load), else null. */
  private collectorFor(customer: DunningCustomer, businessDate: string, current: string | null, assigner: Assigner): string | null {
    if (current !== null) return null;
    const overdue = customer.items.filter((i) => i.dueDate < businessDate).reduce((sum, i) => sum + i.open.amountMinor, 0n);
    if (overdue <= 0n) return null;
    const subject = { businessUnit: customer.businessUnit, creditClass: customer.creditClass, overdueMinor: overdue };
    const collector = pickCollector(assigner.rules, subject, assigner.load);
    if (collector !== null) assigner.load.set(collector, (assigner.load.get(collector) ?? 0) + 1);
    return collector;
  }

  private async runCustomer(
    db: Db,
    customer: DunningCustomer,
    businessDate: string,
    trigger: RunTrigger,
    cache: Map<string, DunningStrategy | null>,
    assigner: Assigner,
  ): Promise<RunAction[]> {
    const run = await this.commands.execute(customerDunningDecider, {
      streamId: dunningStreamId(customer.customerId),
      customerId: customer.customerId,
      command: await this.commandFor(customer, businessDate, cache),
      commandId: `dunning-run:${businessDate}:${trigger.triggerId}:${customer.customerId}`,
      // Not the HTTP request's: whatever asked, the same trigger and day is the same command.
      fingerprint: `dunning-run:${businessDate}`,
      causationId: trigger.causationId,
      actor: trigger.actor,
      occurredAt: trigger.occurredAt,
    });
    const events = [...run.events];
    // A customer with money overdue and nobody on it gets a collector by the assignment rules.
    const collector = this.collectorFor(customer, businessDate, run.newState.collector, assigner);
    if (collector !== null) {
      const assigned = await this.commands.execute(customerDunningDecider, {
        streamId: dunningStreamId(customer.customerId),
        customerId: customer.customerId,
        command: { type: 'AssignCollector', data: { customerId: customer.customerId, collector, on: businessDate, reason: 'rule' } },
        commandId: `assign-collector:${businessDate}:${trigger.triggerId}:${customer.customerId}`,
        fingerprint: `assign-collector:${businessDate}`,
        causationId: trigger.causationId,
        actor: trigger.actor,
        occurredAt: trigger.occurredAt,
      });
      events.push(...assigned.events);
    }
    await this.record(db, events, customer);
    // A repayment plan completed today closes the case, unless something else of the customer is overdue.
    const completed = run.events.find((e) => e.eventType === 'PaymentArrangementKept' && (e.data as { kind?: string }).kind === 'plan');
    if (completed) {
      await this.closer.closeIfNothingOverdue(db, customer.customerId, businessDate, 'plan-completed', {
        causationId: completed.eventId,
        actor: trigger.actor,
        occurredAt: trigger.occurredAt,
      });
    }
    return events.map((e) => actionOf({ type: e.eventType, data: e.data } as CustomerDunningEvent));
  }

  /** The outbox rows and view rows of events just appended on a dunning stream, in the same transaction. */
  async record(db: Db, events: readonly NewEvent[], customer?: DunningCustomer): Promise<void> {
    const step = events.find((e) => e.eventType === 'DunningStepExecuted');
    const who =
      customer ??
      (step ? (await this.receivables.dunningCustomers(db, [(step.data as unknown as DunningStepExecutedData).customerId]))[0] : undefined);
    await this.recordMany(db, [{ customer: who, events }]);
  }

  /**
   * The letters, outbox rows and view rows of events just appended on dunning streams, in the same transaction:
   * one statement for each (the letter before the e-mail: the dispatcher attaches it once the transaction commits).
   */
  private async recordMany(
    db: Db,
    recorded: readonly { customer: DunningCustomer | undefined; events: readonly NewEvent[] }[],
  ): Promise<void> {
    const letters: LetterRow[] = [];
    const deliveries: DeliveryRow[] = [];
    for (const { customer, events } of recorded) {
      const recipient = customer ?? { legalName: null, contactName: null, contactEmail: null, items: [] };
      for (const event of events) {
        if (event.eventType !== 'DunningStepExecuted') continue;
        const data = event.data as unknown as DunningStepExecutedData;
        const letter = stepLetter(event.eventId, data, recipient);
        if (letter) letters.push(letter);
        deliveries.push(...stepDeliveries(event.eventId, data, recipient));
      }
    }
    await insertLetters(db, letters);
    await insertDeliveries(db, deliveries);
    await applyDunningEvents(
      db,
      recorded.flatMap(({ events }) => events),
    );
  }
}
