import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { money, zero, type Money } from '@arc/money';
import { ARC_PG_POOL, transactional, type Queryable } from '@arc/platform';
import { moveFigures, noFigures, openArDelta, openBalance, type InvoiceFigures, type ReceivableEventType } from '@arc/receivables';

/**
 * The credit service's own view of each customer's open AR, kept by the receivables consumer from invoicing
 * and payments events, counted by the one rule (@arc/receivables): Σ over invoices of their open balance,
 * never below zero per invoice (cash beyond an invoice's balance is unapplied cash, not less AR).
 * - `credit_receivables`: one row per invoice, the figures the rule takes (amount, cash allocated net of
 *   reductions, credited (credit notes, a cancellation, discounts taken net of withdrawn), written off net of
 *   recovered, debit notes), each moved by the rule's own mapping of events (@arc/receivables `moveFigures`);
 * - `credit_open_ar`: per customer and currency, the running Σ of the open balances, moved by the rule's
 *   delta each time a row changes, so a credit check reads one row.
 * Written only inside the consumer's batch transaction, so every event counts exactly once.
 */
export const OPEN_AR_TABLE = 'credit_open_ar';
export const RECEIVABLES_TABLE = 'credit_receivables';

/** Its name among the service's read models (GET /v1/admin/read-models). */
export const OPEN_AR_READ_MODEL = 'open-ar';

// numeric without a precision: any sum of bounded amounts fits, so a replay never fails where live did not.
const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${OPEN_AR_TABLE} (
    customer_id   text NOT NULL,
    currency      char(3) NOT NULL,
    open_ar_minor numeric NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, currency)
  );
  ALTER TABLE ${OPEN_AR_TABLE} ALTER COLUMN open_ar_minor TYPE numeric;
  CREATE TABLE IF NOT EXISTS ${RECEIVABLES_TABLE} (
    invoice_id      text PRIMARY KEY,
    customer_id     text NOT NULL,
    currency        char(3) NOT NULL,
    amount_minor    numeric,
    allocated_minor numeric NOT NULL,
    credited_minor  numeric NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
  );
  -- When the invoice was issued and fell due, and the day its balance last reached zero (null while open):
  -- the FX rate date of its exposure and the customer's payment behaviour for reviews.
  ALTER TABLE ${RECEIVABLES_TABLE} ADD COLUMN IF NOT EXISTS issue_date date;
  ALTER TABLE ${RECEIVABLES_TABLE} ADD COLUMN IF NOT EXISTS due_date date;
  ALTER TABLE ${RECEIVABLES_TABLE} ADD COLUMN IF NOT EXISTS settled_on date;
  ALTER TABLE ${RECEIVABLES_TABLE} ADD COLUMN IF NOT EXISTS last_paid_on date;
  -- Write-offs net of recoveries, and debit notes (added later: zero for the rows written before).
  ALTER TABLE ${RECEIVABLES_TABLE} ADD COLUMN IF NOT EXISTS written_off_minor numeric NOT NULL DEFAULT 0;
  ALTER TABLE ${RECEIVABLES_TABLE} ADD COLUMN IF NOT EXISTS debit_noted_minor numeric NOT NULL DEFAULT 0;
  CREATE INDEX IF NOT EXISTS ${RECEIVABLES_TABLE}_customer ON ${RECEIVABLES_TABLE} (customer_id)`;

/*
 * Every change of the view takes this lock first: invoicing and payments partitions are consumed in
 * parallel and both move one invoice's row and its customer's total. An advisory lock takes no transaction
 * id, so waiting for it holds back no relay; one lock for the view, so two batches never deadlock.
 */
const VIEW_LOCK = `SELECT pg_advisory_xact_lock(hashtextextended('arc-credit/open-ar', 0))`;

export async function migrateOpenArView(pool: Pool): Promise<void> {
  await pool.query(SCHEMA);
}

/**
 * What one event does to an invoice's figures, and the business date it happened on: its issue, or a movement
 * of one figure by the rule's mapping (null date: a movement that is no settlement, e.g. cash taken back).
 */
export type ReceivableMovement =
  | { kind: 'issued'; amount: Money; on: string; dueDate: string }
  | { kind: 'moved'; type: ReceivableEventType; amount: Money; on: string | null };

function moved(figures: InvoiceFigures, movement: ReceivableMovement): InvoiceFigures {
  switch (movement.kind) {
    case 'issued':
      // A repeated InvoiceIssued changes nothing (the consumer's stream versions skip it anyway).
      return figures.amount === null ? { ...figures, amount: movement.amount } : figures;
    case 'moved':
      return moveFigures(figures, movement.type, movement.amount);
    default: {
      const unknown: never = movement;
      throw new Error(`unknown movement ${JSON.stringify(unknown)}`);
    }
  }
}

interface ReceivableRow {
  currency: string;
  amount_minor: string | null;
  allocated_minor: string;
  credited_minor: string;
  written_off_minor: string;
  debit_noted_minor: string;
  settled_on: string | null;
  last_paid_on: string | null;
  issue_date: string | null;
}

function figuresOf(row: ReceivableRow): InvoiceFigures {
  const currency = row.currency;
  return {
    ...noFigures(currency, row.amount_minor === null ? null : money(BigInt(row.amount_minor), currency)),
    allocated: money(BigInt(row.allocated_minor), currency),
    credited: money(BigInt(row.credited_minor), currency),
    writtenOff: money(BigInt(row.written_off_minor), currency),
    debitNoted: money(BigInt(row.debit_noted_minor), currency),
  };
}

/**
 * The day the invoice's balance reached zero: the latest day money or a credit note came in, once nothing is
 * open (null while it owes, or before it is issued). A maximum and the balance do not depend on the order the
 * topics are read in, so a rebuild gives the same row as the live path.
 */
function settledOn(after: InvoiceFigures, lastPaidOn: string | null, issueDate: string | null): string | null {
  if (after.amount === null || openBalance(after).amountMinor > 0n) return null;
  return lastPaidOn ?? issueDate;
}

const later = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a > b ? a : b);

/**
 * Applies one movement to the invoice's row and moves the customer's open AR by the rule's delta, in the
 * consumer's transaction. Topics are not ordered: a payment may come before its invoice (the row then
 * waits with no amount and owes nothing).
 */
export async function applyToReceivables(
  tx: PoolClient,
  customerId: string,
  invoiceId: string,
  movement: ReceivableMovement,
): Promise<void> {
  await tx.query(VIEW_LOCK);
  const { rows } = await tx.query<ReceivableRow>(
    `SELECT currency, amount_minor::text, allocated_minor::text, credited_minor::text, written_off_minor::text, debit_noted_minor::text, settled_on::text,
            last_paid_on::text, issue_date::text
       FROM ${RECEIVABLES_TABLE} WHERE invoice_id = $1`,
    [invoiceId],
  );
  const row = rows[0];
  const currency = row?.currency ?? movement.amount.currency;
  const before: InvoiceFigures | null = row === undefined ? null : figuresOf(row);
  const after = moved(before ?? noFigures(currency), movement);
  const dates = movement.kind === 'issued' ? { issueDate: movement.on, dueDate: movement.dueDate } : { issueDate: null, dueDate: null };
  const paidOn = movement.kind === 'moved' ? movement.on : null;
  const lastPaidOn = later(row?.last_paid_on ?? null, paidOn);
  const settled = settledOn(after, lastPaidOn, row?.issue_date ?? dates.issueDate);
  await tx.query(
    `INSERT INTO ${RECEIVABLES_TABLE}
       (invoice_id, customer_id, currency, amount_minor, allocated_minor, credited_minor, issue_date, due_date, settled_on, last_paid_on,
        written_off_minor, debit_noted_minor)
     VALUES ($1, $2, $3, $4::numeric, $5::numeric, $6::numeric, $7::date, $8::date, $9::date, $10::date, $11::numeric, $12::numeric)
     ON CONFLICT (invoice_id) DO UPDATE
       SET amount_minor = EXCLUDED.amount_minor, allocated_minor = EXCLUDED.allocated_minor,
           credited_minor = EXCLUDED.credited_minor, written_off_minor = EXCLUDED.written_off_minor,
           debit_noted_minor = EXCLUDED.debit_noted_minor,
           issue_date = COALESCE(${RECEIVABLES_TABLE}.issue_date, EXCLUDED.issue_date),
           due_date = COALESCE(${RECEIVABLES_TABLE}.due_date, EXCLUDED.due_date),
           settled_on = EXCLUDED.settled_on, last_paid_on = EXCLUDED.last_paid_on, updated_at = now()`,
    [
      invoiceId,
      customerId,
      currency,
      after.amount?.amountMinor.toString() ?? null,
      after.allocated.amountMinor.toString(),
      after.credited.amountMinor.toString(),
      dates.issueDate,
      dates.dueDate,
      settled,
      lastPaidOn,
      after.writtenOff.amountMinor.toString(),
      after.debitNoted.amountMinor.toString(),
    ],
  );
  const delta = openArDelta(before, after);
  await tx.query(
    `INSERT INTO ${OPEN_AR_TABLE} (customer_id, currency, open_ar_minor) VALUES ($1, $2, $3::numeric)
     ON CONFLICT (customer_id, currency) DO UPDATE
       SET open_ar_minor = ${OPEN_AR_TABLE}.open_ar_minor + EXCLUDED.open_ar_minor, updated_at = now()`,
    [customerId, currency, delta.amountMinor.toString()],
  );
}

@Injectable()
export class OpenArView implements OnModuleInit {
  /**
   * Reads go through the request's transaction when there is one: a credit check reads this view while its
   * transaction holds a connection, and a second connection per check would let concurrent checks take the
   * whole pool and then wait on it for ever (50 concurrent checks on a 20-connection pool did).
   */
  private readonly db: Queryable;

  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {
    this.db = transactional(pool);
  }

  async onModuleInit(): Promise<void> {
    await migrateOpenArView(this.pool);
  }

  /** The customer's open AR in `currency` as far as the consumer has got (never negative, by the rule). */
  async openAr(customerId: string, currency: string): Promise<Money> {
    const { rows } = await this.db.query<{ open_ar_minor: string }>(
      `SELECT open_ar_minor::text FROM ${OPEN_AR_TABLE} WHERE customer_id = $1 AND currency = $2`,
      [customerId, currency],
    );
    return rows[0] === undefined ? zero(currency) : money(BigInt(rows[0].open_ar_minor), currency);
  }

  /** The customer's open AR per currency (non-zero rows only), in one read. */
  async openArByCurrency(customerId: string): Promise<Map<string, bigint>> {
    const { rows } = await this.db.query<{ currency: string; open_ar_minor: string }>(
      `SELECT currency, open_ar_minor::text FROM ${OPEN_AR_TABLE} WHERE customer_id = $1 AND open_ar_minor <> 0`,
      [customerId],
    );
    return new Map(rows.map((row) => [row.currency, BigInt(row.open_ar_minor)]));
  }

  /** Each invoice of the customer in `currency` that still owes something, with the day it was issued (null if unknown). */
  async openItems(customerId: string, currency: string): Promise<Array<{ invoiceId: string; amount: Money; issueDate: string | null }>> {
    const { rows } = await this.db.query<ReceivableRow & { invoice_id: string }>(
      `SELECT invoice_id, currency, amount_minor::text, allocated_minor::text, credited_minor::text, written_off_minor::text, debit_noted_minor::text, settled_on::text,
              last_paid_on::text, issue_date::text
         FROM ${RECEIVABLES_TABLE} WHERE customer_id = $1 AND currency = $2 AND amount_minor IS NOT NULL`,
      [customerId, currency],
    );
    return rows
      .map((row) => ({ invoiceId: row.invoice_id, amount: openBalance(figuresOf(row)), issueDate: row.issue_date }))
      .filter((item) => item.amount.amountMinor > 0n);
  }
}
