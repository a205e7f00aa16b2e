import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { parseBusinessDate, type BusinessDate } from '@arc/clock';
import { money, type Money } from '@arc/money';
import { chargeReduction, type ReceivableEventType } from '@arc/receivables';
import { ARC_PG_POOL, transactional, type Queryable } from '@arc/platform';
import type { OpenInvoice } from '../domain/payment-account.decider';

/**
 * The payments service's own view of its customers' invoices, kept by the invoicing consumer from
 * `InvoiceIssued`, `CreditNoteIssued`, `InvoiceCancelled`, `DebitNoteIssued`, `InvoiceWrittenOff` and
 * `WriteOffRecovered`. Open amount = what the invoice charges by the one rule (@arc/receivables: total + debit
 * notes − credit notes − the cancelled amount − written off net of recovered), and deliberately NOT minus
 * payments or discounts: the payment account subtracts its own allocations and discounts (see the decider's
 * `OpenInvoice`). A cancelled invoice charges nothing, so it is never offered for cash again; a debit note on a
 * paid invoice opens it for the amount debited.
 * Written only inside the consumer's batch transaction, so every event counts exactly once.
 */
export const INVOICES_TABLE = 'payments_invoices';
export const CREDIT_NOTES_TABLE = 'payments_credit_notes';

/** Their name among the service's read models (GET /v1/admin/read-models). */
export const OPEN_INVOICES_READ_MODEL = 'open-invoices';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS ${INVOICES_TABLE} (
    invoice_id     text PRIMARY KEY,
    customer_id    text NOT NULL,
    invoice_number text NOT NULL,
    currency       char(3) NOT NULL,
    total_minor    numeric(38, 0) NOT NULL,
    due_date       date NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS ${INVOICES_TABLE}_customer ON ${INVOICES_TABLE} (customer_id, currency)`,
  // The early-payment discount offered (InvoiceIssued.earlyPaymentDiscount), added later: null for none.
  `ALTER TABLE ${INVOICES_TABLE} ADD COLUMN IF NOT EXISTS discount_basis_points integer`,
  `ALTER TABLE ${INVOICES_TABLE} ADD COLUMN IF NOT EXISTS discount_pay_by date`,
  // The instalments (InvoiceIssued.dueItems), added later: null for one due item (the whole total on the due date).
  `ALTER TABLE ${INVOICES_TABLE} ADD COLUMN IF NOT EXISTS due_items jsonb`,
  // Invoice numbers as bank statements quote them: upper case, letters and digits only (matching.ts normalises alike).
  `CREATE INDEX IF NOT EXISTS ${INVOICES_TABLE}_number_key ON ${INVOICES_TABLE} ((regexp_replace(upper(invoice_number), '[^A-Z0-9]', '', 'g')))`,
  // Kept apart from the invoice, so a credit note counts even if it were read before its invoice.
  `CREATE TABLE IF NOT EXISTS ${CREDIT_NOTES_TABLE} (
    credit_note_id text PRIMARY KEY,
    invoice_id     text NOT NULL,
    customer_id    text NOT NULL,
    currency       char(3) NOT NULL,
    amount_minor   numeric(38, 0) NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS ${CREDIT_NOTES_TABLE}_invoice ON ${CREDIT_NOTES_TABLE} (invoice_id)`,
  // Added later: every event that changes what the invoice charges is kept here, keyed by its document (credit
  // note) or event id, `amount_minor` being what it takes off the charge (negative: a debit note, a recovery).
  `ALTER TABLE ${CREDIT_NOTES_TABLE} ADD COLUMN IF NOT EXISTS kind text NOT NULL DEFAULT 'CreditNoteIssued'`,
];

export async function migrateOpenInvoicesView(pool: Pool): Promise<void> {
  for (const statement of SCHEMA) await pool.query(statement);
}

export interface IssuedInvoice {
  invoiceId: string;
  invoiceNumber: string;
  customerId: string;
  total: Money;
  dueDate: string;
  earlyPaymentDiscount?: { basisPoints: number; payBy: string } | null;
  dueItems?: Array<{ dueDate: string; amount: Money }> | null;
}

/** Records an issued invoice, in the consumer's transaction (a second copy of the same invoice changes nothing). */
export async function recordInvoice(tx: PoolClient, invoice: IssuedInvoice): Promise<void> {
  await tx.query(
    `INSERT INTO ${INVOICES_TABLE} (invoice_id, customer_id, invoice_number, currency, total_minor, due_date, discount_basis_points, discount_pay_by, due_items)
     VALUES ($1, $2, $3, $4, $5::numeric, $6::date, $7, $8::date, $9::jsonb) ON CONFLICT (invoice_id) DO NOTHING`,
    [
      invoice.invoiceId,
      invoice.customerId,
      invoice.invoiceNumber,
      invoice.total.currency,
      invoice.total.amountMinor.toString(),
      invoice.dueDate,
      invoice.earlyPaymentDiscount?.basisPoints ?? null,
      invoice.earlyPaymentDiscount?.payBy ?? null,
      invoice.dueItems == null
        ? null
        : JSON.stringify(invoice.dueItems.map((d) => ({ dueDate: d.dueDate, amountMinor: d.amount.amountMinor.toString() }))),
    ],
  );
}

/** Records a credit note against its invoice, in the consumer's transaction. */
export async function recordCreditNote(
  tx: PoolClient,
  note: { creditNoteId: string; invoiceId: string; customerId: string; amount: Money },
): Promise<void> {
  await tx.query(
    `INSERT INTO ${CREDIT_NOTES_TABLE} (credit_note_id, invoice_id, customer_id, currency, amount_minor)
     VALUES ($1, $2, $3, $4, $5::numeric) ON CONFLICT (credit_note_id) DO NOTHING`,
    [note.creditNoteId, note.invoiceId, note.customerId, note.amount.currency, note.amount.amountMinor.toString()],
  );
}

/**
 * Records an event that changes what the invoice charges (a cancellation, a debit note, a write-off or its
 * recovery), by the one rule's mapping, in the consumer's transaction; the same event id twice counts once.
 */
export async function recordChargeMovement(
  tx: PoolClient,
  movement: { movementId: string; type: ReceivableEventType; invoiceId: string; customerId: string; amount: Money },
): Promise<void> {
  const reduction = chargeReduction(movement.type, movement.amount);
  await tx.query(
    `INSERT INTO ${CREDIT_NOTES_TABLE} (credit_note_id, invoice_id, customer_id, currency, amount_minor, kind)
     VALUES ($1, $2, $3, $4, $5::numeric, $6) ON CONFLICT (credit_note_id) DO NOTHING`,
    [movement.movementId, movement.invoiceId, movement.customerId, reduction.currency, reduction.amountMinor.toString(), movement.type],
  );
}

/** An invoice as the view knows it: open amount = what it charges by the one rule (payments and discounts not taken off). */
export interface KnownInvoice extends OpenInvoice {
  invoiceNumber: string;
  total: Money;
}

interface InvoiceRow {
  invoice_id: string;
  invoice_number: string;
  currency: string;
  total_minor: string;
  due_date: string;
  credited_minor: string;
  discount_basis_points: number | null;
  discount_pay_by: string | null;
  due_items: Array<{ dueDate: string; amountMinor: string }> | null;
}

const SELECT_INVOICES = `
  SELECT i.invoice_id, i.invoice_number, i.currency, i.total_minor::text, to_char(i.due_date, 'YYYY-MM-DD') AS due_date,
         i.discount_basis_points, to_char(i.discount_pay_by, 'YYYY-MM-DD') AS discount_pay_by, i.due_items,
         COALESCE(SUM(c.amount_minor) FILTER (WHERE c.currency = i.currency), 0)::text AS credited_minor
    FROM ${INVOICES_TABLE} i
    LEFT JOIN ${CREDIT_NOTES_TABLE} c ON c.invoice_id = i.invoice_id
   WHERE i.customer_id = $1`;

function toKnownInvoice(row: InvoiceRow): KnownInvoice {
  const dueDate: BusinessDate = parseBusinessDate(row.due_date);
  return {
    invoiceId: row.invoice_id,
    invoiceNumber: row.invoice_number,
    dueDate,
    total: money(BigInt(row.total_minor), row.currency),
    openAmount: money(BigInt(row.total_minor) - BigInt(row.credited_minor), row.currency),
    earlyPaymentDiscount:
      row.discount_basis_points === null || row.discount_pay_by === null
        ? null
        : { basisPoints: row.discount_basis_points, payBy: parseBusinessDate(row.discount_pay_by) },
    dueItems:
      row.due_items === null
        ? null
        : row.due_items.map((d) => ({ dueDate: parseBusinessDate(d.dueDate), amount: money(BigInt(d.amountMinor), row.currency) })),
  };
}

@Injectable()
export class OpenInvoicesView implements OnModuleInit {
  /** Reads through the transaction open at the time (a command's), never beside it on the bare pool. */
  private readonly db: Queryable;

  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {
    this.db = transactional(pool);
  }

  async onModuleInit(): Promise<void> {
    await migrateOpenInvoicesView(this.pool);
  }

  /**
   * The customer's invoices in `currency` with something still open after credit notes, as far as the
   * consumer has got: what RecordPayment expects as `openInvoices` (it takes its own allocations off).
   */
  async openInvoices(customerId: string, currency: string): Promise<OpenInvoice[]> {
    return (await this.openInvoicesOf([customerId], currency)).get(customerId) ?? [];
  }

  /** openInvoices for several customers in one query (a bank statement's chunk). */
  async openInvoicesOf(customerIds: readonly string[], currency: string): Promise<Map<string, OpenInvoice[]>> {
    const { rows } = await this.db.query<InvoiceRow & { customer_id: string }>(
      `SELECT i.customer_id, i.invoice_id, i.invoice_number, i.currency, i.total_minor::text, to_char(i.due_date, 'YYYY-MM-DD') AS due_date,
              i.discount_basis_points, to_char(i.discount_pay_by, 'YYYY-MM-DD') AS discount_pay_by, i.due_items,
              COALESCE(SUM(c.amount_minor) FILTER (WHERE c.currency = i.currency), 0)::text AS credited_minor
         FROM ${INVOICES_TABLE} i
         LEFT JOIN ${CREDIT_NOTES_TABLE} c ON c.invoice_id = i.invoice_id
        WHERE i.customer_id = ANY($1::text[]) AND i.currency = $2
        GROUP BY i.invoice_id
       HAVING i.total_minor - COALESCE(SUM(c.amount_minor) FILTER (WHERE c.currency = i.currency), 0) > 0
        ORDER BY i.due_date, i.invoice_id`,
      [customerIds, currency],
    );
    const out = new Map<string, OpenInvoice[]>();
    for (const row of rows) {
      const { invoiceId, invoiceNumber, dueDate, openAmount, total, earlyPaymentDiscount, dueItems } = toKnownInvoice(row);
      const list = out.get(row.customer_id) ?? [];
      list.push({ invoiceId, invoiceNumber, dueDate, openAmount, total, earlyPaymentDiscount, dueItems });
      out.set(row.customer_id, list);
    }
    return out;
  }

  /** The customers whose invoices carry these numbers (normalised: upper case, letters and digits), number key → customer. */
  async customersByInvoiceNumber(numberKeys: readonly string[]): Promise<Map<string, string>> {
    if (numberKeys.length === 0) return new Map();
    const { rows } = await this.db.query<{ number_key: string; customer_id: string }>(
      `SELECT regexp_replace(upper(invoice_number), '[^A-Z0-9]', '', 'g') AS number_key, customer_id
         FROM ${INVOICES_TABLE} WHERE regexp_replace(upper(invoice_number), '[^A-Z0-9]', '', 'g') = ANY($1::text[])`,
      [numberKeys],
    );
    return new Map(rows.map((r) => [r.number_key, r.customer_id]));
  }

  /** Every invoice of the customer the view knows, any currency, oldest due date first. */
  async invoices(customerId: string): Promise<KnownInvoice[]> {
    const { rows } = await this.db.query<InvoiceRow>(`${SELECT_INVOICES} GROUP BY i.invoice_id ORDER BY i.due_date, i.invoice_id`, [
      customerId,
    ]);
    return rows.map(toKnownInvoice);
  }
}
