import type { Queryable } from '@arc/event-store';
import { money, ratioBasisPoints } from '@arc/money';

/**
 * The customers' receivables movements by business date (part of the `receivables` read model, rebuilt by
 * replaying the topics): what the collector KPIs are computed from, exactly, in integer minor units.
 *
 * One row per event that moves a receivable: `sale` (InvoiceIssued, +total on its issue date), `credit`
 * (CreditNoteIssued, −), `payment` (PaymentAllocated −, PaymentAllocationReduced + on the day it was recorded),
 * `write-off` (InvoiceWrittenOff −, WriteOffRecovered +), `cancel` (InvoiceCancelled −). The receivable of a
 * customer at the end of a day is the sum of its rows up to that day.
 */
export const LEDGER_TABLE = 'collections_ledger';

export const LEDGER_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS ${LEDGER_TABLE} (
    entry_id     uuid PRIMARY KEY,
    customer_id  uuid NOT NULL,
    invoice_id   uuid NOT NULL,
    kind         text NOT NULL,
    booked_on    date NOT NULL,
    amount_minor numeric(38, 0) NOT NULL,
    currency     char(3) NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS ${LEDGER_TABLE}_customer ON ${LEDGER_TABLE} (customer_id, booked_on)`,
];

export type LedgerKind = 'sale' | 'credit' | 'payment' | 'write-off' | 'cancel';

/** Records one movement (the event's id keys it: a redelivery changes nothing). `sign` −1 lowers the receivable. */
export async function recordMovement(
  db: Queryable,
  entryId: string,
  kind: LedgerKind,
  m: { customerId: string; invoiceId: string; amount: { amountMinor: string; currency: string } },
  bookedOn: string,
  sign: 1 | -1,
): Promise<void> {
  await db.query(
    `INSERT INTO ${LEDGER_TABLE} (entry_id, customer_id, invoice_id, kind, booked_on, amount_minor, currency)
     VALUES ($1, $2, $3, $4, $5::date, $6::numeric, $7) ON CONFLICT (entry_id) DO NOTHING`,
    [entryId, m.customerId, m.invoiceId, kind, bookedOn, (BigInt(m.amount.amountMinor) * BigInt(sign)).toString(), m.amount.currency],
  );
}

export interface CollectorMoneyKpis {
  collector: string;
  currency: string;
  /** Payments allocated to the collector's customers' invoices in the period, less allocations reduced. */
  collectedMinor: bigint;
  /** Receivables at the end of the day before the period. */
  beginningMinor: bigint;
  /** Invoices issued in the period. */
  salesMinor: bigint;
  /** Receivables at the end of the period, and the part of them not yet due (due on or after the last day). */
  endingMinor: bigint;
  endingCurrentMinor: bigint;
  /**
   * Collection effectiveness index in basis points (10,000 = 100 %; an integer as a decimal string): (beginning + sales − ending) ÷
   * (beginning + sales − ending current), rounded half up; null when there was nothing to collect.
   */
  ceiBasisPoints: string | null;
}

/**
 * Amount collected and CEI per collector (the customers assigned to each now) and currency over [from, to].
 * `assignments` is the table of current assignments; `openItems` the invoices' table (their due dates).
 */
export async function collectorMoneyKpis(
  db: Queryable,
  from: string,
  to: string,
  tables: { assignments: string; openItems: string },
): Promise<CollectorMoneyKpis[]> {
  const { rows } = await db.query<{
    collector: string;
    currency: string;
    collected: string;
    beginning: string;
    sales: string;
    ending: string;
    ending_current: string;
  }>(
    `SELECT a.collector, l.currency,
            (-COALESCE(sum(l.amount_minor) FILTER (WHERE l.kind = 'payment' AND l.booked_on BETWEEN $1::date AND $2::date), 0))::text AS collected,
            COALESCE(sum(l.amount_minor) FILTER (WHERE l.booked_on < $1::date), 0)::text AS beginning,
            COALESCE(sum(l.amount_minor) FILTER (WHERE l.kind = 'sale' AND l.booked_on BETWEEN $1::date AND $2::date), 0)::text AS sales,
            COALESCE(sum(l.amount_minor) FILTER (WHERE l.booked_on <= $2::date), 0)::text AS ending,
            COALESCE(sum(l.amount_minor) FILTER (WHERE l.booked_on <= $2::date AND i.due_date >= $2::date), 0)::text AS ending_current
       FROM ${LEDGER_TABLE} l
       JOIN ${tables.assignments} a ON a.customer_id = l.customer_id
       LEFT JOIN ${tables.openItems} i ON i.invoice_id = l.invoice_id
      WHERE l.booked_on <= $2::date
      GROUP BY a.collector, l.currency
      ORDER BY a.collector, l.currency`,
    [from, to],
  );
  return rows.map((r) => {
    const beginningMinor = BigInt(r.beginning);
    const salesMinor = BigInt(r.sales);
    const endingMinor = BigInt(r.ending);
    const endingCurrentMinor = BigInt(r.ending_current);
    return {
      collector: r.collector,
      currency: r.currency.trim(),
      collectedMinor: BigInt(r.collected),
      beginningMinor,
      salesMinor,
      endingMinor,
      endingCurrentMinor,
      ceiBasisPoints: cei(r.currency.trim(), beginningMinor, salesMinor, endingMinor, endingCurrentMinor),
    };
  });
}

/** (B + S − E) ÷ (B + S − E current) in basis points, half up; null when the denominator is not positive. */
export function cei(currency: string, beginning: bigint, sales: bigint, ending: bigint, endingCurrent: bigint): string | null {
  const collectible = beginning + sales - endingCurrent;
  if (collectible <= 0n) return null;
  return ratioBasisPoints(money(beginning + sales - ending, currency), money(collectible, currency))?.toString() ?? null;
}
