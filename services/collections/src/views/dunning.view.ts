import type { Pool } from 'pg';
import type { Queryable } from '@arc/event-store';
import type { DunningStepExecutedData, PaymentArrangementBrokenData } from '@arc/contracts';
import type { NewEvent } from '@arc/event-store';
import type {
  ActivityLogged,
  CollectorAssigned,
  ArrangementInstalmentKept,
  DebtAcknowledged,
  LegalCaseClosed,
  LegalCaseOpened,
  LegalStepRecorded,
  PaymentArrangementKept,
  PaymentArrangementMade,
} from '../domain';

/**
 * The dunning streams folded for reading (a `store` read model: rebuilt from collections' own events, never by
 * running dunning again): the steps executed, the tasks they gave the collectors (call, letter, legal), each
 * customer's hold and legal flags, promises and plans, legal cases. Every write is keyed by an event id or
 * an aggregate id and idempotent, and reads no clock, so a rebuild gives the same rows.
 */
export const STEPS_TABLE = 'collections_dunning_steps';
export const TASKS_TABLE = 'collections_tasks';
export const DUNNING_STATE_TABLE = 'collections_dunning_state';
export const ARRANGEMENTS_TABLE = 'collections_arrangements';
export const LEGAL_TABLE = 'collections_legal_cases';
export const ASSIGNMENTS_TABLE = 'collections_assignments';
export const ACTIVITIES_TABLE = 'collections_activities';
export const DUNNING_VIEW_TABLES: readonly string[] = [
  STEPS_TABLE,
  TASKS_TABLE,
  DUNNING_STATE_TABLE,
  ARRANGEMENTS_TABLE,
  LEGAL_TABLE,
  ASSIGNMENTS_TABLE,
  ACTIVITIES_TABLE,
];

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS ${STEPS_TABLE} (
    event_id       uuid PRIMARY KEY,
    customer_id    uuid NOT NULL,
    invoice_id     uuid NOT NULL,
    invoice_number text NOT NULL,
    step_id        text NOT NULL,
    action         text NOT NULL,
    channels       text[] NOT NULL,
    template       text NOT NULL,
    due_date       date NOT NULL,
    business_date  date NOT NULL,
    open_minor     numeric(38, 0) NOT NULL,
    currency       char(3) NOT NULL
  )`,
  // Instalments are dunned one by one: a step once per invoice and due item (0: the invoice as one item).
  `ALTER TABLE ${STEPS_TABLE} ADD COLUMN IF NOT EXISTS due_sequence integer NOT NULL DEFAULT 0`,
  `ALTER TABLE ${STEPS_TABLE} DROP CONSTRAINT IF EXISTS ${STEPS_TABLE}_invoice_id_step_id_key`,
  `CREATE INDEX IF NOT EXISTS ${STEPS_TABLE}_day ON ${STEPS_TABLE} (business_date)`,
  // Debit notes are dunned as items of their own: a step once per invoice, due item and debit note.
  `ALTER TABLE ${STEPS_TABLE} ADD COLUMN IF NOT EXISTS debit_note_id uuid`,
  `ALTER TABLE ${STEPS_TABLE} ADD COLUMN IF NOT EXISTS debit_note_number text`,
  `DROP INDEX IF EXISTS ${STEPS_TABLE}_item_step`,
  `CREATE UNIQUE INDEX IF NOT EXISTS ${STEPS_TABLE}_item_step_v2 ON ${STEPS_TABLE}
     (invoice_id, due_sequence, COALESCE(debit_note_id, '00000000-0000-0000-0000-000000000000'::uuid), step_id)`,
  `CREATE TABLE IF NOT EXISTS ${TASKS_TABLE} (
    task_id      uuid PRIMARY KEY,
    customer_id  uuid NOT NULL,
    invoice_id   uuid,
    kind         text NOT NULL,
    due_on       date NOT NULL,
    description  text NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS ${TASKS_TABLE}_due ON ${TASKS_TABLE} (due_on)`,
  `CREATE TABLE IF NOT EXISTS ${DUNNING_STATE_TABLE} (
    customer_id     uuid PRIMARY KEY,
    hold_requested  boolean NOT NULL DEFAULT false,
    broken_promises integer NOT NULL DEFAULT 0
  )`,
  `CREATE TABLE IF NOT EXISTS ${ARRANGEMENTS_TABLE} (
    arrangement_id uuid PRIMARY KEY,
    customer_id    uuid NOT NULL,
    kind           text NOT NULL,
    status         text NOT NULL,
    made_on        date NOT NULL,
    instalments    jsonb NOT NULL,
    grace_days     integer NOT NULL,
    tolerance_minor numeric(38, 0) NOT NULL,
    currency       char(3) NOT NULL,
    kept           integer NOT NULL DEFAULT 0,
    decided_on     date,
    partly_kept    boolean,
    note           text NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS ${ARRANGEMENTS_TABLE}_customer ON ${ARRANGEMENTS_TABLE} (customer_id)`,
  `CREATE TABLE IF NOT EXISTS ${LEGAL_TABLE} (
    legal_case_id   uuid PRIMARY KEY,
    customer_id     uuid NOT NULL,
    status          text NOT NULL,
    opened_on       date NOT NULL,
    reason          text NOT NULL,
    limitation_date date NOT NULL,
    steps           jsonb NOT NULL DEFAULT '[]',
    outcome         text,
    recovered_minor numeric(38, 0),
    closed_on       date
  )`,
  `CREATE INDEX IF NOT EXISTS ${LEGAL_TABLE}_customer ON ${LEGAL_TABLE} (customer_id)`,
  `CREATE TABLE IF NOT EXISTS ${ASSIGNMENTS_TABLE} (
    customer_id  uuid PRIMARY KEY,
    collector    text NOT NULL,
    assigned_on  date NOT NULL,
    reason       text NOT NULL
  )`,
  `CREATE TABLE IF NOT EXISTS ${ACTIVITIES_TABLE} (
    activity_id    uuid PRIMARY KEY,
    customer_id    uuid NOT NULL,
    kind           text NOT NULL,
    logged_on      date NOT NULL,
    collector      text NOT NULL,
    outcome        text NOT NULL,
    note           text NOT NULL,
    next_action_on date
  )`,
  `CREATE INDEX IF NOT EXISTS ${ACTIVITIES_TABLE}_customer ON ${ACTIVITIES_TABLE} (customer_id, logged_on)`,
];

export async function migrateDunningView(pool: Pool): Promise<void> {
  for (const statement of SCHEMA) await pool.query(statement);
}

type Db = Queryable;
export type DunningStreamEvent = Pick<NewEvent, 'eventId' | 'eventType' | 'data'>;

const TASK_KINDS: Record<string, string> = { phone: 'call', letter: 'letter', legal: 'legal' };

/** The steps' rows (and their tasks) in two statements: a day's run records thousands of steps at once. */
async function insertSteps(db: Db, steps: readonly DunningStreamEvent[]): Promise<void> {
  if (steps.length === 0) return;
  const rows = steps.map((event) => {
    const d = event.data as unknown as DunningStepExecutedData;
    return {
      eventId: event.eventId,
      customerId: d.customerId,
      invoiceId: d.invoiceId,
      invoiceNumber: d.invoiceNumber,
      stepId: d.stepId,
      action: d.action,
      channels: d.channels,
      template: d.template,
      dueDate: d.dueDate,
      businessDate: d.businessDate,
      openMinor: d.openAmount.amountMinor,
      currency: d.openAmount.currency,
      dueSequence: d.dueSequence ?? 0,
      debitNoteId: d.debitNoteId ?? null,
      debitNoteNumber: d.debitNoteNumber ?? null,
    };
  });
  await db.query(
    `INSERT INTO ${STEPS_TABLE} (event_id, customer_id, invoice_id, invoice_number, step_id, action, channels, template, due_date,
                                 business_date, open_minor, currency, due_sequence, debit_note_id, debit_note_number)
     SELECT r."eventId", r."customerId", r."invoiceId", r."invoiceNumber", r."stepId", r.action,
            ARRAY(SELECT jsonb_array_elements_text(r.channels)), r.template, r."dueDate", r."businessDate", r."openMinor"::numeric,
            r.currency, r."dueSequence", r."debitNoteId", r."debitNoteNumber"
       FROM jsonb_to_recordset($1::jsonb) AS r("eventId" uuid, "customerId" uuid, "invoiceId" uuid, "invoiceNumber" text, "stepId" text,
            action text, channels jsonb, template text, "dueDate" date, "businessDate" date, "openMinor" text, currency text,
            "dueSequence" integer, "debitNoteId" uuid, "debitNoteNumber" text)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(rows)],
  );
  // One task per step and channel: the step's event id, varied by channel, keeps it idempotent.
  const tasks = rows.flatMap((r) =>
    r.channels.flatMap((channel) => {
      const kind = TASK_KINDS[channel];
      return kind === undefined
        ? []
        : [
            {
              eventId: r.eventId,
              kind,
              customerId: r.customerId,
              invoiceId: r.invoiceId,
              dueOn: r.businessDate,
              description: `${r.action} for invoice ${r.invoiceNumber} (${r.template})`,
            },
          ];
    }),
  );
  if (tasks.length === 0) return;
  await db.query(
    `INSERT INTO ${TASKS_TABLE} (task_id, customer_id, invoice_id, kind, due_on, description)
     SELECT md5(r."eventId" || ':' || r.kind)::uuid, r."customerId", r."invoiceId", r.kind, r."dueOn", r.description
       FROM jsonb_to_recordset($1::jsonb) AS r("eventId" text, kind text, "customerId" uuid, "invoiceId" uuid, "dueOn" date, description text)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(tasks)],
  );
}

/**
 * Folds dunning-stream events into the view (other types passed over); idempotent. The steps go in first, in
 * two statements (no other event type touches their tables), then the rest in the order given.
 */
export async function applyDunningEvents(db: Db, events: readonly DunningStreamEvent[]): Promise<void> {
  await insertSteps(
    db,
    events.filter((e) => e.eventType === 'DunningStepExecuted'),
  );
  for (const event of events) {
    const data = event.data as never;
    switch (event.eventType) {
      case 'CollectionsCreditHoldRequested':
      case 'CollectionsCreditHoldReleaseRequested': {
        const d = data as { customerId: string };
        await db.query(
          `INSERT INTO ${DUNNING_STATE_TABLE} (customer_id, hold_requested) VALUES ($1, $2)
           ON CONFLICT (customer_id) DO UPDATE SET hold_requested = EXCLUDED.hold_requested`,
          [d.customerId, event.eventType === 'CollectionsCreditHoldRequested'],
        );
        break;
      }
      case 'PaymentArrangementMade': {
        const d = data as PaymentArrangementMade['data'];
        await db.query(
          `INSERT INTO ${ARRANGEMENTS_TABLE} (arrangement_id, customer_id, kind, status, made_on, instalments, grace_days, tolerance_minor, currency, note)
           VALUES ($1, $2, $3, 'open', $4::date, $5::jsonb, $6, $7::numeric, $8, $9) ON CONFLICT DO NOTHING`,
          [
            d.arrangementId,
            d.customerId,
            d.kind,
            d.madeOn,
            JSON.stringify(d.instalments),
            d.graceDays,
            d.tolerance.amountMinor,
            d.paidBefore.currency,
            d.note,
          ],
        );
        break;
      }
      case 'ArrangementInstalmentKept': {
        const d = data as ArrangementInstalmentKept['data'];
        await db.query(`UPDATE ${ARRANGEMENTS_TABLE} SET kept = GREATEST(kept, $2) WHERE arrangement_id = $1`, [
          d.arrangementId,
          d.instalment,
        ]);
        break;
      }
      case 'PaymentArrangementKept': {
        const d = data as PaymentArrangementKept['data'];
        await db.query(`UPDATE ${ARRANGEMENTS_TABLE} SET status = 'kept', decided_on = $2::date WHERE arrangement_id = $1`, [
          d.arrangementId,
          d.keptOn,
        ]);
        break;
      }
      case 'PaymentArrangementBroken': {
        const d = data as PaymentArrangementBrokenData;
        const { rowCount } = await db.query(
          `UPDATE ${ARRANGEMENTS_TABLE} SET status = 'broken', decided_on = $2::date, partly_kept = $3
            WHERE arrangement_id = $1 AND status <> 'broken'`,
          [d.arrangementId, d.brokenOn, d.partlyKept],
        );
        if (rowCount)
          await db.query(
            `INSERT INTO ${DUNNING_STATE_TABLE} (customer_id, broken_promises) VALUES ($1, 1)
             ON CONFLICT (customer_id) DO UPDATE SET broken_promises = ${DUNNING_STATE_TABLE}.broken_promises + 1`,
            [d.customerId],
          );
        break;
      }
      case 'LegalCaseOpened': {
        const d = data as LegalCaseOpened['data'];
        await db.query(
          `INSERT INTO ${LEGAL_TABLE} (legal_case_id, customer_id, status, opened_on, reason, limitation_date)
           VALUES ($1, $2, 'open', $3::date, $4, $5::date) ON CONFLICT DO NOTHING`,
          [d.legalCaseId, d.customerId, d.openedOn, d.reason, d.limitationDate],
        );
        break;
      }
      case 'LegalStepRecorded': {
        const d = data as LegalStepRecorded['data'];
        // Keyed by the event id inside the list, so applying it again adds nothing.
        await db.query(
          `UPDATE ${LEGAL_TABLE} SET steps = steps || jsonb_build_array($2::jsonb)
            WHERE legal_case_id = $1 AND NOT steps @> jsonb_build_array(jsonb_build_object('eventId', $3::text))`,
          [d.legalCaseId, JSON.stringify({ eventId: event.eventId, action: d.action, on: d.on, details: d.details }), event.eventId],
        );
        break;
      }
      case 'DebtAcknowledged': {
        const d = data as DebtAcknowledged['data'];
        await db.query(`UPDATE ${LEGAL_TABLE} SET limitation_date = GREATEST(limitation_date, $2::date) WHERE legal_case_id = $1`, [
          d.legalCaseId,
          d.limitationDate,
        ]);
        break;
      }
      case 'LegalCaseClosed': {
        const d = data as LegalCaseClosed['data'];
        await db.query(
          `UPDATE ${LEGAL_TABLE} SET status = 'closed', outcome = $2, recovered_minor = $3::numeric, closed_on = $4::date WHERE legal_case_id = $1`,
          [d.legalCaseId, d.outcome, d.recovered.amountMinor, d.closedOn],
        );
        break;
      }
      case 'CollectorAssigned': {
        const d = data as CollectorAssigned['data'];
        await db.query(
          `INSERT INTO ${ASSIGNMENTS_TABLE} (customer_id, collector, assigned_on, reason) VALUES ($1, $2, $3::date, $4)
           ON CONFLICT (customer_id) DO UPDATE SET collector = EXCLUDED.collector, assigned_on = EXCLUDED.assigned_on, reason = EXCLUDED.reason`,
          [d.customerId, d.collector, d.assignedOn, d.reason],
        );
        break;
      }
      case 'ActivityLogged': {
        const d = data as ActivityLogged['data'];
        await db.query(
          `INSERT INTO ${ACTIVITIES_TABLE} (activity_id, customer_id, kind, logged_on, collector, outcome, note, next_action_on)
           VALUES ($1, $2, $3, $4::date, $5, $6, $7, $8::date) ON CONFLICT DO NOTHING`,
          [d.activityId, d.customerId, d.kind, d.on, d.collector, d.outcome, d.note, d.nextActionOn],
        );
        break;
      }
      default:
        break;
    }
  }
}
