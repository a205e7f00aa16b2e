/*
 * How a customer pays, for credit reviews (domain brief §6 "payment behaviour per customer"), over the last 3, 6
 * and 12 calendar months up to a business date. Pure; the sums come from the ledger (views/behaviour.store.ts).
 *
 * An invoice counts in a window when it was settled in it (its open balance reached zero: settledOn is the date
 * of its last movement then), or when it is still open and fell due in it (due before asOf).
 *   average days to pay = Σ (settled − issued) / settled invoices, whole days half-up
 *   weighted days late  = Σ (days late × amount) / Σ amount over counted invoices, whole days half-up, where days
 *                         late = settled − due (0 when settled by the due date), or asOf − due while still open
 *   on-time ratio       = counted invoices settled by their due date / counted, basis points rounded down (never
 *                         flatters the customer)
 *   trend               = weighted days late of the last 3 months against the last 12: worsening when higher by
 *                         more than 5 days, improving when lower by more than 5, stable otherwise; unknown if either
 *                         is null
 */
import { addMonths, daysBetween, type BusinessDate } from '@arc/clock';
import { PAYMENT_BEHAVIOUR_WINDOWS, type CustomerPaymentBehaviourChangedData, type PaymentBehaviourWindow } from '@arc/contracts';
import { divideRounded } from '@arc/money';

export interface InvoicePayment {
  readonly issueDate: BusinessDate;
  readonly dueDate: BusinessDate;
  /** The invoice total, minor units. */
  readonly amountMinor: bigint;
  /** The day the open balance reached zero; null while something is open. */
  readonly settledOn: BusinessDate | null;
}

/** The sums of one window, which is all the figures need (SQL adds them up for a whole portfolio). */
export interface WindowSums {
  readonly months: PaymentBehaviourWindow['months'];
  readonly counted: number;
  readonly settled: number;
  readonly onTime: number;
  /** Σ (settled − issued) over settled invoices. */
  readonly daysToPay: bigint;
  /** Σ days late × amount over counted invoices. */
  readonly lateAmountDays: bigint;
  /** Σ amount over counted invoices. */
  readonly amount: bigint;
}

export const TREND_THRESHOLD_DAYS = 5;

/** The window (asOf − months, asOf] an invoice counts in, per the rules above. */
export function windowStart(asOf: BusinessDate, months: number): BusinessDate {
  return addMonths(asOf, -months);
}

/** Adds up one window from invoice dates (the reference the SQL sums are tested against). */
export function windowSums(invoices: readonly InvoicePayment[], asOf: BusinessDate, months: PaymentBehaviourWindow['months']): WindowSums {
  const from = windowStart(asOf, months);
  let counted = 0;
  let settled = 0;
  let onTime = 0;
  let daysToPay = 0n;
  let lateAmountDays = 0n;
  let amount = 0n;
  for (const invoice of invoices) {
    const settledIn = invoice.settledOn !== null && invoice.settledOn > from && invoice.settledOn <= asOf;
    const openDueIn = invoice.settledOn === null && invoice.dueDate < asOf && invoice.dueDate > from;
    if (!settledIn && !openDueIn) continue;
    counted += 1;
    amount += invoice.amountMinor;
    if (settledIn && invoice.settledOn !== null) {
      settled += 1;
      daysToPay += BigInt(Math.max(0, daysBetween(invoice.issueDate, invoice.settledOn)));
      const late = Math.max(0, daysBetween(invoice.dueDate, invoice.settledOn));
      if (late === 0) onTime += 1;
      lateAmountDays += BigInt(late) * invoice.amountMinor;
    } else {
      lateAmountDays += BigInt(daysBetween(invoice.dueDate, asOf)) * invoice.amountMinor;
    }
  }
  return { months, counted, settled, onTime, daysToPay, lateAmountDays, amount };
}

const halfUp = (numerator: bigint, denominator: bigint): number | null =>
  denominator === 0n ? null : Number(divideRounded(numerator, denominator, 'half-up'));

export function windowFigures(sums: WindowSums): PaymentBehaviourWindow {
  return {
    months: sums.months,
    invoicesCounted: sums.counted,
    invoicesSettled: sums.settled,
    averageDaysToPay: halfUp(sums.daysToPay, BigInt(sums.settled)),
    weightedDaysLate: halfUp(sums.lateAmountDays, sums.amount),
    onTimeRatioBasisPoints: sums.counted === 0 ? null : Math.floor((sums.onTime * 10_000) / sums.counted),
  };
}

export function trendOf(windows: readonly PaymentBehaviourWindow[]): CustomerPaymentBehaviourChangedData['trend'] {
  const recent = windows.find((w) => w.months === 3)?.weightedDaysLate ?? null;
  const year = windows.find((w) => w.months === 12)?.weightedDaysLate ?? null;
  if (recent === null || year === null) return 'unknown';
  if (recent > year + TREND_THRESHOLD_DAYS) return 'worsening';
  if (recent < year - TREND_THRESHOLD_DAYS) return 'improving';
  return 'stable';
}

/** The published figures of one customer from its window sums (one per window, any order). */
export function paymentBehaviourData(
  customerId: string,
  asOf: BusinessDate,
  sums: readonly WindowSums[],
): CustomerPaymentBehaviourChangedData {
  const windows = PAYMENT_BEHAVIOUR_WINDOWS.map((months) =>
    windowFigures(
      sums.find((s) => s.months === months) ?? { months, counted: 0, settled: 0, onTime: 0, daysToPay: 0n, lateAmountDays: 0n, amount: 0n },
    ),
  );
  return { customerId, asOf, windows, trend: trendOf(windows) };
}

/** Every window from invoice dates: the pure reference of what the day close publishes. */
export function paymentBehaviour(
  customerId: string,
  invoices: readonly InvoicePayment[],
  asOf: BusinessDate,
): CustomerPaymentBehaviourChangedData {
  return paymentBehaviourData(
    customerId,
    asOf,
    PAYMENT_BEHAVIOUR_WINDOWS.map((months) => windowSums(invoices, asOf, months)),
  );
}
