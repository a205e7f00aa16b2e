import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusinessDayClosed, dataOf, type EventEnvelope } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { DunningRunner } from '../dunning/dunning-runner';
import { recordDayClosed } from '../views/receivables.view';
import { COLLECTIONS_SYSTEM_ACTOR } from './aging.consumer';

/**
 * Each closed business day: records it (collections' calendar) and runs the day's dunning in the batch's
 * transaction, so the steps, their outbox rows and the consumer's position commit together. A rebuild
 * replaying the topic runs nothing (the steps were decided the first time and are in the dunning streams).
 */
@Controller()
export class CalendarConsumer {
  constructor(@Inject(DunningRunner) private readonly runner: DunningRunner) {}

  @EventPattern(BusinessDayClosed.type)
  async businessDayClosed(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const { date } = dataOf(BusinessDayClosed, envelope);
    await recordDayClosed(ctx.tx, date);
    if (ctx.replaying) return;
    await this.runner.runInTransaction(ctx.tx, date, {
      triggerId: envelope.eventId,
      actor: COLLECTIONS_SYSTEM_ACTOR,
      causationId: envelope.eventId,
      occurredAt: envelope.occurredAt,
    });
  }
}
