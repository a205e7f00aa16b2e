import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { parseBusinessDate } from '@arc/clock';
import { BusinessDayClosed, type EventEnvelope, dataOf } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { recordDayClosed } from '../views/business-calendar.view';

/** Keeps payments' view of the last closed business day from `arc.calendar`, for the receipt-date rule. */
@Controller()
export class CalendarConsumer {
  @EventPattern(BusinessDayClosed.type)
  async businessDayClosed(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(BusinessDayClosed, envelope);
    await recordDayClosed(ctx.tx, parseBusinessDate(data.date));
  }
}
