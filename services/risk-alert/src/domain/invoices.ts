/*
 * The invoices behind an alert's figure: what a person needs to act on a customer amount alert (which invoices
 * make up the overdue amount, the 90+ bucket, the amount falling due) or on an invoice-scope alert. Read from
 * risk-alert's own per-invoice view (open balances by the one rule of @arc/receivables), as of the alert's
 * business date; listed in AlertRaised / AlertEscalated (`invoices`).
 */
import type { AlertInvoice } from '@arc/contracts';
import { FALLING_DUE_HORIZONS, type AlertMetric } from './metrics';

/** At most this many invoices are listed (the oldest due first): an alert stays one readable event. */
export const MAX_INVOICES_BEHIND = 100;

/** One open invoice of the customer as the view holds it; `open` in minor units of `currency`. */
export interface OpenInvoice {
  invoiceId: string;
  invoiceNumber: string;
  currency: string;
  dueDate: string;
  open: bigint;
}

const DAY_MS = 86_400_000;

/** Whole days from the due date to the business date: positive past due, zero on the due date, negative before. */
export function daysPastDue(dueDate: string, asOf: string): number {
  return Math.round((Date.parse(`${asOf}T00:00:00Z`) - Date.parse(`${dueDate}T00:00:00Z`)) / DAY_MS);
}

/**
 * Which open invoices make up a metric's figure on a business date; null when the metric is not explained by
 * invoices (ratios, days, counts, segments). Only invoices in the threshold's currency (figures are never
 * converted). An invoice-scope alert lists its own invoice.
 */
export function invoicesBehind(
  metric: AlertMetric,
  invoices: readonly OpenInvoice[],
  asOf: string,
  currency: string,
  invoiceId: string | null = null,
): AlertInvoice[] | null {
  const pick = selector(metric, asOf, invoiceId);
  if (pick === null) return null;
  return invoices
    .filter((i) => i.currency === currency && i.open > 0n && pick(i))
    .sort((a, b) => (a.dueDate === b.dueDate ? a.invoiceNumber.localeCompare(b.invoiceNumber) : a.dueDate < b.dueDate ? -1 : 1))
    .slice(0, MAX_INVOICES_BEHIND)
    .map((i) => ({
      invoiceId: i.invoiceId,
      invoiceNumber: i.invoiceNumber,
      dueDate: i.dueDate,
      open: { amountMinor: i.open.toString(), currency: i.currency },
      daysPastDue: daysPastDue(i.dueDate, asOf),
    }));
}

function selector(metric: AlertMetric, asOf: string, invoiceId: string | null): ((i: OpenInvoice) => boolean) | null {
  switch (metric) {
    case 'customer-overdue-amount':
      return (i) => daysPastDue(i.dueDate, asOf) > 0;
    case 'customer-overdue-90-plus':
      // The aging bucket labelled 90+: more than 90 days past due.
      return (i) => daysPastDue(i.dueDate, asOf) > 90;
    case 'customer-uninsured-exposure':
      return () => true;
    case 'customer-due-next-7-days':
    case 'customer-due-next-14-days':
    case 'customer-due-next-30-days': {
      const horizon = FALLING_DUE_HORIZONS[metric] ?? 0;
      return (i) => daysPastDue(i.dueDate, asOf) < 0 && -daysPastDue(i.dueDate, asOf) <= horizon;
    }
    case 'invoice-open-amount':
      return (i) => i.invoiceId === invoiceId;
    case 'customer-overdue-ratio':
    case 'customer-utilisation':
    case 'customer-oldest-days-past-due':
    case 'segment-overdue-ratio':
    case 'segment-dso':
    case 'segment-ar-turnover':
    case 'customer-credit-class':
    case 'customer-broken-promises':
      return null;
    default: {
      const unknown: never = metric;
      throw new RangeError(`unknown metric ${String(unknown)}`);
    }
  }
}

/** Σ open balances due in (asOf, asOf + horizon] per horizon of FALLING_DUE_HORIZONS, in one currency (minor units). */
export function fallingDue(invoices: readonly OpenInvoice[], asOf: string, currency: string): Record<number, bigint> {
  const sums: Record<number, bigint> = {};
  for (const horizon of Object.values(FALLING_DUE_HORIZONS)) {
    if (horizon === undefined) continue;
    sums[horizon] = invoices
      .filter((i) => i.currency === currency && i.open > 0n)
      .filter((i) => daysPastDue(i.dueDate, asOf) < 0 && -daysPastDue(i.dueDate, asOf) <= horizon)
      .reduce((sum, i) => sum + i.open, 0n);
  }
  return sums;
}
