import { Controller, Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { Pool } from 'pg';
import { CreditInsuranceCoverSet, dataOf, type CustomerExposureChangedData, type EventEnvelope } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { ARC_PG_POOL, transactional } from '@arc/platform';
import { AlertCommands } from '../commands/alert-commands';
import { enqueueDeliveries } from '../delivery/outbox';
import type { CustomerFigures } from '../domain';
import { AlertRulesView } from '../views/alert-rules.view';
import { applyAlertEvents, type DecidedAlertEvent } from '../views/alerts.view';

/** Not read models (their sources are other topics): the last exposure per customer, and its insurance cover. */
export const LAST_EXPOSURES_TABLE = 'risk_alert_last_exposures';
export const INSURANCE_COVERS_TABLE = 'risk_alert_insurance_covers';

type InsuredFigures = Extract<CustomerFigures, { type: 'InsuredExposure' }>;

/**
 * The "insured cover exceeded" figure: a customer's exposure (its last CustomerExposureChanged) against its
 * credit-insurance cover (credit's CreditInsuranceCoverSet; nothing insured once the cover's validUntil has
 * passed). Only customers with a cover have the figure. Every read and write joins the batch's transaction.
 */
@Injectable()
export class InsuredExposure implements OnModuleInit {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await this.pool.query(`
      CREATE TABLE IF NOT EXISTS ${LAST_EXPOSURES_TABLE} (customer_id uuid PRIMARY KEY, as_of date NOT NULL, exposure_minor numeric NOT NULL, currency char(3) NOT NULL);
      CREATE TABLE IF NOT EXISTS ${INSURANCE_COVERS_TABLE} (customer_id uuid PRIMARY KEY, insured_minor numeric NOT NULL, currency char(3) NOT NULL, valid_until date NOT NULL)`);
  }

  /** Records the exposure (a later business date wins) and answers the figure as of it, if the customer has a cover. */
  async exposureChanged(d: CustomerExposureChangedData): Promise<InsuredFigures | null> {
    await transactional(this.pool).query(
      `INSERT INTO ${LAST_EXPOSURES_TABLE} (customer_id, as_of, exposure_minor, currency) VALUES ($1, $2, $3, $4)
       ON CONFLICT (customer_id) DO UPDATE SET as_of = EXCLUDED.as_of, exposure_minor = EXCLUDED.exposure_minor, currency = EXCLUDED.currency
       WHERE ${LAST_EXPOSURES_TABLE}.as_of <= EXCLUDED.as_of`,
      [d.customerId, d.asOf, d.exposure.amountMinor, d.exposure.currency],
    );
    return this.figures(d.customerId, d.asOf);
  }

  /** Records the cover and answers the figure as of the customer's last exposure, if there is one. */
  async coverSet(
    customerId: string,
    insured: { amountMinor: string; currency: string },
    validUntil: string,
  ): Promise<InsuredFigures | null> {
    await transactional(this.pool).query(
      `INSERT INTO ${INSURANCE_COVERS_TABLE} (customer_id, insured_minor, currency, valid_until) VALUES ($1, $2, $3, $4)
       ON CONFLICT (customer_id) DO UPDATE SET insured_minor = EXCLUDED.insured_minor, currency = EXCLUDED.currency, valid_until = EXCLUDED.valid_until`,
      [customerId, insured.amountMinor, insured.currency, validUntil],
    );
    return this.figures(customerId, null);
  }

  /** The figures of the customers whose cover ended the day before `date` (it no longer covers anything on `date`). */
  async expiredOn(date: string): Promise<InsuredFigures[]> {
    const { rows } = await transactional(this.pool).query<{ customer_id: string }>(
      `SELECT customer_id::text FROM ${INSURANCE_COVERS_TABLE} WHERE valid_until = $1::date - 1 ORDER BY 1`,
      [date],
    );
    const figures = await Promise.all(rows.map((r) => this.figures(r.customer_id, date)));
    return figures.filter((f): f is InsuredFigures => f !== null);
  }

  private async figures(customerId: string, asOf: string | null): Promise<InsuredFigures | null> {
    const { rows } = await transactional(this.pool).query<{
      as_of: string;
      exposure_minor: string;
      currency: string;
      insured_minor: string;
      cover_currency: string;
      valid_until: string;
    }>(
      `SELECT to_char(e.as_of, 'YYYY-MM-DD') AS as_of, e.exposure_minor::text, e.currency, c.insured_minor::text, c.currency AS cover_currency,
              to_char(c.valid_until, 'YYYY-MM-DD') AS valid_until
         FROM ${LAST_EXPOSURES_TABLE} e JOIN ${INSURANCE_COVERS_TABLE} c USING (customer_id) WHERE customer_id = $1`,
      [customerId],
    );
    const row = rows[0];
    if (row === undefined) return null;
    const on = asOf !== null && asOf > row.as_of ? asOf : row.as_of;
    const insured = row.valid_until < on ? '0' : row.insured_minor;
    return {
      type: 'InsuredExposure',
      data: {
        customerId,
        asOf: on,
        exposure: { amountMinor: row.exposure_minor, currency: row.currency },
        insured: { amountMinor: insured, currency: row.cover_currency },
      },
    };
  }
}

/** Evaluates the insured-exposure figures and writes view and outbox once per batch, like the other consumers. */
export async function evaluateInsured(
  alerts: AlertCommands,
  rules: AlertRulesView,
  envelope: EventEnvelope,
  figures: readonly InsuredFigures[],
  ctx: ArcKafkaContext,
): Promise<void> {
  const active = (await rules.active()).filter((r) => r.metric === 'customer-uninsured-exposure');
  if (active.length === 0) return;
  const events: DecidedAlertEvent[] = [];
  for (const f of figures) {
    const ref = {
      eventId: envelope.eventId,
      occurredAt: envelope.occurredAt,
      ...(figures.length > 1 ? { subjectKey: f.data.customerId } : {}),
    };
    events.push(...(await alerts.evaluate(ref, f, active)));
  }
  if (events.length === 0) return;
  ctx.batch.defer<DecidedAlertEvent[]>('risk-alert-alerts-view', events, async (tx, items) => {
    await applyAlertEvents(tx, items.flat());
    await enqueueDeliveries(tx, items.flat());
  });
}

/** Credit's insurance covers (arc.credit.events). */
@Controller()
export class CreditCoversConsumer {
  constructor(
    @Inject(InsuredExposure) private readonly insured: InsuredExposure,
    @Inject(AlertCommands) private readonly alerts: AlertCommands,
    @Inject(AlertRulesView) private readonly rules: AlertRulesView,
  ) {}

  @EventPattern(CreditInsuranceCoverSet.type)
  async coverSet(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(CreditInsuranceCoverSet, envelope);
    const figures = await this.insured.coverSet(d.customerId, d.insuredAmount, d.validUntil);
    if (figures !== null) await evaluateInsured(this.alerts, this.rules, envelope, [figures], ctx);
  }
}
