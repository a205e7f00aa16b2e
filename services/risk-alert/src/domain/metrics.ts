/*
 * What an alert rule can watch, how a threshold is written for it, and how the figure is read from the
 * projections' change events. Everything is compared exactly: money in minor units, ratios by
 * cross-multiplication (never on a rounded ratio), days as whole numbers.
 */
import {
  ALERT_SEVERITIES,
  type AlertSeverity,
  type AlertSubject,
  type CustomerAgingChangedData,
  CREDIT_CLASSES,
  type CreditClass,
  type CustomerExposureChangedData,
  type MeasureUnit,
  type PortfolioKpisChangedData,
} from '@arc/contracts';
import { compare, compareRatioToBasisPoints, isCurrencyCode, parseMoney, toJson, type Money, type MoneyJson } from '@arc/money';

export const ALERT_METRICS = [
  'customer-overdue-amount',
  'customer-overdue-ratio',
  'customer-utilisation',
  'customer-oldest-days-past-due',
  'customer-overdue-90-plus',
  'segment-overdue-ratio',
  'segment-dso',
  'segment-ar-turnover',
  'customer-credit-class',
  'customer-broken-promises',
  'customer-uninsured-exposure',
  'invoice-open-amount',
  'customer-due-next-7-days',
  'customer-due-next-14-days',
  'customer-due-next-30-days',
] as const;
export type AlertMetric = (typeof ALERT_METRICS)[number];

/** The unit each metric is measured (and its threshold written) in. */
export const METRIC_UNITS: { readonly [M in AlertMetric]: MeasureUnit } = {
  'customer-overdue-amount': 'minor-units',
  'customer-overdue-ratio': 'basis-points',
  'customer-utilisation': 'basis-points',
  'customer-oldest-days-past-due': 'days',
  'customer-overdue-90-plus': 'minor-units',
  'segment-overdue-ratio': 'basis-points',
  'segment-dso': 'days',
  'segment-ar-turnover': 'basis-points',
  'customer-credit-class': 'count',
  'customer-broken-promises': 'count',
  'customer-uninsured-exposure': 'minor-units',
  'invoice-open-amount': 'minor-units',
  'customer-due-next-7-days': 'minor-units',
  'customer-due-next-14-days': 'minor-units',
  'customer-due-next-30-days': 'minor-units',
};

export const METRIC_LABELS: { readonly [M in AlertMetric]: string } = {
  'customer-overdue-amount': 'overdue amount',
  'customer-overdue-ratio': 'overdue ratio',
  'customer-utilisation': 'credit utilisation',
  'customer-oldest-days-past-due': 'days past due of the oldest item',
  'customer-overdue-90-plus': 'amount overdue 90+ days',
  'segment-overdue-ratio': 'overdue ratio',
  'segment-dso': 'DSO',
  'segment-ar-turnover': 'AR turnover',
  'customer-credit-class': 'credit class rank',
  'customer-broken-promises': 'broken payment promises in the last 365 days',
  'customer-uninsured-exposure': 'exposure above the insured cover',
  'invoice-open-amount': 'open amount of the invoice',
  'customer-due-next-7-days': 'amount falling due in the next 7 days',
  'customer-due-next-14-days': 'amount falling due in the next 14 days',
  'customer-due-next-30-days': 'amount falling due in the next 30 days',
};

/** The horizon (N days) of each "amount falling due in the next N days" metric. */
export const FALLING_DUE_HORIZONS: { readonly [M in AlertMetric]?: number } = {
  'customer-due-next-7-days': 7,
  'customer-due-next-14-days': 14,
  'customer-due-next-30-days': 30,
};

/** How far back broken promises count: those broken in (asOf − 365 days, asOf]. */
export const BROKEN_PROMISES_WINDOW_DAYS = 365;

/** The rank of a credit class (A = 1 … D = 4): "reclassified downward to C or worse" is rank >= 3. */
export const creditClassRank = (creditClass: CreditClass): number => CREDIT_CLASSES.indexOf(creditClass) + 1;

/** The aging bucket the 90+ metric reads; a bucket set without it does not feed that metric. */
export const NINETY_PLUS_BUCKET = '90+';

export const COMPARISONS = ['>', '>=', '<', '<='] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** Follows the contract's severities (info / warning / critical), so a rule's severity is what AlertRaised carries. */
export const SEVERITIES = ALERT_SEVERITIES;
export type Severity = AlertSeverity;

export type Threshold =
  | { unit: 'minor-units'; amount: Money }
  | { unit: 'basis-points'; basisPoints: number }
  | { unit: 'days'; days: number }
  | { unit: 'count'; count: number };

/** A threshold as stored in rule events (plain JSON). */
export type ThresholdJson =
  | { unit: 'minor-units'; amount: MoneyJson }
  | { unit: 'basis-points'; basisPoints: number }
  | { unit: 'days'; days: number }
  | { unit: 'count'; count: number };

/** A measured figure. A ratio keeps its two amounts so the threshold test never rounds. */
export type Observation =
  | { unit: 'minor-units'; amount: Money }
  | { unit: 'basis-points'; part: Money; whole: Money }
  /** A ratio projections publish already in basis points (AR turnover: its average AR is not in the event). */
  | { unit: 'basis-points'; basisPoints: number }
  | { unit: 'days'; days: number }
  | { unit: 'count'; count: number };

/** The metrics read from PortfolioKpisChanged: per portfolio, business unit or credit class, in one currency. */
export function isSegmentMetric(metric: AlertMetric): boolean {
  return metric.startsWith('segment-');
}

/**
 * Whether a rule evaluates this change event at all: a segment rule only the segment figures in its currency
 * (each segment is published once per currency; mixing them would flap the alert between currencies).
 */
export function watches(rule: { metric: AlertMetric; currency: string | null }, figures: CustomerFigures): boolean {
  return figures.type !== 'PortfolioKpisChanged' || figures.data.currency === rule.currency;
}

/** The metrics watched on one invoice (subject kind `invoice`, key = the invoice id). */
export function isInvoiceMetric(metric: AlertMetric): boolean {
  return metric.startsWith('invoice-');
}

export function isAlertMetric(value: unknown): value is AlertMetric {
  return typeof value === 'string' && (ALERT_METRICS as readonly string[]).includes(value);
}

export function thresholdToJson(threshold: Threshold): ThresholdJson {
  return threshold.unit === 'minor-units' ? { unit: 'minor-units', amount: toJson(threshold.amount) } : { ...threshold };
}

export function thresholdFromJson(json: ThresholdJson): Threshold {
  return json.unit === 'minor-units' ? { unit: 'minor-units', amount: parseMoney(json.amount, 'threshold.amount') } : { ...json };
}

/**
 * The largest ratio threshold: 1,000,000 basis points = 10,000 %. Utilisation can pass 100 % (an account over
 * its limit), so the bound sits far above any real rule, yet an alert rule cannot carry a number no figure
 * will ever reach.
 */
export const MAX_THRESHOLD_BASIS_POINTS = 1_000_000;
/** The largest day threshold: 36,500 days (a century past due); the business calendar never spans more. */
export const MAX_THRESHOLD_DAYS = 36_500;
/** The largest count threshold (a class rank, a number of events). */
export const MAX_THRESHOLD_COUNT = 1_000_000;

/** Everything wrong with a threshold for a metric; empty when it fits. */
export function thresholdProblems(metric: AlertMetric, threshold: Threshold): string[] {
  const expected = METRIC_UNITS[metric];
  if (threshold.unit !== expected) return [`${metric} takes a threshold in ${expected}, not ${threshold.unit}`];
  switch (threshold.unit) {
    case 'minor-units':
      if (typeof threshold.amount.amountMinor !== 'bigint' || !isCurrencyCode(threshold.amount.currency)) {
        return ['a money threshold must be Money: bigint minor units in a known currency'];
      }
      return threshold.amount.amountMinor < 0n ? ['a money threshold must not be negative'] : [];
    case 'basis-points':
      return Number.isSafeInteger(threshold.basisPoints) &&
        threshold.basisPoints >= 0 &&
        threshold.basisPoints <= MAX_THRESHOLD_BASIS_POINTS
        ? []
        : [
            `a ratio threshold must be whole basis points from 0 to ${MAX_THRESHOLD_BASIS_POINTS} (8000 = 80 %), not ${threshold.basisPoints}`,
          ];
    case 'days':
      return Number.isSafeInteger(threshold.days) && threshold.days >= 0 && threshold.days <= MAX_THRESHOLD_DAYS
        ? []
        : [`a day threshold must be a whole number of days from 0 to ${MAX_THRESHOLD_DAYS}, not ${threshold.days}`];
    case 'count':
      return Number.isSafeInteger(threshold.count) && threshold.count >= 0 && threshold.count <= MAX_THRESHOLD_COUNT
        ? []
        : [`a count threshold must be a whole number from 0 to ${MAX_THRESHOLD_COUNT}, not ${threshold.count}`];
    default: {
      const unknown: never = threshold;
      return [`unknown threshold ${JSON.stringify(unknown)}`];
    }
  }
}

/** A projection change event as risk-alert consumes it. */
export type CustomerFigures =
  | { type: 'CustomerExposureChanged'; data: CustomerExposureChangedData }
  | { type: 'CustomerAgingChanged'; data: CustomerAgingChangedData }
  | { type: 'PortfolioKpisChanged'; data: PortfolioKpisChangedData }
  /** Risk-alert's own count of collections' PaymentArrangementBroken for the customer, as of a business date. */
  | { type: 'BrokenPromises'; data: { customerId: string; asOf: string; count: number } }
  /**
   * Risk-alert's own pairing of the customer's last exposure (projections) with its credit-insurance cover
   * (credit's CreditInsuranceCoverSet); `insured` is zero once the cover expired (validUntil before asOf).
   */
  | { type: 'InsuredExposure'; data: { customerId: string; asOf: string; exposure: MoneyJson; insured: MoneyJson } }
  /** One invoice's open balance (risk-alert's invoice view, by the rule of @arc/receivables) after a movement on it. */
  | { type: 'InvoiceOpen'; data: { invoiceId: string; customerId: string; asOf: string; open: MoneyJson } }
  /**
   * Σ open balances of the customer's invoices in one currency due in (asOf, asOf + N days], per horizon N of
   * FALLING_DUE_HORIZONS (risk-alert's invoice view); one such figure per currency the customer has invoices in.
   */
  | { type: 'FallingDue'; data: { customerId: string; asOf: string; currency: string; dueWithin: Record<number, MoneyJson> } };

/**
 * The metric's figure in a change event: `undefined` when this event does not carry the metric (the rule
 * is not evaluated), `null` when it carries it but the figure is undefined (a ratio over zero, no limit):
 * nothing to alert on, so an open alert resolves.
 * Amounts, ratio and utilisation come from exposure (one row per customer, in the limit currency); days
 * past due and the 90+ bucket from aging (per currency and bucket set: see the README).
 */
/** Figures are sums of amounts: read against the figure bound, not the bound of one amount. */
const FIGURE = { bound: 'figure' } as const;

export function observe(metric: AlertMetric, figures: CustomerFigures): Observation | null | undefined {
  switch (metric) {
    case 'customer-overdue-amount':
      if (figures.type !== 'CustomerExposureChanged') return undefined;
      return { unit: 'minor-units', amount: parseMoney(figures.data.overdue, 'overdue', FIGURE) };
    case 'customer-overdue-ratio': {
      if (figures.type !== 'CustomerExposureChanged') return undefined;
      const whole = parseMoney(figures.data.openAr, 'openAr', FIGURE);
      return whole.amountMinor === 0n ? null : { unit: 'basis-points', part: parseMoney(figures.data.overdue, 'overdue', FIGURE), whole };
    }
    case 'customer-utilisation': {
      if (figures.type !== 'CustomerExposureChanged') return undefined;
      const { creditLimit, exposure } = figures.data;
      if (creditLimit === null) return null;
      const whole = parseMoney(creditLimit, 'creditLimit');
      return whole.amountMinor === 0n ? null : { unit: 'basis-points', part: parseMoney(exposure, 'exposure', FIGURE), whole };
    }
    case 'customer-oldest-days-past-due':
      if (figures.type !== 'CustomerAgingChanged') return undefined;
      return { unit: 'days', days: figures.data.oldestDaysPastDue ?? 0 };
    case 'customer-overdue-90-plus': {
      if (figures.type !== 'CustomerAgingChanged') return undefined;
      const bucket = figures.data.buckets.find((b) => b.label === NINETY_PLUS_BUCKET);
      return bucket === undefined ? undefined : { unit: 'minor-units', amount: parseMoney(bucket.amount, 'bucket', FIGURE) };
    }
    case 'segment-overdue-ratio': {
      if (figures.type !== 'PortfolioKpisChanged') return undefined;
      const whole = parseMoney(figures.data.totalAr, 'totalAr', FIGURE);
      return whole.amountMinor === 0n ? null : { unit: 'basis-points', part: parseMoney(figures.data.overdue, 'overdue', FIGURE), whole };
    }
    case 'segment-dso':
      // Whole days as projections publish them (half-up of totalAr / creditSales × period): a DSO target is in days.
      if (figures.type !== 'PortfolioKpisChanged') return undefined;
      return figures.data.dsoDays === null ? null : { unit: 'days', days: figures.data.dsoDays };
    case 'segment-ar-turnover':
      if (figures.type !== 'PortfolioKpisChanged') return undefined;
      return figures.data.arTurnoverBasisPoints === null ? null : { unit: 'basis-points', basisPoints: figures.data.arTurnoverBasisPoints };
    case 'customer-broken-promises':
      return figures.type === 'BrokenPromises' ? { unit: 'count', count: figures.data.count } : undefined;
    case 'customer-uninsured-exposure': {
      // "Insured cover exceeded" is this figure > 0.00; a cover in another currency than the exposure is not compared.
      if (figures.type !== 'InsuredExposure') return undefined;
      const exposure = parseMoney(figures.data.exposure, 'exposure', FIGURE);
      const insured = parseMoney(figures.data.insured, 'insured', FIGURE);
      if (exposure.currency !== insured.currency) return undefined;
      return { unit: 'minor-units', amount: { amountMinor: exposure.amountMinor - insured.amountMinor, currency: exposure.currency } };
    }
    case 'invoice-open-amount':
      // "Single invoice above an amount": a paid (or credited) invoice owes zero, so its alert resolves.
      return figures.type === 'InvoiceOpen' ? { unit: 'minor-units', amount: parseMoney(figures.data.open, 'open', FIGURE) } : undefined;
    case 'customer-due-next-7-days':
    case 'customer-due-next-14-days':
    case 'customer-due-next-30-days': {
      if (figures.type !== 'FallingDue') return undefined;
      const amount = figures.data.dueWithin[FALLING_DUE_HORIZONS[metric] ?? 0];
      return amount === undefined ? undefined : { unit: 'minor-units', amount: parseMoney(amount, 'dueWithin', FIGURE) };
    }
    case 'customer-credit-class':
      // A customer without a class yet has nothing to warn about.
      if (figures.type !== 'CustomerExposureChanged') return undefined;
      return figures.data.creditClass === null ? null : { unit: 'count', count: creditClassRank(figures.data.creditClass) };
    default: {
      const unknown: never = metric;
      throw new RangeError(`unknown metric ${String(unknown)}`);
    }
  }
}

/** The subject of a change event: the customer it is about, or the KPI segment (portfolio, business unit, class). */
export function subjectOf(figures: CustomerFigures): AlertSubject {
  if (figures.type === 'PortfolioKpisChanged') return { kind: figures.data.segment.kind, key: figures.data.segment.key };
  if (figures.type === 'InvoiceOpen') return { kind: 'invoice', key: figures.data.invoiceId };
  return { kind: 'customer', key: figures.data.customerId };
}

/** -1, 0 or 1 of observed against threshold; null when they cannot be compared (no ratio, other unit or currency). */
function compareToThreshold(observation: Observation, threshold: Threshold): -1 | 0 | 1 | null {
  if (observation.unit === 'minor-units' && threshold.unit === 'minor-units') {
    return observation.amount.currency === threshold.amount.currency ? compare(observation.amount, threshold.amount) : null;
  }
  if (observation.unit === 'basis-points' && threshold.unit === 'basis-points') {
    if ('basisPoints' in observation) {
      return observation.basisPoints === threshold.basisPoints ? 0 : observation.basisPoints > threshold.basisPoints ? 1 : -1;
    }
    return compareRatioToBasisPoints(observation.part, observation.whole, BigInt(threshold.basisPoints));
  }
  if (observation.unit === 'count' && threshold.unit === 'count') {
    return observation.count === threshold.count ? 0 : observation.count > threshold.count ? 1 : -1;
  }
  if (observation.unit === 'days' && threshold.unit === 'days') {
    return observation.days === threshold.days ? 0 : observation.days > threshold.days ? 1 : -1;
  }
  return null;
}

export type ConditionOutcome = 'holds' | 'clear' | 'not-comparable';

/**
 * Whether "observed <comparison> threshold" holds. A figure that does not exist (null) is clear: there is
 * nothing to warn about. A figure in another unit or currency than the threshold is not comparable: the
 * rule says nothing about it (amounts are never converted implicitly).
 */
export function conditionOutcome(comparison: Comparison, observation: Observation | null, threshold: Threshold): ConditionOutcome {
  if (observation === null) return 'clear';
  if (observation.unit !== threshold.unit) return 'not-comparable';
  if (observation.unit === 'minor-units' && threshold.unit === 'minor-units' && observation.amount.currency !== threshold.amount.currency) {
    return 'not-comparable';
  }
  const order = compareToThreshold(observation, threshold);
  if (order === null) return 'clear';
  switch (comparison) {
    case '>':
      return order > 0 ? 'holds' : 'clear';
    case '>=':
      return order >= 0 ? 'holds' : 'clear';
    case '<':
      return order < 0 ? 'holds' : 'clear';
    case '<=':
      return order <= 0 ? 'holds' : 'clear';
    default: {
      const unknown: never = comparison;
      throw new RangeError(`unknown comparison ${String(unknown)}`);
    }
  }
}
