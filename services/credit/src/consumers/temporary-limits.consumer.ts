import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusinessDayClosed, CreditLimitRequestApproved, TemporaryCreditLimitExpired, type EventEnvelope, dataOf } from '@arc/contracts';
import type { BusinessDate } from '@arc/clock';
import type { ArcKafkaContext } from '@arc/messaging';
import { Commands } from '@arc/platform';
import { customerCreditAccountDecider, customerCreditAccountStreamId } from '../domain/customer-credit-account.decider';
import { endedBefore, forgetTemporaryLimit, recordTemporaryLimit } from '../views/temporary-limits.view';
import { CREDIT_SYSTEM_ACTOR } from '../commands/system-actor';

/**
 * Lets temporary limits fall back by themselves: follows approvals and expiries (own topic) into the
 * temporary-limits view and, when a business day is closed, expires every temporary limit that ended
 * before it. An approval not yet in the view when a day closes is caught by the next close (the rule is
 * "ended before the closed day", so a later close still ends it).
 */
@Controller()
export class TemporaryLimitsConsumer {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  @EventPattern(CreditLimitRequestApproved.type)
  async approved(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(CreditLimitRequestApproved, envelope);
    await recordTemporaryLimit(ctx.tx, data.customerId, data.requestId, data.temporaryUntil);
  }

  @EventPattern(TemporaryCreditLimitExpired.type)
  async expired(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(TemporaryCreditLimitExpired, envelope);
    await forgetTemporaryLimit(ctx.tx, data.customerId, data.requestId);
  }

  @EventPattern(BusinessDayClosed.type)
  async dayClosed(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    if (ctx.replaying) return; // a rebuild re-reads history; the expiries happened the first time
    const { date } = dataOf(BusinessDayClosed, envelope);
    for (const customerId of await endedBefore(ctx.tx, date)) {
      // Appended by the event store in its own statement (see the receivables consumer); the command id
      // derives from the calendar event, so a redelivery appends nothing. The view row goes when the
      // expiry comes back on the topic.
      await this.commands.execute(customerCreditAccountDecider, {
        streamId: customerCreditAccountStreamId(customerId),
        customerId,
        command: { type: 'ExpireTemporaryLimit', data: { closedDate: date as BusinessDate } },
        commandId: `expire-temporary-limit:${envelope.eventId}:${customerId}`,
        causationId: envelope.eventId,
        actor: CREDIT_SYSTEM_ACTOR,
        occurredAt: envelope.occurredAt,
      });
    }
  }
}
