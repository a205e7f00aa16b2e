/*
 * Collection case per customer (stream `collection-<customerId>`): the cases opened for one customer over
 * time, each with its own caseId (the contract names streams after the case; one stream per customer makes
 * "one open case per customer" a stream invariant instead of a race).
 * The rules it protects: a case opens when the customer has money overdue and no open case, stays open while
 * anything is overdue, and closes when the overdue figure is back to zero (or the debt is written off).
 */
import { CollectionsEvents, type CollectionsEvent, type CustomerAgingChangedData } from '@arc/contracts';
import type { Decider } from '@arc/decider';
import { parseMoney, toJson, type Money } from '@arc/money';
import { CaseStreamMismatchError, EventContractViolationError, InconsistentOverdueFigureError, NoOpenCaseError } from './collections.errors';

export const collectionStreamId = (customerId: string): string => `collection-${customerId}`;

// ---------------------------------------------------------------------------------------------- commands

/** The customer's overdue figure as of a business date, from the projections' aging change event. */
export type ReviewOverdue = {
  type: 'ReviewOverdue';
  data: {
    customerId: string;
    /** A fresh UUID, used only if this review opens a case (derive it from the command id so retries agree). */
    caseId: string;
    asOf: string;
    overdue: Money;
    /** Days past due of the oldest overdue item; null when nothing is overdue. */
    oldestDaysPastDue: number | null;
  };
};

/** Legal signed off a write-off: collection ends for the case. */
export type CloseCaseOnWriteOff = { type: 'CloseCaseOnWriteOff'; data: { customerId: string; closedOn: string } };

export type CollectionCaseCommand = ReviewOverdue | CloseCaseOnWriteOff;

// ------------------------------------------------------------------------------------------------- state

export type CollectionCase =
  | { status: 'no-case' }
  | { status: 'open'; caseId: string; customerId: string; currency: string; openedOn: string }
  | { status: 'closed'; lastCaseId: string; customerId: string; closedOn: string };

export const initialState: CollectionCase = { status: 'no-case' };

/** The ReviewOverdue a CustomerAgingChanged event asks for (feed one bucket set and the customer's main currency). */
export function reviewOverdueFrom(aging: CustomerAgingChangedData, caseId: string): ReviewOverdue {
  return {
    type: 'ReviewOverdue',
    data: {
      customerId: aging.customerId,
      caseId,
      asOf: aging.asOf,
      overdue: parseMoney(aging.overdue, 'overdue'),
      oldestDaysPastDue: aging.oldestDaysPastDue,
    },
  };
}

// ------------------------------------------------------------------------------------------ the commands

function requireOwnStream(state: CollectionCase, customerId: string): void {
  if (state.status !== 'no-case' && state.customerId !== customerId) throw new CaseStreamMismatchError(state.customerId, customerId);
}

function lastMovedOn(state: CollectionCase): string | null {
  return state.status === 'open' ? state.openedOn : state.status === 'closed' ? state.closedOn : null;
}

export function reviewOverdue(command: ReviewOverdue, state: CollectionCase): CollectionsEvent[] {
  const { customerId, caseId, asOf, overdue, oldestDaysPastDue } = command.data;
  requireOwnStream(state, customerId);
  const isOverdue = overdue.amountMinor > 0n;
  if (isOverdue && (oldestDaysPastDue === null || !Number.isSafeInteger(oldestDaysPastDue) || oldestDaysPastDue < 1)) {
    throw new InconsistentOverdueFigureError(`money is overdue but the oldest item is ${String(oldestDaysPastDue)} days past due`);
  }
  const last = lastMovedOn(state);
  // Figures can arrive late; an older business date must not undo what a newer one decided.
  if (last !== null && asOf < last) return [];

  if (state.status === 'open') {
    // The case follows the currency it opened in; another currency's figure says nothing about it.
    if (overdue.currency !== state.currency) return [];
    if (isOverdue) return [];
    return [{ type: 'CollectionCaseClosed', data: { caseId: state.caseId, customerId, closedOn: asOf, reason: 'overdue-cleared' } }];
  }
  if (!isOverdue || oldestDaysPastDue === null) return [];
  return [
    {
      type: 'CollectionCaseOpened',
      data: { caseId, customerId, openedOn: asOf, overdueAmount: toJson(overdue), oldestDaysPastDue },
    },
  ];
}

export function closeCaseOnWriteOff(command: CloseCaseOnWriteOff, state: CollectionCase): CollectionsEvent[] {
  const { customerId, closedOn } = command.data;
  requireOwnStream(state, customerId);
  if (state.status === 'closed') return [];
  if (state.status !== 'open') throw new NoOpenCaseError(customerId);
  return [{ type: 'CollectionCaseClosed', data: { caseId: state.caseId, customerId, closedOn, reason: 'written-off' } }];
}

function decideCommand(command: CollectionCaseCommand, state: CollectionCase): CollectionsEvent[] {
  switch (command.type) {
    case 'ReviewOverdue':
      return reviewOverdue(command, state);
    case 'CloseCaseOnWriteOff':
      return closeCaseOnWriteOff(command, state);
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

/** Decides, then refuses anything its contract would not accept, so no consumer ever dead-letters our event. */
export function decide(command: CollectionCaseCommand, state: CollectionCase): CollectionsEvent[] {
  const events = decideCommand(command, state);
  for (const event of events) {
    const result = CollectionsEvents[event.type].validate(event.data);
    if (!result.ok) throw new EventContractViolationError(event.type, result.problems);
  }
  return events;
}

// ------------------------------------------------------------------------------------------------ evolve

export function evolve(state: CollectionCase, event: CollectionsEvent): CollectionCase {
  switch (event.type) {
    case 'CollectionCaseOpened': {
      const d = event.data;
      return { status: 'open', caseId: d.caseId, customerId: d.customerId, currency: d.overdueAmount.currency, openedOn: d.openedOn };
    }
    case 'CollectionCaseClosed': {
      const d = event.data;
      return { status: 'closed', lastCaseId: d.caseId, customerId: d.customerId, closedOn: d.closedOn };
    }
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${(unknown as { type: string }).type}`);
    }
  }
}

export const collectionCaseDecider: Decider<CollectionCaseCommand, CollectionsEvent, CollectionCase> = {
  initialState,
  decide,
  evolve,
};
