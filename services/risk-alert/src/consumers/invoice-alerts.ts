import { Inject, Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { ARC_PG_POOL, transactional } from '@arc/platform';
import type { Pool } from 'pg';
import { AlertCommands } from '../commands/alert-commands';
import { enqueueDeliveries } from '../delivery/outbox';
import { FALLING_DUE_HORIZONS, fallingDue, type CustomerFigures, type OpenInvoice, type RuleSnapshot } from '../domain';
import { AlertRulesView } from '../views/alert-rules.view';
import { ALERTS_TABLE, applyAlertEvents, type DecidedAlertEvent } from '../views/alerts.view';
import { InvoicesView } from '../views/invoices.view';

const INVOICE_METRIC = 'invoice-open-amount';
const FALLING_DUE_METRICS = Object.keys(FALLING_DUE_HORIZONS);
const LONGEST_HORIZON = Math.max(...Object.values(FALLING_DUE_HORIZONS).filter((h): h is number => h !== undefined));

/** The currency a money rule's threshold is written in (the figure it is compared with must be in it). */
const currencyOf = (rule: RuleSnapshot): string | null => (rule.threshold.unit === 'minor-units' ? rule.threshold.amount.currency : null);

/**
 * The metrics read from risk-alert's invoice view: "single invoice above an amount" (invoice scope, evaluated on
 * each movement of the invoice) and "amount falling due in the next N days" (customer scope, evaluated on each
 * movement of one of its invoices and at each day close, as the window moves). Appended, viewed and queued in
 * the batch's transaction, like projection changes.
 */
@Injectable()
export class InvoiceAlerts {
  constructor(
    @Inject(AlertCommands) private readonly alerts: AlertCommands,
    @Inject(AlertRulesView) private readonly rules: AlertRulesView,
    @Inject(InvoicesView) private readonly invoices: InvoicesView,
    @Inject(ARC_PG_POOL) private readonly pool: Pool,
  ) {}

  /** After a movement on an invoice (null: not issued yet, nothing to evaluate on it). */
  async moved(envelope: EventEnvelope, customerId: string, invoice: OpenInvoice | null, asOf: string, ctx: ArcKafkaContext): Promise<void> {
    const active = await this.rules.active();
    const invoiceRules = active.filter((r) => r.metric === INVOICE_METRIC);
    if (invoice !== null && invoiceRules.length > 0) {
      const open = { amountMinor: invoice.open.toString(), currency: invoice.currency };
      const figures: CustomerFigures = { type: 'InvoiceOpen', data: { invoiceId: invoice.invoiceId, customerId, asOf, open } };
      this.record(await this.alerts.evaluate(envelope, figures, invoiceRules), ctx);
    }
    await this.fallingDue(envelope, customerId, asOf, active, ctx, false);
  }

  /** At a day close: every customer with an invoice in or just out of a window, or an open falling-due alert. */
  async dayClosed(envelope: EventEnvelope, date: string, ctx: ArcKafkaContext): Promise<void> {
    const active = await this.rules.active();
    if (!active.some((r) => FALLING_DUE_METRICS.includes(r.metric))) return;
    const { rows } = await transactional(this.pool).query<{ subject_key: string }>(
      `SELECT subject_key FROM ${ALERTS_TABLE} WHERE metric = ANY($1) AND status = 'open' AND subject_kind = 'customer'`,
      [FALLING_DUE_METRICS],
    );
    const customers = new Set([...(await this.invoices.customersDueAround(date, LONGEST_HORIZON)), ...rows.map((r) => r.subject_key)]);
    for (const customerId of [...customers].sort()) await this.fallingDue(envelope, customerId, date, active, ctx, true);
  }

  /** One figure per currency a falling-due rule is written in; each rule sees only its currency's figure. */
  private async fallingDue(
    envelope: EventEnvelope,
    customerId: string,
    asOf: string,
    active: readonly RuleSnapshot[],
    ctx: ArcKafkaContext,
    perSubject: boolean,
  ): Promise<void> {
    const rules = active.filter((r) => FALLING_DUE_METRICS.includes(r.metric));
    if (rules.length === 0) return;
    const open = await this.invoices.openInvoices(customerId);
    const ref = { eventId: envelope.eventId, occurredAt: envelope.occurredAt, ...(perSubject ? { subjectKey: customerId } : {}) };
    for (const currency of [...new Set(rules.map(currencyOf))].filter((c): c is string => c !== null)) {
      const sums = fallingDue(open, asOf, currency);
      const dueWithin = Object.fromEntries(Object.entries(sums).map(([h, s]) => [h, { amountMinor: s.toString(), currency }]));
      const figures: CustomerFigures = { type: 'FallingDue', data: { customerId, asOf, currency, dueWithin } };
      this.record(
        await this.alerts.evaluate(
          ref,
          figures,
          rules.filter((r) => currencyOf(r) === currency),
        ),
        ctx,
      );
    }
  }

  private record(events: DecidedAlertEvent[], ctx: ArcKafkaContext): void {
    if (events.length === 0) return;
    ctx.batch.defer<DecidedAlertEvent[]>('risk-alert-alerts-view', events, async (tx, items) => {
      await applyAlertEvents(tx, items.flat());
      await enqueueDeliveries(tx, items.flat());
    });
  }
}
