/*
 * A credit group (stream `credit-group-<groupId>`): a parent and its subsidiaries sharing one limit. The
 * group holds a reservation for every member check it let through, so concurrent checks of different
 * members meet on this one stream and cannot together overshoot the group limit:
 *   group exposure = Σ members' open AR (in the group's currency) + open group reservations.
 * A member's check passes only when the group reserves and the member's own account passes too.
 */
import { validated, CreditGroupEvents, type CreditGroupEvent } from '@arc/contracts';
import type { Decider } from '@arc/decider';
import { add, compare, parseMoney, sum, toJson, type Money } from '@arc/money';
import { CurrencyMismatchError, NegativeCreditLimitError, OrderAmountNotPositiveError } from '../customer-credit-account.errors';
import {
  CreditGroupAlreadyDefinedError,
  CreditGroupNotDefinedError,
  GroupLimitExceededError,
  NotAGroupMemberError,
} from './credit-group.errors';

export const creditGroupStreamId = (groupId: string): string => `credit-group-${groupId}`;

export type DefineCreditGroup = {
  type: 'DefineCreditGroup';
  data: { groupId: string; name: string; parentCustomerId: string; groupLimit: Money };
};
export type SetGroupLimit = { type: 'SetGroupLimit'; data: { groupLimit: Money } };
export type AddGroupMember = { type: 'AddGroupMember'; data: { memberCustomerId: string } };
export type ReserveGroupCredit = {
  type: 'ReserveGroupCredit';
  data: {
    reservationId: string;
    memberCustomerId: string;
    amount: Money;
    /** Σ of every member's open AR in the group's currency, from the service's view (outside figure). */
    membersOpenAr: Money;
  };
};
export type ReleaseGroupReservation = { type: 'ReleaseGroupReservation'; data: { reservationId: string; reason: string } };
export type CreditGroupCommand = DefineCreditGroup | SetGroupLimit | AddGroupMember | ReserveGroupCredit | ReleaseGroupReservation;

export interface GroupReservation {
  memberCustomerId: string;
  amount: Money;
  open: boolean;
}

export type CreditGroup =
  | { status: 'undefined' }
  | {
      status: 'defined';
      groupId: string;
      name: string;
      parentCustomerId: string;
      limit: Money;
      members: ReadonlySet<string>;
      reservations: ReadonlyMap<string, GroupReservation>;
    };
type Defined = Extract<CreditGroup, { status: 'defined' }>;

export const initialCreditGroup: CreditGroup = { status: 'undefined' };

function defined(state: CreditGroup, command: string): Defined {
  if (state.status !== 'defined') throw new CreditGroupNotDefinedError(command);
  return state;
}

export function groupOpenReservations(group: Defined): Money {
  return sum(
    [...group.reservations.values()].filter((r) => r.open).map((r) => r.amount),
    group.limit.currency,
  );
}

export function groupExposure(group: Defined, membersOpenAr: Money): Money {
  return add(membersOpenAr, groupOpenReservations(group));
}

function decideCommand(command: CreditGroupCommand, state: CreditGroup): CreditGroupEvent[] {
  switch (command.type) {
    case 'DefineCreditGroup': {
      const { groupId, name, parentCustomerId, groupLimit } = command.data;
      if (groupLimit.amountMinor < 0n) throw new NegativeCreditLimitError(groupLimit.amountMinor);
      if (state.status === 'defined') {
        const same = state.name === name && state.parentCustomerId === parentCustomerId && compare(state.limit, groupLimit) === 0;
        if (same) return [];
        throw new CreditGroupAlreadyDefinedError(groupId);
      }
      return [
        { type: 'CreditGroupDefined', data: { groupId, name, parentCustomerId, groupLimit: toJson(groupLimit) } },
        // The parent is a member from the start: its own orders count against the group's limit.
        { type: 'CreditGroupMemberAdded', data: { groupId, memberCustomerId: parentCustomerId } },
      ];
    }
    case 'SetGroupLimit': {
      const group = defined(state, command.type);
      const { groupLimit } = command.data;
      if (groupLimit.currency !== group.limit.currency)
        throw new CurrencyMismatchError(group.limit.currency, groupLimit.currency, 'groupLimit', "the group's currency");
      if (groupLimit.amountMinor < 0n) throw new NegativeCreditLimitError(groupLimit.amountMinor);
      if (compare(groupLimit, group.limit) === 0) return [];
      return [{ type: 'CreditGroupLimitSet', data: { groupId: group.groupId, groupLimit: toJson(groupLimit) } }];
    }
    case 'AddGroupMember': {
      const group = defined(state, command.type);
      if (group.members.has(command.data.memberCustomerId)) return [];
      return [{ type: 'CreditGroupMemberAdded', data: { groupId: group.groupId, memberCustomerId: command.data.memberCustomerId } }];
    }
    case 'ReserveGroupCredit': {
      const group = defined(state, command.type);
      const { reservationId, memberCustomerId, amount, membersOpenAr } = command.data;
      if (group.reservations.has(reservationId)) return [];
      if (!group.members.has(memberCustomerId)) throw new NotAGroupMemberError(memberCustomerId);
      for (const [field, m] of [
        ['amount', amount],
        ['membersOpenAr', membersOpenAr],
      ] as const) {
        if (m.currency !== group.limit.currency)
          throw new CurrencyMismatchError(group.limit.currency, m.currency, field, "the group's currency");
      }
      if (amount.amountMinor <= 0n) throw new OrderAmountNotPositiveError(amount.amountMinor);
      const before = groupExposure(group, membersOpenAr);
      if (compare(add(before, amount), group.limit) > 0) {
        throw new GroupLimitExceededError(before.amountMinor, group.limit.amountMinor, group.limit.currency);
      }
      return [
        {
          type: 'CreditGroupReservationMade',
          data: {
            groupId: group.groupId,
            memberCustomerId,
            reservationId,
            amount: toJson(amount),
            groupExposureBefore: toJson(before),
            groupLimit: toJson(group.limit),
          },
        },
      ];
    }
    case 'ReleaseGroupReservation': {
      if (state.status !== 'defined') return [];
      const reservation = state.reservations.get(command.data.reservationId);
      if (reservation === undefined || !reservation.open) return [];
      return [
        {
          type: 'CreditGroupReservationReleased',
          data: {
            groupId: state.groupId,
            memberCustomerId: reservation.memberCustomerId,
            reservationId: command.data.reservationId,
            amount: toJson(reservation.amount),
            reason: command.data.reason,
          },
        },
      ];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

export function decide(command: CreditGroupCommand, state: CreditGroup): CreditGroupEvent[] {
  return validated(CreditGroupEvents, decideCommand(command, state));
}

export function evolve(state: CreditGroup, event: CreditGroupEvent): CreditGroup {
  if (event.type === 'CreditGroupDefined') {
    if (state.status === 'defined') return state;
    const d = event.data;
    return {
      status: 'defined',
      groupId: d.groupId,
      name: d.name,
      parentCustomerId: d.parentCustomerId,
      limit: parseMoney(d.groupLimit),
      members: new Set(),
      reservations: new Map(),
    };
  }
  if (state.status !== 'defined') return state;
  switch (event.type) {
    case 'CreditGroupLimitSet':
      return { ...state, limit: parseMoney(event.data.groupLimit) };
    case 'CreditGroupMemberAdded':
      return { ...state, members: new Set([...state.members, event.data.memberCustomerId]) };
    case 'CreditGroupReservationMade': {
      const reservations = new Map(state.reservations);
      reservations.set(event.data.reservationId, {
        memberCustomerId: event.data.memberCustomerId,
        amount: parseMoney(event.data.amount),
        open: true,
      });
      return { ...state, reservations };
    }
    case 'CreditGroupReservationReleased': {
      const reservation = state.reservations.get(event.data.reservationId);
      if (reservation === undefined) return state;
      const reservations = new Map(state.reservations);
      reservations.set(event.data.reservationId, { ...reservation, open: false });
      return { ...state, reservations };
    }
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${(unknown as { type: string }).type}`);
    }
  }
}

export const creditGroupDecider: Decider<CreditGroupCommand, CreditGroupEvent, CreditGroup> = {
  initialState: initialCreditGroup,
  decide,
  evolve,
};
