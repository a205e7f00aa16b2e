import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CustomerAgingChanged, CustomerExposureChanged, type EventEnvelope, dataOf } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { AlertCommands } from '../commands/alert-commands';
import type { CustomerFigures } from '../domain';
import { AlertRulesView } from '../views/alert-rules.view';
import { applyAlertEvents, type DecidedAlertEvent } from '../views/alerts.view';

/**
 * Evaluates the active rules on each customer figure projections publish (arc.projections.changes).
 * The alert events are appended in the batch's transaction and the alerts view is written once per batch
 * through a deferred write in the same transaction: events, view and position commit together.
 */
@Controller()
export class ProjectionChangesConsumer {
  constructor(
    @Inject(AlertCommands) private readonly alerts: AlertCommands,
    @Inject(AlertRulesView) private readonly rules: AlertRulesView,
  ) {}

  @EventPattern(CustomerExposureChanged.type)
  async exposureChanged(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    await this.evaluate(envelope, { type: 'CustomerExposureChanged', data: dataOf(CustomerExposureChanged, envelope) }, ctx);
  }

  @EventPattern(CustomerAgingChanged.type)
  async agingChanged(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    await this.evaluate(envelope, { type: 'CustomerAgingChanged', data: dataOf(CustomerAgingChanged, envelope) }, ctx);
  }

  private async evaluate(envelope: EventEnvelope, figures: CustomerFigures, ctx: ArcKafkaContext): Promise<void> {
    const rules = await this.rules.active();
    if (rules.length === 0) return;
    const events = await this.alerts.evaluate({ eventId: envelope.eventId, occurredAt: envelope.occurredAt }, figures, rules);
    if (events.length === 0) return;
    ctx.batch.defer<DecidedAlertEvent[]>('risk-alert-alerts-view', events, (tx, items) => applyAlertEvents(tx, items.flat()));
  }
}
