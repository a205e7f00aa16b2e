import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CreditPolicySet, PaymentArrangementBroken, type EventEnvelope, dataOf } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { recordBrokenPromise, scheduleReview } from '../views/review-schedule.view';

/** Follows each policy's next review date (own topic) into the review schedule, and broken promises (collections) for reviews. */
@Controller()
export class ReviewScheduleConsumer {
  @EventPattern(CreditPolicySet.type)
  async policySet(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(CreditPolicySet, envelope);
    await scheduleReview(ctx.tx, data.customerId, data.nextReviewDate);
  }

  @EventPattern(PaymentArrangementBroken.type)
  async arrangementBroken(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const { customerId, arrangementId, instalment, brokenOn } = dataOf(PaymentArrangementBroken, envelope);
    await recordBrokenPromise(ctx.tx, { customerId, arrangementId, instalment, brokenOn });
  }
}
