/*
 * As-of-date figures: what the ledger rows mean on a business date. Nothing here is stored per day by the
 * rows themselves; aging moves when BusinessDayClosed moves the date, without any new transaction.
 */
import type { BusinessDate } from '@arc/clock';
import { money, type CurrencyCode, type Money } from '@arc/money';
import { bucketOfInvoice, daysPastDue, DEFAULT_BUCKET_SET, isOverdue, NOT_YET_DUE, type AgingBucketSet } from './aging-buckets';
import { isReceivable, ledgerStatus, openBalance, type ArLedgerRow, type LedgerStatus } from './ar-ledger.projection';

/** One ledger row as BI sees it on a date (the `reporting` view's columns that depend on the date). */
export interface LedgerRowAsOf {
  readonly openBalance: Money;
  readonly status: LedgerStatus;
  /** asOf − dueDate (negative before the due date); null while the invoice has not arrived. */
  readonly daysPastDue: number | null;
  /** true when the open balance is positive and the due date is before asOf. */
  readonly overdue: boolean;
  /** Bucket label, NOT_YET_DUE, or null when nothing is open (paid, or not issued). */
  readonly bucket: string | null;
}

export function ledgerRowAsOf(row: ArLedgerRow, asOf: BusinessDate, set: AgingBucketSet = DEFAULT_BUCKET_SET): LedgerRowAsOf {
  const balance = openBalance(row);
  const status = ledgerStatus(row);
  if (row.invoice === null) return { openBalance: balance, status, daysPastDue: null, overdue: false, bucket: null };
  const receivable = isReceivable(row);
  return {
    openBalance: balance,
    status,
    daysPastDue: daysPastDue(row.invoice.dueDate, asOf),
    overdue: receivable && isOverdue(row.invoice.dueDate, asOf),
    bucket: receivable ? bucketOfInvoice(row.invoice, asOf, set) : null,
  };
}

export interface CustomerAging {
  readonly customerId: string;
  readonly asOf: BusinessDate;
  readonly currency: CurrencyCode;
  readonly bucketSetId: string;
  readonly notYetDue: Money;
  /** Every bucket of the set, in its order, zero when empty, so a consumer sees a bucket empty out. */
  readonly buckets: readonly { readonly label: string; readonly amount: Money }[];
  readonly overdue: Money;
  readonly totalOpen: Money;
  /** asOf − due date of the oldest overdue item; null when nothing is overdue. */
  readonly oldestDaysPastDue: number | null;
}

/**
 * Aging of one customer as of a date, from the rows with an open balance > 0; one result per currency the
 * customer has ever been invoiced in (sorted by currency), so a fully paid customer ages to zeros and the
 * change to zero is published. Rows of other customers are ignored.
 */
export function customerAging(
  customerId: string,
  rows: Iterable<ArLedgerRow>,
  asOf: BusinessDate,
  set: AgingBucketSet = DEFAULT_BUCKET_SET,
): CustomerAging[] {
  const byCurrency = new Map<CurrencyCode, { notYetDue: bigint; buckets: Map<string, bigint>; oldest: number | null }>();
  for (const row of rows) {
    if (row.customerId !== customerId || row.invoice === null) continue;
    let acc = byCurrency.get(row.currency);
    if (acc === undefined) {
      acc = { notYetDue: 0n, buckets: new Map(set.buckets.map((b) => [b.label, 0n])), oldest: null };
      byCurrency.set(row.currency, acc);
    }
    if (!isReceivable(row)) continue;
    const amount = openBalance(row).amountMinor;
    const label = bucketOfInvoice(row.invoice, asOf, set);
    if (label === NOT_YET_DUE) {
      acc.notYetDue += amount;
      continue;
    }
    acc.buckets.set(label, (acc.buckets.get(label) ?? 0n) + amount);
    const days = daysPastDue(row.invoice.dueDate, asOf);
    acc.oldest = acc.oldest === null ? days : Math.max(acc.oldest, days);
  }
  return [...byCurrency.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, acc]) => {
      const buckets = set.buckets.map((b) => ({ label: b.label, amount: money(acc.buckets.get(b.label) ?? 0n, currency) }));
      const overdue = buckets.reduce((total, b) => total + b.amount.amountMinor, 0n);
      return {
        customerId,
        asOf,
        currency,
        bucketSetId: set.id,
        notYetDue: money(acc.notYetDue, currency),
        buckets,
        overdue: money(overdue, currency),
        totalOpen: money(acc.notYetDue + overdue, currency),
        oldestDaysPastDue: acc.oldest,
      };
    });
}

/** overdue = open balance of items whose due date < as-of date, in one currency. */
export function overdueAmount(rows: Iterable<ArLedgerRow>, asOf: BusinessDate, currency: CurrencyCode): Money {
  let total = 0n;
  for (const row of rows) {
    if (row.currency === currency && isReceivable(row) && isOverdue(row.invoice.dueDate, asOf)) total += openBalance(row).amountMinor;
  }
  return money(total, currency);
}
