/*
 * Backtest: a proposed rule set run over a past period of projections' change events, in memory. The same
 * decider, figures, subjects and alert ids as the live consumer (alertIdFor of `evaluate:<event id>:<rule id>`),
 * so a backtest of the live rules over the events the live consumer saw lists the very alerts it raised.
 * Nothing is appended, queued or published: the alert streams are folded in a Map and dropped.
 */
import type { AlertSeverity, AlertSubject } from '@arc/contracts';
import { alertIdFor } from '../commands/alert-commands';
import {
  alertDecider,
  alertStreamId,
  observe,
  subjectOf,
  watches,
  type Alert,
  type AlertEvent,
  type CustomerFigures,
  type RuleSnapshot,
} from '../domain';

export interface BacktestPeriod {
  /** First and last business date (inclusive) of the change events evaluated, by their `asOf`. */
  from: string;
  to: string;
}

export interface BacktestChange {
  eventId: string;
  figures: CustomerFigures;
}

export interface BacktestAlert {
  alertId: string;
  ruleId: string;
  subject: AlertSubject;
  /** As raised. */
  raisedOn: string;
  raisedSeverity: AlertSeverity;
  observedValue: string;
  thresholdValue: string;
  message: string;
  escalations: { on: string; severity: AlertSeverity; observedValue: string; thresholdValue: string }[];
  /** The highest severity it reached. */
  severity: AlertSeverity;
  holdRequested: boolean;
  resolvedOn: string | null;
  resolution: string | null;
}

export interface BacktestResult {
  period: BacktestPeriod;
  /** Change events in the period that were evaluated. */
  changesEvaluated: number;
  alerts: BacktestAlert[];
}

/** Evaluates each change of the period, in the order given (the log's), against every rule whose metric it carries. */
export class Backtest {
  private readonly streams = new Map<string, Alert>();
  private readonly alerts = new Map<string, BacktestAlert>();
  private evaluated = 0;

  constructor(
    private readonly rules: readonly RuleSnapshot[],
    private readonly period: BacktestPeriod,
  ) {}

  evaluate(change: BacktestChange): void {
    const { asOf } = change.figures.data;
    if (asOf < this.period.from || asOf > this.period.to) return;
    this.evaluated += 1;
    const subject = subjectOf(change.figures);
    for (const rule of this.rules) {
      const observation = watches(rule, change.figures) ? observe(rule.metric, change.figures) : undefined;
      if (observation === undefined) continue;
      const streamId = alertStreamId(rule.ruleId, subject);
      const state = this.streams.get(streamId) ?? alertDecider.initialState;
      const alertId = alertIdFor(`evaluate:${change.eventId}:${rule.ruleId}`);
      const events = alertDecider.decide(
        { type: 'EvaluateAlert', data: { alertId, rule, subject, observation, businessDate: asOf } },
        state,
      );
      this.streams.set(streamId, events.reduce(alertDecider.evolve, state));
      for (const event of events) this.record(event);
    }
  }

  result(): BacktestResult {
    const alerts = [...this.alerts.values()].sort(
      (a, b) => a.raisedOn.localeCompare(b.raisedOn) || a.ruleId.localeCompare(b.ruleId) || a.alertId.localeCompare(b.alertId),
    );
    return { period: this.period, changesEvaluated: this.evaluated, alerts };
  }

  private record(event: AlertEvent): void {
    switch (event.type) {
      case 'AlertRaised': {
        const d = event.data;
        this.alerts.set(d.alertId, {
          alertId: d.alertId,
          ruleId: d.ruleId,
          subject: d.subject,
          raisedOn: d.businessDate,
          raisedSeverity: d.severity,
          observedValue: d.observedValue,
          thresholdValue: d.thresholdValue,
          message: d.message,
          escalations: [],
          severity: d.severity,
          holdRequested: false,
          resolvedOn: null,
          resolution: null,
        });
        return;
      }
      case 'AlertEscalated': {
        const alert = this.alerts.get(event.data.alertId);
        if (alert === undefined) return;
        const { businessDate: on, severity, observedValue, thresholdValue } = event.data;
        alert.escalations.push({ on, severity, observedValue, thresholdValue });
        alert.severity = severity;
        return;
      }
      case 'AlertResolved': {
        const alert = this.alerts.get(event.data.alertId);
        if (alert === undefined) return;
        alert.resolvedOn = event.data.businessDate;
        alert.resolution = event.data.resolution;
        return;
      }
      case 'RiskCreditHoldRequested': {
        const alert = this.alerts.get(event.data.alertId);
        if (alert !== undefined) alert.holdRequested = true;
        return;
      }
      case 'RiskCreditHoldReleaseRequested':
      case 'AlertAcknowledged':
        return;
      default: {
        const unknown: never = event;
        throw new Error(`unknown event ${(unknown as { type: string }).type}`);
      }
    }
  }
}
