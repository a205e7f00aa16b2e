/*
 * Issue 14, item 1: ledger, aging and exposure as of any past business date equal what the live model showed that
 * day. A generated four-month history (several customers, invoices on various terms, partial and late payments, a
 * bounced payment, credit and debit notes, write-offs, disputes, a day close every day) goes through Kafka into the real service; then, for every day, the as-of API and the daily
 * snapshot are compared with an independent fold of the events up to that day, written here from the domain
 * brief's definitions without the service's code.
 */
import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@arc/contracts';
import { useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { PROJECTIONS, type ProjectionsConfig } from './config';
import { creditPolicySet } from './domain/testing/events';

type Json = Record<string, unknown>;
const CALENDAR_KEY = '00000000-0000-4000-8000-000000000000';
const FIRST_DAY = '2026-01-01';
const DAYS = 120; // 2026-01-01 … 2026-04-30
const LIMIT_MINOR = 50_000_000n; // 500,000.00

const dayMs = 86_400_000;
const dateOf = (n: number): string => new Date(Date.parse(`${FIRST_DAY}T00:00:00Z`) + n * dayMs).toISOString().slice(0, 10);
const diffDays = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);

/** A small deterministic generator, so a failure reproduces. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Invoice {
  id: string;
  customerId: string;
  issueDate: string;
  dueDate: string;
  amount: bigint;
}
interface Movement {
  invoiceId: string;
  kind: 'allocated' | 'credit-note' | 'debit-note' | 'write-off' | 'reversal' | 'dispute-raised' | 'dispute-resolved';
  date: string;
  amount: bigint;
  /** The payment of an allocation and of its reversal. */
  paymentId?: string;
  /** The dispute a resolution ends. */
  disputeId?: string;
}

/** The history: per customer, an invoice every 5–12 days on terms of 0 to 60 days, paid in 1–3 parts from 10 days early to 120 days late, some credited. */
function generate(customers: string[]): { invoices: Invoice[]; movements: Movement[] } {
  const random = prng(14);
  const invoices: Invoice[] = [];
  const movements: Movement[] = [];
  for (const customerId of customers) {
    for (let day = Math.floor(random() * 5); day < DAYS; day += 5 + Math.floor(random() * 8)) {
      const amount = BigInt(100_000 + Math.floor(random() * 2_000_000)); // 1,000.00 … 21,000.00
      const terms = [0, 14, 30, 30, 60][Math.floor(random() * 5)] ?? 30;
      const invoice: Invoice = { id: randomUUID(), customerId, issueDate: dateOf(day), dueDate: dateOf(day + terms), amount };
      invoices.push(invoice);
      let open = amount;
      if (random() < 0.2) {
        const credit = amount / 10n;
        movements.push({ invoiceId: invoice.id, kind: 'credit-note', date: dateOf(day + 1 + Math.floor(random() * 20)), amount: credit });
        open -= credit;
      }
      if (random() < 0.15) {
        const disputeId = randomUUID();
        const disputed = amount / 4n;
        movements.push({ invoiceId: invoice.id, kind: 'dispute-raised', date: dateOf(day + 3), amount: disputed, disputeId });
        movements.push({ invoiceId: invoice.id, kind: 'dispute-resolved', date: dateOf(day + 25), amount: disputed, disputeId });
      }
      if (random() < 0.1) {
        // Late interest on top, after it fell due: raises the open balance even once paid.
        movements.push({ invoiceId: invoice.id, kind: 'debit-note', date: dateOf(day + terms + 15), amount: amount / 50n });
      }
      if (random() < 0.15) {
        // Never paid in the period; half of those written off in part 70 days after falling due.
        if (random() < 0.5) movements.push({ invoiceId: invoice.id, kind: 'write-off', date: dateOf(day + terms + 70), amount: open / 2n });
        continue;
      }
      const parts = 1 + Math.floor(random() * 3);
      // from 10 days early to 60 days late, and one in six up to 120 days late; some never
      let payDay = day + 20 + Math.floor(random() * 70) + (random() < 1 / 6 ? 60 : 0);
      for (let p = 0; p < parts && open > 0n && payDay < DAYS; p += 1) {
        const amountPaid = p === parts - 1 ? open : open / 2n;
        const paymentId = randomUUID();
        movements.push({ invoiceId: invoice.id, kind: 'allocated', date: dateOf(payDay), amount: amountPaid, paymentId });
        open -= amountPaid;
        if (random() < 0.08) {
          // The payment bounces a week later: the invoice is open again from that day (paid in between).
          movements.push({ invoiceId: invoice.id, kind: 'reversal', date: dateOf(payDay + 7), amount: amountPaid, paymentId });
          open += amountPaid;
          break;
        }
        payDay += 3 + Math.floor(random() * 15);
      }
    }
  }
  return { invoices, movements };
}

interface Folded {
  notYetDue: bigint;
  buckets: [bigint, bigint, bigint, bigint];
  overdue: bigint;
  total: bigint;
  disputed: bigint;
  oldest: number | null;
  invoiced: boolean;
}

/**
 * The independent fold, from the domain brief's definitions: invoices issued by `day`; open balance = amount −
 * allocations (net of reversals) − credit notes − write-offs + debit notes dated by `day`, never below zero; aged
 * 1–30/31–60/61–90/90+ days past due; disputed = what is still under dispute, at most the open balance.
 */
function fold(invoices: Invoice[], movements: Movement[], customerId: string, day: string): Folded {
  const result: Folded = { notYetDue: 0n, buckets: [0n, 0n, 0n, 0n], overdue: 0n, total: 0n, disputed: 0n, oldest: null, invoiced: false };
  for (const invoice of invoices) {
    if (invoice.customerId !== customerId || invoice.issueDate > day) continue;
    result.invoiced = true;
    let charged = invoice.amount;
    let paid = 0n;
    let disputed = 0n;
    for (const m of movements) {
      if (m.invoiceId !== invoice.id || m.date > day) continue;
      if (m.kind === 'allocated') paid += m.amount;
      if (m.kind === 'reversal') paid -= m.amount;
      if (m.kind === 'credit-note' || m.kind === 'write-off') charged -= m.amount;
      if (m.kind === 'debit-note') charged += m.amount;
      if (m.kind === 'dispute-raised') disputed += m.amount;
      if (m.kind === 'dispute-resolved') disputed -= m.amount;
    }
    if (charged < 0n) charged = 0n;
    const open = charged - (paid < charged ? paid : charged);
    if (open <= 0n) continue;
    result.total += open;
    result.disputed += disputed < open ? disputed : open;
    const late = diffDays(invoice.dueDate, day);
    if (late <= 0) {
      result.notYetDue += open;
      continue;
    }
    result.overdue += open;
    result.buckets[late <= 30 ? 0 : late <= 60 ? 1 : late <= 90 ? 2 : 3] += open;
    result.oldest = result.oldest === null ? late : Math.max(result.oldest, late);
  }
  return result;
}

const EUR = (minor: bigint) => ({ amountMinor: minor.toString(), currency: 'EUR' });

describe('as of any past business date (issue 14, item 1), on real Kafka and PostgreSQL', () => {
  const suite = useServiceUnderTest<ProjectionsConfig>({
    definition: PROJECTIONS,
    module: (config, options) => AppModule.forRoot(config, options),
    extra: { initialBusinessDate: '1970-01-01', bi: { role: 'arc_bi_unused', password: null } },
  });
  const { config, db, producer } = suite;
  const get = (path: string) => suite.call('GET', path, { roles: ['finance'] });

  const customers = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const history = generate(customers);
  const lastDay = dateOf(DAYS - 1);

  /** Contiguous versions per stream, as a real producer writes them (the consumer drops a version it has seen). */
  const versions = new Map<string, number>();
  const nextVersion = (streamId: string): number => {
    const version = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, version);
    return version;
  };
  const envelope = (streamId: string, customerId: string, type: string, data: object, version = nextVersion(streamId)): EventEnvelope => ({
    eventId: randomUUID(),
    eventType: type,
    schemaVersion: 1,
    streamId,
    streamVersion: version,
    customerId,
    occurredAt: '2026-01-01T10:00:00.000Z',
    recordedAt: '2026-01-01T10:00:00.000Z',
    correlationId: randomUUID(),
    causationId: null,
    actor: 'user:test',
    data: data as Record<string, unknown>,
  });

  beforeAll(async () => {
    // The limits first (credit events carry no business date: the as-of exposure takes today's limit).
    await producer.send({
      topic: config.topics.credit,
      messages: customers.map((customerId) => ({
        key: customerId,
        value: JSON.stringify(
          envelope(`customer-${customerId}`, customerId, 'CreditPolicySet', creditPolicySet('500000.00', { customerId }).data),
        ),
      })),
    });
    // Then day by day: that day's invoices, payments and credit notes, then the close of the day.
    const invoicing: { key: string; value: string }[] = [];
    const payments: { key: string; value: string }[] = [];
    const calendar: { key: string; value: string }[] = [];
    const invoiceOf = new Map(history.invoices.map((i) => [i.id, i]));
    for (let n = 0; n < DAYS; n += 1) {
      const day = dateOf(n);
      for (const i of history.invoices.filter((x) => x.issueDate === day)) {
        const total = EUR(i.amount);
        const data = {
          invoiceId: i.id,
          invoiceNumber: `INV-${i.id.slice(0, 8)}`,
          customerId: i.customerId,
          currency: 'EUR',
          lines: [{ description: 'goods', netAmount: total, taxAmount: EUR(0n) }],
          total,
          issueDate: i.issueDate,
          dueDate: i.dueDate,
          earlyPaymentDiscount: null,
          reservationId: null,
        };
        invoicing.push({ key: i.customerId, value: JSON.stringify(envelope(`invoice-${i.id}`, i.customerId, 'InvoiceIssued', data)) });
      }
      for (const m of history.movements.filter((x) => x.date === day)) {
        const invoice = invoiceOf.get(m.invoiceId);
        if (invoice === undefined) throw new Error('no invoice');
        const { customerId } = invoice;
        const ids = { invoiceId: m.invoiceId, customerId };
        const onInvoice = (type: string, data: object) =>
          invoicing.push({
            key: customerId,
            value: JSON.stringify(envelope(`invoice-${m.invoiceId}`, customerId, type, { ...ids, ...data })),
          });
        const onPayment = (type: string, data: object) =>
          payments.push({ key: customerId, value: JSON.stringify(envelope(`payment-${m.paymentId}`, customerId, type, data)) });
        const documentId = randomUUID();
        switch (m.kind) {
          case 'allocated':
            onPayment('PaymentAllocated', { ...ids, paymentId: m.paymentId, amount: EUR(m.amount), allocatedOn: m.date });
            break;
          case 'reversal':
            onPayment('PaymentAllocationReduced', { ...ids, paymentId: m.paymentId, amount: EUR(m.amount), reason: 'payment-reversed' });
            onPayment('PaymentReversed', {
              paymentId: m.paymentId,
              customerId,
              amount: EUR(m.amount),
              reversedOn: m.date,
              reason: 'cheque-bounced',
              note: null,
            });
            break;
          case 'credit-note':
            onInvoice('CreditNoteIssued', {
              creditNoteId: documentId,
              creditNoteNumber: `CN-${documentId.slice(0, 8)}`,
              amount: EUR(m.amount),
              issueDate: m.date,
              reason: 'price adjustment',
            });
            break;
          case 'debit-note':
            onInvoice('DebitNoteIssued', {
              debitNoteId: documentId,
              debitNoteNumber: `DN-${documentId.slice(0, 8)}`,
              kind: 'adjustment',
              amount: EUR(m.amount),
              issueDate: m.date,
              dueDate: m.date,
              reason: 'late delivery surcharge',
              lateInterest: null,
            });
            break;
          case 'write-off':
            onInvoice('InvoiceWrittenOff', {
              writeOffId: documentId,
              amount: EUR(m.amount),
              writtenOffOn: m.date,
              requestedBy: 'user:ann',
              approvedBy: 'user:bob',
              signedOffBy: 'user:cyd',
              reason: 'insolvency',
            });
            break;
          case 'dispute-raised':
            onInvoice('DisputeRaised', {
              disputeId: m.disputeId,
              amount: EUR(m.amount),
              wholeInvoice: false,
              dueSequence: null,
              reasonCode: 'quality',
              note: 'damaged',
              evidenceRefs: [],
              raisedOn: m.date,
              raisedByRole: 'sales',
            });
            break;
          case 'dispute-resolved':
            onInvoice('DisputeResolved', {
              disputeId: m.disputeId,
              outcome: 'rejected',
              disputedAmount: EUR(m.amount),
              acceptedAmount: EUR(0n),
              collectableAgain: EUR(m.amount),
              creditNoteId: null,
              resolvedOn: m.date,
              note: 'no damage found',
              durationDays: 22,
              reasonCode: 'quality',
            });
            break;
        }
      }
      calendar.push({
        key: 'calendar',
        value: JSON.stringify(envelope('calendar', CALENDAR_KEY, 'BusinessDayClosed', { date: day })),
      });
    }
    await producer.send({ topic: config.topics.invoicing, messages: invoicing });
    await producer.send({ topic: config.topics.payments, messages: payments });
    await producer.send({ topic: config.topics.calendar, messages: calendar });
    // One movement per event: a reversal is two (the reduction and PaymentReversed's marker).
    const sent = history.movements.filter((m) => m.date <= lastDay);
    const expected = history.invoices.length + sent.length + sent.filter((m) => m.kind === 'reversal').length;
    await waitFor(
      async () => {
        const { rows } = await db.pool.query<{ n: string; d: string | null }>(
          `SELECT (SELECT count(*) FROM projections_ar_ledger) + (SELECT count(*) FROM projections_ledger_movements) AS n,
                  (SELECT max(day)::text FROM projections_closed_days) AS d`,
        );
        return Number(rows[0]?.n) === expected && rows[0]?.d === lastDay;
      },
      { description: 'every invoice, movement and day close to be consumed', timeoutMs: 150_000 },
    );
  }, 180_000);

  it('generates a history worth testing: every bucket filled some day, partial payments, reversals, credit and debit notes, write-offs, disputes', () => {
    const kinds = new Set(history.movements.filter((m) => m.date <= lastDay).map((m) => m.kind));
    expect(kinds).toEqual(
      new Set(['allocated', 'credit-note', 'debit-note', 'write-off', 'reversal', 'dispute-raised', 'dispute-resolved']),
    );
    const everyDay = customers.flatMap((c) =>
      Array.from({ length: DAYS }, (_, n) => fold(history.invoices, history.movements, c, dateOf(n))),
    );
    for (const bucket of [0, 1, 2, 3]) expect(everyDay.some((f) => (f.buckets[bucket] ?? 0n) > 0n)).toBe(true);
    const allocations = history.movements.filter((m) => m.kind === 'allocated').map((m) => m.invoiceId);
    expect(new Set(allocations).size).toBeLessThan(allocations.length); // some invoices paid in parts
    expect(history.invoices.length).toBeGreaterThan(40);
  });

  it('for every day of the four months, the as-of aging and exposure of every customer equal the independent fold up to that day', async () => {
    const mismatches: string[] = [];
    for (let n = 0; n < DAYS; n += 1) {
      const day = dateOf(n);
      for (const customerId of customers) {
        const expected = fold(history.invoices, history.movements, customerId, day);
        const aging = await get(`/v1/customers/${customerId}/aging?asOf=${day}`);
        const exposure = await get(`/v1/customers/${customerId}/exposure?asOf=${day}`);
        const entries = aging.body.aging as Json[];
        const wantAging = expected.invoiced
          ? [
              {
                currency: 'EUR',
                notYetDue: EUR(expected.notYetDue),
                buckets: ['1-30', '31-60', '61-90', '90+'].map((label, i) => ({ label, amount: EUR(expected.buckets[i] ?? 0n) })),
                overdue: EUR(expected.overdue),
                totalOpen: EUR(expected.total),
                oldestDaysPastDue: expected.oldest,
              },
            ]
          : [];
        const gotAging = entries.map(({ currency, notYetDue, buckets, overdue, totalOpen, oldestDaysPastDue }) => ({
          currency,
          notYetDue,
          buckets,
          overdue,
          totalOpen,
          oldestDaysPastDue,
        }));
        if (JSON.stringify(gotAging) !== JSON.stringify(wantAging))
          mismatches.push(`aging ${customerId} ${day}: ${JSON.stringify(gotAging)}`);
        const utilisation = (expected.total * 10_000n * 2n + LIMIT_MINOR) / (2n * LIMIT_MINOR); // half-up
        const wantExposure = {
          asOf: day,
          openAr: EUR(expected.total),
          overdue: EUR(expected.overdue),
          disputed: EUR(expected.disputed),
          exposure: EUR(expected.total),
          availableCredit: EUR(LIMIT_MINOR - expected.total),
          utilisationBasisPoints: Number(utilisation),
        };
        const gotExposure = Object.fromEntries(Object.keys(wantExposure).map((k) => [k, exposure.body[k]]));
        if (JSON.stringify(gotExposure) !== JSON.stringify(wantExposure))
          mismatches.push(`exposure ${customerId} ${day}: ${JSON.stringify(gotExposure)}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);

  it('for every day, the daily snapshot taken at its close (reporting.customer_aging_daily) equals the same fold', async () => {
    const { rows } = await db.pool.query<{
      day: string;
      customer_id: string;
      nyd: string;
      b: string[];
      overdue: string;
      total: string;
      disputed: string;
      oldest: number | null;
    }>(
      `SELECT day::text AS day, customer_id, not_yet_due_minor::text AS nyd,
              ARRAY[bucket_1_30_minor::text, bucket_31_60_minor::text, bucket_61_90_minor::text, bucket_90_plus_minor::text] AS b,
              overdue_minor::text AS overdue, total_open_minor::text AS total, disputed_minor::text AS disputed,
              oldest_days_past_due AS oldest
         FROM reporting.customer_aging_daily WHERE customer_id = ANY($1::text[])`,
      [customers],
    );
    const snapshot = new Map(rows.map((r) => [`${r.customer_id}|${r.day}`, r]));
    const mismatches: string[] = [];
    for (let n = 0; n < DAYS; n += 1) {
      const day = dateOf(n);
      for (const customerId of customers) {
        const expected = fold(history.invoices, history.movements, customerId, day);
        const row = snapshot.get(`${customerId}|${day}`);
        const want = expected.invoiced
          ? [
              expected.notYetDue.toString(),
              expected.buckets.map(String),
              expected.overdue.toString(),
              expected.total.toString(),
              expected.disputed.toString(),
              expected.oldest,
            ]
          : null;
        const got = row === undefined ? null : [row.nyd, row.b, row.overdue, row.total, row.disputed, row.oldest];
        if (JSON.stringify(got) !== JSON.stringify(want))
          mismatches.push(`${customerId} ${day}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('for every day, reporting.ar_ledger_as_of gives the same open total per customer as the fold', async () => {
    const mismatches: string[] = [];
    for (let n = 0; n < DAYS; n += 7) {
      const day = dateOf(n);
      const { rows } = await db.pool.query<{ customer_id: string; total: string }>(
        `SELECT customer_id, sum(open_balance_minor)::text AS total FROM reporting.ar_ledger_as_of($1::date, $2::text[]) GROUP BY customer_id`,
        [day, customers],
      );
      for (const customerId of customers) {
        const expected = fold(history.invoices, history.movements, customerId, day);
        const got = rows.find((r) => r.customer_id === customerId)?.total ?? null;
        if (got !== (expected.invoiced ? expected.total.toString() : null)) mismatches.push(`${customerId} ${day}: ${got}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('the live figures after the last close equal the fold of the whole history', async () => {
    const customerId = customers[0] ?? '';
    const expected = fold(history.invoices, history.movements, customerId, lastDay);
    const live = await get(`/v1/customers/${customerId}/aging`);
    expect(live.body).toMatchObject({ asOf: lastDay, aging: [{ totalOpen: EUR(expected.total), overdue: EUR(expected.overdue) }] });
  });
});
