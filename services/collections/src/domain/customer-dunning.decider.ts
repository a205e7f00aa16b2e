/*
 * A customer's dunning (stream `dunning-<customerId>`): which strategy steps were executed for which item, the
 * promises and repayment plans agreed, and the legal case. Keeping all three on one stream makes "each step
 * for each item exactly once", "nothing while a promise holds" and "no reminders while in legal" invariants of
 * one stream, decided with its version, whatever reruns, restarts or replays happen.
 */
import { CollectionsEvents, validated } from '@arc/contracts';
import type { Decider } from '@arc/decider';
import { toJson, type Money } from '@arc/money';
import { coveredByOpenArrangement, evaluateArrangements, makeArrangement, type Arrangement, type MakeArrangement } from './arrangements';
import { INTERNAL_DUNNING_EVENTS, type ActivityLogged, type CustomerDunningEvent } from './customer-dunning.events';
import { dueSteps, type DunningStrategy, type ExecutedStep } from './dunning-strategy';
import { itemKey } from './open-items';
import { decideLegal, evolveLegal, type LegalCase, type LegalCommand } from './legal';

export const dunningStreamId = (customerId: string): string => `dunning-${customerId}`;

/** An invoice of the customer with money still open on it, as the run sees it. */
export interface DunningOpenItem {
  invoiceId: string;
  invoiceNumber: string;
  dueDate: string;
  /** Total less credit notes, payments allocated, write-offs and open disputes: what is dunned. */
  open: Money;
  /** The instalment (1, 2 …) when the invoice is split into due items, each dunned on its own; else null. */
  dueSequence?: number | null;
  /** A debit note on the invoice (late interest, a fee), dunned as an item of its own from its own due date. */
  debitNoteId?: string | null;
  debitNoteNumber?: string | null;
}

/** The day's dunning run for one customer (and the day-close decisions on its promises and plans). */
export type RunDunning = {
  type: 'RunDunning';
  data: {
    customerId: string;
    businessDate: string;
    /** The customer's own strategy, else its class's; null: the customer is not dunned (arrangements are still decided). */
    strategy: DunningStrategy | null;
    items: DunningOpenItem[];
    /** Everything the customer has paid so far, per currency (payments allocated to its invoices). */
    paidToDate: Money[];
  };
};

export type AssignCollector = {
  type: 'AssignCollector';
  data: { customerId: string; collector: string; on: string; reason: 'rule' | 'manual' };
};
export type LogActivity = { type: 'LogActivity'; data: ActivityLogged['data'] };
/** Invoicing rejected the write-off (WriteOffRejected): dun the invoice again. */
export type WithdrawWriteOff = {
  type: 'WithdrawWriteOff';
  data: { customerId: string; writeOffId: string; on: string; reason: string };
};

export type CustomerDunningCommand = RunDunning | MakeArrangement | LegalCommand | AssignCollector | LogActivity | WithdrawWriteOff;

export interface CustomerDunning {
  customerId: string | null;
  /** The item (invoiceId, or invoiceId#sequence for an instalment: `itemKey`) → the step ids executed for it. */
  executed: ReadonlyMap<string, ReadonlySet<string>>;
  /** Collections asked credit for a hold and has not released it since. */
  holdRequested: boolean;
  arrangements: readonly Arrangement[];
  legal: LegalCase | null;
  collector: string | null;
  activities: ReadonlySet<string>;
  /** writeOffId → invoiceId: write-offs recommended and not rejected; those invoices are not dunned any more. */
  writeOffs: ReadonlyMap<string, string>;
}

export const initialDunning: CustomerDunning = {
  customerId: null,
  executed: new Map(),
  holdRequested: false,
  arrangements: [],
  legal: null,
  collector: null,
  activities: new Set(),
  writeOffs: new Map(),
};

export const inLegal = (state: CustomerDunning): boolean => state.legal?.status === 'open';

/** The steps executed, keyed by item (`itemKey`): what the planner must not plan again. */
export function executedSteps(state: CustomerDunning): ExecutedStep[] {
  return [...state.executed].flatMap(([key, steps]) => [...steps].map((stepId) => ({ invoiceId: key, stepId })));
}

export function runDunning(command: RunDunning, state: CustomerDunning): CustomerDunningEvent[] {
  const { customerId, businessDate, strategy, items, paidToDate } = command.data;
  const paid = new Map(paidToDate.map((m) => [m.currency, m.amountMinor]));
  const events: CustomerDunningEvent[] = evaluateArrangements(customerId, state.arrangements, businessDate, paid);
  const after = events.reduce(evolveDunning, state);
  const open = items.filter((i) => i.open.amountMinor > 0n);

  if (!inLegal(after) && strategy !== null) {
    const writtenOff = new Set(after.writeOffs.values());
    const eligible = open.filter((i) => !coveredByOpenArrangement(after.arrangements, i.invoiceId) && !writtenOff.has(i.invoiceId));
    // The planner sees each instalment as an item of its own (its key), with its own due date.
    const byKey = new Map(eligible.map((i) => [itemKey(i.invoiceId, i.dueSequence, i.debitNoteId), i]));
    const planned = [...byKey].map(([key, i]) => ({ invoiceId: key, dueDate: i.dueDate }));
    let holdRequested = after.holdRequested;
    for (const step of dueSteps(strategy, planned, businessDate, executedSteps(after))) {
      const item = byKey.get(step.invoiceId) as DunningOpenItem;
      events.push({
        type: 'DunningStepExecuted',
        data: {
          customerId,
          invoiceId: item.invoiceId,
          ...(item.dueSequence != null ? { dueSequence: item.dueSequence } : {}),
          ...(item.debitNoteId != null ? { debitNoteId: item.debitNoteId, debitNoteNumber: item.debitNoteNumber ?? null } : {}),
          invoiceNumber: item.invoiceNumber,
          stepId: step.stepId,
          action: step.action,
          channels: [...step.channels],
          template: step.template,
          dueDate: step.dueDate,
          businessDate,
          scheduledOn: step.scheduledOn,
          offsetDays: step.offsetDays,
          openAmount: toJson(item.open),
        },
      });
      if (step.action === 'credit-hold-request' && !holdRequested) {
        holdRequested = true;
        const reason = `dunning step ${step.stepId}: invoice ${item.invoiceNumber} due ${step.dueDate} is still open`;
        events.push({ type: 'CollectionsCreditHoldRequested', data: { customerId, requestedOn: businessDate, reason } });
      }
    }
  }
  // The hold collections asked for ends when nothing is overdue any more (whoever else holds the customer).
  if (state.holdRequested && !open.some((i) => i.dueDate < businessDate)) {
    events.push({
      type: 'CollectionsCreditHoldReleaseRequested',
      data: { customerId, requestedOn: businessDate, reason: 'nothing is overdue any more' },
    });
  }
  return events;
}

function decideCommand(command: CustomerDunningCommand, state: CustomerDunning): CustomerDunningEvent[] {
  switch (command.type) {
    case 'RunDunning':
      return runDunning(command, state);
    case 'MakeArrangement':
      return makeArrangement(command, state.arrangements);
    case 'AssignCollector': {
      const d = command.data;
      // A rule never takes a customer from the collector working it; a manual reassignment does.
      if (state.collector === d.collector || (d.reason === 'rule' && state.collector !== null)) return [];
      return [
        { type: 'CollectorAssigned', data: { customerId: d.customerId, collector: d.collector, assignedOn: d.on, reason: d.reason } },
      ];
    }
    case 'LogActivity':
      return state.activities.has(command.data.activityId) ? [] : [{ type: 'ActivityLogged', data: command.data }];
    case 'WithdrawWriteOff': {
      const d = command.data;
      const invoiceId = state.writeOffs.get(d.writeOffId);
      if (invoiceId === undefined) return [];
      return [
        {
          type: 'WriteOffRecommendationWithdrawn',
          data: { customerId: d.customerId, writeOffId: d.writeOffId, invoiceId, on: d.on, reason: d.reason },
        },
      ];
    }
    case 'HandOverToLegal':
    case 'RecordLegalStep':
    case 'AcknowledgeDebt':
    case 'CloseLegalCase':
      return decideLegal(command, state.legal);
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

const CHECKS = { ...CollectionsEvents, ...Object.fromEntries(INTERNAL_DUNNING_EVENTS.map((type) => [type, null])) };

/** Decides, then refuses any public event its contract would not accept (no consumer ever dead-letters ours). */
export function decideDunning(command: CustomerDunningCommand, state: CustomerDunning): CustomerDunningEvent[] {
  return validated(CHECKS, decideCommand(command, state));
}

function withArrangement(state: CustomerDunning, id: string, change: (a: Arrangement) => Arrangement): CustomerDunning {
  return { ...state, arrangements: state.arrangements.map((a) => (a.arrangementId === id ? change(a) : a)) };
}

export function evolveDunning(state: CustomerDunning, event: CustomerDunningEvent): CustomerDunning {
  const base = state.customerId === null ? { ...state, customerId: event.data.customerId } : state;
  switch (event.type) {
    case 'DunningStepExecuted': {
      const executed = new Map(base.executed);
      const key = itemKey(event.data.invoiceId, event.data.dueSequence, event.data.debitNoteId);
      executed.set(key, new Set([...(base.executed.get(key) ?? []), event.data.stepId]));
      return { ...base, executed };
    }
    case 'CollectionsCreditHoldRequested':
      return { ...base, holdRequested: true };
    case 'CollectionsCreditHoldReleaseRequested':
      return { ...base, holdRequested: false };
    case 'PaymentArrangementMade': {
      const d = event.data;
      const arrangement: Arrangement = {
        arrangementId: d.arrangementId,
        kind: d.kind,
        status: 'open',
        madeOn: d.madeOn,
        instalments: d.instalments,
        graceDays: d.graceDays,
        toleranceMinor: BigInt(d.tolerance.amountMinor),
        currency: d.paidBefore.currency,
        invoiceIds: d.invoiceIds,
        paidBeforeMinor: BigInt(d.paidBefore.amountMinor),
        kept: 0,
      };
      return { ...base, arrangements: [...base.arrangements, arrangement] };
    }
    case 'ArrangementInstalmentKept':
      return withArrangement(base, event.data.arrangementId, (a) => ({ ...a, kept: event.data.instalment }));
    case 'PaymentArrangementKept':
      return withArrangement(base, event.data.arrangementId, (a) => ({ ...a, status: 'kept' }));
    case 'PaymentArrangementBroken':
      return withArrangement(base, event.data.arrangementId, (a) => ({ ...a, status: 'broken' }));
    case 'LegalCaseOpened':
    case 'LegalStepRecorded':
    case 'DebtAcknowledged':
    case 'LegalCaseClosed':
      return { ...base, legal: evolveLegal(base.legal, event) };
    case 'WriteOffRecommended':
      return { ...base, writeOffs: new Map([...base.writeOffs, [event.data.writeOffId, event.data.invoiceId]]) };
    case 'WriteOffRecommendationWithdrawn': {
      const writeOffs = new Map(base.writeOffs);
      writeOffs.delete(event.data.writeOffId);
      return { ...base, writeOffs };
    }
    case 'CollectorAssigned':
      return { ...base, collector: event.data.collector };
    case 'ActivityLogged':
      return { ...base, activities: new Set([...base.activities, event.data.activityId]) };
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${(unknown as { type: string }).type}`);
    }
  }
}

export const customerDunningDecider: Decider<CustomerDunningCommand, CustomerDunningEvent, CustomerDunning> = {
  initialState: initialDunning,
  decide: decideDunning,
  evolve: evolveDunning,
};
