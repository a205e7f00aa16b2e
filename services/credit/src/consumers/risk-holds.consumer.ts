import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { RiskCreditHoldReleaseRequested, RiskCreditHoldRequested, dataOf, type EventEnvelope } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { Commands } from '@arc/platform';
import { customerCreditAccountDecider, customerCreditAccountStreamId } from '../domain/customer-credit-account.decider';
import { CreditDomainError } from '../domain/customer-credit-account.errors';
import { CREDIT_SYSTEM_ACTOR } from '../commands/system-actor';

/** The reason of a hold risk-alert asked for ends with the alert's id, so its release lifts only that hold. */
export const riskHoldReason = (reason: string, alertId: string): string => `${reason} [alert ${alertId}]`;

/**
 * Risk-alert's credit-hold request (arc.risk.events, a critical alert of a rule that asks for a hold): places a
 * hold with source `risk-alert`, and lifts it when that alert resolves — only the hold that alert placed, never
 * a manual, collections or other alert's one. Follows CollectionsHoldsConsumer: appended in the batch's
 * transaction, command id from risk-alert's event, nothing decided again when a rebuild replays the topic.
 */
@Controller()
export class RiskHoldsConsumer {
  private readonly logger = new Logger('RiskHoldsConsumer');

  constructor(@Inject(Commands) private readonly commands: Commands) {}

  @EventPattern(RiskCreditHoldRequested.type)
  async holdRequested(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    if (ctx.replaying) return;
    const d = dataOf(RiskCreditHoldRequested, envelope);
    await this.execute(envelope, d.customerId, {
      type: 'PlaceHold',
      data: { source: 'risk-alert', reason: riskHoldReason(d.reason, d.alertId) },
    });
  }

  @EventPattern(RiskCreditHoldReleaseRequested.type)
  async releaseRequested(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    if (ctx.replaying) return;
    const d = dataOf(RiskCreditHoldReleaseRequested, envelope);
    const { state } = await this.commands.load(customerCreditAccountDecider, customerCreditAccountStreamId(d.customerId));
    if (state.status !== 'registered' || state.hold?.source !== 'risk-alert' || !state.hold.reason.endsWith(`[alert ${d.alertId}]`)) return;
    await this.execute(envelope, d.customerId, { type: 'ReleaseHold', data: { reason: `risk-alert: ${d.reason}` } });
  }

  private async execute(
    envelope: EventEnvelope,
    customerId: string,
    command: { type: 'PlaceHold'; data: { source: 'risk-alert'; reason: string } } | { type: 'ReleaseHold'; data: { reason: string } },
  ): Promise<void> {
    try {
      await this.commands.execute(customerCreditAccountDecider, {
        streamId: customerCreditAccountStreamId(customerId),
        customerId,
        command,
        commandId: `risk-hold:${envelope.eventId}`,
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
