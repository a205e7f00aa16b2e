import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AlertSubject } from '@arc/contracts';
import type { Pool } from 'pg';
import { ARC_PG_POOL, Commands, transactional } from '@arc/platform';
import { enqueueDeliveries } from '../delivery/outbox';
import { v5 } from 'uuid';
import {
  alertDecider,
  alertStreamId,
  invoicesBehind,
  observe,
  subjectOf,
  watches,
  type AlertCommand,
  type CustomerFigures,
  type OpenInvoice,
  type RuleSnapshot,
} from '../domain';
import { AlertsView, type DecidedAlertEvent } from '../views/alerts.view';
import { InvoicesView } from '../views/invoices.view';

/** The actor of the commands risk-alert issues itself, in reaction to change events or a retired rule. */
export const RISK_ALERT_SYSTEM_ACTOR = 'system:risk-alert';

// Fixed forever: alert ids of retried evaluations must keep agreeing.
const ALERT_ID_NAMESPACE = 'c4f5365b-1198-405e-9da0-dd2d0a5378c0';

/** A UUID (version 5) derived from a command id: a retried evaluation raises the same alert id. */
export function alertIdFor(commandId: string): string {
  return v5(commandId, ALERT_ID_NAMESPACE);
}

export interface ChangeEventRef {
  eventId: string;
  occurredAt: string;
  /** When one event is evaluated for many subjects (a day close): what makes the command id unique per subject. */
  subjectKey?: string;
}

/** Runs the alert decider's commands on the alert streams; the events it returns feed the alerts view. */
@Injectable()
export class AlertCommands {
  private readonly logger = new Logger('AlertCommands');

  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(AlertsView) private readonly view: AlertsView,
    @Inject(ARC_PG_POOL) private readonly pool: Pool,
    @Inject(InvoicesView) private readonly invoices: InvoicesView,
  ) {}

  /** The alerts view, then the webhook outbox, in the command's transaction (see enqueueDeliveries). */
  private async record(events: DecidedAlertEvent[]): Promise<void> {
    await this.view.apply(events);
    await enqueueDeliveries(transactional(this.pool), events);
  }

  /**
   * Evaluates every rule whose metric the change event carries, on the stream of that rule and the event's
   * subject. The command id derives from the change event and the rule, so a redelivered change event
   * appends nothing and answers the events decided the first time (which the view applies idempotently).
   */
  async evaluate(change: ChangeEventRef, figures: CustomerFigures, rules: readonly RuleSnapshot[]): Promise<DecidedAlertEvent[]> {
    const subject = subjectOf(figures);
    const decided: DecidedAlertEvent[] = [];
    let open: OpenInvoice[] | undefined; // the customer's open invoices, read once (in the batch's transaction) if a rule lists them
    for (const rule of rules) {
      const observation = watches(rule, figures) ? observe(rule.metric, figures) : undefined;
      if (observation === undefined) continue; // this event does not carry the rule's metric
      const commandId =
        change.subjectKey === undefined
          ? `evaluate:${change.eventId}:${rule.ruleId}`
          : `evaluate:${change.eventId}:${change.subjectKey}:${rule.ruleId}`;
      const streamId = alertStreamId(rule.ruleId, subject);
      let invoices: ReturnType<typeof invoicesBehind> = null;
      if (figures.type !== 'PortfolioKpisChanged' && rule.threshold.unit === 'minor-units' && observation !== null) {
        open ??= await this.invoices.openInvoices(figures.data.customerId);
        const invoiceId = subject.kind === 'invoice' ? subject.key : null;
        invoices = invoicesBehind(rule.metric, open, figures.data.asOf, rule.threshold.amount.currency, invoiceId);
      }
      decided.push(
        ...(await this.run(streamId, subject, commandId, change.occurredAt, RISK_ALERT_SYSTEM_ACTOR, change.eventId, {
          type: 'EvaluateAlert',
          data: {
            alertId: alertIdFor(commandId),
            rule,
            subject,
            observation,
            businessDate: figures.data.asOf,
            ...(invoices === null ? {} : { invoices }),
          },
        })),
      );
    }
    return decided;
  }

  /** Acknowledges an open alert (the first acknowledgement stands) and records it in the view. */
  async acknowledge(
    streamId: string,
    subject: AlertSubject,
    alertId: string,
    actor: string,
    commandId: string,
    occurredAt: string,
  ): Promise<void> {
    const events = await this.run(streamId, subject, commandId, occurredAt, actor, null, {
      type: 'AcknowledgeAlert',
      data: { alertId, acknowledgedBy: actor, acknowledgedAt: occurredAt },
    });
    await this.record(events);
  }

  /** Resolves every open alert of a retired rule as 'rule-withdrawn'. */
  async withdrawOpenAlerts(ruleId: string, actor: string, occurredAt: string): Promise<void> {
    for (const alert of await this.view.list({ status: 'open', ruleId })) {
      const found = await this.view.find(alert.alertId);
      if (found === undefined) continue;
      const subject = { kind: found.subject.kind, key: found.subject.key } as AlertSubject;
      const events = await this.run(found.streamId, subject, `withdraw:${ruleId}:${alert.alertId}`, occurredAt, actor, null, {
        type: 'WithdrawAlert',
        data: { ruleId, subject, businessDate: occurredAt.slice(0, 10) },
      });
      await this.record(events);
    }
  }

  private async run(
    streamId: string,
    subject: AlertSubject,
    commandId: string,
    occurredAt: string,
    actor: string,
    causationId: string | null,
    command: AlertCommand,
  ): Promise<DecidedAlertEvent[]> {
    const result = await this.commands.execute(alertDecider, {
      streamId,
      customerId: subject.key ?? 'portfolio',
      command,
      commandId,
      actor,
      causationId,
      occurredAt,
    });
    if (result.events.length > 0 && !result.alreadyHandled) {
      this.logger.log(`${command.type} on ${streamId}: ${result.events.map((e) => e.eventType).join(', ')}`);
    }
    return result.events.map((event) => ({ streamId, eventId: event.eventId, eventType: event.eventType, data: event.data }));
  }
}
