import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CustomerAgingChanged, CustomerExposureChanged, PortfolioKpisChanged, type EventEnvelope, dataOf } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { AlertCommands } from '../commands/alert-commands';
import { enqueueDeliveries } from '../delivery/outbox';
import { InsuredExposure, evaluateInsured } from './insured-exposure';
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
    @Inject(InsuredExposure) private readonly insured: InsuredExposure,
  ) {}

  /** Also pairs the exposure with the customer's insurance cover (the uninsured-exposure metric). */
  @EventPattern(CustomerExposureChanged.type)
  async exposureChanged(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(CustomerExposureChanged, envelope);
    await this.evaluate(envelope, { type: 'CustomerExposureChanged', data }, ctx);
    const insured = await this.insured.exposureChanged(data);
    if (insured !== null) await evaluateInsured(this.alerts, this.rules, envelope, [insured], ctx);
  }

  @EventPattern(CustomerAgingChanged.type)
  async agingChanged(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    await this.evaluate(envelope, { type: 'CustomerAgingChanged', data: dataOf(CustomerAgingChanged, envelope) }, ctx);
  }

  /** Portfolio, business-unit and credit-class KPIs (overdue ratio, DSO, AR turnover): the segment is the subject. */
  @EventPattern(PortfolioKpisChanged.type)
  async kpisChanged(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    await this.evaluate(envelope, { type: 'PortfolioKpisChanged', data: dataOf(PortfolioKpisChanged, envelope) }, ctx);
  }

  private async evaluate(envelope: EventEnvelope, figures: CustomerFigures, ctx: ArcKafkaContext): Promise<void> {
    const rules = await this.rules.active();
    if (rules.length === 0) return;
    const events = await this.alerts.evaluate({ eventId: envelope.eventId, occurredAt: envelope.occurredAt }, figures, rules);
    if (events.length === 0) return;
    // The view first: a resolution's deliveries read the alert's severity from it.
    ctx.batch.defer<DecidedAlertEvent[]>('risk-alert-alerts-view', events, async (tx, items) => {
      await applyAlertEvents(tx, items.flat());
      await enqueueDeliveries(tx, items.flat());
    });
  }
}
