/*
 * Collection case per customer (stream `collection-<customerId>`): the cases opened for one customer over
 * time, each with its own caseId (the contract names streams after the case; one stream per customer makes
 * "one open case per customer" a stream invariant instead of a race).
 * The rules it protects: a case opens when the customer has money overdue and no open case, stays open while
 * anything is overdue (recording each change of its figures as the internal CollectionCaseReviewed, so the
 * cases view is a fold of the stream), and closes when the overdue figure is back to zero (or the debt is
 * written off).
 */
import {
  validated,
  CollectionsEvents,
  isIsoDate,
  isMinorUnits,
  type CollectionCaseClosed,
  type CollectionCaseOpened,
  type EventOf,
  type CustomerAgingChangedData,
} from '@arc/contracts';
import type { Decider } from '@arc/decider';
import { parseMoney, toJson, type Money, type MoneyJson } from '@arc/money';
import { CaseStreamMismatchError, InconsistentOverdueFigureError } from './collections.errors';

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

/**
 * Collection of the case ended without the aging saying so first: invoicing wrote the overdue debt off, or the
 * customer completed a repayment plan, and nothing else of the customer is overdue (the caller checked).
 */
export type CloseCase = {
  type: 'CloseCase';
  data: { customerId: string; on: string; reason: 'written-off' | 'plan-completed' };
};

/**
 * Invoicing rejected a write-off of an invoice (`WriteOffRejected`): its open amount is collectable again. After a
 * case closed as written off it is new overdue money even if the aging figure has not moved.
 */
export type RestoreOverdue = {
  type: 'RestoreOverdue';
  data: {
    customerId: string;
    /** Used only if this reopens a case (derive it from the command id). */
    caseId: string;
    on: string;
    /** The invoice's open amount (zero: nothing to restore). */
    amount: Money;
  };
};

export type CollectionCaseCommand = ReviewOverdue | CloseCase | RestoreOverdue;

// ------------------------------------------------------------------------------------------------ events

/**
 * Collections' own event, not in the arc.collections.events contract: a review of an open case found other
 * figures than the last recorded ones (the opening figures count as the first). Stored in the collection
 * stream so the cases view is a fold of the stream; never published (the relay routes it to null).
 */
export type CollectionCaseReviewed = {
  type: 'CollectionCaseReviewed';
  data: {
    caseId: string;
    customerId: string;
    /** The business date of the figures. */
    asOf: string;
    /** Money overdue in the case's currency (positive). */
    overdue: MoneyJson;
    oldestDaysPastDue: number;
  };
};

/**
 * Internal: a review of a case closed as written off or plan-completed whose figures did not open a case (they show
 * no more than the amount the case was closed for) but differ from the last seen. The amount closed for can only
 * shrink to such a figure: once the aging stops counting the written-off money, new money below it opens a case.
 */
export type ClosedCaseReviewed = {
  type: 'ClosedCaseReviewed';
  data: { caseId: string; customerId: string; asOf: string; overdue: MoneyJson; oldestDaysPastDue: number | null };
};

/** Internal: a rejected write-off made `amount` collectable again; the amount a closed case was closed for drops by it. */
export type ClosedAmountRestored = {
  type: 'ClosedAmountRestored';
  data: { caseId: string; customerId: string; on: string; amount: MoneyJson };
};

export type CollectionCaseEvent =
  | EventOf<typeof CollectionCaseOpened>
  | EventOf<typeof CollectionCaseClosed>
  | CollectionCaseReviewed
  | ClosedCaseReviewed
  | ClosedAmountRestored;

/** The internal event types of the collection streams (stored, published on no topic). */
export const INTERNAL_CASE_EVENTS = ['CollectionCaseReviewed', 'ClosedCaseReviewed', 'ClosedAmountRestored'] as const;

// ------------------------------------------------------------------------------------------------- state

/** The last figures recorded for an open case (at its opening, then at each review that changed them). */
export type CaseFigures = { asOf: string; overdueMinor: string; oldestDaysPastDue: number };

export type CollectionCase =
  | { status: 'no-case' }
  | { status: 'open'; caseId: string; customerId: string; currency: string; openedOn: string; figures: CaseFigures }
  | {
      status: 'closed';
      lastCaseId: string;
      customerId: string;
      closedOn: string;
      reason: 'overdue-cleared' | 'written-off' | 'plan-completed';
      currency: string;
      /**
       * The overdue amount the case was closed for without the aging clearing it (written off, plan completed): a
       * later figure up to it is that same money, not new overdue; 0 when closed as overdue-cleared.
       */
      closedForMinor: string;
      /** The last figures seen (at closing, then reviews of the closed case). */
      lastSeen: { asOf: string; overdueMinor: string; oldestDaysPastDue: number | null };
    };

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

/** The business date of the latest figures the stream acted on (opening, recorded review or closing). */
function lastMovedOn(state: CollectionCase): string | null {
  if (state.status === 'open') return state.figures.asOf;
  if (state.status === 'closed') return state.lastSeen.asOf > state.closedOn ? state.lastSeen.asOf : state.closedOn;
  return null;
}

export function reviewOverdue(command: ReviewOverdue, state: CollectionCase): CollectionCaseEvent[] {
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
    if (isOverdue) return reviewOpenCase(state, asOf, overdue, oldestDaysPastDue);
    return [{ type: 'CollectionCaseClosed', data: { caseId: state.caseId, customerId, closedOn: asOf, reason: 'overdue-cleared' } }];
  }
  if (state.status === 'closed' && BigInt(state.closedForMinor) > 0n && overdue.currency === state.currency) {
    // Closed as written off or plan-completed: only money beyond what it was closed for is new overdue.
    if (overdue.amountMinor <= BigInt(state.closedForMinor)) return reviewClosedCase(state, asOf, overdue, oldestDaysPastDue);
  }
  if (!isOverdue || oldestDaysPastDue === null) return [];
  return [
    {
      type: 'CollectionCaseOpened',
      data: { caseId, customerId, openedOn: asOf, overdueAmount: toJson(overdue), oldestDaysPastDue },
    },
  ];
}

/**
 * Money still overdue on an open case: records the figures if they differ from the last recorded ones and
 * are not older than them (a late figure never overwrites a newer one); the same figures again record nothing.
 */
function reviewOpenCase(
  state: Extract<CollectionCase, { status: 'open' }>,
  asOf: string,
  overdue: Money,
  oldestDaysPastDue: number | null,
): CollectionCaseEvent[] {
  const last = state.figures;
  if (oldestDaysPastDue === null || asOf < last.asOf) return [];
  if (overdue.amountMinor.toString() === last.overdueMinor && oldestDaysPastDue === last.oldestDaysPastDue) return [];
  return [
    {
      type: 'CollectionCaseReviewed',
      data: { caseId: state.caseId, customerId: state.customerId, asOf, overdue: toJson(overdue), oldestDaysPastDue },
    },
  ];
}

/** A closed case's figures that open nothing: recorded when they differ from the last seen. */
function reviewClosedCase(
  state: Extract<CollectionCase, { status: 'closed' }>,
  asOf: string,
  overdue: Money,
  oldestDaysPastDue: number | null,
): CollectionCaseEvent[] {
  const seen = state.lastSeen;
  const days = overdue.amountMinor > 0n ? oldestDaysPastDue : null;
  if (overdue.amountMinor.toString() === seen.overdueMinor && days === seen.oldestDaysPastDue) return [];
  return [
    {
      type: 'ClosedCaseReviewed',
      data: { caseId: state.lastCaseId, customerId: state.customerId, asOf, overdue: toJson(overdue), oldestDaysPastDue: days },
    },
  ];
}

/**
 * A rejected write-off: after a case closed as written off, the amount it was closed for drops by the invoice's open
 * amount, and if the last figure seen is now beyond it, a case opens again at once (with that figure).
 */
export function restoreOverdue(command: RestoreOverdue, state: CollectionCase): CollectionCaseEvent[] {
  const { customerId, caseId, on, amount } = command.data;
  requireOwnStream(state, customerId);
  if (state.status !== 'closed' || amount.amountMinor <= 0n || amount.currency !== state.currency) return [];
  const closedFor = BigInt(state.closedForMinor);
  if (closedFor <= 0n) return [];
  const restored: ClosedAmountRestored = {
    type: 'ClosedAmountRestored',
    data: { caseId: state.lastCaseId, customerId, on, amount: toJson(amount) },
  };
  const left = closedFor > amount.amountMinor ? closedFor - amount.amountMinor : 0n;
  const seen = state.lastSeen;
  if (BigInt(seen.overdueMinor) <= left || seen.oldestDaysPastDue === null) return [restored];
  const last = lastMovedOn(state) ?? on;
  return [
    restored,
    {
      type: 'CollectionCaseOpened',
      data: {
        caseId,
        customerId,
        openedOn: on > last ? on : last,
        overdueAmount: { amountMinor: seen.overdueMinor, currency: state.currency },
        oldestDaysPastDue: seen.oldestDaysPastDue,
      },
    },
  ];
}

/**
 * Closes the open case (nothing when none is open). Never dated before the figures it last recorded: a case
 * does not close before the day it was last seen overdue.
 */
export function closeCase(command: CloseCase, state: CollectionCase): CollectionCaseEvent[] {
  const { customerId, on, reason } = command.data;
  requireOwnStream(state, customerId);
  if (state.status !== 'open') return [];
  const closedOn = on < state.figures.asOf ? state.figures.asOf : on;
  return [{ type: 'CollectionCaseClosed', data: { caseId: state.caseId, customerId, closedOn, reason } }];
}

function decideCommand(command: CollectionCaseCommand, state: CollectionCase): CollectionCaseEvent[] {
  switch (command.type) {
    case 'ReviewOverdue':
      return reviewOverdue(command, state);
    case 'CloseCase':
      return closeCase(command, state);
    case 'RestoreOverdue':
      return restoreOverdue(command, state);
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

/** What is wrong with an internal CollectionCaseReviewed (it has no public contract; this is its own). */
function reviewedProblems(data: CollectionCaseReviewed['data']): string[] {
  const problems: string[] = [];
  if (!isIsoDate(data.asOf)) problems.push(`asOf: expected a date 'YYYY-MM-DD', got ${JSON.stringify(data.asOf)}`);
  if (!isMinorUnits(data.overdue.amountMinor) || BigInt(data.overdue.amountMinor) <= 0n) {
    problems.push(`overdue.amountMinor: expected positive minor units, got ${JSON.stringify(data.overdue.amountMinor)}`);
  }
  if (!Number.isSafeInteger(data.oldestDaysPastDue) || data.oldestDaysPastDue < 1) {
    problems.push(`oldestDaysPastDue: expected an integer >= 1, got ${String(data.oldestDaysPastDue)}`);
  }
  return problems;
}

/**
 * Decides, then refuses anything its contract would not accept, so no consumer ever dead-letters our event
 * (and the internal event anything the cases view could not fold).
 */
export function decide(command: CollectionCaseCommand, state: CollectionCase): CollectionCaseEvent[] {
  return validated(
    {
      ...CollectionsEvents,
      CollectionCaseReviewed: (data) => reviewedProblems(data as CollectionCaseReviewed['data']),
      ClosedCaseReviewed: (data) => (isIsoDate((data as ClosedCaseReviewed['data']).asOf) ? [] : ['asOf: expected a date']),
      ClosedAmountRestored: (data) => (isIsoDate((data as ClosedAmountRestored['data']).on) ? [] : ['on: expected a date']),
    },
    decideCommand(command, state),
  );
}

// ------------------------------------------------------------------------------------------------ evolve

export function evolve(state: CollectionCase, event: CollectionCaseEvent): CollectionCase {
  switch (event.type) {
    case 'CollectionCaseOpened': {
      const d = event.data;
      return {
        status: 'open',
        caseId: d.caseId,
        customerId: d.customerId,
        currency: d.overdueAmount.currency,
        openedOn: d.openedOn,
        figures: { asOf: d.openedOn, overdueMinor: d.overdueAmount.amountMinor, oldestDaysPastDue: d.oldestDaysPastDue },
      };
    }
    case 'CollectionCaseReviewed': {
      const d = event.data;
      if (state.status !== 'open' || state.caseId !== d.caseId) return state;
      return { ...state, figures: { asOf: d.asOf, overdueMinor: d.overdue.amountMinor, oldestDaysPastDue: d.oldestDaysPastDue } };
    }
    case 'CollectionCaseClosed': {
      const d = event.data;
      if (state.status !== 'open') return state;
      const lastSeen =
        d.reason === 'overdue-cleared' ? { asOf: d.closedOn, overdueMinor: '0', oldestDaysPastDue: null } : { ...state.figures };
      return {
        status: 'closed',
        lastCaseId: d.caseId,
        customerId: d.customerId,
        closedOn: d.closedOn,
        reason: d.reason,
        currency: state.currency,
        closedForMinor: d.reason === 'overdue-cleared' ? '0' : state.figures.overdueMinor,
        lastSeen,
      };
    }
    case 'ClosedCaseReviewed': {
      const d = event.data;
      if (state.status !== 'closed') return state;
      const closedFor = BigInt(state.closedForMinor);
      const seen = BigInt(d.overdue.amountMinor);
      return {
        ...state,
        closedForMinor: (seen < closedFor ? seen : closedFor).toString(),
        lastSeen: { asOf: d.asOf, overdueMinor: d.overdue.amountMinor, oldestDaysPastDue: d.oldestDaysPastDue },
      };
    }
    case 'ClosedAmountRestored': {
      const d = event.data;
      if (state.status !== 'closed') return state;
      const left = BigInt(state.closedForMinor) - BigInt(d.amount.amountMinor);
      return { ...state, closedForMinor: (left > 0n ? left : 0n).toString() };
    }
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${(unknown as { type: string }).type}`);
    }
  }
}

export const collectionCaseDecider: Decider<CollectionCaseCommand, CollectionCaseEvent, CollectionCase> = {
  initialState,
  decide,
  evolve,
};
