import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Queryable } from '@arc/event-store';
import { money, type Money } from '@arc/money';
import { RECEIVABLE_MOVEMENTS, type MovedFigure, type ReceivableEventType } from '@arc/receivables';
import { ARC_PG_POOL } from '@arc/platform';
import { dunnedItems, type DunningOpenItem } from '../domain';
import { ARRANGEMENTS_TABLE, DUNNING_STATE_TABLE } from './dunning.view';
import { LEDGER_SCHEMA, LEDGER_TABLE } from './ledger.view';

/**
 * What collections knows of other contexts, from their events (a `topics` read model, rebuilt by replaying
 * the consumer group): each invoice's open amount (invoicing's issues and credit notes, payments'
 * allocations: partial payments lower what is dunned), the customers (name, business unit, credit class, the
 * dunning contact from the credit file) and the last business day closed. An allocation may arrive before its
 * invoice (no order across topics): the row then waits for the invoice's figures.
 */
export const OPEN_ITEMS_TABLE = 'collections_open_items';
export const CUSTOMERS_TABLE = 'collections_customers';
export const CALENDAR_TABLE = 'collections_calendar';
/** Invoicing's disputes: open ones keep their amount out of dunning. */
export const DISPUTES_TABLE = 'collections_disputes';
/** Its name among the service's read models (GET /v1/admin/read-models). */
export const RECEIVABLES_READ_MODEL = 'receivables';
export const RECEIVABLES_VIEW_TABLES: readonly string[] = [OPEN_ITEMS_TABLE, CUSTOMERS_TABLE, CALENDAR_TABLE, DISPUTES_TABLE, LEDGER_TABLE];

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS ${OPEN_ITEMS_TABLE} (
    invoice_id      uuid PRIMARY KEY,
    customer_id     uuid NOT NULL,
    invoice_number  text,
    currency        char(3) NOT NULL,
    due_date        date,
    total_minor     numeric(38, 0) NOT NULL DEFAULT 0,
    credited_minor  numeric(38, 0) NOT NULL DEFAULT 0,
    allocated_minor numeric(38, 0) NOT NULL DEFAULT 0
  )`,
  `CREATE INDEX IF NOT EXISTS ${OPEN_ITEMS_TABLE}_customer ON ${OPEN_ITEMS_TABLE} (customer_id)`,
  // Added with disputes, write-offs, cancellations and instalments (issue 11): on an older table too.
  `ALTER TABLE ${OPEN_ITEMS_TABLE} ADD COLUMN IF NOT EXISTS written_off_minor numeric(38, 0) NOT NULL DEFAULT 0`,
  `ALTER TABLE ${OPEN_ITEMS_TABLE} ADD COLUMN IF NOT EXISTS disputed_minor numeric(38, 0) NOT NULL DEFAULT 0`,
  `ALTER TABLE ${OPEN_ITEMS_TABLE} ADD COLUMN IF NOT EXISTS cancelled boolean NOT NULL DEFAULT false`,
  `ALTER TABLE ${OPEN_ITEMS_TABLE} ADD COLUMN IF NOT EXISTS due_items jsonb`,
  // Debit notes (late interest, fees): each raises the invoice's balance and is dunned as an item of its own.
  `ALTER TABLE ${OPEN_ITEMS_TABLE} ADD COLUMN IF NOT EXISTS debited_minor numeric(38, 0) NOT NULL DEFAULT 0`,
  `ALTER TABLE ${OPEN_ITEMS_TABLE} ADD COLUMN IF NOT EXISTS debit_notes jsonb`,
  `CREATE TABLE IF NOT EXISTS ${DISPUTES_TABLE} (
    dispute_id    uuid PRIMARY KEY,
    invoice_id    uuid NOT NULL,
    customer_id   uuid NOT NULL,
    amount_minor  numeric(38, 0) NOT NULL,
    due_sequence  integer,
    status        text NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS ${DISPUTES_TABLE}_invoice ON ${DISPUTES_TABLE} (invoice_id) WHERE status = 'open'`,
  `CREATE TABLE IF NOT EXISTS ${CUSTOMERS_TABLE} (
    customer_id    uuid PRIMARY KEY,
    legal_name     text,
    business_unit  text,
    credit_class   text,
    contact_name   text,
    contact_email  text
  )`,
  `CREATE TABLE IF NOT EXISTS ${CALENDAR_TABLE} (
    singleton        boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_closed_day  date NOT NULL
  )`,
];

type Db = Queryable;

export async function recordInvoiceIssued(
  db: Db,
  i: {
    invoiceId: string;
    customerId: string;
    invoiceNumber: string;
    dueDate: string;
    total: { amountMinor: string; currency: string };
    dueItems?: { sequence: number; dueDate: string; amount: { amountMinor: string } }[] | null;
  },
): Promise<void> {
  const dueItems =
    i.dueItems && i.dueItems.length > 1
      ? JSON.stringify(i.dueItems.map((d) => ({ sequence: d.sequence, dueDate: d.dueDate, amountMinor: d.amount.amountMinor })))
      : null;
  await db.query(
    `INSERT INTO ${OPEN_ITEMS_TABLE} (invoice_id, customer_id, invoice_number, currency, due_date, total_minor, due_items)
     VALUES ($1, $2, $3, $4, $5::date, $6::numeric, $7::jsonb)
     ON CONFLICT (invoice_id) DO UPDATE SET invoice_number = EXCLUDED.invoice_number, due_date = EXCLUDED.due_date,
                                            total_minor = EXCLUDED.total_minor, due_items = EXCLUDED.due_items`,
    [i.invoiceId, i.customerId, i.invoiceNumber, i.total.currency, i.dueDate, i.total.amountMinor, dueItems],
  );
}

/** A debit note on an invoice: raises what is open on it, and is dunned from its own due date (once per debit note). */
export async function recordDebitNoteIssued(
  db: Db,
  d: {
    debitNoteId: string;
    debitNoteNumber: string;
    invoiceId: string;
    customerId: string;
    dueDate: string;
    amount: { amountMinor: string; currency: string };
  },
): Promise<void> {
  const note = JSON.stringify([
    { debitNoteId: d.debitNoteId, number: d.debitNoteNumber, dueDate: d.dueDate, amountMinor: d.amount.amountMinor },
  ]);
  await db.query(
    `INSERT INTO ${OPEN_ITEMS_TABLE} (invoice_id, customer_id, currency, debited_minor, debit_notes) VALUES ($1, $2, $3, $4::numeric, $5::jsonb)
     ON CONFLICT (invoice_id) DO UPDATE SET debited_minor = ${OPEN_ITEMS_TABLE}.debited_minor + EXCLUDED.debited_minor,
                                            debit_notes = COALESCE(${OPEN_ITEMS_TABLE}.debit_notes, '[]'::jsonb) || EXCLUDED.debit_notes
      WHERE NOT COALESCE(${OPEN_ITEMS_TABLE}.debit_notes, '[]'::jsonb) @> jsonb_build_array(jsonb_build_object('debitNoteId', $6::text))`,
    [d.invoiceId, d.customerId, d.amount.currency, d.amount.amountMinor, note, d.debitNoteId],
  );
}

/** A cancelled invoice leaves the dunning whole (invoicing cancels only what nothing was allocated to). */
export async function recordInvoiceCancelled(
  db: Db,
  i: { invoiceId: string; customerId: string; amount: { currency: string } },
): Promise<void> {
  await db.query(
    `INSERT INTO ${OPEN_ITEMS_TABLE} (invoice_id, customer_id, currency, cancelled) VALUES ($1, $2, $3, true)
     ON CONFLICT (invoice_id) DO UPDATE SET cancelled = true`,
    [i.invoiceId, i.customerId, i.amount.currency],
  );
}

/** A dispute raised: its amount is kept out of dunning while it is open (once per dispute). */
export async function recordDisputeRaised(
  db: Db,
  d: {
    disputeId: string;
    invoiceId: string;
    customerId: string;
    amount: { amountMinor: string; currency: string };
    dueSequence: number | null;
  },
): Promise<void> {
  const { rowCount } = await db.query(
    `INSERT INTO ${DISPUTES_TABLE} (dispute_id, invoice_id, customer_id, amount_minor, due_sequence, status)
     VALUES ($1, $2, $3, $4::numeric, $5, 'open') ON CONFLICT (dispute_id) DO NOTHING`,
    [d.disputeId, d.invoiceId, d.customerId, d.amount.amountMinor, d.dueSequence],
  );
  if ((rowCount ?? 0) > 0) await addToItem(db, 'disputed_minor', d, 1);
}

/**
 * A dispute resolved: no longer kept out. Rejected, its amount is collectable again; accepted, the credit note
 * invoicing issued in the same append settles the accepted part (CreditNoteIssued) and the rest is collectable.
 */
export async function recordDisputeResolved(db: Db, d: { disputeId: string; invoiceId: string; customerId: string }): Promise<void> {
  const { rows } = await db.query<{ amount_minor: string; currency: string }>(
    `UPDATE ${DISPUTES_TABLE} t SET status = 'resolved' FROM ${OPEN_ITEMS_TABLE} i
      WHERE t.dispute_id = $1 AND t.status = 'open' AND i.invoice_id = t.invoice_id
      RETURNING t.amount_minor::text, i.currency`,
    [d.disputeId],
  );
  const row = rows[0];
  if (row) await addToItem(db, 'disputed_minor', { ...d, amount: { amountMinor: row.amount_minor, currency: row.currency.trim() } }, -1);
}

/** Adds `delta` (minor units, may be negative) to a running figure of the invoice; each event is applied once by the transport. */
export async function addToItem(
  db: Db,
  column: 'credited_minor' | 'allocated_minor' | 'written_off_minor' | 'disputed_minor',
  i: { invoiceId: string; customerId: string; amount: { amountMinor: string; currency: string } },
  sign: 1 | -1,
): Promise<void> {
  await db.query(
    `INSERT INTO ${OPEN_ITEMS_TABLE} (invoice_id, customer_id, currency, ${column}) VALUES ($1, $2, $3, $4::numeric)
     ON CONFLICT (invoice_id) DO UPDATE SET ${column} = ${OPEN_ITEMS_TABLE}.${column} + EXCLUDED.${column}`,
    [i.invoiceId, i.customerId, i.amount.currency, (BigInt(i.amount.amountMinor) * BigInt(sign)).toString()],
  );
}

/** The view's column for each figure `@arc/receivables` moves (debit notes are items of their own: `recordDebitNoteIssued`). */
const FIGURE_COLUMNS = {
  allocated: 'allocated_minor',
  credited: 'credited_minor',
  writtenOff: 'written_off_minor',
} as const satisfies Partial<Record<MovedFigure, string>>;

/** The receivable events this view counts by the shared rule (`RECEIVABLE_MOVEMENTS`), with a column each. */
export type CountedMovement = {
  [T in ReceivableEventType]: (typeof RECEIVABLE_MOVEMENTS)[T]['figure'] extends keyof typeof FIGURE_COLUMNS ? T : never;
}[ReceivableEventType];

/**
 * Moves the invoice's figure the way every context counts it (`@arc/receivables`: which figure an event moves
 * and which way); returns by how much the receivable moved (+1: raised, -1: lowered) for the ledger.
 */
export async function moveItem(
  db: Db,
  type: CountedMovement,
  i: { invoiceId: string; customerId: string },
  amount: { amountMinor: string; currency: string },
): Promise<1 | -1> {
  const { figure, sign } = RECEIVABLE_MOVEMENTS[type];
  await addToItem(db, FIGURE_COLUMNS[figure as keyof typeof FIGURE_COLUMNS], { ...i, amount }, sign === 1n ? 1 : -1);
  // Cash, credit and write-offs lower what is owed as they grow.
  return sign === 1n ? -1 : 1;
}

/** The invoice's collectable amount (total less credit notes, payments, write-offs and open disputes; zero if cancelled); null if unknown. */
export async function invoiceOpenAmount(db: Db, invoiceId: string): Promise<Money | null> {
  const { rows } = await db.query<{ open: string; currency: string }>(
    `SELECT GREATEST(${openMinorSql('i')}, 0)::text AS open, currency
       FROM ${OPEN_ITEMS_TABLE} i WHERE invoice_id = $1`,
    [invoiceId],
  );
  const row = rows[0];
  return row === undefined ? null : money(BigInt(row.open), row.currency.trim());
}

export async function recordCustomer(
  db: Db,
  customerId: string,
  fields: Partial<Record<'legal_name' | 'business_unit' | 'credit_class' | 'contact_name' | 'contact_email', string | null>>,
): Promise<void> {
  const columns = Object.keys(fields);
  const values = Object.values(fields);
  await db.query(
    `INSERT INTO ${CUSTOMERS_TABLE} (customer_id, ${columns.join(', ')}) VALUES ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')})
     ON CONFLICT (customer_id) DO UPDATE SET ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`,
    [customerId, ...values],
  );
}

/** The calendar never moves back: an older close (a redelivery) changes nothing. */
export async function recordDayClosed(db: Db, date: string): Promise<void> {
  await db.query(
    `INSERT INTO ${CALENDAR_TABLE} (singleton, last_closed_day) VALUES (true, $1::date)
     ON CONFLICT (singleton) DO UPDATE SET last_closed_day = GREATEST(${CALENDAR_TABLE}.last_closed_day, EXCLUDED.last_closed_day)`,
    [date],
  );
}

export interface DunningCustomer {
  customerId: string;
  legalName: string | null;
  businessUnit: string | null;
  creditClass: string | null;
  contactName: string | null;
  contactEmail: string | null;
  items: DunningOpenItem[];
  paidToDate: Money[];
}

/** What is still to collect on an invoice (the sum of its dunned items): nothing once cancelled. */
export const openMinorSql = (i: string): string =>
  `(CASE WHEN ${i}.cancelled THEN 0 ELSE ${i}.total_minor + ${i}.debited_minor - ${i}.credited_minor - ${i}.allocated_minor - ${i}.written_off_minor - ${i}.disputed_minor END)`;

interface ItemRow {
  customer_id: string;
  invoice_id: string;
  invoice_number: string | null;
  currency: string;
  due_date: string | null;
  total_minor: string;
  settled_minor: string;
  cancelled: boolean;
  due_items: { sequence: number; dueDate: string; amountMinor: string }[] | null;
  debit_notes: { debitNoteId: string; number: string; dueDate: string; amountMinor: string }[] | null;
  disputes: { sequence: number | null; amountMinor: string }[] | null;
  allocated_minor: string;
  legal_name: string | null;
  business_unit: string | null;
  credit_class: string | null;
  contact_name: string | null;
  contact_email: string | null;
}

/**
 * Customers with an issued invoice still open, a hold collections asked for, or an open promise or plan (or
 * `customerIds` only among them), each with its dunned items (instalments separately, open disputes left out;
 * due date order) and what it has paid in all. `db`: the caller's transaction when inside one.
 */
export async function dunningCustomersOf(db: Db, customerIds?: string[]): Promise<DunningCustomer[]> {
  const { rows } = await db.query<ItemRow>(
    `SELECT i.customer_id::text, i.invoice_id::text, i.invoice_number, i.currency, to_char(i.due_date, 'YYYY-MM-DD') AS due_date,
            i.total_minor::text, (i.credited_minor + i.allocated_minor + i.written_off_minor)::text AS settled_minor, i.cancelled,
            i.due_items, i.debit_notes, i.allocated_minor::text,
            (SELECT jsonb_agg(jsonb_build_object('sequence', d.due_sequence, 'amountMinor', d.amount_minor::text))
               FROM ${DISPUTES_TABLE} d WHERE d.invoice_id = i.invoice_id AND d.status = 'open') AS disputes,
            c.legal_name, c.business_unit, c.credit_class, c.contact_name, c.contact_email
       FROM ${OPEN_ITEMS_TABLE} i LEFT JOIN ${CUSTOMERS_TABLE} c USING (customer_id)
      WHERE ($1::uuid[] IS NULL OR i.customer_id = ANY($1::uuid[]))
        AND i.customer_id IN (SELECT customer_id FROM ${OPEN_ITEMS_TABLE} o
                               WHERE o.due_date IS NOT NULL AND ${openMinorSql('o')} > 0
                              UNION SELECT customer_id FROM ${DUNNING_STATE_TABLE} WHERE hold_requested
                              UNION SELECT customer_id FROM ${ARRANGEMENTS_TABLE} WHERE status = 'open')
      ORDER BY i.customer_id, i.due_date NULLS LAST, i.invoice_number`,
    [customerIds ?? null],
  );
  const customers = new Map<string, DunningCustomer & { paid: Map<string, bigint> }>();
  for (const row of rows) {
    let customer = customers.get(row.customer_id);
    if (!customer) {
      customer = {
        customerId: row.customer_id,
        legalName: row.legal_name,
        businessUnit: row.business_unit,
        creditClass: row.credit_class,
        contactName: row.contact_name,
        contactEmail: row.contact_email,
        items: [],
        paidToDate: [],
        paid: new Map(),
      };
      customers.set(row.customer_id, customer);
    }
    const currency = row.currency.trim();
    customer.paid.set(currency, (customer.paid.get(currency) ?? 0n) + BigInt(row.allocated_minor));
    if (row.due_date === null || row.invoice_number === null) continue;
    customer.items.push(
      ...dunnedItems({
        invoiceId: row.invoice_id,
        invoiceNumber: row.invoice_number,
        currency,
        dueDate: row.due_date,
        totalMinor: BigInt(row.total_minor),
        settledMinor: BigInt(row.settled_minor),
        cancelled: row.cancelled,
        dueItems: row.due_items?.map((d) => ({ sequence: d.sequence, dueDate: d.dueDate, amountMinor: BigInt(d.amountMinor) })) ?? null,
        debitNotes: (row.debit_notes ?? []).map((n) => ({
          debitNoteId: n.debitNoteId,
          number: n.number,
          dueDate: n.dueDate,
          amountMinor: BigInt(n.amountMinor),
        })),
        disputes: (row.disputes ?? []).map((d) => ({ sequence: d.sequence, amountMinor: BigInt(d.amountMinor) })),
      }),
    );
  }
  return [...customers.values()].map(({ paid, items, ...c }) => ({
    ...c,
    // Instalments of different invoices interleave by due date.
    items: [...items].sort((x, y) => x.dueDate.localeCompare(y.dueDate) || x.invoiceNumber.localeCompare(y.invoiceNumber)),
    paidToDate: [...paid].map(([cur, minor]) => money(minor, cur)),
  }));
}

@Injectable()
export class ReceivablesView implements OnModuleInit {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    for (const statement of [...SCHEMA, ...LEDGER_SCHEMA]) await this.pool.query(statement);
  }

  /** See dunningCustomersOf. */
  async dunningCustomers(db: Db = this.pool, customerIds?: string[]): Promise<DunningCustomer[]> {
    return dunningCustomersOf(db, customerIds);
  }

  /** The customer's open disputes (kept out of dunning until resolved), oldest invoice first. */
  async openDisputes(
    customerId: string,
  ): Promise<{ disputeId: string; invoiceId: string; invoiceNumber: string | null; dueSequence: number | null; amount: Money }[]> {
    const { rows } = await this.pool.query<{
      dispute_id: string;
      invoice_id: string;
      invoice_number: string | null;
      due_sequence: number | null;
      amount_minor: string;
      currency: string;
    }>(
      `SELECT d.dispute_id::text, d.invoice_id::text, i.invoice_number, d.due_sequence, d.amount_minor::text, i.currency
         FROM ${DISPUTES_TABLE} d JOIN ${OPEN_ITEMS_TABLE} i USING (invoice_id)
        WHERE d.customer_id = $1 AND d.status = 'open' ORDER BY i.due_date, i.invoice_number, d.dispute_id`,
      [customerId],
    );
    return rows.map((r) => ({
      disputeId: r.dispute_id,
      invoiceId: r.invoice_id,
      invoiceNumber: r.invoice_number,
      dueSequence: r.due_sequence,
      amount: money(BigInt(r.amount_minor), r.currency.trim()),
    }));
  }

  /** What the customer has paid in all, per currency (the baseline of a promise or plan). */
  async paidToDate(customerId: string, db: Db = this.pool): Promise<Money[]> {
    const { rows } = await db.query<{ currency: string; paid: string }>(
      `SELECT currency, sum(allocated_minor)::text AS paid FROM ${OPEN_ITEMS_TABLE} WHERE customer_id = $1 GROUP BY currency`,
      [customerId],
    );
    return rows.map((r) => money(BigInt(r.paid), r.currency.trim()));
  }

  async lastClosedDay(db: Db = this.pool): Promise<string | null> {
    const { rows } = await db.query<{ day: string }>(`SELECT to_char(last_closed_day, 'YYYY-MM-DD') AS day FROM ${CALENDAR_TABLE}`);
    return rows[0]?.day ?? null;
  }

  async creditClassOf(customerId: string): Promise<string | null> {
    const { rows } = await this.pool.query<{ credit_class: string | null }>(
      `SELECT credit_class FROM ${CUSTOMERS_TABLE} WHERE customer_id = $1`,
      [customerId],
    );
    return rows[0]?.credit_class ?? null;
  }
}
