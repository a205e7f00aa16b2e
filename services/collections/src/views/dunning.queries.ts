import type { Pool } from 'pg';
import type { Queryable } from '@arc/event-store';

type Db = Queryable;
import { ARRANGEMENTS_TABLE, LEGAL_TABLE, STEPS_TABLE, TASKS_TABLE } from './dunning.view';

/** Reads of the dunning view for the API (the writes are in dunning.view.ts). */

const money = (minor: string, currency: string) => ({ amountMinor: minor, currency: currency.trim() });

export interface DunningStepView {
  stepEventId: string;
  customerId: string;
  invoiceId: string;
  invoiceNumber: string;
  stepId: string;
  action: string;
  channels: string[];
  template: string;
  dueDate: string;
  businessDate: string;
  openAmount: { amountMinor: string; currency: string };
  /** The instalment dunned (null: the invoice as one item). */
  dueSequence: number | null;
  /** The debit note dunned, an item of its own (null: the invoice or its instalment). */
  debitNoteId: string | null;
  debitNoteNumber: string | null;
}

export async function listSteps(
  pool: Pool,
  customerId: string | undefined,
  businessDate: string | undefined,
  limit: number,
): Promise<DunningStepView[]> {
  const { rows } = await pool.query(
    `SELECT event_id::text, customer_id::text, invoice_id::text, invoice_number, step_id, action, channels, template,
            to_char(due_date, 'YYYY-MM-DD') AS due_date, to_char(business_date, 'YYYY-MM-DD') AS business_date, open_minor::text, currency, due_sequence,
            debit_note_id::text, debit_note_number
       FROM ${STEPS_TABLE}
      WHERE ($1::uuid IS NULL OR customer_id = $1) AND ($2::date IS NULL OR business_date = $2::date)
      ORDER BY business_date DESC, customer_id, invoice_number, due_sequence, step_id LIMIT $3`,
    [customerId ?? null, businessDate ?? null, limit],
  );
  return rows.map((r) => ({
    stepEventId: r.event_id,
    customerId: r.customer_id,
    invoiceId: r.invoice_id,
    invoiceNumber: r.invoice_number,
    stepId: r.step_id,
    action: r.action,
    channels: r.channels,
    template: r.template,
    dueDate: r.due_date,
    businessDate: r.business_date,
    openAmount: money(r.open_minor, r.currency),
    dueSequence: r.due_sequence === 0 ? null : r.due_sequence,
    debitNoteId: r.debit_note_id ?? null,
    debitNoteNumber: r.debit_note_number ?? null,
  }));
}

export interface TaskView {
  taskId: string;
  customerId: string;
  invoiceId: string | null;
  kind: string;
  dueOn: string;
  description: string;
}

export async function tasksDue(pool: Pool, on: string, customerIds: string[] | null, limit: number): Promise<TaskView[]> {
  const { rows } = await pool.query(
    `SELECT task_id::text, customer_id::text, invoice_id::text, kind, to_char(due_on, 'YYYY-MM-DD') AS due_on, description
       FROM ${TASKS_TABLE} WHERE due_on <= $1::date AND ($2::uuid[] IS NULL OR customer_id = ANY($2::uuid[]))
      ORDER BY due_on, task_id LIMIT $3`,
    [on, customerIds, limit],
  );
  return rows.map((r) => ({
    taskId: r.task_id,
    customerId: r.customer_id,
    invoiceId: r.invoice_id,
    kind: r.kind,
    dueOn: r.due_on,
    description: r.description,
  }));
}

export interface ArrangementView {
  arrangementId: string;
  customerId: string;
  kind: string;
  status: string;
  madeOn: string;
  instalments: { dueOn: string; amount: { amountMinor: string; currency: string } }[];
  graceDays: number;
  tolerance: { amountMinor: string; currency: string };
  instalmentsKept: number;
  decidedOn: string | null;
  partlyKept: boolean | null;
  note: string;
}

export async function arrangementsOf(pool: Db, customerId: string): Promise<ArrangementView[]> {
  const { rows } = await pool.query(
    `SELECT arrangement_id::text, customer_id::text, kind, status, to_char(made_on, 'YYYY-MM-DD') AS made_on, instalments, grace_days,
            tolerance_minor::text, currency, kept, to_char(decided_on, 'YYYY-MM-DD') AS decided_on, partly_kept, note
       FROM ${ARRANGEMENTS_TABLE} WHERE customer_id = $1 ORDER BY made_on, arrangement_id`,
    [customerId],
  );
  return rows.map((r) => ({
    arrangementId: r.arrangement_id,
    customerId: r.customer_id,
    kind: r.kind,
    status: r.status,
    madeOn: r.made_on,
    instalments: r.instalments,
    graceDays: r.grace_days,
    tolerance: money(r.tolerance_minor, r.currency),
    instalmentsKept: r.kept,
    decidedOn: r.decided_on,
    partlyKept: r.partly_kept,
    note: r.note,
  }));
}

export interface LegalCaseView {
  legalCaseId: string;
  customerId: string;
  status: string;
  openedOn: string;
  reason: string;
  limitationDate: string;
  steps: { eventId: string; action: string; on: string; details: Record<string, unknown> }[];
  outcome: string | null;
  recoveredMinor: string | null;
  closedOn: string | null;
}

export async function legalCasesOf(pool: Db, customerId: string): Promise<LegalCaseView[]> {
  const { rows } = await pool.query(
    `SELECT legal_case_id::text, customer_id::text, status, to_char(opened_on, 'YYYY-MM-DD') AS opened_on, reason,
            to_char(limitation_date, 'YYYY-MM-DD') AS limitation_date, steps, outcome, recovered_minor::text, to_char(closed_on, 'YYYY-MM-DD') AS closed_on
       FROM ${LEGAL_TABLE} WHERE customer_id = $1 ORDER BY (status = 'open') DESC, opened_on DESC`,
    [customerId],
  );
  return rows.map((r) => ({
    legalCaseId: r.legal_case_id,
    customerId: r.customer_id,
    status: r.status,
    openedOn: r.opened_on,
    reason: r.reason,
    limitationDate: r.limitation_date,
    steps: r.steps,
    outcome: r.outcome,
    recoveredMinor: r.recovered_minor,
    closedOn: r.closed_on,
  }));
}
