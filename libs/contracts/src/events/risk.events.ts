import { Topics } from '../topics';
import {
  arrayOf,
  byType,
  check,
  currency,
  date,
  defineEvent,
  isMinorUnits,
  integer,
  money,
  nullable,
  object,
  optional,
  oneOf,
  text,
  uuid,
  type EventUnion,
  type IsoDate,
  type MoneyJson,
  type Uuid,
} from './validation';

/* Risk alerts, topic arc.risk.events, streams `alert-<alertId>`; one open alert per rule and subject. */

export const ALERT_SUBJECT_KINDS = ['portfolio', 'business-unit', 'credit-class', 'customer', 'invoice'] as const;
export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
export const MEASURE_UNITS = ['basis-points', 'days', 'count', 'minor-units'] as const;
export type MeasureUnit = (typeof MEASURE_UNITS)[number];

export interface AlertSubject {
  kind: (typeof ALERT_SUBJECT_KINDS)[number];
  /** Business unit, class, customer id or invoice id; null for the whole portfolio. */
  key: string | null;
}

/**
 * One invoice behind an alert's figure (risk-alert's own per-invoice view, as of the alert's business date):
 * its number, due date, open balance (by the rule of @arc/receivables) and days past due (negative: not yet due).
 */
export interface AlertInvoice {
  invoiceId: Uuid;
  invoiceNumber: string;
  dueDate: IsoDate;
  open: MoneyJson;
  daysPastDue: number;
}

const alertInvoices = optional(
  arrayOf(
    object<AlertInvoice>({
      invoiceId: uuid,
      invoiceNumber: text,
      dueDate: date,
      open: money('positive', 'figure'),
      daysPastDue: integer(-36_500, 36_500),
    }),
  ),
);

export interface AlertRaisedData {
  alertId: Uuid;
  ruleId: string;
  /** What the rule watches: 'utilisation', 'overdue-ratio', 'days-past-due', 'dso' … */
  metric: string;
  subject: AlertSubject;
  severity: AlertSeverity;
  /** Integers as strings so money in minor units stays exact; read with `unit` (and `currency` for money). */
  observedValue: string;
  thresholdValue: string;
  unit: MeasureUnit;
  /** Set exactly when unit is 'minor-units'. */
  currency: string | null;
  /**
   * The last closed day the figure is as of (the `asOf` of the projections change it was evaluated on). The
   * field keeps its v1 name; read it as lastClosedDay (a rename would be a new field or version).
   */
  businessDate: IsoDate;
  message: string;
  /**
   * The invoices behind the figure (customer amount metrics and invoice-scope alerts). Added later without a
   * new version: absent means not listed.
   */
  invoices?: AlertInvoice[];
}

const integerText = check(isMinorUnits, 'an integer as a string ("8500")');
const subject = object<AlertSubject>({ kind: oneOf(ALERT_SUBJECT_KINDS), key: nullable(text) });

function subjectRules(data: { subject: AlertSubject }, problems: string[]): void {
  if ((data.subject.kind === 'portfolio') !== (data.subject.key === null)) {
    problems.push('subject.key must be null for the portfolio and set for any other subject');
  }
}

export const AlertRaised = defineEvent<AlertRaisedData>()({
  type: 'AlertRaised',
  topic: Topics.risk,
  schemaVersion: 1,
  shape: {
    alertId: uuid,
    ruleId: text,
    metric: text,
    subject,
    severity: oneOf(ALERT_SEVERITIES),
    observedValue: integerText,
    thresholdValue: integerText,
    unit: oneOf(MEASURE_UNITS),
    currency: nullable(currency),
    businessDate: date,
    message: text,
    invoices: alertInvoices,
  },
  rules: (data, problems) => {
    subjectRules(data, problems);
    if ((data.unit === 'minor-units') !== (data.currency !== null)) {
      problems.push("currency must be set when unit is 'minor-units' and null otherwise");
    }
  },
});

export const ALERT_RESOLUTIONS = ['condition-cleared', 'rule-withdrawn'] as const;

export interface AlertResolvedData {
  alertId: Uuid;
  ruleId: string;
  subject: AlertSubject;
  /** The last closed day of the figure that resolved it (see AlertRaisedData.businessDate). */
  businessDate: IsoDate;
  resolution: (typeof ALERT_RESOLUTIONS)[number];
}

export const AlertResolved = defineEvent<AlertResolvedData>()({
  type: 'AlertResolved',
  topic: Topics.risk,
  schemaVersion: 1,
  shape: { alertId: uuid, ruleId: text, subject, businessDate: date, resolution: oneOf(ALERT_RESOLUTIONS) },
  rules: subjectRules,
});

/**
 * The open alert got worse: its figure now crosses a higher level of its rule (say 80 % → 100 % utilisation),
 * so its severity rises. The same alert (same alertId), not a new one; severity only ever rises within an
 * alert. Carries the figure and threshold of the level now crossed, like AlertRaised.
 */
export interface AlertEscalatedData {
  alertId: Uuid;
  ruleId: string;
  metric: string;
  subject: AlertSubject;
  previousSeverity: AlertSeverity;
  severity: AlertSeverity;
  observedValue: string;
  thresholdValue: string;
  unit: MeasureUnit;
  currency: string | null;
  businessDate: IsoDate;
  message: string;
  /**
   * The invoices behind the figure (customer amount metrics and invoice-scope alerts). Added later without a
   * new version: absent means not listed.
   */
  invoices?: AlertInvoice[];
}

const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };

export const AlertEscalated = defineEvent<AlertEscalatedData>()({
  type: 'AlertEscalated',
  topic: Topics.risk,
  schemaVersion: 1,
  shape: {
    alertId: uuid,
    ruleId: text,
    metric: text,
    subject,
    previousSeverity: oneOf(ALERT_SEVERITIES),
    severity: oneOf(ALERT_SEVERITIES),
    observedValue: integerText,
    thresholdValue: integerText,
    unit: oneOf(MEASURE_UNITS),
    currency: nullable(currency),
    businessDate: date,
    message: text,
    invoices: alertInvoices,
  },
  rules: (data, problems) => {
    subjectRules(data, problems);
    if ((data.unit === 'minor-units') !== (data.currency !== null)) {
      problems.push("currency must be set when unit is 'minor-units' and null otherwise");
    }
    if (SEVERITY_RANK[data.severity] <= SEVERITY_RANK[data.previousSeverity]) {
      problems.push('severity must be higher than previousSeverity (an escalation only rises)');
    }
  },
});

/**
 * A rule that asks for it reached critical on a customer: credit is asked to put the customer on hold
 * (credit places it with source 'risk-alert'). Key = customer id.
 */
export interface RiskCreditHoldRequestedData {
  /** The alert that asked; the release names the same alert, so credit lifts only the hold this alert placed. */
  alertId: Uuid;
  ruleId: string;
  customerId: Uuid;
  reason: string;
}

export const RiskCreditHoldRequested = defineEvent<RiskCreditHoldRequestedData>()({
  type: 'RiskCreditHoldRequested',
  topic: Topics.risk,
  schemaVersion: 1,
  shape: { alertId: uuid, ruleId: text, customerId: uuid, reason: text },
});

/** The alert that requested a hold resolved: credit lifts the hold if it is still the one that alert placed. */
export interface RiskCreditHoldReleaseRequestedData {
  alertId: Uuid;
  ruleId: string;
  customerId: Uuid;
  reason: string;
}

export const RiskCreditHoldReleaseRequested = defineEvent<RiskCreditHoldReleaseRequestedData>()({
  type: 'RiskCreditHoldReleaseRequested',
  topic: Topics.risk,
  schemaVersion: 1,
  shape: { alertId: uuid, ruleId: text, customerId: uuid, reason: text },
});

export const RiskEvents = byType([AlertRaised, AlertEscalated, AlertResolved, RiskCreditHoldRequested, RiskCreditHoldReleaseRequested]);
export type RiskEvent = EventUnion<typeof RiskEvents>;
export type RiskEventType = RiskEvent['type'];
