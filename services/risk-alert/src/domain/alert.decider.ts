/*
 * Alert (one stream per rule and subject, `alert-<uuid of rule and subject>`): the alerts one rule has
 * raised about one subject over time. Each episode has its own alertId (the contract's streams are named
 * after it; here the stream spans episodes so that "one open alert per rule and subject" is a stream
 * invariant rather than a race between streams).
 * The rules it protects: an alert is raised once while its condition holds, resolves by itself when the
 * condition clears, is raised again (as a new alert) if it comes back, and is acknowledged by a person.
 */
import { validated, RiskEvents, type AlertInvoice, type AlertSeverity, type AlertSubject, type RiskEvent } from '@arc/contracts';
import type { Decider } from '@arc/decider';
import { v5 } from 'uuid';
import type { RuleSnapshot } from './alert-rule.decider';
import { levelReached, severityRank, type Level } from './levels';
import { alertMessage, integerText } from './alert-message';
import { METRIC_UNITS, type Observation } from './metrics';
import { AlertNotOpenError, AlertStreamMismatchError } from './risk-alert.errors';

// Fixed forever: changing it would move every rule-and-subject to a new stream.
const ALERT_STREAM_NAMESPACE = '21eea755-86cf-4486-a41e-883edcb4b0b3';

/** A stable UUID (version 5) for a rule and subject. */
export function alertStreamKey(ruleId: string, subject: AlertSubject): string {
  return v5(JSON.stringify([ruleId, subject.kind, subject.key]), ALERT_STREAM_NAMESPACE);
}

export const alertStreamId = (ruleId: string, subject: AlertSubject): string => `alert-${alertStreamKey(ruleId, subject)}`;

// ---------------------------------------------------------------------------------------------- commands

export type EvaluateAlert = {
  type: 'EvaluateAlert';
  data: {
    /** A fresh UUID, used only if this evaluation raises an alert (derive it from the command id to keep retries stable). */
    alertId: string;
    rule: RuleSnapshot;
    subject: AlertSubject;
    /** From `observe`: null when the figure does not exist (a ratio over zero), which clears the condition. */
    observation: Observation | null;
    businessDate: string;
    /** The invoices behind the figure (see invoices.ts), listed in AlertRaised / AlertEscalated; absent: none listed. */
    invoices?: AlertInvoice[];
  };
};

export type AcknowledgeAlert = {
  type: 'AcknowledgeAlert';
  data: { alertId: string; acknowledgedBy: string; acknowledgedAt: string };
};

/** The rule was retired: an open alert of it resolves as 'rule-withdrawn'. */
export type WithdrawAlert = { type: 'WithdrawAlert'; data: { ruleId: string; subject: AlertSubject; businessDate: string } };

export type AlertCommand = EvaluateAlert | AcknowledgeAlert | WithdrawAlert;

// ------------------------------------------------------------------------------------------------ events

/** Risk-alert's own event: not (yet) in the arc.risk.events contract. */
export type AlertAcknowledged = {
  type: 'AlertAcknowledged';
  data: { alertId: string; ruleId: string; subject: AlertSubject; acknowledgedBy: string; acknowledgedAt: string };
};

export type AlertEvent = RiskEvent | AlertAcknowledged;

// ------------------------------------------------------------------------------------------------- state

export type Alert =
  | { status: 'never-raised' }
  | {
      status: 'open';
      alertId: string;
      ruleId: string;
      subject: AlertSubject;
      severity: AlertSeverity;
      /** The business date it was raised or last escalated on (a later evaluation of an older date is stale). */
      decidedOn: string;
      acknowledgedBy: string | null;
      /** This alert asked credit for a hold (RiskCreditHoldRequested): its resolution asks for the release. */
      holdRequested: boolean;
    }
  | { status: 'resolved'; lastAlertId: string; ruleId: string; subject: AlertSubject; resolvedOn: string };

export const initialState: Alert = { status: 'never-raised' };

// ------------------------------------------------------------------------------------------ the commands

function sameSubject(a: AlertSubject, b: AlertSubject): boolean {
  return a.kind === b.kind && a.key === b.key;
}

function requireOwnStream(alert: Alert, ruleId: string, subject: AlertSubject): void {
  if (alert.status === 'never-raised') return;
  if (alert.ruleId !== ruleId || !sameSubject(alert.subject, subject)) {
    throw new AlertStreamMismatchError(
      `rule ${alert.ruleId} on ${alert.subject.kind} ${String(alert.subject.key)}`,
      `rule ${ruleId} on ${subject.kind} ${String(subject.key)}`,
    );
  }
}

/** The business date the stream last moved on; an evaluation of an older date is stale. */
function lastDecidedOn(alert: Alert): string | null {
  return alert.status === 'open' ? alert.decidedOn : alert.status === 'resolved' ? alert.resolvedOn : null;
}

/** The figure and threshold of a level, as AlertRaised and AlertEscalated carry them. */
function measured(rule: RuleSnapshot, level: Level, observation: Observation, invoices: AlertInvoice[] | undefined) {
  return {
    ...(invoices === undefined ? {} : { invoices }),
    metric: rule.metric,
    observedValue: integerText(observation),
    thresholdValue: integerText(level.threshold),
    unit: METRIC_UNITS[rule.metric],
    currency: level.threshold.unit === 'minor-units' ? level.threshold.amount.currency : null,
    message: alertMessage({ ...rule, threshold: level.threshold }, observation),
  };
}

/** A critical customer alert of a rule that asks for it requests a credit hold, once per alert. */
function holdRequest(rule: RuleSnapshot, subject: AlertSubject, alertId: string, level: Level, message: string): AlertEvent[] {
  if (!rule.holdOnCritical || level.severity !== 'critical' || subject.kind !== 'customer' || subject.key === null) return [];
  return [
    {
      type: 'RiskCreditHoldRequested',
      data: { alertId, ruleId: rule.ruleId, customerId: subject.key, reason: `risk alert ${rule.ruleId} critical: ${message}` },
    },
  ];
}

export function evaluateAlert(command: EvaluateAlert, alert: Alert): AlertEvent[] {
  const { alertId, rule, subject, observation, businessDate, invoices } = command.data;
  requireOwnStream(alert, rule.ruleId, subject);
  const last = lastDecidedOn(alert);
  // Change events can arrive late; an older business date must not undo what a newer one decided.
  if (last !== null && businessDate < last) return [];

  const outcome = levelReached(rule, observation);
  if (outcome.kind === 'not-comparable') return [];
  if (alert.status === 'open') {
    if (outcome.kind === 'clear') {
      const resolved: AlertEvent = {
        type: 'AlertResolved',
        data: { alertId: alert.alertId, ruleId: alert.ruleId, subject, businessDate, resolution: 'condition-cleared' },
      };
      return [resolved, ...releaseRequest(alert, 'its condition cleared')];
    }
    // Still holding at the same or a lower level: nothing (an alert never de-escalates; it resolves when it clears).
    if (severityRank(outcome.level.severity) <= severityRank(alert.severity) || observation === null) return [];
    const m = measured(rule, outcome.level, observation, invoices);
    const escalated: AlertEvent = {
      type: 'AlertEscalated',
      data: {
        alertId: alert.alertId,
        ruleId: rule.ruleId,
        subject,
        previousSeverity: alert.severity,
        severity: outcome.level.severity,
        businessDate,
        ...m,
      },
    };
    return [escalated, ...(alert.holdRequested ? [] : holdRequest(rule, subject, alert.alertId, outcome.level, m.message))];
  }
  if (outcome.kind === 'clear' || observation === null) return [];
  const m = measured(rule, outcome.level, observation, invoices);
  const raised: AlertEvent = {
    type: 'AlertRaised',
    data: { alertId, ruleId: rule.ruleId, subject, severity: outcome.level.severity, businessDate, ...m },
  };
  return [raised, ...holdRequest(rule, subject, alertId, outcome.level, m.message)];
}

/** The release of the hold an open alert requested, if it did. */
function releaseRequest(alert: Alert, why: string): AlertEvent[] {
  if (alert.status !== 'open' || !alert.holdRequested || alert.subject.key === null) return [];
  return [
    {
      type: 'RiskCreditHoldReleaseRequested',
      data: {
        alertId: alert.alertId,
        ruleId: alert.ruleId,
        customerId: alert.subject.key,
        reason: `risk alert ${alert.ruleId} resolved: ${why}`,
      },
    },
  ];
}

export function acknowledgeAlert(command: AcknowledgeAlert, alert: Alert): AlertEvent[] {
  const { alertId, acknowledgedBy, acknowledgedAt } = command.data;
  if (alert.status !== 'open' || alert.alertId !== alertId) throw new AlertNotOpenError(alertId);
  // The first acknowledgement stands: a second person seeing it changes nothing.
  if (alert.acknowledgedBy !== null) return [];
  return [{ type: 'AlertAcknowledged', data: { alertId, ruleId: alert.ruleId, subject: alert.subject, acknowledgedBy, acknowledgedAt } }];
}

export function withdrawAlert(command: WithdrawAlert, alert: Alert): AlertEvent[] {
  const { ruleId, subject, businessDate } = command.data;
  requireOwnStream(alert, ruleId, subject);
  if (alert.status !== 'open') return [];
  return [
    { type: 'AlertResolved', data: { alertId: alert.alertId, ruleId, subject, businessDate, resolution: 'rule-withdrawn' } },
    ...releaseRequest(alert, 'its rule was retired'),
  ];
}

function decideCommand(command: AlertCommand, alert: Alert): AlertEvent[] {
  switch (command.type) {
    case 'EvaluateAlert':
      return evaluateAlert(command, alert);
    case 'AcknowledgeAlert':
      return acknowledgeAlert(command, alert);
    case 'WithdrawAlert':
      return withdrawAlert(command, alert);
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

/** Decides, then refuses anything its contract would not accept (`validated`); AlertAcknowledged stays in the service. */
export function decide(command: AlertCommand, alert: Alert): AlertEvent[] {
  return validated({ ...RiskEvents, AlertAcknowledged: null }, decideCommand(command, alert));
}

// ------------------------------------------------------------------------------------------------ evolve

export function evolve(alert: Alert, event: AlertEvent): Alert {
  switch (event.type) {
    case 'AlertRaised': {
      const d = event.data;
      return {
        status: 'open',
        alertId: d.alertId,
        ruleId: d.ruleId,
        subject: { ...d.subject },
        severity: d.severity,
        decidedOn: d.businessDate,
        acknowledgedBy: null,
        holdRequested: false,
      };
    }
    case 'AlertResolved': {
      const d = event.data;
      return { status: 'resolved', lastAlertId: d.alertId, ruleId: d.ruleId, subject: { ...d.subject }, resolvedOn: d.businessDate };
    }
    case 'AlertEscalated':
      return alert.status === 'open' && alert.alertId === event.data.alertId
        ? { ...alert, severity: event.data.severity, decidedOn: event.data.businessDate }
        : alert;
    case 'RiskCreditHoldRequested':
      return alert.status === 'open' && alert.alertId === event.data.alertId ? { ...alert, holdRequested: true } : alert;
    case 'RiskCreditHoldReleaseRequested':
      return alert.status === 'open' && alert.alertId === event.data.alertId ? { ...alert, holdRequested: false } : alert;
    case 'AlertAcknowledged':
      return alert.status === 'open' && alert.alertId === event.data.alertId
        ? { ...alert, acknowledgedBy: event.data.acknowledgedBy }
        : alert;
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${(unknown as { type: string }).type}`);
    }
  }
}

export const alertDecider: Decider<AlertCommand, AlertEvent, Alert> = {
  initialState,
  decide,
  evolve,
};
