import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { v5 as uuidv5 } from 'uuid';
import { BusinessDayClosed, type EventEnvelope, dataOf } from '@arc/contracts';
import type { BusinessDate } from '@arc/clock';
import type { ArcKafkaContext } from '@arc/messaging';
import { Commands } from '@arc/platform';
import { CustomerReview } from '../commands/customer-review';
import { CREDIT_SYSTEM_ACTOR } from '../commands/system-actor';
import { customerCreditAccountDecider, customerCreditAccountStreamId } from '../domain/customer-credit-account.decider';
import { CreditDomainError } from '../domain/customer-credit-account.errors';
import { brokenPromises, invoiceDates, recordDayClosed, reviewsDue, scheduleReview } from '../views/review-schedule.view';
import { endedBefore } from '../views/temporary-limits.view';

/** Namespace of the review ids a day close derives (UUIDv5 of calendar event + customer). */
const DAY_CLOSE_REVIEW_NAMESPACE = '5b0a3c1e-4f7d-4c35-9d0e-7a51c2e9b6f4';

/**
 * What closing a business day does to credit: the service learns its open day (the day after), every temporary limit that ended before the closed day
 * falls back, and every customer whose review date is on or before it is reviewed with its payment
 * behaviour. Command ids derive from the calendar event, so a redelivery appends nothing; a replay
 * (rebuild) does neither, both happened the first time.
 */
@Controller()
export class DayCloseConsumer {
  private readonly logger = new Logger('DayCloseConsumer');

  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(CustomerReview) private readonly reviews: CustomerReview,
  ) {}

  @EventPattern(BusinessDayClosed.type)
  async dayClosed(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const date = dataOf(BusinessDayClosed, envelope).date as BusinessDate;
    await recordDayClosed(ctx.tx, date);
    if (ctx.replaying) return;
    for (const customerId of await endedBefore(ctx.tx, date)) {
      // The view row goes when the expiry comes back on the topic.
      await this.commands.execute(customerCreditAccountDecider, {
        streamId: customerCreditAccountStreamId(customerId),
        customerId,
        command: { type: 'ExpireTemporaryLimit', data: { closedDate: date } },
        commandId: `expire-temporary-limit:${envelope.eventId}:${customerId}`,
        causationId: envelope.eventId,
        actor: CREDIT_SYSTEM_ACTOR,
        occurredAt: envelope.occurredAt,
      });
    }
    for (const { customerId } of await reviewsDue(ctx.tx, date)) {
      try {
        const history = {
          invoices: await invoiceDates(ctx.tx, customerId),
          brokenPromises: await brokenPromises(ctx.tx, customerId, date),
        };
        const { account } = await this.reviews.review(customerId, history, {
          assessmentId: uuidv5(`${envelope.eventId}:${customerId}`, DAY_CLOSE_REVIEW_NAMESPACE),
          reviewedOn: date,
          nextReviewDate: null,
          commandId: `day-close-review:${envelope.eventId}:${customerId}`,
          actor: CREDIT_SYSTEM_ACTOR,
          causationId: envelope.eventId,
        });
        // Moved now, in this batch, so a day closed before the policy comes back on the topic does not review again.
        if (account.status === 'registered' && account.policy !== null) {
          await scheduleReview(ctx.tx, customerId, account.policy.nextReviewDate);
        }
      } catch (error) {
        // Never assessed (nothing to re-rate): it stays on the list of reviews due, for a person to assess.
        if (!(error instanceof CreditDomainError)) throw error;
        this.logger.warn(`customer ${customerId} is due for review on ${date} but was not reviewed: ${error.message}`);
      }
    }
  }
}
