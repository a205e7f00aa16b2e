import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CollectionsCreditHoldReleaseRequested, CollectionsCreditHoldRequested, dataOf, type EventEnvelope } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { Commands } from '@arc/platform';
import { customerCreditAccountDecider, customerCreditAccountStreamId } from '../domain/customer-credit-account.decider';
import { CreditDomainError } from '../domain/customer-credit-account.errors';
import { CREDIT_SYSTEM_ACTOR } from '../commands/system-actor';

/**
 * Collections' credit-hold step (arc.collections.events): places a hold with source `collections`, and lifts it
 * when collections says nothing is overdue any more — only a hold collections placed, never a manual or
 * risk-alert one. Appended in the batch's transaction; the command id derives from collections' event, so a
 * redelivery appends nothing, and a rebuild replaying the topic decides nothing again.
 */
@Controller()
export class CollectionsHoldsConsumer {
  private readonly logger = new Logger('CollectionsHoldsConsumer');

  constructor(@Inject(Commands) private readonly commands: Commands) {}

  @EventPattern(CollectionsCreditHoldRequested.type)
  async holdRequested(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    if (ctx.replaying) return;
    const d = dataOf(CollectionsCreditHoldRequested, envelope);
    await this.execute(envelope, d.customerId, { type: 'PlaceHold', data: { source: 'collections', reason: d.reason } });
  }

  @EventPattern(CollectionsCreditHoldReleaseRequested.type)
  async releaseRequested(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    if (ctx.replaying) return;
    const d = dataOf(CollectionsCreditHoldReleaseRequested, envelope);
    const { state } = await this.commands.load(customerCreditAccountDecider, customerCreditAccountStreamId(d.customerId));
    if (state.status !== 'registered' || state.hold?.source !== 'collections') return;
    await this.execute(envelope, d.customerId, { type: 'ReleaseHold', data: { reason: `collections: ${d.reason}` } });
  }

  private async execute(
    envelope: EventEnvelope,
    customerId: string,
    command: { type: 'PlaceHold'; data: { source: 'collections'; reason: string } } | { type: 'ReleaseHold'; data: { reason: string } },
  ): Promise<void> {
    try {
      await this.commands.execute(customerCreditAccountDecider, {
        streamId: customerCreditAccountStreamId(customerId),
        customerId,
        command,
        commandId: `collections-hold:${envelope.eventId}`,
        causationId: envelope.eventId,
        actor: CREDIT_SYSTEM_ACTOR,
        occurredAt: envelope.occurredAt,
      });
    } catch (error) {
      // A customer credit does not know (not registered here) cannot be held: logged, not retried forever.
      if (!(error instanceof CreditDomainError)) throw error;
      this.logger.warn(`${envelope.eventType} for customer ${customerId} not applied: ${error.message}`);
    }
  }
}
