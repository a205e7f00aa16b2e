import { randomBytes, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { Role } from '@arc/auth';
import type { EventEnvelope } from '@arc/contracts';
import { expectEveryRouteGuarded, useServiceUnderTest } from '@arc/platform/testing';
import { endpoints, waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { PROJECTIONS, type ProjectionsConfig } from './config';
import {
  creditCheckPassed,
  creditNoteIssued,
  creditPolicySet,
  invoiceIssued,
  paymentAllocated,
  paymentAllocationReduced,
  paymentReceived,
} from './domain/testing/events';

type Json = Record<string, unknown>;

const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

describe('the projections service (consumer, read API, reporting schema and change events on real servers)', () => {
  const biPassword = `bi-${randomBytes(8).toString('hex')}`;
  const suite = useServiceUnderTest<ProjectionsConfig>({
    definition: PROJECTIONS,
    module: (config, options) => AppModule.forRoot(config, options),
    extra: { initialBusinessDate: '1970-01-01', bi: { role: `arc_bi_${randomBytes(4).toString('hex')}`, password: biPassword } },
  });
  const { config, db, kafka, producer } = suite;
  const admin = kafka.admin();

  beforeAll(() => admin.connect());

  afterAll(async () => {
    await admin.disconnect();
    // A role outlives its database: drop it once the suite's database is gone.
    const superuser = new Pool({ connectionString: endpoints().databaseUrl });
    await superuser.query(`DROP ROLE IF EXISTS ${config.bi.role}`).catch(() => undefined);
    await superuser.end();
  });

  const get = (path: string, roles: Role[] | null = ['finance']) => suite.call('GET', path, { roles });

  /** Stream versions per stream, so each stream's envelopes carry contiguous versions as a real producer's would. */
  const versions = new Map<string, number>();

  function envelope(streamId: string, customerId: string, type: string, data: object): EventEnvelope {
    const streamVersion = (versions.get(streamId) ?? 0) + 1;
    versions.set(streamId, streamVersion);
    return {
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
      actor: 'user:bob',
      data: data as Record<string, unknown>,
    };
  }

  interface Scenario {
    customerId: string;
    reservationId: string;
    invoiceId: string;
    policy: () => Promise<void>;
    check: () => Promise<void>;
    invoice: () => Promise<void>;
    allocate: (amount: string) => Promise<void>;
    /** Sends an allocation twice, as a relay repeating a batch would. */
    allocateTwice: (amount: string) => Promise<void>;
  }

  function scenario(): Scenario {
    const customerId = randomUUID();
    const reservationId = randomUUID();
    const invoiceId = randomUUID();
    const send = (topic: string, e: EventEnvelope) =>
      producer.send({ topic, messages: [{ key: e.customerId, value: JSON.stringify(e) }] }).then(() => undefined);
    const credit = (event: { type: string; data: object }) =>
      send(config.topics.credit, envelope(`customer-${customerId}`, customerId, event.type, event.data));
    return {
      customerId,
      reservationId,
      invoiceId,
      policy: () => credit(creditPolicySet('100000.00', { customerId })),
      check: () => credit(creditCheckPassed('60000.00', { customerId, reservationId })),
      invoice: () => {
        const e = invoiceIssued({ customerId, invoiceId, reservationId, invoiceNumber: `INV-${invoiceId.slice(0, 8)}` });
        return send(config.topics.invoicing, envelope(`invoice-${invoiceId}`, customerId, e.type, e.data));
      },
      allocate: (amount: string) => {
        const paymentId = randomUUID();
        const e = paymentAllocated(amount, { customerId, invoiceId, paymentId, allocatedOn: '2026-01-20' });
        return send(config.topics.payments, envelope(`payment-${paymentId}`, customerId, e.type, e.data));
      },
      allocateTwice: async (amount: string) => {
        const paymentId = randomUUID();
        const e = paymentAllocated(amount, { customerId, invoiceId, paymentId, allocatedOn: '2026-01-20' });
        const once = envelope(`payment-${paymentId}`, customerId, e.type, e.data);
        await send(config.topics.payments, once);
        await send(config.topics.payments, once);
      },
    };
  }

  const closeDay = (date: string) => {
    const e = envelope('calendar', '00000000-0000-4000-8000-000000000000', 'BusinessDayClosed', { date });
    return producer.send({ topic: config.topics.calendar, messages: [{ key: 'calendar', value: JSON.stringify(e) }] });
  };

  /** Waits until the consumer has applied every message on the four input topics (its offsets in the database). */
  async function caughtUp(): Promise<void> {
    const inputs = [config.topics.credit, config.topics.invoicing, config.topics.payments, config.topics.calendar];
    await waitFor(
      async () => {
        const { rows } = await db.pool.query<{ topic: string; partition: number; next_offset: string }>(
          'SELECT topic, partition, next_offset::text FROM consumer_offsets WHERE group_id = $1',
          [config.consumerGroup],
        );
        for (const topic of inputs) {
          for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
            const stored = rows.find((r) => r.topic === topic && r.partition === partition)?.next_offset ?? '0';
            if (BigInt(stored) < BigInt(high)) return false;
          }
        }
        return true;
      },
      { description: 'the consumer to apply every message sent' },
    );
  }

  /** Waits until the exposure API answers figures matching `expected`. */
  async function exposureOnceMatches(customerId: string, expected: Json, description: string): Promise<Json> {
    return waitFor(
      async () => {
        const { status, body } = await get(`/v1/customers/${customerId}/exposure`, ['risk']);
        if (status !== 200) return undefined;
        return Object.entries(expected).every(([k, v]) => JSON.stringify(body[k]) === JSON.stringify(v)) ? body : undefined;
      },
      { description },
    );
  }

  describe('access', () => {
    it('answers 401 without a token and 403 to the departments outside its roles on every route', async () => {
      await expectEveryRouteGuarded(suite.service);
    });

    it('answers 400 to a malformed customer id or date, 404 to an unknown customer', async () => {
      expect((await get('/v1/customers/not-a-uuid/exposure')).status).toBe(400);
      expect((await get(`/v1/customers/${randomUUID()}/aging?asOf=2026-02-30`)).status).toBe(400);
      expect((await get(`/v1/customers/${randomUUID()}/aging?asOf=yesterday`)).status).toBe(400);
      expect((await get('/v1/ledger?customerId=nope')).status).toBe(400);
      expect((await get(`/v1/customers/${randomUUID()}/exposure`)).status).toBe(404);
    });
  });

  const first = scenario();

  describe('the acceptance scenario: limit 100,000.00 EUR', () => {
    it('CreditCheckPassed 60,000.00: exposure 60,000.00, utilisation 6000 bp', async () => {
      await first.policy();
      await first.check();
      const body = await exposureOnceMatches(first.customerId, { reserved: EUR('6000000') }, 'the reservation to reach the exposure');
      expect(body).toMatchObject({
        customerId: first.customerId,
        currency: 'EUR',
        creditLimit: EUR('10000000'),
        openAr: EUR('0'),
        reserved: EUR('6000000'),
        exposure: EUR('6000000'),
        availableCredit: EUR('4000000'),
        utilisationBasisPoints: 6000,
        creditClass: 'B',
        onHold: false,
      });
    });

    it('InvoiceIssued 60,000.00 with that reservation: open AR 60,000.00, reservations 0, exposure 60,000.00', async () => {
      await first.invoice();
      const body = await exposureOnceMatches(first.customerId, { openAr: EUR('6000000') }, 'the invoice to reach the exposure');
      expect(body).toMatchObject({ openAr: EUR('6000000'), reserved: EUR('0'), exposure: EUR('6000000'), utilisationBasisPoints: 6000 });
    });

    it('PaymentAllocated 10,000.00: open AR 50,000.00, not yet due', async () => {
      await first.allocate('10000.00');
      const body = await exposureOnceMatches(first.customerId, { openAr: EUR('5000000') }, 'the allocation to reach the exposure');
      expect(body).toMatchObject({ overdue: EUR('0'), exposure: EUR('5000000'), overdueRatioBasisPoints: 0 });
      const aging = await get(`/v1/customers/${first.customerId}/aging`, ['collections']);
      expect(aging.status).toBe(200);
      expect(aging.body).toMatchObject({
        asOf: '1970-01-01',
        aging: [{ currency: 'EUR', notYetDue: EUR('5000000'), overdue: EUR('0'), totalOpen: EUR('5000000'), oldestDaysPastDue: null }],
      });
      const ledger = await get(`/v1/ledger?customerId=${first.customerId}`, ['sales']);
      expect(ledger.body).toMatchObject({
        rows: [
          {
            invoiceId: first.invoiceId,
            amount: EUR('6000000'),
            paid: EUR('1000000'),
            openBalance: EUR('5000000'),
            status: 'partially-paid',
            bucket: 'not-yet-due',
            dueDate: '2026-01-31',
          },
        ],
      });
    });

    it('BusinessDayClosed up to 2026-02-15: aging 1–30 = 50,000.00, overdue ratio 10000 bp', async () => {
      await closeDay('2026-01-31');
      await closeDay('2026-02-15');
      await waitFor(async () => (await get('/v1/business-date')).body.lastClosedDay === '2026-02-15', {
        description: 'the business date to move',
      });
      expect((await get('/v1/business-date')).body).toEqual({
        lastClosedDay: '2026-02-15',
        fromCalendar: true,
        businessDate: '2026-02-15',
      });
      const aging = await get(`/v1/customers/${first.customerId}/aging`, ['risk']);
      const figures = (aging.body.aging as Json[])[0];
      expect(aging.body.asOf).toBe('2026-02-15');
      expect(figures).toMatchObject({
        notYetDue: EUR('0'),
        overdue: EUR('5000000'),
        totalOpen: EUR('5000000'),
        oldestDaysPastDue: 15,
        overdueRatioBasisPoints: 10000,
      });
      expect(figures?.buckets).toEqual([
        { label: '1-30', amount: EUR('5000000') },
        { label: '31-60', amount: EUR('0') },
        { label: '61-90', amount: EUR('0') },
        { label: '90+', amount: EUR('0') },
      ]);
      const exposure = await get(`/v1/customers/${first.customerId}/exposure`);
      expect(exposure.body).toMatchObject({ asOf: '2026-02-15', overdue: EUR('5000000'), overdueRatioBasisPoints: 10000 });
      // An explicit later date ages today's open items at it, without moving the business date.
      const later = await get(`/v1/customers/${first.customerId}/aging?asOf=2026-03-20`);
      expect(later.body).toMatchObject({ asOf: '2026-03-20', aging: [{ overdue: EUR('5000000'), oldestDaysPastDue: 48 }] });
    });

    it('allocations of 30,000.00 and 20,000.00: open AR 0, exposure 0', async () => {
      await first.allocate('30000.00');
      await first.allocate('20000.00');
      const body = await exposureOnceMatches(first.customerId, { openAr: EUR('0') }, 'the last allocations to reach the exposure');
      expect(body).toMatchObject({
        exposure: EUR('0'),
        reserved: EUR('0'),
        overdue: EUR('0'),
        utilisationBasisPoints: 0,
        availableCredit: EUR('10000000'),
      });
      const ledger = await get(`/v1/ledger?customerId=${first.customerId}`);
      expect(ledger.body).toMatchObject({ rows: [{ paid: EUR('6000000'), openBalance: EUR('0'), status: 'paid', bucket: null }] });
    });
  });

  describe('cross-topic interleaving', () => {
    it('gives the same figures when payments, the day close and the invoice arrive before credit events', async () => {
      const second = scenario();
      await second.allocate('10000.00');
      await second.allocate('30000.00');
      await closeDay('2026-02-10'); // earlier than the current date: the business date does not move back
      await second.invoice();
      await second.allocate('20000.00');
      await second.policy();
      await second.check();
      await caughtUp();
      const body = (await get(`/v1/customers/${second.customerId}/exposure`)).body;
      const firstBody = (await get(`/v1/customers/${first.customerId}/exposure`)).body;
      expect({ ...body, customerId: 'x' }).toEqual({ ...firstBody, customerId: 'x' });
      expect((await get('/v1/business-date')).body.lastClosedDay).toBe('2026-02-15');
      const ledger = (await get(`/v1/ledger?customerId=${second.customerId}`)).body.rows as Json[];
      const firstLedger = (await get(`/v1/ledger?customerId=${first.customerId}`)).body.rows as Json[];
      const strip = (row: Json | undefined) => ({ ...row, invoiceId: 'x', invoiceNumber: 'x', customerId: 'x' });
      expect(ledger.map(strip)).toEqual(firstLedger.map(strip));
    });
  });

  describe('redelivery', () => {
    it('counts a repeated event once (the relay publishes at least once)', async () => {
      const fourth = scenario();
      await fourth.policy();
      await fourth.invoice();
      await fourth.allocateTwice('10000.00');
      await caughtUp();
      const body = (await get(`/v1/customers/${fourth.customerId}/exposure`)).body;
      expect(body).toMatchObject({ openAr: EUR('5000000'), exposure: EUR('5000000'), overdue: EUR('5000000') });
      const ledger = (await get(`/v1/ledger?customerId=${fourth.customerId}`)).body;
      expect(ledger).toMatchObject({ rows: [{ paid: EUR('1000000'), openBalance: EUR('5000000'), bucket: '1-30', daysPastDue: 15 }] });
    });
  });

  describe('cash that meets a credit note (issue 7, item 11), through the consumer', () => {
    it('never shows a negative balance: the excess is unapplied cash at once, and PaymentAllocationReduced (even twice) moves no figure', async () => {
      const customerId = randomUUID();
      const invoiceId = randomUUID();
      const paymentId = randomUUID();
      const send = (topic: string, streamId: string, event: { type: string; data: object }, repeat?: EventEnvelope) => {
        const e = repeat ?? envelope(streamId, customerId, event.type, event.data);
        return producer.send({ topic, messages: [{ key: customerId, value: JSON.stringify(e) }] }).then(() => e);
      };
      await send(config.topics.credit, `customer-${customerId}`, creditPolicySet('100000.00', { customerId }));
      const invoice = invoiceIssued({ customerId, invoiceId, reservationId: null, invoiceNumber: `INV-${invoiceId.slice(0, 8)}` });
      await send(config.topics.invoicing, `invoice-${invoiceId}`, invoice);
      // Payments allocated 60,000.00 on a view that did not know the 10,000.00 credit note yet.
      await send(
        config.topics.payments,
        `payment-account-${customerId}`,
        paymentReceived('60000.00', { customerId, paymentId, bankReference: `B-${paymentId}` }),
      );
      await send(
        config.topics.payments,
        `payment-account-${customerId}`,
        paymentAllocated('60000.00', { customerId, invoiceId, paymentId }),
      );
      await send(
        config.topics.invoicing,
        `invoice-${invoiceId}`,
        creditNoteIssued('10000.00', { customerId, invoiceId, creditNoteId: randomUUID() }),
      );
      await caughtUp();
      const before = (await get(`/v1/customers/${customerId}/exposure`)).body;
      expect(before).toMatchObject({ openAr: EUR('0'), unappliedCash: EUR('1000000'), exposure: EUR('0') });
      const ledgerBefore = (await get(`/v1/ledger?customerId=${customerId}`)).body;
      expect(ledgerBefore).toMatchObject({
        rows: [{ paid: EUR('6000000'), credited: EUR('1000000'), openBalance: EUR('0'), status: 'paid' }],
      });

      // Invoicing said InvoiceOverpaid; payments moved the 10,000.00 back on account. Delivered twice, as a relay may.
      const reduced = await send(
        config.topics.payments,
        `payment-account-${customerId}`,
        paymentAllocationReduced('10000.00', { customerId, invoiceId, paymentId }),
      );
      await send(config.topics.payments, '', paymentAllocationReduced('10000.00'), reduced);
      await caughtUp();
      const after = (await get(`/v1/customers/${customerId}/exposure`)).body;
      expect(after).toMatchObject({ openAr: EUR('0'), unappliedCash: EUR('1000000'), exposure: EUR('0') });
      const ledgerAfter = (await get(`/v1/ledger?customerId=${customerId}`)).body;
      expect(ledgerAfter).toMatchObject({
        rows: [{ paid: EUR('5000000'), credited: EUR('1000000'), openBalance: EUR('0'), status: 'paid' }],
      });
    });
  });

  describe('the reporting schema and the BI role', () => {
    let bi: Pool;

    beforeAll(() => {
      const url = new URL(db.url);
      url.username = config.bi.role;
      url.password = biPassword;
      bi = new Pool({ connectionString: url.toString(), max: 2 });
    });

    afterAll(async () => {
      await bi.end();
    });

    it('lets the BI role read the stable views', async () => {
      const ledger = await bi.query<Json>(
        `SELECT invoice_id, amount_minor::text AS amount, paid_minor::text AS paid, open_balance_minor::text AS open, status, bucket, as_of::text AS as_of
         FROM reporting.ar_ledger WHERE customer_id = $1`,
        [first.customerId],
      );
      expect(ledger.rows).toEqual([
        { invoice_id: first.invoiceId, amount: '6000000', paid: '6000000', open: '0', status: 'paid', bucket: null, as_of: '2026-02-15' },
      ]);
      const exposure = await bi.query<Json>(
        `SELECT currency, credit_limit_minor::text AS lim, open_ar_minor::text AS open_ar, exposure_minor::text AS exposure, utilisation_bp, as_of::text AS as_of
         FROM reporting.customer_exposure WHERE customer_id = $1`,
        [first.customerId],
      );
      expect(exposure.rows).toEqual([
        { currency: 'EUR', lim: '10000000', open_ar: '0', exposure: '0', utilisation_bp: '0', as_of: '2026-02-15' },
      ]);
      const aging = await bi.query<Json>(
        `SELECT total_open_minor::text AS total, bucket_1_30_minor::text AS b1 FROM reporting.customer_aging WHERE customer_id = $1`,
        [first.customerId],
      );
      expect(aging.rows).toEqual([{ total: '0', b1: '0' }]);
      // The as-of function and the history views, through the BI role too.
      const asOf = await bi.query<Json>(
        `SELECT open_balance_minor::text AS open FROM reporting.ar_ledger_as_of('2026-01-19') WHERE customer_id = $1`,
        [first.customerId],
      );
      expect(asOf.rows).toEqual([{ open: '6000000' }]);
      for (const view of [
        'customer_aging_daily',
        'segment_aging_daily',
        'portfolio_kpis_daily',
        'customer_payment_behaviour',
        'collection_cases',
      ]) {
        await expect(bi.query(`SELECT * FROM reporting.${view} LIMIT 1`)).resolves.toBeDefined();
      }
    });

    it('shows aging as of the current business date in reporting.customer_aging', async () => {
      const third = scenario();
      await third.invoice();
      await third.allocate('10000.00');
      await waitFor(
        async () =>
          (await bi.query(`SELECT 1 FROM reporting.ar_ledger WHERE customer_id = $1 AND paid_minor = 1000000`, [third.customerId]))
            .rowCount === 1,
        { description: 'the third customer to reach the ledger' },
      );
      const aging = await bi.query<Json>(
        `SELECT as_of::text AS as_of, not_yet_due_minor::text AS nyd, bucket_1_30_minor::text AS b1, overdue_minor::text AS overdue,
                total_open_minor::text AS total, oldest_days_past_due AS oldest
         FROM reporting.customer_aging WHERE customer_id = $1`,
        [third.customerId],
      );
      expect(aging.rows).toEqual([{ as_of: '2026-02-15', nyd: '0', b1: '5000000', overdue: '5000000', total: '5000000', oldest: 15 }]);
    });

    it('refuses the BI role any write and the private tables', async () => {
      await expect(bi.query(`INSERT INTO reporting.customer_exposure (customer_id) VALUES ('x')`)).rejects.toThrow(
        /read-only|permission denied/,
      );
      await expect(bi.query(`UPDATE reporting.customer_exposure SET on_hold = true`)).rejects.toThrow(/read-only|permission denied/);
      await expect(bi.query(`DELETE FROM reporting.ar_ledger`)).rejects.toThrow(/read-only|permission denied|cannot delete/);
      await expect(bi.query('SELECT * FROM projections_ar_ledger')).rejects.toThrow(/permission denied/);
      await expect(bi.query('SELECT * FROM projections_exposure_state')).rejects.toThrow(/permission denied/);
      await expect(bi.query('SELECT * FROM events')).rejects.toThrow(/permission denied/);
      // Not even with the session made writable.
      const client = await bi.connect();
      try {
        await client.query('SET default_transaction_read_only = off');
        await expect(client.query(`INSERT INTO reporting.customer_exposure (customer_id) VALUES ('x')`)).rejects.toThrow(
          /permission denied/,
        );
        await expect(client.query(`UPDATE reporting.customer_exposure SET on_hold = true`)).rejects.toThrow(/permission denied/);
        await expect(client.query(`CREATE TABLE public.bi_scratch (x int)`)).rejects.toThrow(/permission denied/);
      } finally {
        client.release();
      }
    });
  });

  describe('change events on arc.projections.changes', () => {
    it('publishes CustomerExposureChanged and CustomerAgingChanged through the outbox, only when figures change', async () => {
      const changes: EventEnvelope[] = [];
      const minor = (e: EventEnvelope, field: string): unknown => ((e.data as Json)[field] as Json | undefined)?.amountMinor;
      // The relay publishes at least once: a repeat carries the same event id.
      const ofFirst = () => [...new Map(changes.filter((e) => e.customerId === first.customerId).map((e) => [e.eventId, e])).values()];
      const reader = kafka.consumer({ groupId: `projections-changes-reader-${randomUUID()}` });
      await reader.connect();
      let settled: EventEnvelope[];
      try {
        await reader.subscribe({ topic: config.topics.changes, fromBeginning: true });
        await reader.run({
          eachMessage: async ({ message }) => {
            changes.push(JSON.parse(message.value?.toString() ?? '{}') as EventEnvelope);
          },
        });
        settled = await waitFor(
          () => {
            const exposures = ofFirst().filter((e) => e.eventType === 'CustomerExposureChanged');
            const last = exposures.at(-1);
            const lastAging = ofFirst()
              .filter((e) => e.eventType === 'CustomerAgingChanged')
              .at(-1);
            return last !== undefined && minor(last, 'exposure') === '0' && lastAging !== undefined && minor(lastAging, 'totalOpen') === '0'
              ? exposures
              : undefined;
          },
          { description: 'the last exposure change of the first customer on the changes topic' },
        );
      } finally {
        await reader.disconnect();
      }
      // Batches decide how many intermediate figures there are; each published one differs from the one before.
      settled
        .slice(1)
        .forEach((e, i) => expect({ ...(e.data as Json), asOf: null }).not.toEqual({ ...(settled[i]?.data as Json), asOf: null }));
      expect(settled.some((e) => minor(e, 'reserved') === '6000000')).toBe(true);
      expect(settled.some((e) => minor(e, 'overdue') === '5000000')).toBe(true);
      for (const e of settled)
        expect(e).toMatchObject({ actor: 'system:projections', schemaVersion: 1, streamId: `projection-changes-${first.customerId}` });
      const aging = ofFirst().filter((e) => e.eventType === 'CustomerAgingChanged');
      expect(aging.at(-1)?.data).toMatchObject({ customerId: first.customerId, currency: 'EUR', totalOpen: EUR('0'), overdue: EUR('0') });
      expect(aging.some((e) => minor(e, 'overdue') === '5000000')).toBe(true);
      // The outbox holds exactly what was published (the relay may publish a batch twice; never less).
      const { rows } = await db.pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM events WHERE stream_id = $1`, [
        `projection-changes-${first.customerId}`,
      ]);
      expect(new Set(ofFirst().map((e) => e.eventId)).size).toBe(Number(rows[0]?.n));
    });
  });

  describe('aging as of a date', () => {
    it('answers a day before the last close with what that day showed: an invoice paid the next day is still 35 days past due', async () => {
      // Due 2026-01-31, open and 35 days past due on 2026-03-07, paid in full on 2026-03-08.
      const late = scenario();
      await late.policy();
      await late.invoice();
      await closeDay('2026-03-07');
      // The close and the invoice travel on different topics: wait for both.
      await waitFor(
        async () => {
          const { body } = await get(`/v1/customers/${late.customerId}/aging`);
          return body.asOf === '2026-03-07' && Array.isArray(body.aging) && body.aging.length > 0;
        },
        { description: 'the invoice and the close of 2026-03-07' },
      );
      const onTheDay = await get(`/v1/customers/${late.customerId}/aging`);
      expect(onTheDay.body).toMatchObject({ asOf: '2026-03-07', aging: [{ overdue: EUR('6000000'), oldestDaysPastDue: 35 }] });

      const paymentId = randomUUID();
      const paid = paymentAllocated('60000.00', {
        customerId: late.customerId,
        invoiceId: late.invoiceId,
        paymentId,
        allocatedOn: '2026-03-08',
      });
      const sent = envelope(`payment-${paymentId}`, late.customerId, paid.type, paid.data);
      await producer.send({ topic: config.topics.payments, messages: [{ key: late.customerId, value: JSON.stringify(sent) }] });
      await closeDay('2026-03-08');
      await waitFor(
        async () => {
          const { body } = await get(`/v1/customers/${late.customerId}/aging`);
          return body.asOf === '2026-03-08' && JSON.stringify((body.aging as Json[])[0]?.totalOpen) === JSON.stringify(EUR('0'));
        },
        { description: 'the payment and the close of 2026-03-08' },
      );

      // As of the day before the payment: what that day showed, the payment made after it left out.
      const asOfBefore = await get(`/v1/customers/${late.customerId}/aging?asOf=2026-03-07`);
      expect(asOfBefore.status).toBe(200);
      expect(asOfBefore.body).toMatchObject({ asOf: '2026-03-07', aging: [{ overdue: EUR('6000000'), oldestDaysPastDue: 35 }] });
      const ledgerBefore = await get(`/v1/ledger?customerId=${late.customerId}&asOf=2026-03-07`);
      expect(ledgerBefore.body).toMatchObject({
        asOf: '2026-03-07',
        rows: [{ paid: EUR('0'), openBalance: EUR('6000000'), bucket: '31-60' }],
      });
      // Before the invoice was issued (2026-01-01), the customer had no invoice at all.
      expect((await get(`/v1/customers/${late.customerId}/aging?asOf=2025-12-31`)).body).toMatchObject({ aging: [] });
    });
  });
});
