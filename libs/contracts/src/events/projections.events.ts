import { Topics } from '../topics';
import { CREDIT_CLASSES, type CreditClass } from './credit.events';
import {
  arrayOf,
  boolean,
  byType,
  currency,
  date,
  defineEvent,
  integer,
  minor,
  money,
  nullable,
  object,
  oneOf,
  requireCurrency,
  text,
  uuid,
  type EventUnion,
  type IsoDate,
  type MoneyJson,
  type Uuid,
} from './validation';

/*
 * Read-model changes, topic arc.projections.changes, published by projections after each committed batch
 * so risk-alert can watch the read models without reading their database. Each event is the full new
 * state of one row, not a delta: a consumer that missed one is corrected by the next.
 *
 * Ratios are integers in basis points of the ratio (1.0 = 10000), rounded half-up (ties away from zero,
 * as @arc/money's ratioBasisPoints), and null where the denominator is zero. Threshold rules should
 * compare the amounts exactly rather than trust a rounded ratio.
 */

const MIN_RATIO = Number.MIN_SAFE_INTEGER;

/** Half-up integer division, the rounding every ratio on this topic is published with. */
function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  const twice = 2n * (remainder < 0n ? -remainder : remainder);
  const absDenominator = denominator < 0n ? -denominator : denominator;
  if (twice < absDenominator) return quotient;
  return quotient + (numerator < 0n !== denominator < 0n ? -1n : 1n);
}

/** A ratio too large for a JSON number to hold exactly is published as null, never rounded (@arc/money exactNumberOrNull). */
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function requireRatio(problems: string[], field: string, published: number | null, numerator: bigint, denominator: bigint): void {
  const exact = denominator === 0n ? null : roundHalfUp(numerator, denominator);
  const expected = exact === null || exact > SAFE || exact < -SAFE ? null : exact;
  if (expected === null && published !== null) {
    problems.push(
      exact === null ? `${field} must be null when its denominator is zero` : `${field} must be null beyond ±(2^53 − 1) (got ${published})`,
    );
  }
  if (expected !== null && (published === null || BigInt(published) !== expected)) {
    problems.push(`${field} must be ${expected} (half-up), not ${published}`);
  }
}

export interface CustomerExposureChangedData {
  customerId: Uuid;
  asOf: IsoDate;
  /** Every amount below is in this currency: the limit's, or the customer's when no limit is set. */
  currency: string;
  creditLimit: MoneyJson | null;
  openAr: MoneyJson;
  overdue: MoneyJson;
  disputed: MoneyJson;
  /** Open credit reservations (checked orders not yet invoiced). */
  reserved: MoneyJson;
  unappliedCash: MoneyJson;
  /** openAr + reserved. */
  exposure: MoneyJson;
  /** creditLimit − exposure (negative when over the limit); null without a limit. */
  availableCredit: MoneyJson | null;
  /** exposure / creditLimit in basis points, half-up; null without a limit or with a zero limit. */
  utilisationBasisPoints: number | null;
  creditClass: CreditClass | null;
  onHold: boolean;
}

export const CustomerExposureChanged = defineEvent<CustomerExposureChangedData>()({
  type: 'CustomerExposureChanged',
  topic: Topics.projectionChanges,
  schemaVersion: 1,
  shape: {
    customerId: uuid,
    asOf: date,
    currency,
    creditLimit: nullable(money('non-negative')),
    openAr: money('any', 'figure'),
    overdue: money('any', 'figure'),
    disputed: money('non-negative', 'figure'),
    reserved: money('non-negative', 'figure'),
    unappliedCash: money('non-negative', 'figure'),
    exposure: money('any', 'figure'),
    availableCredit: nullable(money('any', 'figure')),
    utilisationBasisPoints: nullable(integer(MIN_RATIO)),
    creditClass: nullable(oneOf(CREDIT_CLASSES)),
    onHold: boolean,
  },
  rules: (data, problems) => {
    const { creditLimit, openAr, overdue, disputed, reserved, unappliedCash, exposure, availableCredit } = data;
    requireCurrency(problems, data.currency, {
      creditLimit,
      openAr,
      overdue,
      disputed,
      reserved,
      unappliedCash,
      exposure,
      availableCredit,
    });
    if (problems.length > 0) return;
    if (minor(exposure) !== minor(openAr) + minor(reserved)) problems.push('exposure must equal openAr + reserved');
    if (creditLimit === null) {
      if (availableCredit !== null) problems.push('availableCredit must be null without a creditLimit');
      if (data.utilisationBasisPoints !== null) problems.push('utilisationBasisPoints must be null without a creditLimit');
      return;
    }
    if (availableCredit === null || minor(availableCredit) !== minor(creditLimit) - minor(exposure)) {
      problems.push('availableCredit must equal creditLimit − exposure');
    }
    requireRatio(problems, 'utilisationBasisPoints', data.utilisationBasisPoints, minor(exposure) * 10_000n, minor(creditLimit));
  },
});

export interface AgingBucket {
  /** As configured in the bucket set: '1-30', '31-60', '90+', '1-3m' … */
  label: string;
  amount: MoneyJson;
}

export interface CustomerAgingChangedData {
  customerId: Uuid;
  asOf: IsoDate;
  /** One event per customer, currency and bucket set. */
  currency: string;
  bucketSetId: string;
  /** Open balance of items whose due date is not before asOf. */
  notYetDue: MoneyJson;
  /** Partition of `overdue` by days past due, in the bucket set's order. */
  buckets: AgingBucket[];
  overdue: MoneyJson;
  /** notYetDue + overdue. */
  totalOpen: MoneyJson;
  /** asOf − due date of the oldest overdue item; null when nothing is overdue. */
  oldestDaysPastDue: number | null;
}

export const CustomerAgingChanged = defineEvent<CustomerAgingChangedData>()({
  type: 'CustomerAgingChanged',
  topic: Topics.projectionChanges,
  schemaVersion: 1,
  shape: {
    customerId: uuid,
    asOf: date,
    currency,
    bucketSetId: text,
    notYetDue: money('any', 'figure'),
    buckets: arrayOf(object<AgingBucket>({ label: text, amount: money('any', 'figure') }), { minItems: 1 }),
    overdue: money('any', 'figure'),
    totalOpen: money('any', 'figure'),
    oldestDaysPastDue: nullable(integer(1)),
  },
  rules: (data, problems) => {
    const amounts: Record<string, MoneyJson> = { notYetDue: data.notYetDue, overdue: data.overdue, totalOpen: data.totalOpen };
    data.buckets.forEach((bucket, index) => (amounts[`buckets[${index}].amount`] = bucket.amount));
    requireCurrency(problems, data.currency, amounts);
    if (new Set(data.buckets.map((b) => b.label)).size !== data.buckets.length) {
      problems.push('buckets must not repeat a label');
    }
    if (problems.length > 0) return;
    if (data.buckets.reduce((sum, b) => sum + minor(b.amount), 0n) !== minor(data.overdue)) {
      problems.push('the buckets must add up to overdue');
    }
    if (minor(data.notYetDue) + minor(data.overdue) !== minor(data.totalOpen)) {
      problems.push('totalOpen must equal notYetDue + overdue');
    }
  },
});

export const KPI_SEGMENT_KINDS = ['portfolio', 'business-unit', 'credit-class'] as const;

export interface KpiSegment {
  kind: (typeof KPI_SEGMENT_KINDS)[number];
  /** The business unit or credit class; null for the whole portfolio. */
  key: string | null;
}

export interface PortfolioKpisChangedData {
  asOf: IsoDate;
  /** The whole portfolio, a business unit or a credit class; every segment is published per currency (no FX). */
  segment: KpiSegment;
  /** Every amount below is in this currency: the segment's figures in one currency (docs/kpis.md). */
  currency: string;
  /** D, the length of the period (asOf − D, asOf] the flows and period ratios are measured over. */
  periodDays: number;
  /** Σ open balances as of asOf (the closing / ending AR). */
  totalAr: MoneyJson;
  /** Of which due before asOf. */
  overdue: MoneyJson;
  /** Of which not yet due: totalAr − overdue. */
  currentAr: MoneyJson;
  /** Total AR as of asOf − D (the day before the period). */
  openingAr: MoneyJson;
  /** Σ totals of the invoices issued in the period. */
  creditSales: MoneyJson;
  /** Cash applied to invoices in the period: Σ allocations − Σ reductions dated in it. */
  collected: MoneyJson;
  /** Σ write-offs dated in the period. */
  writtenOff: MoneyJson;
  /** Open amount under dispute as of asOf. */
  disputed: MoneyJson;
  /** overdue / totalAr. */
  overdueRatioBasisPoints: number | null;
  /** totalAr / creditSales × periodDays, in whole days, half-up. */
  dsoDays: number | null;
  /** Countback DSO: days of the latest daily credit sales that totalAr absorbs, whole days half-up (docs/kpis.md). */
  dsoCountbackDays: number | null;
  /** currentAr / creditSales × periodDays, whole days half-up. */
  bestPossibleDsoDays: number | null;
  /** overdue / creditSales × periodDays (= DSO − best-possible DSO before rounding), whole days half-up. */
  averageDaysDelinquent: number | null;
  /** creditSales / ((openingAr + totalAr) / 2), in basis points of the ratio (4.5 turns = 45000). */
  arTurnoverBasisPoints: number | null;
  /** Collection effectiveness index, as defined in the domain brief (a percentage, so 10000 = 100 %). */
  ceiBasisPoints: number | null;
  /** writtenOff / creditSales. */
  badDebtRatioBasisPoints: number | null;
  /** collected / (openingAr + creditSales). */
  collectionRateBasisPoints: number | null;
  /** disputed / totalAr. */
  disputeRateBasisPoints: number | null;
}

/**
 * Produced by projections at each day close (issue 14, docs/kpis.md), one per segment × currency, when a figure
 * differs from the last published for that subject. Schema version 1 was never produced before these fields.
 */
export const PortfolioKpisChanged = defineEvent<PortfolioKpisChangedData>()({
  type: 'PortfolioKpisChanged',
  topic: Topics.projectionChanges,
  schemaVersion: 1,
  shape: {
    asOf: date,
    segment: object<KpiSegment>({ kind: oneOf(KPI_SEGMENT_KINDS), key: nullable(text) }),
    currency,
    periodDays: integer(1, 3660),
    totalAr: money('any', 'figure'),
    overdue: money('any', 'figure'),
    currentAr: money('any', 'figure'),
    openingAr: money('any', 'figure'),
    creditSales: money('any', 'figure'),
    collected: money('any', 'figure'),
    writtenOff: money('any', 'figure'),
    disputed: money('any', 'figure'),
    overdueRatioBasisPoints: nullable(integer(MIN_RATIO)),
    dsoDays: nullable(integer(MIN_RATIO)),
    dsoCountbackDays: nullable(integer(MIN_RATIO)),
    bestPossibleDsoDays: nullable(integer(MIN_RATIO)),
    averageDaysDelinquent: nullable(integer(MIN_RATIO)),
    arTurnoverBasisPoints: nullable(integer(MIN_RATIO)),
    ceiBasisPoints: nullable(integer(MIN_RATIO)),
    badDebtRatioBasisPoints: nullable(integer(MIN_RATIO)),
    collectionRateBasisPoints: nullable(integer(MIN_RATIO)),
    disputeRateBasisPoints: nullable(integer(MIN_RATIO)),
  },
  rules: (data, problems) => {
    if ((data.segment.kind === 'portfolio') !== (data.segment.key === null)) {
      problems.push('segment.key must be null for the portfolio and set for a business unit or credit class');
    }
    if (data.segment.kind === 'credit-class' && !(CREDIT_CLASSES as readonly (string | null)[]).includes(data.segment.key)) {
      problems.push(`segment.key must be one of ${CREDIT_CLASSES.join(', ')} for a credit class`);
    }
    const { totalAr, overdue, currentAr, openingAr, creditSales, collected, writtenOff, disputed } = data;
    requireCurrency(problems, data.currency, { totalAr, overdue, currentAr, openingAr, creditSales, collected, writtenOff, disputed });
    if (problems.length > 0) return;
    if (minor(currentAr) + minor(overdue) !== minor(totalAr)) problems.push('currentAr must equal totalAr − overdue');
    const d = BigInt(data.periodDays);
    requireRatio(problems, 'overdueRatioBasisPoints', data.overdueRatioBasisPoints, minor(overdue) * 10_000n, minor(totalAr));
    requireRatio(problems, 'dsoDays', data.dsoDays, minor(totalAr) * d, minor(creditSales));
    requireRatio(problems, 'bestPossibleDsoDays', data.bestPossibleDsoDays, minor(currentAr) * d, minor(creditSales));
    requireRatio(problems, 'averageDaysDelinquent', data.averageDaysDelinquent, minor(overdue) * d, minor(creditSales));
    requireRatio(problems, 'badDebtRatioBasisPoints', data.badDebtRatioBasisPoints, minor(writtenOff) * 10_000n, minor(creditSales));
    requireRatio(problems, 'disputeRateBasisPoints', data.disputeRateBasisPoints, minor(disputed) * 10_000n, minor(totalAr));
  },
});

export const PAYMENT_BEHAVIOUR_WINDOWS = [3, 6, 12] as const;

export interface PaymentBehaviourWindow {
  /** The window: invoices settled or falling due in the last `months` calendar months up to asOf. */
  months: (typeof PAYMENT_BEHAVIOUR_WINDOWS)[number];
  /** Invoices that fell due or were settled in the window. */
  invoicesCounted: number;
  /** Of which settled (open balance reached zero) in the window. */
  invoicesSettled: number;
  /** Σ (settled − issued) / settled invoices, whole days half-up; null when none settled. */
  averageDaysToPay: number | null;
  /** Σ (days late × invoice amount) / Σ invoice amount over counted invoices, whole days half-up; null when none counted. */
  weightedDaysLate: number | null;
  /** Counted invoices settled by their due date / counted, basis points rounded down; null when none counted. */
  onTimeRatioBasisPoints: number | null;
}

export const PAYMENT_BEHAVIOUR_TRENDS = ['improving', 'stable', 'worsening', 'unknown'] as const;

export interface CustomerPaymentBehaviourChangedData {
  customerId: Uuid;
  asOf: IsoDate;
  /** One entry per window, in PAYMENT_BEHAVIOUR_WINDOWS order. */
  windows: PaymentBehaviourWindow[];
  /**
   * weightedDaysLate of the last 3 months against the last 12: worsening when higher by more than 5 days,
   * improving when lower by more than 5, stable otherwise; unknown when either is null.
   */
  trend: (typeof PAYMENT_BEHAVIOUR_TRENDS)[number];
}

/** Published by projections at day close per customer whose payment behaviour changed, for credit reviews. */
export const CustomerPaymentBehaviourChanged = defineEvent<CustomerPaymentBehaviourChangedData>()({
  type: 'CustomerPaymentBehaviourChanged',
  topic: Topics.projectionChanges,
  schemaVersion: 1,
  shape: {
    customerId: uuid,
    asOf: date,
    windows: arrayOf(
      object<PaymentBehaviourWindow>({
        months: integer(1, 12),
        invoicesCounted: integer(0),
        invoicesSettled: integer(0),
        averageDaysToPay: nullable(integer(0)),
        weightedDaysLate: nullable(integer(0)),
        onTimeRatioBasisPoints: nullable(integer(0, 10_000)),
      }),
      { minItems: 1 },
    ),
    trend: oneOf(PAYMENT_BEHAVIOUR_TRENDS),
  },
  rules: (data, problems) => {
    const months = data.windows.map((w) => w.months);
    if (months.join(',') !== PAYMENT_BEHAVIOUR_WINDOWS.join(',')) {
      problems.push(`windows must be for ${PAYMENT_BEHAVIOUR_WINDOWS.join(', ')} months, in that order`);
    }
    for (const w of data.windows) {
      if (w.invoicesSettled > w.invoicesCounted) problems.push(`windows[${w.months}m].invoicesSettled must not exceed invoicesCounted`);
      if ((w.invoicesCounted === 0) !== (w.onTimeRatioBasisPoints === null)) {
        problems.push(`windows[${w.months}m].onTimeRatioBasisPoints must be null exactly when nothing is counted`);
      }
    }
  },
});

export const ProjectionChangeEvents = byType([
  CustomerExposureChanged,
  CustomerAgingChanged,
  PortfolioKpisChanged,
  CustomerPaymentBehaviourChanged,
]);
export type ProjectionChangeEvent = EventUnion<typeof ProjectionChangeEvents>;
export type ProjectionChangeEventType = ProjectionChangeEvent['type'];
