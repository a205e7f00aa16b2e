import { Client } from 'pg';
import { SERVICES, type Platform } from '@arc/launcher';
import type { Json, RetryingClient } from './client';
import { openOf, paidOf, unappliedOf, type OracleCustomer } from './load';

/** Every figure every service shows for the oracle's customers, compared with the oracle. */
export interface Comparison {
  /** `<service> <what>: expected …, got …` for every figure that differs. */
  mismatches: string[];
  /** Every balance below zero, wherever it is shown. */
  negatives: string[];
  totals: { customers: number; invoices: number; openAr: bigint; unapplied: bigint };
}

const minor = (value: unknown): bigint => BigInt((value as { amountMinor: string }).amountMinor);
const eurOf = (list: unknown): bigint =>
  ((list as { amountMinor: string; currency: string }[]) ?? [])
    .filter((m) => m.currency === 'EUR')
    .reduce((s, m) => s + BigInt(m.amountMinor), 0n);

export async function compareWithOracle(
  client: RetryingClient,
  oracle: { customers: ReadonlyMap<string, OracleCustomer> },
): Promise<Comparison> {
  const mismatches: string[] = [];
  const negatives: string[] = [];
  const expect = (where: string, expected: bigint, actual: bigint | null | undefined): void => {
    if (actual !== expected) mismatches.push(`${where}: expected ${expected}, got ${actual ?? 'nothing'}`);
  };
  const notNegative = (where: string, value: bigint | null): void => {
    if (value !== null && value < 0n) negatives.push(`${where}: ${value}`);
  };
  let openArTotal = 0n;
  let unappliedTotal = 0n;
  let invoices = 0;
  for (const customer of oracle.customers.values()) {
    const c = customer.customerId.slice(0, 8);
    const expectedOpen = [...customer.invoices.values()].reduce((s, i) => s + openOf(i), 0n);
    openArTotal += expectedOpen;
    invoices += customer.invoices.size;

    const credit = await client.read('credit', `/customers/${customer.customerId}`);
    expect(`credit open AR of ${c}`, expectedOpen, minor(credit.openAr));
    notNegative(`credit open AR of ${c}`, minor(credit.openAr));

    const exposure = await client.read('projections', `/customers/${customer.customerId}/exposure`);
    // Whatever the allocation, money is neither lost nor counted twice: open AR − unapplied cash = invoiced − credited − paid.
    const net = [...customer.invoices.values()].reduce((s, i) => s + i.total - i.credited, 0n) - customer.paymentsTotal;
    expect(`projections open AR of ${c}`, expectedOpen, minor(exposure.openAr));
    notNegative(`projections open AR of ${c}`, minor(exposure.openAr));

    const account = await client.read('payments', `/customers/${customer.customerId}/payment-account`);
    const unapplied = eurOf(account.unappliedCash);
    unappliedTotal += unapplied;
    expect(`payments unapplied cash of ${c}`, unappliedOf(customer), unapplied);
    // Projections counts an excess allocation as unapplied from the start (the one rule), so it agrees once settled.
    expect(`projections unapplied cash of ${c}`, unappliedOf(customer), minor(exposure.unappliedCash));
    notNegative(`projections unapplied cash of ${c}`, minor(exposure.unappliedCash));
    notNegative(`payments unapplied cash of ${c}`, unapplied);
    const paymentRows = account.invoices as Json[];
    const paymentsOpen = paymentRows.reduce((s, row) => s + (row.outstanding === null ? 0n : minor(row.outstanding)), 0n);
    expect(`payments open AR of ${c}`, expectedOpen, paymentsOpen);
    expect(`payments open AR − unapplied cash of ${c} (money neither lost nor doubled)`, net, paymentsOpen - unapplied);
    expect(
      `projections open AR − payments' unapplied cash of ${c} (money neither lost nor doubled)`,
      net,
      minor(exposure.openAr) - unapplied,
    );

    const ledger = (await client.read('projections', `/ledger?customerId=${customer.customerId}`)).rows as Json[];
    expect(`projections ledger rows of ${c}`, BigInt(customer.invoices.size), BigInt(ledger.length));
    for (const invoice of customer.invoices.values()) {
      const n = invoice.number;
      const row = ledger.find((r) => r.invoiceId === invoice.invoiceId);
      expect(`projections open balance of ${n}`, openOf(invoice), row ? minor(row.openBalance) : null);
      expect(`projections paid on ${n}`, paidOf(invoice), row ? minor(row.paid) : null);
      expect(`projections credited on ${n}`, invoice.credited, row ? minor(row.credited) : null);
      notNegative(`projections open balance of ${n}`, row ? minor(row.openBalance) : null);
      const paid = paymentRows.find((r) => r.invoiceId === invoice.invoiceId);
      expect(`payments outstanding on ${n}`, openOf(invoice), paid && paid.outstanding !== null ? minor(paid.outstanding) : null);
      expect(`payments allocated to ${n}`, paidOf(invoice), paid ? minor(paid.allocated) : null);
      notNegative(`payments outstanding on ${n}`, paid && paid.outstanding !== null ? minor(paid.outstanding) : null);
      const issued = await client.read('invoicing', `/invoices/${invoice.invoiceId}`);
      expect(`invoicing total of ${n}`, invoice.total, minor(issued.total));
      expect(`invoicing credited on ${n}`, invoice.credited, minor(issued.credited));
      expect(`invoicing allocated to ${n}`, paidOf(invoice), minor(issued.allocated));
      expect(`invoicing open balance of ${n}`, openOf(invoice), minor(issued.openBalance));
      notNegative(`invoicing open balance of ${n}`, minor(issued.openBalance));
    }
  }
  return { mismatches, negatives, totals: { customers: oracle.customers.size, invoices, openAr: openArTotal, unapplied: unappliedTotal } };
}

/** Per service: events whose id appears more than once in its store (must be none). */
export async function duplicatedEvents(platform: Platform): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { name } of SERVICES) {
    const db = new Client({ connectionString: platform.service(name).databaseUrl });
    await db.connect();
    try {
      if ((await db.query("SELECT to_regclass('events') IS NOT NULL AS present")).rows[0]?.present !== true) continue;
      const { rows } = await db.query<{ events: string; ids: string }>(
        'SELECT count(*)::text AS events, count(DISTINCT event_id)::text AS ids FROM events',
      );
      out[name] = Number(rows[0]?.events ?? 0) - Number(rows[0]?.ids ?? 0);
    } finally {
      await db.end();
    }
  }
  return out;
}

/** Events in each service's store (for the report). */
export async function storedEvents(platform: Platform): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { name } of SERVICES) {
    const db = new Client({ connectionString: platform.service(name).databaseUrl });
    await db.connect();
    try {
      if ((await db.query("SELECT to_regclass('events') IS NOT NULL AS present")).rows[0]?.present !== true) continue;
      out[name] = Number((await db.query<{ n: string }>('SELECT count(*)::text AS n FROM events')).rows[0]?.n ?? 0);
    } finally {
      await db.end();
    }
  }
  return out;
}
