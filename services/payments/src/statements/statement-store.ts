import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { ARC_PG_POOL, transactional, type Queryable } from '@arc/platform';
import type { ImportRequest, StatementProblem } from './statement-entry';

/*
 * The service's own tables for bank statements (state, not read models: never rebuilt; written in the transaction of
 * the events they go with):
 * - payments_statements: one row per uploaded statement: format, options, status, the import's checkpoint and counts;
 * - payments_statement_parts: the uploaded text in parts (the upload is JSON, at most 512 kB a request), read back one
 *   part at a time, so an import never holds the file in memory and can resume after a crash without a new upload;
 * - payments_statement_entries: the identity of every credit entry imported (primary key: the same entry from another
 *   file or format adds nothing), and what it became;
 * - payments_payer_accounts: IBAN → customer (PayerAccountMapped);
 * - payments_suspense: receipts waiting for finance to name their payer.
 */
const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS payments_statements (
    statement_id   uuid PRIMARY KEY,
    request        jsonb NOT NULL,
    status         text NOT NULL,
    parts          int NOT NULL DEFAULT 0,
    bytes          bigint NOT NULL DEFAULT 0,
    file_sha256    text,
    entries_total  int,
    checkpoint     int NOT NULL DEFAULT 0,
    receipts       int NOT NULL DEFAULT 0,
    duplicates     int NOT NULL DEFAULT 0,
    suspense       int NOT NULL DEFAULT 0,
    debits         int NOT NULL DEFAULT 0,
    problems       jsonb NOT NULL DEFAULT '[]',
    created_by     text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
  )`,
  `CREATE TABLE IF NOT EXISTS payments_statement_parts (
    statement_id uuid NOT NULL,
    seq          int NOT NULL,
    content      text NOT NULL,
    PRIMARY KEY (statement_id, seq)
  )`,
  `CREATE TABLE IF NOT EXISTS payments_statement_entries (
    entry_key    text PRIMARY KEY,
    statement_id uuid NOT NULL,
    entry_index  int NOT NULL,
    customer_id  text,
    payment_id   uuid,
    suspense_id  uuid
  )`,
  `CREATE TABLE IF NOT EXISTS payments_payer_accounts (
    iban        text PRIMARY KEY,
    customer_id text NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS payments_suspense (
    suspense_id  uuid PRIMARY KEY,
    bank_reference text NOT NULL,
    amount_minor numeric(38, 0) NOT NULL,
    currency     char(3) NOT NULL,
    received_on  date NOT NULL,
    payer_iban   text,
    payer_name   text,
    remittance   text,
    statement_id uuid,
    customer_id  text,
    payment_id   uuid
  )`,
];

export type StatementStatus = 'uploading' | 'importing' | 'imported' | 'rejected';

export interface StatementRow {
  statement_id: string;
  request: ImportRequest & { fileName: string | null };
  status: StatementStatus;
  parts: number;
  bytes: string;
  file_sha256: string | null;
  entries_total: number | null;
  checkpoint: number;
  receipts: number;
  duplicates: number;
  suspense: number;
  debits: number;
  problems: StatementProblem[];
  created_by: string;
  updated_at: Date;
}

export interface SuspenseRow {
  suspense_id: string;
  bank_reference: string;
  amount_minor: string;
  currency: string;
  received_on: string;
  payer_iban: string | null;
  payer_name: string | null;
  remittance: string | null;
  statement_id: string | null;
  customer_id: string | null;
  payment_id: string | null;
}

@Injectable()
export class StatementStore implements OnModuleInit {
  /** Through the transaction open at the time (a command's or an import chunk's). */
  readonly db: Queryable;

  constructor(@Inject(ARC_PG_POOL) readonly pool: Pool) {
    this.db = transactional(pool);
  }

  async onModuleInit(): Promise<void> {
    for (const statement of SCHEMA) await this.pool.query(statement);
  }

  async statement(statementId: string): Promise<StatementRow | null> {
    const { rows } = await this.db.query<StatementRow>(`SELECT * FROM payments_statements WHERE statement_id = $1`, [statementId]);
    return rows[0] ?? null;
  }

  /** Creates the statement (idempotent: the same id again leaves the first one as it is). */
  async create(statementId: string, request: ImportRequest & { fileName: string | null }, actor: string): Promise<void> {
    await this.db.query(
      `INSERT INTO payments_statements (statement_id, request, status, created_by) VALUES ($1, $2, 'uploading', $3) ON CONFLICT (statement_id) DO NOTHING`,
      [statementId, JSON.stringify(request), actor],
    );
  }

  /** Stores a part; answers false when another text was stored under the same number. */
  async putPart(statementId: string, seq: number, content: string): Promise<boolean> {
    const inserted = await this.db.query(
      `INSERT INTO payments_statement_parts (statement_id, seq, content) VALUES ($1, $2, $3) ON CONFLICT (statement_id, seq) DO NOTHING`,
      [statementId, seq, content],
    );
    if ((inserted.rowCount ?? 0) === 1) {
      await this.db.query(
        `UPDATE payments_statements SET parts = parts + 1, bytes = bytes + $2, updated_at = now() WHERE statement_id = $1`,
        [statementId, Buffer.byteLength(content)],
      );
      return true;
    }
    const { rows } = await this.db.query<{ same: boolean }>(
      `SELECT content = $3 AS same FROM payments_statement_parts WHERE statement_id = $1 AND seq = $2`,
      [statementId, seq, content],
    );
    return rows[0]?.same === true;
  }

  /** The uploaded text, one part at a time, in order (never all of it at once). */
  async *text(statementId: string): AsyncGenerator<string> {
    for (let seq = 1; ; seq++) {
      const { rows } = await this.pool.query<{ content: string }>(
        `SELECT content FROM payments_statement_parts WHERE statement_id = $1 AND seq = $2`,
        [statementId, seq],
      );
      const part = rows[0];
      if (part === undefined) return;
      yield part.content;
    }
  }

  async update(statementId: string, fields: Partial<Omit<StatementRow, 'statement_id' | 'request'>>): Promise<void> {
    const entries = Object.entries(fields);
    if (entries.length === 0) return;
    const sets = entries.map(([key], i) => `${key} = $${i + 2}`);
    await this.db.query(`UPDATE payments_statements SET ${sets.join(', ')}, updated_at = now() WHERE statement_id = $1`, [
      statementId,
      ...entries.map(([key, value]) => (key === 'problems' ? JSON.stringify(value) : value)),
    ]);
  }

  /** Adds a chunk's counts and moves the checkpoint, in the chunk's transaction. */
  async advance(
    statementId: string,
    checkpoint: number,
    counts: { receipts: number; duplicates: number; suspense: number; debits: number },
  ): Promise<void> {
    await this.db.query(
      `UPDATE payments_statements SET checkpoint = $2, receipts = receipts + $3, duplicates = duplicates + $4, suspense = suspense + $5,
              debits = debits + $6, updated_at = now() WHERE statement_id = $1`,
      [statementId, checkpoint, counts.receipts, counts.duplicates, counts.suspense, counts.debits],
    );
  }

  /** Inserts the entries' identities; answers those that were new (the others were imported before, from any file). */
  async claimEntries(
    rows: Array<{
      key: string;
      statementId: string;
      index: number;
      customerId: string | null;
      paymentId: string | null;
      suspenseId: string | null;
    }>,
  ): Promise<Set<string>> {
    if (rows.length === 0) return new Set();
    const { rows: inserted } = await this.db.query<{ entry_key: string }>(
      `INSERT INTO payments_statement_entries (entry_key, statement_id, entry_index, customer_id, payment_id, suspense_id)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::int[], $4::text[], $5::uuid[], $6::uuid[])
       ON CONFLICT (entry_key) DO NOTHING RETURNING entry_key`,
      [
        rows.map((r) => r.key),
        rows.map((r) => r.statementId),
        rows.map((r) => r.index),
        rows.map((r) => r.customerId),
        rows.map((r) => r.paymentId),
        rows.map((r) => r.suspenseId),
      ],
    );
    return new Set(inserted.map((r) => r.entry_key));
  }

  async payersByIban(ibans: readonly string[]): Promise<Map<string, string>> {
    if (ibans.length === 0) return new Map();
    const { rows } = await this.db.query<{ iban: string; customer_id: string }>(
      `SELECT iban, customer_id FROM payments_payer_accounts WHERE iban = ANY($1::text[])`,
      [ibans],
    );
    return new Map(rows.map((r) => [r.iban, r.customer_id]));
  }

  async mapPayer(iban: string, customerId: string): Promise<void> {
    await this.db.query(
      `INSERT INTO payments_payer_accounts (iban, customer_id) VALUES ($1, $2) ON CONFLICT (iban) DO UPDATE SET customer_id = EXCLUDED.customer_id`,
      [iban, customerId],
    );
  }

  async knownCustomers(customerIds: readonly string[]): Promise<Set<string>> {
    if (customerIds.length === 0) return new Set();
    const { rows } = await this.db.query<{ customer_id: string }>(
      `SELECT customer_id FROM payments_customers WHERE customer_id = ANY($1::text[])`,
      [customerIds],
    );
    return new Set(rows.map((r) => r.customer_id));
  }

  async addSuspense(row: Omit<SuspenseRow, 'customer_id' | 'payment_id'>): Promise<void> {
    await this.db.query(
      `INSERT INTO payments_suspense (suspense_id, bank_reference, amount_minor, currency, received_on, payer_iban, payer_name, remittance, statement_id)
       VALUES ($1, $2, $3::numeric, $4, $5::date, $6, $7, $8, $9) ON CONFLICT (suspense_id) DO NOTHING`,
      [
        row.suspense_id,
        row.bank_reference,
        row.amount_minor,
        row.currency,
        row.received_on,
        row.payer_iban,
        row.payer_name,
        row.remittance,
        row.statement_id,
      ],
    );
  }

  async suspense(suspenseId: string): Promise<SuspenseRow | null> {
    const { rows } = await this.db.query<SuspenseRow>(
      `SELECT suspense_id, bank_reference, amount_minor::text, currency, to_char(received_on, 'YYYY-MM-DD') AS received_on, payer_iban, payer_name,
              remittance, statement_id, customer_id, payment_id FROM payments_suspense WHERE suspense_id = $1`,
      [suspenseId],
    );
    return rows[0] ?? null;
  }

  async openSuspense(limit: number): Promise<SuspenseRow[]> {
    const { rows } = await this.db.query<SuspenseRow>(
      `SELECT suspense_id, bank_reference, amount_minor::text, currency, to_char(received_on, 'YYYY-MM-DD') AS received_on, payer_iban, payer_name,
              remittance, statement_id, customer_id, payment_id FROM payments_suspense WHERE customer_id IS NULL ORDER BY received_on, suspense_id LIMIT $1`,
      [limit],
    );
    return rows;
  }

  async assignSuspense(suspenseId: string, customerId: string, paymentId: string): Promise<void> {
    await this.db.query(`UPDATE payments_suspense SET customer_id = $2, payment_id = $3 WHERE suspense_id = $1`, [
      suspenseId,
      customerId,
      paymentId,
    ]);
  }
}
