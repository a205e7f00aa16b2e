/*
 * Issue 14, items 2, 4, 5 and 6 on the real servers: aging bucket sets configured over the API (a nine-bucket set up to
 * 720 days, a set by invoice date, several active at once) and the KPI catalogue computed at day close and
 * published as PortfolioKpisChanged, against the hand-computed example below (docs/kpis.md, "worked example").
 *
 *   customer A (EMEA, B): A1 issued 2026-01-01 due 01-31, 1,000.00, 400.00 paid 02-15; A2 issued 02-01 due 03-03, 2,000.00
 *   customer B (APAC, B): B1 issued 2025-06-01 due 2025-07-01, 500.00, 100.00 written off 03-01; B2 issued 03-20 due 04-19, 400.00
 *   days closed: 2025-12-31 and 2026-03-31; D = 90 days, the period 2026-01-01 … 2026-03-31
 */
import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@arc/contracts';
import { mintDevelopmentToken, type Role } from '@arc/auth';
import { useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { PROJECTIONS, type ProjectionsConfig } from './config';
import { creditPolicySet, invoiceIssued } from './domain/testing/events';

type Json = Record<string, unknown>;
const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });
const CALENDAR_KEY = '00000000-0000-4000-8000-000000000000';

const NINE_TO_720 = {
  id: 'nine-to-720',
  buckets: [
    { label: '1-30', upToDays: 30 },
    { label: '31-60', upToDays: 60 },
    { label: '61-90', upToDays: 90 },
    { label: '91-120', upToDays: 120 },
    { label: '121-180', upToDays: 180 },
    { label: '181-270', upToDays: 270 },
    { label: '271-360', upToDays: 360 },
    { label: '361-720', upToDays: 720 },
    { label: '720+' },
  ],
};
const BY_INVOICE_DATE = {
  id: 'invoice-age',
  basis: 'invoice-date',
  buckets: [{ label: '0-90', upToDays: 90 }, { label: '91-180', upToDays: 180 }, { label: '181+' }],
};

describe('aging bucket sets, the KPI catalogue, payment behaviour and portfolio reads (issue 14, items 2, 4, 5, 6), on real Kafka and PostgreSQL', () => {
  const suite = useServiceUnderTest<ProjectionsConfig>({
    definition: PROJECTIONS,
    module: (config, options) => AppModule.forRoot(config, options),
    extra: { initialBusinessDate: '1970-01-01', bi: { role: 'arc_bi_unused', password: null } },
  });
  const { config, db, producer } = suite;
  const call = (method: string, path: string, roles: Role[] | null, body?: unknown) =>
    suite.call(method, path, { roles, ...(body === undefined ? {} : { body }) });

  const a = randomUUID();
  const b = randomUUID();
  const versions = new Map<string, number>();
  const send = async (topic: string, streamId: string, customerId: string, type: string, data: object) => {
    const streamVersion = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, streamVersion);
    const e: EventEnvelope = {
      eventId: randomUUID(),
      eventType: type,
      schemaVersion: 1,
      streamId,
      streamVersion,
      customerId,
      occurredAt: '2026-01-01T10:00:00.000Z',
      recordedAt: '2026-01-01T10:00:00.000Z',
      correlationId: randomUUID(),
      causationId: null,
      actor: 'user:test',
      data: data as Record<string, unknown>,
    };
    await producer.send({ topic, messages: [{ key: customerId, value: JSON.stringify(e) }] });
  };
  const invoice = async (customerId: string, amount: string, issueDate: string, dueDate: string): Promise<string> => {
    const invoiceId = randomUUID();
    const e = invoiceIssued({ customerId, invoiceId, invoiceNumber: `INV-${invoiceId.slice(0, 8)}`, amount, issueDate, dueDate });
    await send(config.topics.invoicing, `invoice-${invoiceId}`, customerId, e.type, e.data);
    return invoiceId;
  };

  beforeAll(async () => {
    for (const [customerId, businessUnit] of [
      [a, 'EMEA'],
      [b, 'APAC'],
    ] as const) {
      await send(config.topics.credit, `customer-${customerId}`, customerId, 'CustomerRegistered', {
        customerId,
        legalName: `Customer ${businessUnit}`,
        registrationNumber: `HRB ${customerId.slice(0, 6)}`,
        industry: 'machinery',
        country: 'DE',
        currency: 'EUR',
        businessUnit,
      });
      const policy = creditPolicySet('100000.00', { customerId });
      await send(config.topics.credit, `customer-${customerId}`, customerId, policy.type, policy.data);
    }
    const a1 = await invoice(a, '1000.00', '2026-01-01', '2026-01-31');
    await invoice(a, '2000.00', '2026-02-01', '2026-03-03');
    const b1 = await invoice(b, '500.00', '2025-06-01', '2025-07-01');
    await invoice(b, '400.00', '2026-03-20', '2026-04-19');
    const paymentId = randomUUID();
    await send(config.topics.payments, `payment-${paymentId}`, a, 'PaymentAllocated', {
      paymentId,
      customerId: a,
      invoiceId: a1,
      amount: EUR('40000'),
      allocatedOn: '2026-02-15',
    });
    await send(config.topics.invoicing, `invoice-${b1}`, b, 'InvoiceWrittenOff', {
      writeOffId: randomUUID(),
      invoiceId: b1,
      customerId: b,
      amount: EUR('10000'),
      writtenOffOn: '2026-03-01',
      requestedBy: 'user:ann',
      approvedBy: 'user:bob',
      signedOffBy: 'user:cyd',
      reason: 'insolvency',
    });
    const caseId = randomUUID();
    await send(config.topics.collections, `dunning-${a}`, a, 'CollectionCaseOpened', {
      caseId,
      customerId: a,
      openedOn: '2026-03-10',
      overdueAmount: EUR('60000'),
      oldestDaysPastDue: 38,
    });
    await waitFor(
      async () => {
        const { rows } = await db.pool.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM projections_ar_ledger WHERE amount_minor IS NOT NULL)::int
                + (SELECT count(*) FROM projections_ledger_movements)::int
                + (SELECT count(*) FROM projections_customer_exposure WHERE business_unit IS NOT NULL)::int
                + (SELECT count(*) FROM projections_collection_cases)::int AS n`,
        );
        return rows[0]?.n === 9;
      },
      { description: 'the invoices, movements and customers to be consumed' },
    );
    for (const date of ['2025-12-31', '2026-03-31'])
      await send(config.topics.calendar, 'calendar', CALENDAR_KEY, 'BusinessDayClosed', { date });
    await waitFor(async () => (await call('GET', '/v1/kpis', ['risk'])).body.asOf === '2026-03-31', {
      description: 'the close of 2026-03-31',
    });
  }, 120_000);

  describe('aging bucket sets over the API', () => {
    it('defines a nine-bucket set up to 720 days and a set by invoice date; both active with the two built-in sets', async () => {
      const nine = await call('POST', '/v1/aging/bucket-sets', ['risk'], NINE_TO_720);
      expect(nine.status).toBe(201);
      expect(nine.body).toMatchObject({ id: 'nine-to-720', basis: 'due-date', active: true, createdBy: expect.stringMatching(/^user:/) });
      expect((nine.body.buckets as Json[])[8]).toEqual({ label: '720+', upTo: null });
      expect((await call('POST', '/v1/aging/bucket-sets', ['finance'], BY_INVOICE_DATE)).status).toBe(201);
      const list = await call('GET', '/v1/aging/bucket-sets', ['collections']);
      expect((list.body.bucketSets as Json[]).map((s) => [s.id, s.basis, s.active])).toEqual([
        ['days-30-60-90', 'due-date', true],
        ['months-1-3-6', 'due-date', true],
        ['nine-to-720', 'due-date', true],
        ['invoice-age', 'invoice-date', true],
      ]);
    });

    it('a nine-bucket set and an invoice-date set report the same open total, the not-yet-due amount always shown', async () => {
      const { body } = await call('GET', `/v1/customers/${b}/aging?asOf=2026-03-31&bucketSet=all`, ['finance']);
      const bySet = new Map((body.aging as Json[]).map((entry) => [entry.bucketSetId, entry]));
      expect([...bySet.keys()]).toEqual(['days-30-60-90', 'months-1-3-6', 'nine-to-720', 'invoice-age']);
      for (const entry of bySet.values()) expect(entry).toMatchObject({ totalOpen: EUR('80000'), notYetDue: EUR('40000') });
      // B1: 400.00 open, 273 days past due; 303 days since its invoice date.
      const nonZero = (set: string) =>
        ((bySet.get(set)?.buckets ?? []) as { label: string; amount: { amountMinor: string } }[])
          .filter((x) => x.amount.amountMinor !== '0')
          .map((x) => [x.label, x.amount.amountMinor]);
      expect(nonZero('nine-to-720')).toEqual([['271-360', '40000']]);
      expect(nonZero('invoice-age')).toEqual([['181+', '40000']]);
      expect(nonZero('days-30-60-90')).toEqual([['90+', '40000']]);
    });

    it('BI sees every active set in reporting.customer_aging_by_set, each adding up to the same open total', async () => {
      const { rows } = await db.pool.query<{ bucket_set_id: string; total: string }>(
        `SELECT bucket_set_id, sum(amount_minor)::text AS total FROM reporting.customer_aging_by_set
          WHERE customer_id = ANY($1::text[]) GROUP BY bucket_set_id ORDER BY bucket_set_id`,
        [[a, b]],
      );
      expect(rows).toEqual(
        ['days-30-60-90', 'invoice-age', 'months-1-3-6', 'nine-to-720'].map((id) => ({ bucket_set_id: id, total: '340000' })),
      );
    });

    it('refuses a set whose bounds do not increase (422), an id taken (409), a malformed body (400), all problem+json', async () => {
      const bad = await call('POST', '/v1/aging/bucket-sets', ['risk'], {
        id: 'broken',
        buckets: [{ label: 'a', upToDays: 60 }, { label: 'b', upToDays: 30 }, { label: 'c' }],
      });
      expect([bad.status, bad.headers.get('content-type')]).toEqual([422, expect.stringContaining('application/problem+json')]);
      expect(bad.body).toMatchObject({ status: 422, type: 'urn:arc:problem:invalid-bucket-set' });
      const taken = await call('POST', '/v1/aging/bucket-sets', ['risk'], NINE_TO_720);
      expect(taken.status).toBe(409);
      const malformed = await call('POST', '/v1/aging/bucket-sets', ['risk'], { id: 'Not An Id', buckets: 'none', extra: 1 });
      expect([malformed.status, malformed.headers.get('content-type')]).toEqual([400, expect.stringContaining('application/problem+json')]);
      // The platform's problem document, nothing else: no stack, no echo of the input.
      expect(Object.keys(malformed.body).sort()).toEqual(['correlationId', 'detail', 'errors', 'instance', 'status', 'title', 'type']);
      expect((await call('GET', `/v1/customers/${a}/aging?bucketSet=nope`, ['risk'])).status).toBe(404);
      expect((await call('GET', `/v1/customers/${a}/aging?bucketSet=NOT%20VALID`, ['risk'])).status).toBe(400);
      expect((await call('POST', '/v1/aging/bucket-sets/nope/deactivate', ['risk'])).status).toBe(404);
      expect((await call('GET', '/v1/kpis?asOf=2026-02-30', ['risk'])).status).toBe(400);
    });

    it('deactivates a set: no longer among "all", still listed', async () => {
      expect((await call('POST', '/v1/aging/bucket-sets/months-1-3-6/deactivate', ['risk'])).status).toBe(200);
      const { body } = await call('GET', `/v1/customers/${b}/aging?bucketSet=all`, ['finance']);
      expect((body.aging as Json[]).map((e) => e.bucketSetId)).toEqual(['days-30-60-90', 'nine-to-720', 'invoice-age']);
    });
  });

  describe('the KPI catalogue at the close of 2026-03-31 (the hand-computed example)', () => {
    const kpisOf = async (kind: string, key: string | null) => {
      const { body } = await call('GET', '/v1/kpis?asOf=2026-03-31', ['finance']);
      return (body.kpis as { segment: { kind: string; key: string | null }; currency: string }[]).find(
        (k) => k.segment.kind === kind && k.segment.key === key && k.currency === 'EUR',
      );
    };

    it('the portfolio: every KPI of docs/kpis.md', async () => {
      expect(await kpisOf('portfolio', null)).toEqual({
        asOf: '2026-03-31',
        segment: { kind: 'portfolio', key: null },
        currency: 'EUR',
        periodDays: 90,
        totalAr: EUR('340000'),
        overdue: EUR('300000'),
        currentAr: EUR('40000'),
        openingAr: EUR('50000'),
        creditSales: EUR('340000'),
        collected: EUR('40000'),
        writtenOff: EUR('10000'),
        disputed: EUR('0'),
        overdueRatioBasisPoints: 8824, // 3,000 / 3,400
        dsoDays: 90, // 3,400 / 3,400 × 90
        dsoCountbackDays: 90, // 11 + 1 + 46 + 1 + 30 + 1,000 / 1,000
        bestPossibleDsoDays: 11, // 400 / 3,400 × 90 = 10.59
        averageDaysDelinquent: 79, // 3,000 / 3,400 × 90 = 79.41
        arTurnoverBasisPoints: 17436, // 3,400 / ((500 + 3,400) / 2)
        ceiBasisPoints: 1429, // (500 + 3,400 − 3,400) / (500 + 3,400 − 400)
        badDebtRatioBasisPoints: 294, // 100 / 3,400
        collectionRateBasisPoints: 1026, // 400 / (500 + 3,400)
        disputeRateBasisPoints: 0,
      });
    });

    it('a business unit (EMEA: customer A only)', async () => {
      expect(await kpisOf('business-unit', 'EMEA')).toMatchObject({
        totalAr: EUR('260000'),
        overdue: EUR('260000'),
        creditSales: EUR('300000'),
        openingAr: EUR('0'),
        dsoDays: 78, // 2,600 / 3,000 × 90
        dsoCountbackDays: 90, // 58 + 1 + 30 + 600 / 1,000 = 89.6
        ceiBasisPoints: 1333, // (0 + 3,000 − 2,600) / (0 + 3,000 − 0)
        arTurnoverBasisPoints: 23077, // 3,000 / 1,300
      });
      expect(await kpisOf('credit-class', 'B')).toMatchObject({ totalAr: EUR('340000') });
    });

    it('publishes PortfolioKpisChanged on arc.projections.changes through the outbox, and BI reads reporting.portfolio_kpis_daily', async () => {
      const { rows } = await db.pool.query<{ data: Json }>(
        `SELECT data FROM events WHERE event_type = 'PortfolioKpisChanged' AND data->>'asOf' = '2026-03-31' AND data->'segment'->>'kind' = 'portfolio'`,
      );
      expect(rows.map((r) => r.data)).toEqual([expect.objectContaining({ totalAr: EUR('340000'), dsoDays: 90 })]);
      const bi = await db.pool.query(
        `SELECT total_ar_minor::text AS total, dso_days, cei_bp FROM reporting.portfolio_kpis_daily WHERE as_of = '2026-03-31' AND segment_kind = 'portfolio'`,
      );
      expect(bi.rows).toEqual([{ total: '340000', dso_days: 90, cei_bp: 1429 }]);
      const trend = await db.pool.query(
        `SELECT day::text AS day, total_open_minor::text AS total FROM reporting.segment_aging_daily WHERE segment_kind = 'business-unit' AND segment_key = 'APAC' ORDER BY day`,
      );
      expect(trend.rows).toEqual([
        { day: '2025-12-31', total: '50000' },
        { day: '2026-03-31', total: '80000' },
      ]);
    });
  });

  describe('payment behaviour per customer at the close of 2026-03-31', () => {
    it('A: two open items 59 and 28 days late, weighted by amount (59 × 1,000 + 28 × 2,000) / 3,000 = 38.33 → 38 days', async () => {
      const { status, body } = await call('GET', `/v1/customers/${a}/payment-behaviour`, ['sales']);
      expect(status).toBe(200);
      const window = { invoicesCounted: 2, invoicesSettled: 0, averageDaysToPay: null, weightedDaysLate: 38, onTimeRatioBasisPoints: 0 };
      expect(body).toEqual({
        customerId: a,
        asOf: '2026-03-31',
        windows: [
          { months: 3, ...window },
          { months: 6, ...window },
          { months: 12, ...window },
        ],
        trend: 'stable',
      });
    });

    it('B: the item due in July 2025 counts only in the last 12 months; published as CustomerPaymentBehaviourChanged for credit reviews', async () => {
      const { body } = await call('GET', `/v1/customers/${b}/payment-behaviour`, ['risk']);
      expect(body).toMatchObject({
        windows: [
          { months: 3, invoicesCounted: 0, weightedDaysLate: null },
          { months: 6, invoicesCounted: 0 },
          { months: 12, invoicesCounted: 1, weightedDaysLate: 273, onTimeRatioBasisPoints: 0 },
        ],
        trend: 'unknown',
      });
      const { rows } = await db.pool.query<{ data: Json }>(
        `SELECT data FROM events WHERE event_type = 'CustomerPaymentBehaviourChanged' AND data->>'customerId' = $1 ORDER BY global_position`,
        [b],
      );
      // One per close that changed it: 2025-12-31 (183 days late then), 2026-03-31.
      expect(rows.map((r) => r.data.asOf)).toEqual(['2025-12-31', '2026-03-31']);
      expect(rows[1]?.data).toEqual(body);
      expect((await call('GET', `/v1/customers/${randomUUID()}/payment-behaviour`, ['risk'])).status).toBe(404);
    });
  });

  describe('portfolio reads across all customers (item 6)', () => {
    const ids = (body: Json, column = 'invoiceId') => (body.rows as Json[]).map((r) => r[column]);

    it('pages the ledger with filters and sorting: business unit, status, bucket, largest open balance first', async () => {
      const emea = await call('GET', '/v1/portfolio/ledger?businessUnit=EMEA&sort=-openBalanceMinor', ['finance']);
      expect(emea.body).toMatchObject({ resource: 'ledger', asOf: '2026-03-31', page: 1, total: 2, sort: '-openBalanceMinor' });
      expect((emea.body.rows as Json[]).map((r) => [r.openBalanceMinor, r.bucket, r.status, r.businessUnit])).toEqual([
        ['200000', '1-30', 'open', 'EMEA'],
        ['60000', '31-60', 'partially-paid', 'EMEA'],
      ]);
      const second = await call('GET', '/v1/portfolio/ledger?businessUnit=EMEA&sort=-openBalanceMinor&pageSize=1&page=2', ['finance']);
      expect(second.body).toMatchObject({ total: 2, page: 2, pageSize: 1 });
      expect(ids(second.body)).toEqual([ids(emea.body)[1]]);
      const old = await call('GET', `/v1/portfolio/ledger?bucket=${encodeURIComponent('90+')}&customerId=${b}`, ['collections']);
      expect((old.body.rows as Json[]).map((r) => [r.customerId, r.openBalanceMinor, r.writtenOffMinor])).toEqual([[b, '40000', '10000']]);
      const partial = await call('GET', `/v1/portfolio/ledger?status=partially-paid&currency=EUR&customerId=${a}`, ['risk']);
      expect((partial.body.rows as Json[]).map((r) => r.paidMinor)).toEqual(['40000']);
    });

    it('exposures, aging and cases across customers', async () => {
      const exposures = await call('GET', `/v1/portfolio/exposures?creditClass=B&sort=-exposureMinor&status=active`, ['risk']);
      const ours = (exposures.body.rows as Json[]).filter((r) => r.customerId === a || r.customerId === b);
      expect(ours.map((r) => [r.customerId, r.exposureMinor, r.businessUnit])).toEqual([
        [a, '260000', 'EMEA'],
        [b, '80000', 'APAC'],
      ]);
      const aging = await call('GET', `/v1/portfolio/aging?bucket=${encodeURIComponent('90+')}&businessUnit=APAC`, ['finance']);
      expect((aging.body.rows as Json[]).map((r) => [r.customerId, r.bucket90PlusMinor, r.totalOpenMinor])).toEqual([
        [b, '40000', '80000'],
      ]);
      const cases = await call('GET', '/v1/portfolio/cases?status=open&businessUnit=EMEA', ['collections']);
      expect((cases.body.rows as Json[]).map((r) => [r.customerId, r.openedOn, r.overdueAtOpeningMinor, r.status])).toEqual([
        [a, '2026-03-10', '60000', 'open'],
      ]);
    });

    it('exports a page as CSV: a header line, then one line per row', async () => {
      const res = await fetch(`${suite.service.baseUrl}/v1/portfolio/ledger?businessUnit=EMEA&sort=dueDate&format=csv`, {
        headers: { authorization: `Bearer ${mintDevelopmentToken({ sub: 'alice', roles: ['finance'] })}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/csv');
      const lines = (await res.text()).trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        'invoiceId,invoiceNumber,customerId,businessUnit,creditClass,currency,issueDate,dueDate,amountMinor,paidMinor,creditedMinor,disputedMinor,writtenOffMinor,debitNotedMinor,openBalanceMinor,daysPastDue,bucket,status',
      );
      expect(lines.slice(1).map((l) => l.split(',').slice(6, 8))).toEqual([
        ['2026-01-01', '2026-01-31'],
        ['2026-02-01', '2026-03-03'],
      ]);
    });

    it('answers 400 problem+json to a filter or sort key the resource does not have, and to an unknown resource', async () => {
      for (const path of [
        '/v1/portfolio/cases?bucket=1-30',
        '/v1/portfolio/ledger?sort=nope',
        '/v1/portfolio/invoices',
        '/v1/portfolio/ledger?pageSize=0',
        '/v1/portfolio/ledger?status=bogus',
      ]) {
        const res = await call('GET', path, ['finance']);
        expect([path, res.status, res.headers.get('content-type')]).toEqual([
          path,
          400,
          expect.stringContaining('application/problem+json'),
        ]);
      }
    });
  });

  describe('rebuild', () => {
    it('rebuilds the history tables (snapshots, segments, KPIs, payment behaviour, movements, cases) into exactly the same rows', async () => {
      const tables = [
        'projections_ledger_movements',
        'projections_closed_days',
        'projections_daily_customer',
        'projections_daily_segment',
        'projections_daily_kpis',
        'projections_payment_behaviour',
        'projections_collection_cases',
        'projections_ar_ledger',
      ];
      const rows = async () => {
        const all: Record<string, unknown[]> = {};
        for (const table of tables) {
          const { rows: found } = await db.pool.query(`SELECT to_jsonb(t) - 'updated_at' AS row FROM ${table} t ORDER BY 1`);
          all[table] = found.map((r: { row: unknown }) => r.row);
        }
        return all;
      };
      const before = await rows();
      expect(before.projections_daily_kpis?.length).toBeGreaterThan(0);
      expect((await call('POST', '/v1/admin/read-models/rebuild', ['admin'])).status).toBe(202);
      await waitFor(
        async () => {
          const { body } = await call('GET', '/v1/admin/read-models', ['admin']);
          return (body.readModels as { caughtUp: boolean; lag: number }[]).every((m) => m.caughtUp && m.lag === 0);
        },
        { description: 'the rebuild to catch up' },
      );
      expect(await rows()).toEqual(before);
    });
  });
});
