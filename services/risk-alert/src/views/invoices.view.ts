import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { money } from '@arc/money';
import { ARC_PG_POOL, transactional } from '@arc/platform';
import { noFigures, openBalance, type InvoiceFigures } from '@arc/receivables';
import type { OpenInvoice } from '../domain';

/**
 * Risk-alert's own per-invoice view (not a read model of its store: its sources are invoicing's and payments'
 * topics), for the invoice-scope metric, the amount falling due and the invoices behind an alert. One row per
 * invoice with the figures the one open-balance rule takes (@arc/receivables): amount, cash allocated net of
 * reductions, credit notes. Movements are added atomically (`x = x + delta`), so the invoicing and payments
 * partitions, consumed in parallel, never lose one; topics are not ordered, so a payment may arrive before its
 * invoice (the row then has no amount, number or due date and owes nothing yet). Written only in the batch's
 * transaction.
 */
export const INVOICES_TABLE = 'risk_alert_invoices';

/** What one event does to an invoice's figures (minor units, in the invoice's currency). */
export type InvoiceMovement =
  | { kind: 'issued'; amountMinor: bigint; currency: string; invoiceNumber: string; dueDate: string }
  | { kind: 'credited' | 'allocated' | 'allocation-reduced'; amountMinor: bigint; currency: string };

interface Row {
  invoice_id: string;
  invoice_number: string | null;
  currency: string;
  due_date: string | null;
  amount_minor: string | null;
  allocated_minor: string;
  credited_minor: string;
}

function figuresOf(row: Row): InvoiceFigures {
  const c = row.currency;
  return {
    ...noFigures(c, row.amount_minor === null ? null : money(BigInt(row.amount_minor), c)),
    allocated: money(BigInt(row.allocated_minor), c),
    credited: money(BigInt(row.credited_minor), c),
  };
}

function openInvoiceOf(row: Row): OpenInvoice | null {
  if (row.invoice_number === null || row.due_date === null) return null;
  const open = openBalance(figuresOf(row)).amountMinor;
  return { invoiceId: row.invoice_id, invoiceNumber: row.invoice_number, currency: row.currency, dueDate: row.due_date, open };
}

const COLUMNS = `invoice_id::text, invoice_number, currency, to_char(due_date, 'YYYY-MM-DD') AS due_date, amount_minor::text,
  allocated_minor::text, credited_minor::text`;

@Injectable()
export class InvoicesView implements OnModuleInit {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await this.pool.query(`
      CREATE TABLE IF NOT EXISTS ${INVOICES_TABLE} (
        invoice_id uuid PRIMARY KEY, customer_id uuid NOT NULL, currency char(3) NOT NULL, invoice_number text, due_date date,
        amount_minor numeric, allocated_minor numeric NOT NULL, credited_minor numeric NOT NULL);
      CREATE INDEX IF NOT EXISTS ${INVOICES_TABLE}_customer ON ${INVOICES_TABLE} (customer_id);
      CREATE INDEX IF NOT EXISTS ${INVOICES_TABLE}_due ON ${INVOICES_TABLE} (due_date)`);
  }

  /** Applies one movement and answers the invoice as it now stands (null until it is issued). */
  async apply(customerId: string, invoiceId: string, m: InvoiceMovement): Promise<OpenInvoice | null> {
    const issued = m.kind === 'issued' ? m : null;
    const delta = (kind: InvoiceMovement['kind']): bigint =>
      m.kind !== kind ? 0n : m.kind === 'allocation-reduced' ? -m.amountMinor : m.amountMinor;
    const allocated = delta('allocated') + delta('allocation-reduced');
    const { rows } = await transactional(this.pool).query<Row>(
      `INSERT INTO ${INVOICES_TABLE} (invoice_id, customer_id, currency, invoice_number, due_date, amount_minor, allocated_minor, credited_minor)
       VALUES ($1, $2, $3, $4, $5::date, $6::numeric, $7::numeric, $8::numeric)
       ON CONFLICT (invoice_id) DO UPDATE SET
         invoice_number = COALESCE(${INVOICES_TABLE}.invoice_number, EXCLUDED.invoice_number),
         due_date = COALESCE(${INVOICES_TABLE}.due_date, EXCLUDED.due_date),
         amount_minor = COALESCE(${INVOICES_TABLE}.amount_minor, EXCLUDED.amount_minor),
         allocated_minor = ${INVOICES_TABLE}.allocated_minor + EXCLUDED.allocated_minor,
         credited_minor = ${INVOICES_TABLE}.credited_minor + EXCLUDED.credited_minor
       RETURNING ${COLUMNS}`,
      [
        invoiceId,
        customerId,
        m.currency,
        issued?.invoiceNumber ?? null,
        issued?.dueDate ?? null,
        issued === null ? null : issued.amountMinor.toString(),
        allocated.toString(),
        delta('credited').toString(),
      ],
    );
    return rows[0] === undefined ? null : openInvoiceOf(rows[0]);
  }

  /** The customer's issued invoices that still owe something, in any currency. */
  async openInvoices(customerId: string): Promise<OpenInvoice[]> {
    const { rows } = await transactional(this.pool).query<Row>(
      `SELECT ${COLUMNS} FROM ${INVOICES_TABLE} WHERE customer_id = $1 AND invoice_number IS NOT NULL ORDER BY due_date, invoice_number`,
      [customerId],
    );
    return rows.map(openInvoiceOf).filter((i): i is OpenInvoice => i !== null && i.open > 0n);
  }

  /** Customers with an invoice falling due in (date, date + days] or due on `date` (it just left every window). */
  async customersDueAround(date: string, days: number): Promise<string[]> {
    const { rows } = await transactional(this.pool).query<{ customer_id: string }>(
      `SELECT DISTINCT customer_id::text FROM ${INVOICES_TABLE} WHERE due_date >= $1::date AND due_date <= $1::date + $2::int ORDER BY 1`,
      [date, days],
    );
    return rows.map((r) => r.customer_id);
  }
}
