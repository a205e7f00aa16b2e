/*
 * Portfolio KPIs with the domain brief's definitions, on integer minor units. Every figure is one exact
 * integer division at the end, rounded half-up (ties away from zero) with @arc/money's divideRounded, the
 * rounding arc.projections.changes publishes; a zero denominator gives null (the ratio is undefined).
 * Ratios are in basis points of the ratio (1.0 = 10000); DSO is in whole days.
 *
 * The catalogue: docs/kpis.md gives each formula once; these functions are those formulas, computed at each
 * day close per segment × currency (src/kpis/kpi.job.ts) and published as PortfolioKpisChanged.
 */
import { addDays, type BusinessDate } from '@arc/clock';
import {
  BASIS_POINTS_PER_UNIT,
  CurrencyMismatchError,
  divideRounded,
  exactNumberOrNull,
  money,
  ratioBasisPoints,
  type CurrencyCode,
  type Money,
} from '@arc/money';
import { overdueAmount } from './aging';
import { openAr, type ArLedgerRow } from './ar-ledger.projection';

function same(currency: CurrencyCode, ...amounts: Money[]): void {
  for (const m of amounts)
    if (m.currency !== currency) throw new CurrencyMismatchError(currency, m.currency, 'an amount in a KPI', "the KPI's currency");
}

/** Half-up, exact: null over zero, and null rather than a rounded number beyond 2^53 (see exactNumberOrNull). */
const ratio = (numerator: bigint, denominator: bigint): number | null =>
  denominator === 0n ? null : exactNumberOrNull(divideRounded(numerator, denominator, 'half-up'));

/** overdue ratio = overdue / total open AR, in basis points. */
export function overdueRatioBasisPoints(overdue: Money, totalOpenAr: Money): number | null {
  return exactNumberOrNull(ratioBasisPoints(overdue, totalOpenAr, 'half-up'));
}

/** DSO (period of D days) = ending AR / credit sales in the period × D, in whole days (multiplied before dividing). */
export function dsoDays(endingAr: Money, creditSales: Money, periodDays: number): number | null {
  same(endingAr.currency, creditSales);
  if (!Number.isSafeInteger(periodDays) || periodDays < 1) throw new RangeError(`periodDays must be a whole number ≥ 1, got ${periodDays}`);
  return ratio(endingAr.amountMinor * BigInt(periodDays), creditSales.amountMinor);
}

/**
 * AR turnover = credit sales / average AR, in basis points (4.5 turns = 45000). The average is the mean of
 * the AR samples given — [opening, closing] for the usual two-point average, or the daily snapshots — and is
 * never rounded on its own: turnover = credit sales × n / Σ samples.
 */
export function arTurnoverBasisPoints(creditSales: Money, arSamples: readonly Money[]): number | null {
  same(creditSales.currency, ...arSamples);
  if (arSamples.length === 0) return null;
  const total = arSamples.reduce((s, m) => s + m.amountMinor, 0n);
  return ratio(creditSales.amountMinor * BigInt(arSamples.length) * BASIS_POINTS_PER_UNIT, total);
}

export interface CeiInputs {
  readonly openingAr: Money;
  readonly creditSales: Money;
  readonly closingTotalAr: Money;
  /** Closing AR not yet due. */
  readonly closingCurrentAr: Money;
}

/**
 * CEI = (opening AR + credit sales − closing total AR) / (opening AR + credit sales − closing current AR) × 100.
 * A percentage, so published in basis points of the percentage's ratio: 10000 = 100 %.
 */
export function ceiBasisPoints({ openingAr, creditSales, closingTotalAr, closingCurrentAr }: CeiInputs): number | null {
  same(openingAr.currency, creditSales, closingTotalAr, closingCurrentAr);
  const base = openingAr.amountMinor + creditSales.amountMinor;
  return ratio((base - closingTotalAr.amountMinor) * BASIS_POINTS_PER_UNIT, base - closingCurrentAr.amountMinor);
}

/** The D days ending on asOf: (asOf − D, asOf], both as business dates (first day included). */
export function periodEndingOn(asOf: BusinessDate, periodDays: number): { from: BusinessDate; to: BusinessDate } {
  return { from: addDays(asOf, 1 - periodDays), to: asOf };
}

/**
 * Credit sales in the period: Σ totals of the invoices issued from `from` to `to` inclusive, in one currency.
 * Gross of later credit notes (they reduce AR, not the period's sales); rows not yet issued do not count.
 */
export function creditSales(rows: Iterable<ArLedgerRow>, period: { from: BusinessDate; to: BusinessDate }, currency: CurrencyCode): Money {
  let total = 0n;
  for (const row of rows) {
    const invoice = row.invoice;
    if (invoice === null || row.currency !== currency) continue;
    if (invoice.issueDate >= period.from && invoice.issueDate <= period.to) total += invoice.amount.amountMinor;
  }
  return money(total, currency);
}

export interface ArPosition {
  /** Σ open balances > 0. */
  readonly totalAr: Money;
  /** Of which due before asOf. */
  readonly overdue: Money;
  /** Of which not yet due: totalAr − overdue. */
  readonly currentAr: Money;
}

/** The AR position of a set of rows (a segment's customers) as of a date, in one currency. */
export function arPosition(rows: Iterable<ArLedgerRow>, asOf: BusinessDate, currency: CurrencyCode): ArPosition {
  const list = [...rows];
  const totalAr = openAr(list, currency);
  const overdue = overdueAmount(list, asOf, currency);
  return { totalAr, overdue, currentAr: money(totalAr.amountMinor - overdue.amountMinor, currency) };
}

export type KpiSegmentKind = 'portfolio' | 'business-unit' | 'credit-class';

export interface KpiSegmentKey {
  readonly kind: KpiSegmentKind;
  /** The business unit or credit class; null for the whole portfolio. */
  readonly key: string | null;
}

/** The segments a customer's figures count in: the portfolio, its business unit and its credit class when known. */
export function segmentsOf(customer: { businessUnit: string | null; creditClass: string | null }): KpiSegmentKey[] {
  const segments: KpiSegmentKey[] = [{ kind: 'portfolio', key: null }];
  if (customer.businessUnit !== null) segments.push({ kind: 'business-unit', key: customer.businessUnit });
  if (customer.creditClass !== null) segments.push({ kind: 'credit-class', key: customer.creditClass });
  return segments;
}

/**
 * Countback DSO: how many of the latest days' credit sales the closing AR absorbs. Walking back from asOf
 * (dailySales[0] = asOf's sales, [1] the day before …), each day whose sales the remaining AR covers counts one
 * day; the day that covers the rest counts remaining / its sales. Exact rational, rounded half-up to whole days.
 * 0 without AR; null when the history given cannot absorb the AR (DSO longer than the history).
 */
export function dsoCountbackDays(totalAr: Money, dailySales: readonly Money[]): number | null {
  same(totalAr.currency, ...dailySales);
  let remaining = totalAr.amountMinor;
  if (remaining <= 0n) return 0;
  let days = 0n;
  for (const day of dailySales) {
    const sales = day.amountMinor;
    if (sales >= remaining && sales > 0n) return ratio(days * sales + remaining, sales);
    remaining -= sales;
    days += 1n;
  }
  return null;
}

/** x / sales × D in whole days, half-up (DSO, best-possible DSO and average days delinquent share it). */
const daysOfSales = (amount: Money, sales: Money, periodDays: number): number | null => dsoDays(amount, sales, periodDays);

/** ratio in basis points of a / b, half-up; null over zero. */
const basisPoints = (a: Money, b: Money): number | null => {
  same(a.currency, b);
  return ratio(a.amountMinor * BASIS_POINTS_PER_UNIT, b.amountMinor);
};

export interface PortfolioKpiInputs {
  readonly asOf: BusinessDate;
  readonly segment: KpiSegmentKey;
  readonly currency: CurrencyCode;
  readonly periodDays: number;
  /** Total AR as of asOf − D, the day before the period. */
  readonly openingAr: Money;
  /** Total open AR as of asOf: the ending / closing AR. */
  readonly totalAr: Money;
  readonly overdue: Money;
  /** Credit sales in (asOf − D, asOf]. */
  readonly creditSales: Money;
  /** Cash applied to invoices, dated in the period. */
  readonly collected: Money;
  /** Write-offs dated in the period. */
  readonly writtenOff: Money;
  /** Open amount under dispute as of asOf. */
  readonly disputed: Money;
  /** Daily credit sales, newest first (asOf, asOf − 1, …), for countback DSO. */
  readonly dailyCreditSales: readonly Money[];
}

export interface PortfolioKpis {
  readonly asOf: BusinessDate;
  readonly segment: KpiSegmentKey;
  readonly currency: CurrencyCode;
  readonly periodDays: number;
  readonly totalAr: Money;
  readonly overdue: Money;
  readonly currentAr: Money;
  readonly openingAr: Money;
  readonly creditSales: Money;
  readonly collected: Money;
  readonly writtenOff: Money;
  readonly disputed: Money;
  readonly overdueRatioBasisPoints: number | null;
  readonly dsoDays: number | null;
  readonly dsoCountbackDays: number | null;
  readonly bestPossibleDsoDays: number | null;
  readonly averageDaysDelinquent: number | null;
  readonly arTurnoverBasisPoints: number | null;
  readonly ceiBasisPoints: number | null;
  readonly badDebtRatioBasisPoints: number | null;
  readonly collectionRateBasisPoints: number | null;
  readonly disputeRateBasisPoints: number | null;
}

/** Every KPI of the catalogue (docs/kpis.md) for one segment in one currency. */
export function portfolioKpis(inputs: PortfolioKpiInputs): PortfolioKpis {
  const { asOf, segment, currency, periodDays, openingAr, totalAr, overdue, collected, writtenOff, disputed } = inputs;
  const sales = inputs.creditSales;
  if ((segment.kind === 'portfolio') !== (segment.key === null)) {
    throw new RangeError('segment.key must be null for the portfolio and set for a business unit or credit class');
  }
  same(currency, openingAr, totalAr, overdue, sales, collected, writtenOff, disputed);
  const currentAr = money(totalAr.amountMinor - overdue.amountMinor, currency);
  return {
    asOf,
    segment,
    currency,
    periodDays,
    totalAr,
    overdue,
    currentAr,
    openingAr,
    creditSales: sales,
    collected,
    writtenOff,
    disputed,
    overdueRatioBasisPoints: overdueRatioBasisPoints(overdue, totalAr),
    dsoDays: daysOfSales(totalAr, sales, periodDays),
    dsoCountbackDays: dsoCountbackDays(totalAr, inputs.dailyCreditSales),
    bestPossibleDsoDays: daysOfSales(currentAr, sales, periodDays),
    averageDaysDelinquent: daysOfSales(overdue, sales, periodDays),
    arTurnoverBasisPoints: arTurnoverBasisPoints(sales, [openingAr, totalAr]),
    ceiBasisPoints: ceiBasisPoints({ openingAr, creditSales: sales, closingTotalAr: totalAr, closingCurrentAr: currentAr }),
    badDebtRatioBasisPoints: basisPoints(writtenOff, sales),
    collectionRateBasisPoints: basisPoints(collected, money(openingAr.amountMinor + sales.amountMinor, currency)),
    disputeRateBasisPoints: basisPoints(disputed, totalAr),
  };
}
