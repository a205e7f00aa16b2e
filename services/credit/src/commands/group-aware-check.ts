import { Inject, Injectable } from '@nestjs/common';
import { sum, type Money } from '@arc/money';
import { Commands } from '@arc/platform';
import {
  checkOutcome,
  customerCreditAccountDecider,
  customerCreditAccountStreamId,
  type CheckCredit,
  type CustomerCreditAccount,
} from '../domain/customer-credit-account.decider';
import { creditGroupDecider, creditGroupStreamId } from '../domain/group/credit-group.decider';
import { GroupLimitExceededError } from '../domain/group/credit-group.errors';
import { OpenArView } from '../views/open-ar.view';
import { withPatience } from './with-patience';

/**
 * A credit check that also respects the customer's credit group: the group reserves the order first (all
 * members' checks meet on the group's stream, so together they never overshoot the group limit), then the
 * customer's own account decides; a check the account fails gives the group reservation back. A check the
 * group refuses fails on the account as `group-limit-exceeded`.
 */
@Injectable()
export class GroupAwareCheck {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(OpenArView) private readonly openArView: OpenArView,
  ) {}

  async run(customerId: string, data: CheckCredit['data'], actor: string): Promise<CustomerCreditAccount> {
    const { state: before } = await this.commands.state(customerCreditAccountDecider, customerCreditAccountStreamId(customerId));
    const groupId = before.status === 'registered' && checkOutcome(before, data.checkId) === null ? before.groupId : null;
    const reserved = groupId === null ? false : await this.reserveOnGroup(groupId, customerId, data, actor);
    const { newState } = await withPatience(() =>
      this.commands.execute(customerCreditAccountDecider, {
        streamId: customerCreditAccountStreamId(customerId),
        customerId,
        // The check id as the command id, so a repeated check (passed or failed) appends nothing.
        commandId: data.checkId,
        occurredAt: new Date().toISOString(),
        actor,
        command: { type: 'CheckCredit', data: { ...data, groupRefused: groupId !== null && !reserved } },
      }),
    );
    if (groupId !== null && reserved && checkOutcome(newState, data.checkId)?.passed !== true) {
      await this.releaseOnGroup(groupId, data.checkId, 'the customer check failed', `group-release:${data.checkId}`, actor);
    }
    return newState;
  }

  /** True when the group reserved the order, false when its limit refused it. */
  private async reserveOnGroup(groupId: string, customerId: string, data: CheckCredit['data'], actor: string): Promise<boolean> {
    try {
      await withPatience(async () => {
        const { state: group } = await this.commands.load(creditGroupDecider, creditGroupStreamId(groupId));
        const members = group.status === 'defined' ? [...group.members] : [];
        const currency = data.orderAmount.currency;
        const openAr: Money[] = await Promise.all(members.map((member) => this.openArView.openAr(member, currency)));
        return this.commands.execute(creditGroupDecider, {
          streamId: creditGroupStreamId(groupId),
          customerId: groupId,
          commandId: `group-reservation:${data.checkId}`,
          actor,
          occurredAt: new Date().toISOString(),
          command: {
            type: 'ReserveGroupCredit',
            data: {
              reservationId: data.checkId,
              memberCustomerId: customerId,
              amount: data.orderAmount,
              membersOpenAr: sum(openAr, currency),
            },
          },
        });
      });
      return true;
    } catch (error) {
      if (error instanceof GroupLimitExceededError) return false;
      throw error;
    }
  }

  /** Gives a member's share of the group limit back (its reservation was consumed, released or failed). */
  async releaseOnGroup(groupId: string, reservationId: string, reason: string, commandId: string, actor: string): Promise<void> {
    await withPatience(() =>
      this.commands.execute(creditGroupDecider, {
        streamId: creditGroupStreamId(groupId),
        customerId: groupId,
        commandId,
        actor,
        occurredAt: new Date().toISOString(),
        command: { type: 'ReleaseGroupReservation', data: { reservationId, reason } },
      }),
    );
  }
}
