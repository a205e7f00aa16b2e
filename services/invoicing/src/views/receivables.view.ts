import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { readStreamWith, type StoredEvent } from '@arc/event-store';
import { ARC_PG_POOL, fold, transactional, type Queryable } from '@arc/platform';
import { invoiceBalance } from '@arc/receivables';
import { disputedOf, dueItemPositions, invoiceDecider, invoiceFigures, invoiceStreamId, type Invoice } from '../domain/invoice.decider';

/**
 * Invoicing's views of its own invoices, written in the transaction of each invoice command (and rebuilt from
 * the store): one row per invoice (what the day close needs: does it accrue interest, is anything due
 * unsettled, is interest waiting to be charged), and one row per ledger movement (invoice, debit and credit
 * notes, cash, cancellation, write-off, recovery) with its business date and signed amount — the statements
 * are sums and lists of these rows.
 */
export const INVOICES_TABLE = 'invoicing_invoices';
export const MOVEMENTS_TABLE = 'invoicing_ledger_movements';
export const DISPUTES_TABLE = 'invoicing_disputes';
export const RECEIVABLES_READ_MODEL = 'receivables';

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS ${INVOICES_TABLE} (
    invoice_id           text PRIMARY KEY,
    customer_id          text NOT NULL,
    invoice_number       text NOT NULL,
    currency             text NOT NULL,
    cancelled            boolean NOT NULL,
    accrues_interest     boolean NOT NULL,
    interest_charging    text NOT NULL,
    first_unsettled_due  date,
    interest_uncharged   boolean NOT NULL,
    open_minor           numeric NOT NULL,
    disputed_minor       numeric NOT NULL,
    stream_version       integer NOT NULL
  );
  CREATE INDEX IF NOT EXISTS ${INVOICES_TABLE}_accruing ON ${INVOICES_TABLE} (first_unsettled_due) WHERE accrues_interest;
  CREATE TABLE IF NOT EXISTS ${MOVEMENTS_TABLE} (
    event_id      text PRIMARY KEY,
    invoice_id    text NOT NULL,
    customer_id   text NOT NULL,
    currency      text NOT NULL,
    kind          text NOT NULL,
    business_date date NOT NULL,
    reference     text NOT NULL,
    amount_minor  numeric NOT NULL,
    -- The source event's version in its invoice stream: the same live and after a rebuild (an arrival
    -- sequence would not be).
    stream_version integer NOT NULL
  );
  CREATE INDEX IF NOT EXISTS ${MOVEMENTS_TABLE}_customer ON ${MOVEMENTS_TABLE} (customer_id, currency, business_date);
  CREATE TABLE IF NOT EXISTS ${DISPUTES_TABLE} (
    dispute_id      text PRIMARY KEY,
    invoice_id      text NOT NULL,
    customer_id     text NOT NULL,
    currency        text NOT NULL,
    reason_code     text NOT NULL,
    status          text NOT NULL,
    amount_minor    numeric NOT NULL,
    accepted_minor  numeric,
    raised_on       date NOT NULL,
    resolved_on     date
  )`;

export async function migrateReceivablesView(db: Queryable): Promise<void> {
  await db.query(SCHEMA);
}

/** The invoice's row as its state at `version` says (nothing before it is issued); a later version never loses. */
export async function recordInvoice(db: Queryable, invoice: Invoice, version: number): Promise<void> {
  if (invoice.status !== 'issued') return;
  const balance = invoiceBalance(invoiceFigures(invoice));
  const unsettled = dueItemPositions(invoice).find((item) => item.open.amountMinor > 0n);
  const { interest } = invoice;
  const uncharged =
    interest.unchargedFrom !== null ||
    (interest.fixedCompensation !== null && !interest.compensationCharged && interest.accruedNumerator > 0n);
  await db.query(
    `INSERT INTO ${INVOICES_TABLE} (invoice_id, customer_id, invoice_number, currency, cancelled, accrues_interest, interest_charging,
       first_unsettled_due, interest_uncharged, open_minor, disputed_minor, stream_version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
     ON CONFLICT (invoice_id) DO UPDATE SET cancelled = EXCLUDED.cancelled, accrues_interest = EXCLUDED.accrues_interest,
       interest_charging = EXCLUDED.interest_charging, first_unsettled_due = EXCLUDED.first_unsettled_due,
       interest_uncharged = EXCLUDED.interest_uncharged, open_minor = EXCLUDED.open_minor, disputed_minor = EXCLUDED.disputed_minor,
       stream_version = EXCLUDED.stream_version
     WHERE ${INVOICES_TABLE}.stream_version <= EXCLUDED.stream_version`,
    [
      invoice.invoiceId,
      invoice.customerId,
      invoice.invoiceNumber,
      invoice.currency,
      invoice.cancellation !== null,
      interest.rule !== null && invoice.cancellation === null,
      interest.charging,
      unsettled?.dueDate ?? null,
      uncharged,
      balance.open.amountMinor.toString(),
      disputedOf(invoice).amountMinor.toString(),
      version,
    ],
  );
  for (const [disputeId, d] of invoice.disputes) {
    await db.query(
      `INSERT INTO ${DISPUTES_TABLE} (dispute_id, invoice_id, customer_id, currency, reason_code, status, amount_minor, accepted_minor, raised_on, resolved_on)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (dispute_id) DO UPDATE SET status = EXCLUDED.status, accepted_minor = EXCLUDED.accepted_minor, resolved_on = EXCLUDED.resolved_on`,
      [
        disputeId,
        invoice.invoiceId,
        invoice.customerId,
        invoice.currency,
        d.reasonCode,
        d.status,
        d.amount.amountMinor.toString(),
        d.acceptedAmount?.amountMinor.toString() ?? null,
        d.raisedOn,
        d.resolvedOn,
      ],
    );
  }
}

export interface DisputeReasonFigures {
  reasonCode: string;
  currency: string;
  open: number;
  accepted: number;
  rejected: number;
  disputedMinor: string;
  acceptedMinor: string;
  /** Mean days from raised to resolved over the resolved ones; null when none is resolved. */
  averageDaysToResolve: number | null;
}

interface MovementSource {
  eventId: string;
  streamVersion: number;
  eventType: string;
  data: Record<string, unknown>;
}

type Movement = { kind: string; date: string | null; reference: string; amountMinor: bigint; paymentId?: string };

const minorOf = (value: unknown): bigint => BigInt((value as { amountMinor: string }).amountMinor);

/** The ledger movement an invoice-stream event is, or null (disputes, interest accrual, write-off steps move nothing). */
function movementOf(event: MovementSource, invoiceNumber: string): Movement | null {
  const d = event.data;
  switch (event.eventType) {
    case 'InvoiceIssued':
      return { kind: 'invoice', date: String(d['issueDate']), reference: invoiceNumber, amountMinor: minorOf(d['total']) };
    case 'CreditNoteIssued':
      return {
        kind: 'credit-note',
        date: String(d['issueDate']),
        reference: String(d['creditNoteNumber']),
        amountMinor: -minorOf(d['amount']),
      };
    case 'DebitNoteIssued':
      return {
        kind: 'debit-note',
        date: String(d['issueDate']),
        reference: String(d['debitNoteNumber']),
        amountMinor: minorOf(d['amount']),
      };
    case 'PaymentAllocationRecorded':
      return { kind: 'payment', date: String(d['allocatedOn']), reference: String(d['paymentId']), amountMinor: -minorOf(d['amount']) };
    case 'AllocationReductionRecorded':
      // Dated like the payment's latest allocation on the invoice (the reduction carries no business date).
      return { kind: 'payment-reversal', date: null, reference: String(d['paymentId']), amountMinor: minorOf(d['amount']) };
    // Dated like the paying payment's latest allocation on the invoice (the copied discount carries no business date).
    case 'DiscountTakenRecorded':
      return { kind: 'discount', date: null, reference: String(d['paymentId']), amountMinor: -minorOf(d['discount']) };
    case 'DiscountWithdrawalRecorded':
      return { kind: 'discount-withdrawn', date: null, reference: String(d['paymentId']), amountMinor: minorOf(d['discount']) };
    case 'InvoiceCancelled':
      return { kind: 'cancellation', date: String(d['cancelledOn']), reference: invoiceNumber, amountMinor: -minorOf(d['amount']) };
    case 'InvoiceWrittenOff':
      return { kind: 'write-off', date: String(d['writtenOffOn']), reference: String(d['writeOffId']), amountMinor: -minorOf(d['amount']) };
    case 'WriteOffRecovered':
      return { kind: 'recovery', date: String(d['recoveredOn']), reference: String(d['paymentId']), amountMinor: minorOf(d['amount']) };
    default:
      return null;
  }
}

/** Records the movements of an invoice's events (each once: keyed by event id). */
export async function recordMovements(db: Queryable, invoice: Invoice, events: readonly MovementSource[]): Promise<void> {
  if (invoice.status !== 'issued') return;
  for (const event of events) {
    const movement = movementOf(event, invoice.invoiceNumber);
    if (movement === null) continue;
    await db.query(
      `INSERT INTO ${MOVEMENTS_TABLE} (event_id, invoice_id, customer_id, currency, kind, business_date, reference, amount_minor, stream_version)
       VALUES ($1, $2, $3, $4, $5,
         COALESCE($6::date, (SELECT max(business_date) FROM ${MOVEMENTS_TABLE} WHERE invoice_id = $2 AND kind = 'payment' AND reference = $7),
                  $8::date),
         $7, $9, $10)
       ON CONFLICT (event_id) DO NOTHING`,
      [
        event.eventId,
        invoice.invoiceId,
        invoice.customerId,
        invoice.currency,
        movement.kind,
        movement.date,
        movement.reference,
        invoice.issueDate,
        movement.amountMinor.toString(),
        event.streamVersion,
      ],
    );
  }
}

/** The rebuild from the store: each invoice stream the events touch, folded whole. */
export async function applyInvoiceEvents(db: Queryable, events: readonly StoredEvent[]): Promise<void> {
  const prefix = invoiceStreamId('');
  const streams = [...new Set(events.map((e) => e.streamId).filter((id) => id.startsWith(prefix)))];
  for (const streamId of streams) {
    const stored = await readStreamWith(db, streamId);
    const state = fold(invoiceDecider, stored);
    await recordInvoice(db, state, stored.at(-1)?.streamVersion ?? 0);
    await recordMovements(db, state, stored);
  }
}

export interface MovementRow {
  kind: string;
  date: string;
  invoiceId: string;
  reference: string;
  amountMinor: bigint;
}

@Injectable()
export class ReceivablesView implements OnModuleInit {
  constructor(@Inject(ARC_PG_POOL) private readonly pool: Pool) {}

  async onModuleInit(): Promise<void> {
    await migrateReceivablesView(this.pool);
  }

  /** Disputes by reason code (and currency): how many are open, accepted, rejected, the amounts and how long resolving took. */
  async disputesByReason(): Promise<DisputeReasonFigures[]> {
    const { rows } = await this.db.query<{
      reason_code: string;
      currency: string;
      open: number;
      accepted: number;
      rejected: number;
      disputed: string;
      accepted_amount: string;
      days: string | null;
    }>(
      `SELECT reason_code, currency,
         count(*) FILTER (WHERE status = 'open')::int AS open,
         count(*) FILTER (WHERE status = 'accepted')::int AS accepted,
         count(*) FILTER (WHERE status = 'rejected')::int AS rejected,
         sum(amount_minor)::text AS disputed,
         coalesce(sum(accepted_minor), 0)::text AS accepted_amount,
         round(avg(resolved_on - raised_on) FILTER (WHERE resolved_on IS NOT NULL), 1)::text AS days
       FROM ${DISPUTES_TABLE} GROUP BY reason_code, currency ORDER BY reason_code, currency`,
    );
    return rows.map((r) => ({
      reasonCode: r.reason_code,
      currency: r.currency,
      open: r.open,
      accepted: r.accepted,
      rejected: r.rejected,
      disputedMinor: r.disputed,
      acceptedMinor: r.accepted_amount,
      averageDaysToResolve: r.days === null ? null : Number(r.days),
    }));
  }

  /** Through the current transaction (a command's or a consumer batch's), never beside it. */
  private get db(): Queryable {
    return transactional(this.pool);
  }

  /** After a command appended `events`, the last of them at `version`. */
  async record(invoice: Invoice, version: number, events: readonly Omit<MovementSource, 'streamVersion'>[]): Promise<void> {
    await recordInvoice(this.db, invoice, version);
    const first = version - events.length + 1;
    await recordMovements(
      this.db,
      invoice,
      events.map((event, index) => ({ ...event, streamVersion: first + index })),
    );
  }

  /** Invoices with a late-interest rule and an instalment due before `day` still open (or interest uncharged). */
  async accruing(day: string): Promise<Array<{ invoiceId: string; customerId: string }>> {
    const { rows } = await this.db.query<{ invoice_id: string; customer_id: string }>(
      `SELECT invoice_id, customer_id FROM ${INVOICES_TABLE}
       WHERE accrues_interest AND first_unsettled_due < $1::date ORDER BY invoice_id`,
      [day],
    );
    return rows.map((r) => ({ invoiceId: r.invoice_id, customerId: r.customer_id }));
  }

  /** Invoices whose accrued interest waits for the month-end charge. */
  async interestToChargeAtMonthEnd(): Promise<Array<{ invoiceId: string; customerId: string }>> {
    const { rows } = await this.db.query<{ invoice_id: string; customer_id: string }>(
      `SELECT invoice_id, customer_id FROM ${INVOICES_TABLE}
       WHERE interest_uncharged AND interest_charging = 'month-end' ORDER BY invoice_id`,
    );
    return rows.map((r) => ({ invoiceId: r.invoice_id, customerId: r.customer_id }));
  }

  /** Customers (and currencies) with any movement up to `day`: each gets a month-end statement. */
  async accounts(day: string): Promise<Array<{ customerId: string; currency: string }>> {
    const { rows } = await this.db.query<{ customer_id: string; currency: string }>(
      `SELECT DISTINCT customer_id, currency FROM ${MOVEMENTS_TABLE} WHERE business_date <= $1::date ORDER BY customer_id, currency`,
      [day],
    );
    return rows.map((r) => ({ customerId: r.customer_id, currency: r.currency }));
  }

  async currenciesOf(customerId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ currency: string }>(
      `SELECT DISTINCT currency FROM ${MOVEMENTS_TABLE} WHERE customer_id = $1 ORDER BY currency`,
      [customerId],
    );
    return rows.map((r) => r.currency);
  }

  /** Σ movements before `from`: the opening balance of a statement starting then. */
  async balanceBefore(customerId: string, currency: string, from: string): Promise<bigint> {
    const { rows } = await this.db.query<{ total: string | null }>(
      `SELECT sum(amount_minor)::text AS total FROM ${MOVEMENTS_TABLE} WHERE customer_id = $1 AND currency = $2 AND business_date < $3::date`,
      [customerId, currency, from],
    );
    return BigInt(rows[0]?.total ?? '0');
  }

  /** The movements dated from `from` to `to`, in date order, then by invoice, each invoice's in the order it recorded them. */
  async movements(customerId: string, currency: string, from: string, to: string): Promise<MovementRow[]> {
    const { rows } = await this.db.query<{ kind: string; d: string; invoice_id: string; reference: string; amount_minor: string }>(
      `SELECT kind, to_char(business_date, 'YYYY-MM-DD') AS d, invoice_id, reference, amount_minor::text
       FROM ${MOVEMENTS_TABLE}
       WHERE customer_id = $1 AND currency = $2 AND business_date BETWEEN $3::date AND $4::date
       ORDER BY business_date, invoice_id, stream_version`,
      [customerId, currency, from, to],
    );
    return rows.map((r) => ({
      kind: r.kind,
      date: r.d,
      invoiceId: r.invoice_id,
      reference: r.reference,
      amountMinor: BigInt(r.amount_minor),
    }));
  }
}
