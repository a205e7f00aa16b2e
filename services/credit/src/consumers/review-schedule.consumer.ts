import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CreditPolicySet, type EventEnvelope, dataOf } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { scheduleReview } from '../views/review-schedule.view';

/** Follows each policy's next review date (own topic) into the review schedule. */
@Controller()
export class ReviewScheduleConsumer {
  @EventPattern(CreditPolicySet.type)
  async policySet(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(CreditPolicySet, envelope);
    await scheduleReview(ctx.tx, data.customerId, data.nextReviewDate);
  }
}
