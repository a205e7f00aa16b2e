import { Controller, Inject, type OnModuleInit } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Pool } from 'pg';
import { BusinessDayClosed, PaymentArrangementBroken, dataOf, type EventEnvelope } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { ARC_PG_POOL, transactional } from '@arc/platform';
import { AlertCommands } from '../commands/alert-commands';
import { enqueueDeliveries } from '../delivery/outbox';
import { BROKEN_PROMISES_WINDOW_DAYS, type RuleSnapshot } from '../domain';
import { AlertRulesView } from '../views/alert-rules.view';
import { InsuredExposure, evaluateInsured } from './insured-exposure';
import { InvoiceAlerts } from './invoice-alerts';
import { ALERTS_TABLE, applyAlertEvents, type DecidedAlertEvent } from '../views/alerts.view';

/** Collections' broken promises as risk-alert counts them (not a read model: its source is another topic). */
export const BROKEN_PROMISES_TABLE = 'risk_alert_broken_promises';
const METRIC = 'customer-broken-promises';

/**
 * The broken-promises metric: each PaymentArrangementBroken (arc.collections.events) is recorded and the
 * customer's count over the last 365 days evaluated; each BusinessDayClosed (arc.calendar) evaluates again the
 * customers with a broken promise in the window or an open alert of the metric, so an alert resolves when its
 * promises age out. Appended, viewed and queued in the batch's transaction, like projection changes.
 */
@Controller()
export class BrokenPromisesConsumer implements OnModuleInit {
  constructor(
    @Inject(AlertCommands) private readonly alerts: AlertCommands,
    @Inject(AlertRulesView) private readonly rules: AlertRulesView,
    @Inject(ARC_PG_POOL) private readonly pool: Pool,
    @Inject(InsuredExposure) private readonly insured: InsuredExposure,
    @Inject(InvoiceAlerts) private readonly invoiceAlerts: InvoiceAlerts,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.pool.query(
      `CREATE TABLE IF NOT EXISTS ${BROKEN_PROMISES_TABLE} (
         arrangement_id uuid NOT NULL, instalment int NOT NULL, customer_id uuid NOT NULL, broken_on date NOT NULL,
         PRIMARY KEY (arrangement_id, instalment))`,
    );
  }

  @EventPattern(PaymentArrangementBroken.type)
  async promiseBroken(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(PaymentArrangementBroken, envelope);
    const db = transactional(this.pool);
    await db.query(
      `INSERT INTO ${BROKEN_PROMISES_TABLE} (arrangement_id, instalment, customer_id, broken_on) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
      [d.arrangementId, d.instalment, d.customerId, d.brokenOn],
    );
    const rules = await this.activeRules();
    if (rules.length === 0) return;
    await this.evaluate(envelope, d.customerId, d.brokenOn, rules, ctx, false);
  }

  /**
   * Also the insurance covers that ended the day before (the uninsured-exposure metric) and the amounts falling
   * due in the next N days (the window moves with the day).
   */
  @EventPattern(BusinessDayClosed.type)
  async dayClosed(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const { date } = dataOf(BusinessDayClosed, envelope);
    await this.invoiceAlerts.dayClosed(envelope, date, ctx);
    const expired = await this.insured.expiredOn(date);
    if (expired.length > 0) await evaluateInsured(this.alerts, this.rules, envelope, expired, ctx);
    const rules = await this.activeRules();
    if (rules.length === 0) return;
    const { rows } = await transactional(this.pool).query<{ customer_id: string }>(
      `SELECT customer_id::text FROM ${BROKEN_PROMISES_TABLE} WHERE broken_on > $1::date - $2::int AND broken_on <= $1::date
       UNION SELECT subject_key FROM ${ALERTS_TABLE} WHERE metric = $3 AND status = 'open' AND subject_kind = 'customer'
       ORDER BY 1`,
      [date, BROKEN_PROMISES_WINDOW_DAYS, METRIC],
    );
    for (const { customer_id } of rows) await this.evaluate(envelope, customer_id, date, rules, ctx, true);
  }

  private async activeRules(): Promise<RuleSnapshot[]> {
    return (await this.rules.active()).filter((r) => r.metric === METRIC);
  }

  private async evaluate(
    envelope: EventEnvelope,
    customerId: string,
    asOf: string,
    rules: RuleSnapshot[],
    ctx: ArcKafkaContext,
    perSubject: boolean,
  ): Promise<void> {
    const { rows } = await transactional(this.pool).query<{ n: string }>(
      `SELECT count(*)::text AS n FROM ${BROKEN_PROMISES_TABLE} WHERE customer_id = $1 AND broken_on > $2::date - $3::int AND broken_on <= $2::date`,
      [customerId, asOf, BROKEN_PROMISES_WINDOW_DAYS],
    );
    const figures = { type: 'BrokenPromises' as const, data: { customerId, asOf, count: Number(rows[0]?.n ?? 0) } };
    const ref = { eventId: envelope.eventId, occurredAt: envelope.occurredAt, ...(perSubject ? { subjectKey: customerId } : {}) };
    const events = await this.alerts.evaluate(ref, figures, rules);
    if (events.length === 0) return;
    ctx.batch.defer<DecidedAlertEvent[]>('risk-alert-alerts-view', events, async (tx, items) => {
      await applyAlertEvents(tx, items.flat());
      await enqueueDeliveries(tx, items.flat());
    });
  }
}
