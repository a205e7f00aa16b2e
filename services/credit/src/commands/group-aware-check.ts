import { Inject, Injectable } from '@nestjs/common';
import { money, sum, type Money } from '@arc/money';
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
import { ConvertedOpenAr } from './converted-open-ar';
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
    @Inject(ConvertedOpenAr) private readonly openArView: ConvertedOpenAr,
  ) {}

  /**
   * Decides the check with the customer's open AR in its limit's currency (other-currency invoices
   * converted at their issue date's rate; a missing rate refuses the check with 422 before anything is
   * appended). Returns the account after the decision and the open AR it used.
   */
  async run(
    customerId: string,
    check: Omit<CheckCredit['data'], 'openAr'>,
    actor: string,
  ): Promise<{ account: CustomerCreditAccount; openAr: Money }> {
    // Read for this check: the account's command below decides on this state without reading it again.
    const { state: before } = await this.commands.state(customerCreditAccountDecider, customerCreditAccountStreamId(customerId), {
      forCommand: check.checkId,
    });
    // In the customer's currency; an order in another one is refused by the account (422 CURRENCY_MISMATCH).
    const currency = before.status === 'registered' ? before.currency : check.orderAmount.currency;
    const openAr =
      currency === check.orderAmount.currency
        ? await this.openArView.inCurrency(customerId, currency)
        : money(0n, check.orderAmount.currency);
    const data: CheckCredit['data'] = { ...check, openAr };
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
    return { account: newState, openAr };
  }

  /** True when the group reserved the order, false when its limit refused it. */
  private async reserveOnGroup(groupId: string, customerId: string, data: CheckCredit['data'], actor: string): Promise<boolean> {
    try {
      await withPatience(async () => {
        const { state: group } = await this.commands.load(creditGroupDecider, creditGroupStreamId(groupId));
        const members = group.status === 'defined' ? [...group.members] : [];
        const currency = data.orderAmount.currency;
        const openAr: Money[] = await Promise.all(members.map((member) => this.openArView.inCurrency(member, currency)));
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
