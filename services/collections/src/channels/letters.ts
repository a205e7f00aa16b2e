/*
 * Dunning letters as PDF: a step whose channels include `letter` (the demand letter, the lawyer letter) gets a
 * letter, written in the step's transaction as the document's data (what it says, with the open items of that
 * day), and rendered to PDF from it when it is sent (attached to the step's e-mail) or asked for over the API.
 * Rendering reads no clock, so the letter reads the same every time it is rendered. Not a read model: a rebuild
 * never touches it (like the outbox, it records what was sent).
 */
import type { Pool } from 'pg';
import type { Queryable } from '@arc/event-store';
import type { DunningStepExecutedData } from '@arc/contracts';
import { renderPdf, type DocumentSpec } from '@arc/documents';
import { money, type MoneyJson } from '@arc/money';
import type { DunningOpenItem, DunningTemplate } from '../domain';
import type { DunningCustomer } from '../views/receivables.view';
import { dunningWording, itemLabel, openTotals } from './templates';

export const LETTERS_TABLE = 'collections_letters';

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS ${LETTERS_TABLE} (
    letter_id      uuid PRIMARY KEY,
    customer_id    uuid NOT NULL,
    invoice_id     uuid NOT NULL,
    invoice_number text NOT NULL,
    step_id        text NOT NULL,
    business_date  date NOT NULL,
    title          text NOT NULL,
    document       jsonb NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS ${LETTERS_TABLE}_customer ON ${LETTERS_TABLE} (customer_id, business_date)`,
];

export async function migrateLetters(pool: Pool): Promise<void> {
  for (const statement of SCHEMA) await pool.query(statement);
}

/** The sender printed on every letter. */
export const LETTER_SENDER = { name: 'ARC Accounts Receivable', lines: ['Collections department'] };

type Recipient = Pick<DunningCustomer, 'legalName' | 'contactName' | 'items'>;

/** What a step's letter says: the template's wording, the open items of the day and their total. */
export function letterDocument(step: DunningStepExecutedData, customer: Recipient): DocumentSpec {
  const customerName = customer.legalName ?? step.customerId;
  const wording = dunningWording(step.template as DunningTemplate, {
    step,
    customerName,
    contactName: customer.contactName,
    openItems: customer.items,
  });
  return {
    title: wording.subject,
    date: step.businessDate,
    reference: `${step.invoiceNumber} / ${step.stepId}`,
    from: LETTER_SENDER,
    to: { name: customerName, lines: customer.contactName ? [`Attn. ${customer.contactName}`] : [] },
    paragraphs: [wording.greeting, wording.opening, 'Your open items:'],
    table: {
      columns: [
        { header: 'Invoice', kind: 'text', weight: 2 },
        { header: 'Due', kind: 'text' },
        { header: 'Open', kind: 'money', weight: 1.5 },
      ],
      rows: customer.items.map((i: DunningOpenItem) => [itemLabel(i), i.dueDate, i.open]),
    },
    totals: openTotals(customer.items).map((amount) => ({ label: 'Total open', amount })),
    closing: [wording.closing, 'Accounts Receivable'],
    footer: LETTER_SENDER.name,
  };
}

/** The document as stored: money as its wire form (no bigint in JSON). */
type StoredDocument = Omit<DocumentSpec, 'table' | 'totals'> & {
  table?: { columns: NonNullable<DocumentSpec['table']>['columns']; rows: (string | MoneyJson | null)[][] };
  totals?: { label: string; amount: MoneyJson }[];
};

const isMoneyJson = (cell: unknown): cell is MoneyJson => typeof cell === 'object' && cell !== null && 'amountMinor' in cell;

function toStored(spec: DocumentSpec): StoredDocument {
  return {
    ...spec,
    table: spec.table && {
      columns: spec.table.columns,
      rows: spec.table.rows.map((row) =>
        row.map((cell) =>
          cell !== null && typeof cell === 'object' ? { amountMinor: cell.amountMinor.toString(), currency: cell.currency } : cell,
        ),
      ),
    },
    totals: spec.totals?.map((t) => ({
      label: t.label,
      amount: { amountMinor: t.amount.amountMinor.toString(), currency: t.amount.currency },
    })),
  };
}

function fromStored(stored: StoredDocument): DocumentSpec {
  return {
    ...stored,
    table: stored.table && {
      columns: stored.table.columns,
      rows: stored.table.rows.map((row) => row.map((cell) => (isMoneyJson(cell) ? money(BigInt(cell.amountMinor), cell.currency) : cell))),
    },
    totals: stored.totals?.map((t) => ({ label: t.label, amount: money(BigInt(t.amount.amountMinor), t.amount.currency) })),
  };
}

export interface LetterRow {
  letterId: string;
  customerId: string;
  invoiceId: string;
  invoiceNumber: string;
  stepId: string;
  businessDate: string;
  title: string;
  document: StoredDocument;
}

/** The letter of a step just decided (its id is the step event's), or null if the step sends none. */
export function stepLetter(eventId: string, step: DunningStepExecutedData, customer: Recipient): LetterRow | null {
  if (!step.channels.includes('letter')) return null;
  const document = letterDocument(step, customer);
  return {
    letterId: eventId,
    customerId: step.customerId,
    invoiceId: step.invoiceId,
    invoiceNumber: step.invoiceNumber,
    stepId: step.stepId,
    businessDate: step.businessDate,
    title: document.title,
    document: toStored(document),
  };
}

/** Records letters in the caller's transaction, in one statement; each once. */
export async function insertLetters(db: Queryable, rows: readonly LetterRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const { rowCount } = await db.query(
    `INSERT INTO ${LETTERS_TABLE} (letter_id, customer_id, invoice_id, invoice_number, step_id, business_date, title, document)
     SELECT r."letterId", r."customerId", r."invoiceId", r."invoiceNumber", r."stepId", r."businessDate", r.title, r.document
       FROM jsonb_to_recordset($1::jsonb) AS r("letterId" uuid, "customerId" uuid, "invoiceId" uuid, "invoiceNumber" text, "stepId" text,
                                                "businessDate" date, title text, document jsonb)
     ON CONFLICT (letter_id) DO NOTHING`,
    [JSON.stringify(rows)],
  );
  return rowCount ?? 0;
}

/** Records the letter of a step just decided, in the caller's transaction; once. */
export async function recordStepLetter(
  db: Queryable,
  eventId: string,
  step: DunningStepExecutedData,
  customer: Recipient,
): Promise<boolean> {
  const row = stepLetter(eventId, step, customer);
  return row !== null && (await insertLetters(db, [row])) > 0;
}

export interface LetterSummary {
  letterId: string;
  customerId: string;
  invoiceId: string;
  invoiceNumber: string;
  stepId: string;
  businessDate: string;
  title: string;
}

const SUMMARY = `SELECT letter_id::text AS "letterId", customer_id::text AS "customerId", invoice_id::text AS "invoiceId",
                        invoice_number AS "invoiceNumber", step_id AS "stepId",
                        to_char(business_date, 'YYYY-MM-DD') AS "businessDate", title
                   FROM ${LETTERS_TABLE}`;

export async function listLetters(db: Queryable, customerId: string, limit: number): Promise<LetterSummary[]> {
  const { rows } = await db.query<LetterSummary>(`${SUMMARY} WHERE customer_id = $1 ORDER BY business_date, letter_id LIMIT $2`, [
    customerId,
    limit,
  ]);
  return rows;
}

/** The letter rendered to PDF, or null if there is none with that id. */
export async function letterPdf(db: Queryable, letterId: string): Promise<{ summary: LetterSummary; pdf: Buffer } | null> {
  const { rows } = await db.query<LetterSummary & { document: StoredDocument }>(
    `SELECT letter_id::text AS "letterId", customer_id::text AS "customerId", invoice_id::text AS "invoiceId",
            invoice_number AS "invoiceNumber", step_id AS "stepId", to_char(business_date, 'YYYY-MM-DD') AS "businessDate", title, document
       FROM ${LETTERS_TABLE} WHERE letter_id = $1::uuid`,
    [letterId],
  );
  const row = rows[0];
  if (!row) return null;
  const { document, ...summary } = row;
  return { summary, pdf: await renderPdf(fromStored(document)) };
}

/** A file name for the letter: `demand-letter-INV-2026-0001-2026-03-31.pdf`. */
export const letterFileName = (s: Pick<LetterSummary, 'stepId' | 'invoiceNumber' | 'businessDate'>): string =>
  `${s.stepId}-${s.invoiceNumber}-${s.businessDate}.pdf`.replace(/[^A-Za-z0-9._-]/g, '_');
