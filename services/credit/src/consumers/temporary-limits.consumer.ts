import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CreditLimitRequestApproved, TemporaryCreditLimitExpired, type EventEnvelope, dataOf } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { forgetTemporaryLimit, recordTemporaryLimit } from '../views/temporary-limits.view';

/**
 * Follows approvals and expiries (own topic) into the temporary-limits view, which the day close
 * (`day-close.consumer.ts`) reads to let temporary limits fall back by themselves.
 */
@Controller()
export class TemporaryLimitsConsumer {
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
}
