import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { BusinessDayClosed, dataOf, type EventEnvelope } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { ReadModels } from '@arc/platform';
import { DunningRunner } from '../dunning/dunning-runner';
import { recordDayClosed, RECEIVABLES_READ_MODEL } from '../views/receivables.view';
import { COLLECTIONS_SYSTEM_ACTOR } from './aging.consumer';

/**
 * Each closed business day: records it (collections' calendar) and runs the day's dunning in the batch's
 * transaction, so the steps, their outbox rows and the consumer's position commit together. A rebuild
 * replaying the topic runs nothing (the steps were decided the first time and are in the dunning streams),
 * and no run decides while the receivables view is still being rebuilt.
 */
@Controller()
export class CalendarConsumer {
  constructor(
    @Inject(DunningRunner) private readonly runner: DunningRunner,
    @Inject(ReadModels) private readonly readModels: ReadModels,
  ) {}

  @EventPattern(BusinessDayClosed.type)
  async businessDayClosed(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const { date } = dataOf(BusinessDayClosed, envelope);
    await recordDayClosed(ctx.tx, date);
    if (ctx.replaying) return;
    // Mid-rebuild the open items hold part of their history: a run now could release a hold or break a promise
    // on missing figures. The next close catches up every step and decision due by then.
    if (await this.readModels.rebuilding(RECEIVABLES_READ_MODEL)) return;
    await this.runner.runInTransaction(ctx.tx, date, {
      triggerId: envelope.eventId,
      actor: COLLECTIONS_SYSTEM_ACTOR,
      causationId: envelope.eventId,
      occurredAt: envelope.occurredAt,
    });
  }
}
