import type { CreditGroupEvent } from '@arc/contracts';
import { given } from '@arc/decider/testing';
import { parseMajor, toJson } from '@arc/money';
import { creditGroupDecider as decider, type ReserveGroupCredit } from './credit-group.decider';
import { CreditGroupAlreadyDefinedError, GroupLimitExceededError, NotAGroupMemberError } from './credit-group.errors';

const GROUP = 'a0a0a0a0-0000-4000-8000-000000000001';
const PARENT = 'c0ffee00-0000-4000-8000-000000000001';
const SUBSIDIARY = 'c0ffee00-0000-4000-8000-000000000002';
const OUTSIDER = 'c0ffee00-0000-4000-8000-000000000003';
const R1 = 'a1b2c3d4-0000-4000-8000-000000000001';
const R2 = 'a1b2c3d4-0000-4000-8000-000000000002';
const eur = (major: string) => parseMajor(major, 'EUR');
const eurJson = (major: string) => toJson(eur(major));

const defined: CreditGroupEvent[] = [
  { type: 'CreditGroupDefined', data: { groupId: GROUP, name: 'Acme Group', parentCustomerId: PARENT, groupLimit: eurJson('1000.00') } },
  { type: 'CreditGroupMemberAdded', data: { groupId: GROUP, memberCustomerId: PARENT } },
  { type: 'CreditGroupMemberAdded', data: { groupId: GROUP, memberCustomerId: SUBSIDIARY } },
];
const reserve = (reservationId: string, member: string, major: string, openArMajor = '0.00'): ReserveGroupCredit => ({
  type: 'ReserveGroupCredit',
  data: { reservationId, memberCustomerId: member, amount: eur(major), membersOpenAr: eur(openArMajor) },
});
const made = (reservationId: string, member: string, major: string, beforeMajor: string): CreditGroupEvent => ({
  type: 'CreditGroupReservationMade',
  data: {
    groupId: GROUP,
    memberCustomerId: member,
    reservationId,
    amount: eurJson(major),
    groupExposureBefore: eurJson(beforeMajor),
    groupLimit: eurJson('1000.00'),
  },
});

describe('credit group', () => {
  it('defines a group with its parent as the first member', () => {
    given(decider)
      .when({
        type: 'DefineCreditGroup',
        data: { groupId: GROUP, name: 'Acme Group', parentCustomerId: PARENT, groupLimit: eur('1000.00') },
      })
      .then(defined.slice(0, 2));
  });

  it('refuses redefining a group with other details', () => {
    given(decider, defined)
      .when({ type: 'DefineCreditGroup', data: { groupId: GROUP, name: 'Other', parentCustomerId: PARENT, groupLimit: eur('1000.00') } })
      .thenThrows(CreditGroupAlreadyDefinedError);
  });

  it("reserves a member's order while members' open AR + open group reservations + the order fit the group limit", () => {
    given(decider, [...defined, made(R1, PARENT, '600.00', '0.00')])
      .when(reserve(R2, SUBSIDIARY, '300.00', '100.00'))
      .then([made(R2, SUBSIDIARY, '300.00', '700.00')]);
  });

  it('refuses an order one cent beyond the group limit, stating the exposure and limit it saw', () => {
    const error = given(decider, [...defined, made(R1, PARENT, '600.00', '0.00')])
      .when(reserve(R2, SUBSIDIARY, '300.01', '100.00'))
      .thenThrows(GroupLimitExceededError);
    expect(error).toMatchObject({ groupExposure: 70000n, groupLimit: 100000n, currency: 'EUR' });
  });

  it('frees the group limit when a reservation is released, once', () => {
    const released: CreditGroupEvent = {
      type: 'CreditGroupReservationReleased',
      data: { groupId: GROUP, memberCustomerId: PARENT, reservationId: R1, amount: eurJson('600.00'), reason: 'invoiced' },
    };
    given(decider, [...defined, made(R1, PARENT, '600.00', '0.00')])
      .when({ type: 'ReleaseGroupReservation', data: { reservationId: R1, reason: 'invoiced' } })
      .then([released]);
    given(decider, [...defined, made(R1, PARENT, '600.00', '0.00'), released])
      .when(reserve(R2, SUBSIDIARY, '1000.00'))
      .then([made(R2, SUBSIDIARY, '1000.00', '0.00')]);
    given(decider, [...defined, made(R1, PARENT, '600.00', '0.00'), released])
      .when({ type: 'ReleaseGroupReservation', data: { reservationId: R1, reason: 'again' } })
      .thenNothingHappens();
  });

  it('treats the same reservation again as a repeat, and refuses a customer outside the group', () => {
    given(decider, [...defined, made(R1, PARENT, '600.00', '0.00')])
      .when(reserve(R1, PARENT, '600.00'))
      .thenNothingHappens();
    given(decider, defined)
      .when(reserve(R1, OUTSIDER, '1.00'))
      .thenThrows(NotAGroupMemberError);
  });
});
