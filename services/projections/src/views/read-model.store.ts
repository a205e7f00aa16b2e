import { parseBusinessDate, type BusinessDate } from '@arc/clock';
import type { CreditClass } from '@arc/contracts';
import { currencyCode, money, parseMoney, toJson, type Money, type MoneyJson } from '@arc/money';
import type { Queryable } from '@arc/event-store';
import {
  ledgerBalance,
  ledgerStatus,
  type ArLedgerRow,
  type CustomerExposure,
  type CustomerExposureState,
  type ProjectionChange,
  type ReservationState,
} from '../domain';
import { BUSINESS_DATE_TABLE, EXPOSURE_STATE_TABLE, EXPOSURE_TABLE, LEDGER_TABLE, PUBLISHED_TABLE } from './schema';

/*
 * Reading and writing the read model's tables with a given connection: the consumer's batch transaction
 * for writes, the pool for the API's reads. Amounts travel as text (numeric minor units) and BigInt.
 */

type LedgerRecord = {
  invoice_id: string;
  customer_id: string;
  currency: string;
  invoice_number: string | null;
  issue_date: string | null;
  due_date: string | null;
  amount_minor: string | null;
  reservation_id: string | null;
  paid_minor: string;
  credited_minor: string;
  disputed_minor: string;
  written_off_minor: string;
  debit_noted_minor: string;
  last_allocated_on: string | null;
};

const LEDGER_COLUMNS = `invoice_id, customer_id, currency, invoice_number, issue_date::text AS issue_date, due_date::text AS due_date,
  amount_minor::text AS amount_minor, reservation_id, paid_minor::text AS paid_minor, credited_minor::text AS credited_minor,
  disputed_minor::text AS disputed_minor, written_off_minor::text AS written_off_minor, debit_noted_minor::text AS debit_noted_minor,
  last_allocated_on::text AS last_allocated_on`;

function toLedgerRow(r: LedgerRecord): ArLedgerRow {
  const currency = currencyCode(r.currency.trim());
  const m = (minor: string): Money => money(BigInt(minor), currency);
  const invoice =
    r.amount_minor === null || r.issue_date === null || r.due_date === null || r.invoice_number === null
      ? null
      : {
          number: r.invoice_number,
          issueDate: parseBusinessDate(r.issue_date),
          dueDate: parseBusinessDate(r.due_date),
          amount: m(r.amount_minor),
          reservationId: r.reservation_id,
        };
  return {
    invoiceId: r.invoice_id,
    customerId: r.customer_id,
    currency,
    invoice,
    paid: m(r.paid_minor),
    credited: m(r.credited_minor),
    disputed: m(r.disputed_minor),
    writtenOff: m(r.written_off_minor),
    debitNoted: m(r.debit_noted_minor),
    lastAllocatedOn: r.last_allocated_on === null ? null : parseBusinessDate(r.last_allocated_on),
  };
}

/** The ledger rows of these customers and of these invoices (so a row named by an event is found whoever it belongs to). */
export async function loadLedgerRows(
  db: Queryable,
  customerIds: readonly string[],
  invoiceIds: readonly string[] = [],
): Promise<Map<string, ArLedgerRow>> {
  const { rows } = await db.query<LedgerRecord>(
    `SELECT ${LEDGER_COLUMNS} FROM ${LEDGER_TABLE} WHERE customer_id = ANY($1::text[]) OR invoice_id = ANY($2::text[]) ORDER BY invoice_id`,
    [customerIds, invoiceIds],
  );
  return new Map(rows.map((r) => [r.invoice_id, toLedgerRow(r)]));
}

/** Every customer with a ledger row or an exposure state. */
export async function loadAllCustomerIds(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ customer_id: string }>(
    `SELECT customer_id FROM ${EXPOSURE_STATE_TABLE} UNION SELECT customer_id FROM ${LEDGER_TABLE} ORDER BY 1`,
  );
  return rows.map((r) => r.customer_id);
}

export async function saveLedgerRows(db: Queryable, rows: readonly ArLedgerRow[]): Promise<void> {
  if (rows.length === 0) return;
  const doc = rows.map((r) => ({
    invoice_id: r.invoiceId,
    customer_id: r.customerId,
    currency: r.currency,
    invoice_number: r.invoice?.number ?? null,
    issue_date: r.invoice?.issueDate ?? null,
    due_date: r.invoice?.dueDate ?? null,
    amount_minor: r.invoice?.amount.amountMinor.toString() ?? null,
    reservation_id: r.invoice?.reservationId ?? null,
    paid_minor: r.paid.amountMinor.toString(),
    credited_minor: r.credited.amountMinor.toString(),
    disputed_minor: r.disputed.amountMinor.toString(),
    written_off_minor: r.writtenOff.amountMinor.toString(),
    debit_noted_minor: r.debitNoted.amountMinor.toString(),
    last_allocated_on: r.lastAllocatedOn,
    open_balance_minor: r.invoice === null ? null : ledgerBalance(r).open.amountMinor.toString(),
    status: ledgerStatus(r),
  }));
  await db.query(
    `INSERT INTO ${LEDGER_TABLE} (invoice_id, customer_id, currency, invoice_number, issue_date, due_date, amount_minor, reservation_id,
       paid_minor, credited_minor, disputed_minor, written_off_minor, debit_noted_minor, last_allocated_on, open_balance_minor, status)
     SELECT invoice_id, customer_id, currency, invoice_number, issue_date, due_date, amount_minor, reservation_id,
       paid_minor, credited_minor, disputed_minor, written_off_minor, debit_noted_minor, last_allocated_on, open_balance_minor, status
     FROM jsonb_to_recordset($1::jsonb) AS x(invoice_id text, customer_id text, currency text, invoice_number text, issue_date date,
       due_date date, amount_minor numeric, reservation_id text, paid_minor numeric, credited_minor numeric, disputed_minor numeric,
       written_off_minor numeric, debit_noted_minor numeric, last_allocated_on date, open_balance_minor numeric, status text)
     ON CONFLICT (invoice_id) DO UPDATE SET
       customer_id = EXCLUDED.customer_id, currency = EXCLUDED.currency, invoice_number = EXCLUDED.invoice_number,
       issue_date = EXCLUDED.issue_date, due_date = EXCLUDED.due_date, amount_minor = EXCLUDED.amount_minor,
       reservation_id = EXCLUDED.reservation_id, paid_minor = EXCLUDED.paid_minor, credited_minor = EXCLUDED.credited_minor,
       disputed_minor = EXCLUDED.disputed_minor, written_off_minor = EXCLUDED.written_off_minor,
       debit_noted_minor = EXCLUDED.debit_noted_minor, last_allocated_on = EXCLUDED.last_allocated_on,
       open_balance_minor = EXCLUDED.open_balance_minor, status = EXCLUDED.status, updated_at = now()`,
    [JSON.stringify(doc)],
  );
}

interface StoredReservation {
  reserved: MoneyJson | null;
  released: MoneyJson | null;
  consumedBy: string | null;
}

interface StoredExposureState {
  customerId: string;
  currency: string | null;
  businessUnit: string | null;
  creditLimit: MoneyJson | null;
  creditClass: CreditClass | null;
  onHold: boolean;
  reservations: Record<string, StoredReservation>;
  cashOnAccount: Record<string, MoneyJson>;
}

const jsonOf = (m: Money | null): MoneyJson | null => (m === null ? null : toJson(m));
const moneyOf = (m: MoneyJson | null, field: string): Money | null => (m === null ? null : parseMoney(m, field));

export function serializeExposureState(s: CustomerExposureState): StoredExposureState {
  return {
    customerId: s.customerId,
    currency: s.currency,
    businessUnit: s.businessUnit,
    creditLimit: jsonOf(s.creditLimit),
    creditClass: s.creditClass,
    onHold: s.onHold,
    reservations: Object.fromEntries(
      Object.entries(s.reservations).map(([id, r]) => [
        id,
        { reserved: jsonOf(r.reserved), released: jsonOf(r.released), consumedBy: r.consumedBy },
      ]),
    ),
    cashOnAccount: Object.fromEntries(Object.entries(s.cashOnAccount).map(([c, m]) => [c, toJson(m)])),
  };
}

export function deserializeExposureState(s: StoredExposureState): CustomerExposureState {
  return {
    customerId: s.customerId,
    currency: s.currency === null ? null : currencyCode(s.currency),
    businessUnit: s.businessUnit,
    creditLimit: moneyOf(s.creditLimit, 'creditLimit'),
    creditClass: s.creditClass,
    onHold: s.onHold,
    reservations: Object.fromEntries(
      Object.entries(s.reservations).map(([id, r]): [string, ReservationState] => [
        id,
        { reserved: moneyOf(r.reserved, 'reserved'), released: moneyOf(r.released, 'released'), consumedBy: r.consumedBy },
      ]),
    ),
    cashOnAccount: Object.fromEntries(
      Object.entries(s.cashOnAccount).map(([c, m]) => [c, parseMoney(m, 'cashOnAccount', { bound: 'figure' })]),
    ),
  };
}

export async function loadExposureStates(db: Queryable, customerIds: readonly string[]): Promise<Map<string, CustomerExposureState>> {
  const { rows } = await db.query<{ customer_id: string; state: StoredExposureState }>(
    `SELECT customer_id, state FROM ${EXPOSURE_STATE_TABLE} WHERE customer_id = ANY($1::text[])`,
    [customerIds],
  );
  return new Map(rows.map((r) => [r.customer_id, deserializeExposureState(r.state)]));
}

export async function saveExposureStates(db: Queryable, states: readonly CustomerExposureState[]): Promise<void> {
  if (states.length === 0) return;
  await db.query(
    `INSERT INTO ${EXPOSURE_STATE_TABLE} (customer_id, state)
     SELECT x->>'customerId', x FROM jsonb_array_elements($1::jsonb) AS x
     ON CONFLICT (customer_id) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
    [JSON.stringify(states.map(serializeExposureState))],
  );
}

const minorOrNull = (m: Money | null): string | null => (m === null ? null : m.amountMinor.toString());

/** Stores the exposure figures BI reads (reporting.customer_exposure), as of the business date they were computed for. */
export async function saveExposureFigures(
  db: Queryable,
  figures: readonly { exposure: CustomerExposure; businessUnit: string | null }[],
): Promise<void> {
  if (figures.length === 0) return;
  const doc = figures.map(({ exposure: e, businessUnit }) => ({
    customer_id: e.customerId,
    as_of: e.asOf,
    currency: e.currency,
    business_unit: businessUnit,
    credit_limit_minor: minorOrNull(e.creditLimit),
    open_ar_minor: e.openAr.amountMinor.toString(),
    overdue_minor: e.overdue.amountMinor.toString(),
    disputed_minor: e.disputed.amountMinor.toString(),
    reserved_minor: e.reserved.amountMinor.toString(),
    unapplied_cash_minor: e.unappliedCash.amountMinor.toString(),
    exposure_minor: e.exposure.amountMinor.toString(),
    available_credit_minor: minorOrNull(e.availableCredit),
    utilisation_bp: e.utilisationBasisPoints,
    credit_class: e.creditClass,
    on_hold: e.onHold,
  }));
  await db.query(
    `INSERT INTO ${EXPOSURE_TABLE} (customer_id, as_of, currency, business_unit, credit_limit_minor, open_ar_minor, overdue_minor,
       disputed_minor, reserved_minor, unapplied_cash_minor, exposure_minor, available_credit_minor, utilisation_bp, credit_class, on_hold)
     SELECT customer_id, as_of, currency, business_unit, credit_limit_minor, open_ar_minor, overdue_minor,
       disputed_minor, reserved_minor, unapplied_cash_minor, exposure_minor, available_credit_minor, utilisation_bp, credit_class, on_hold
     FROM jsonb_to_recordset($1::jsonb) AS x(customer_id text, as_of date, currency text, business_unit text, credit_limit_minor numeric,
       open_ar_minor numeric, overdue_minor numeric, disputed_minor numeric, reserved_minor numeric, unapplied_cash_minor numeric,
       exposure_minor numeric, available_credit_minor numeric, utilisation_bp numeric, credit_class text, on_hold boolean)
     ON CONFLICT (customer_id) DO UPDATE SET
       as_of = EXCLUDED.as_of, currency = EXCLUDED.currency, business_unit = EXCLUDED.business_unit,
       credit_limit_minor = EXCLUDED.credit_limit_minor, open_ar_minor = EXCLUDED.open_ar_minor, overdue_minor = EXCLUDED.overdue_minor,
       disputed_minor = EXCLUDED.disputed_minor, reserved_minor = EXCLUDED.reserved_minor,
       unapplied_cash_minor = EXCLUDED.unapplied_cash_minor, exposure_minor = EXCLUDED.exposure_minor,
       available_credit_minor = EXCLUDED.available_credit_minor, utilisation_bp = EXCLUDED.utilisation_bp,
       credit_class = EXCLUDED.credit_class, on_hold = EXCLUDED.on_hold, updated_at = now()`,
    [JSON.stringify(doc)],
  );
}

export interface StoredBusinessDate {
  businessDate: BusinessDate;
  /** false while no BusinessDayClosed has been seen (the configured initial date). */
  fromCalendar: boolean;
  /** A replay folded events whose derived figures are not computed yet (see consumers/replay-settle.ts). */
  historyPending: boolean;
}

export async function loadBusinessDate(db: Queryable): Promise<StoredBusinessDate> {
  const { rows } = await db.query<{ business_date: string; from_calendar: boolean; history_pending: boolean }>(
    `SELECT business_date::text AS business_date, from_calendar, history_pending FROM ${BUSINESS_DATE_TABLE} WHERE singleton`,
  );
  const row = rows[0];
  if (row === undefined) throw new Error(`${BUSINESS_DATE_TABLE} has no row: the read model was not migrated`);
  return { businessDate: parseBusinessDate(row.business_date), fromCalendar: row.from_calendar, historyPending: row.history_pending };
}

/** Marks (or clears) the history a replay leaves to compute at its end. */
export async function saveHistoryPending(db: Queryable, pending: boolean): Promise<void> {
  await db.query(`UPDATE ${BUSINESS_DATE_TABLE} SET history_pending = $1 WHERE singleton`, [pending]);
}

export async function saveBusinessDate(db: Queryable, date: BusinessDate): Promise<void> {
  await db.query(`UPDATE ${BUSINESS_DATE_TABLE} SET business_date = $1::date, from_calendar = true, updated_at = now() WHERE singleton`, [
    date,
  ]);
}

export async function loadPublished(db: Queryable, subjects: readonly string[]): Promise<Map<string, ProjectionChange['data']>> {
  const { rows } = await db.query<{ subject: string; data: ProjectionChange['data'] }>(
    `SELECT subject, data FROM ${PUBLISHED_TABLE} WHERE subject = ANY($1::text[])`,
    [subjects],
  );
  return new Map(rows.map((r) => [r.subject, r.data]));
}

export async function savePublished(db: Queryable, entries: readonly [string, ProjectionChange['data']][]): Promise<void> {
  if (entries.length === 0) return;
  await db.query(
    `INSERT INTO ${PUBLISHED_TABLE} (subject, data)
     SELECT x->>0, x->1 FROM jsonb_array_elements($1::jsonb) AS x
     ON CONFLICT (subject) DO UPDATE SET data = EXCLUDED.data, updated_at = now()`,
    [JSON.stringify(entries)],
  );
}
