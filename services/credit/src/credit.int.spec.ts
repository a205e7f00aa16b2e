import { randomUUID } from 'node:crypto';
import type { Role } from '@arc/auth';
import type { EventEnvelope, InvoiceIssuedData } from '@arc/contracts';
import { duringUnfinishedReplay, expectEveryRouteGuarded, useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { CREDIT, type CreditConfig } from './config';

type Json = Record<string, unknown>;

const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

describe('the credit service (HTTP, event store, relay and consumer on real servers)', () => {
  const suite = useServiceUnderTest<CreditConfig>({ definition: CREDIT, module: (config, options) => AppModule.forRoot(config, options) });
  const { config, db, kafka, producer, call, eventCount } = suite;

  const registration = (customerId: string) => ({
    customerId,
    legalName: 'Müller Maschinenbau GmbH',
    registrationNumber: 'HRB 12345',
    industry: 'machinery',
    country: 'DE',
    currency: 'EUR',
    businessUnit: 'industrial',
  });

  const policy = {
    creditClass: 'B',
    creditLimit: EUR('10000000'),
    paymentTermDays: 30,
    acceptedPaymentMethods: ['bank-transfer'],
    nextReviewDate: '2027-06-30',
  };

  async function registerWithPolicy(customerId: string): Promise<void> {
    expect((await call('POST', '/v1/customers', { body: registration(customerId), roles: ['sales'] })).status).toBe(201);
    expect((await call('PUT', `/v1/customers/${customerId}/credit-policy`, { body: policy, roles: ['finance'] })).status).toBe(200);
  }

  const check = (customerId: string, amountMinor: string, checkId = randomUUID()) =>
    call('POST', `/v1/customers/${customerId}/credit-checks`, {
      roles: ['sales'],
      body: { checkId, orderReference: `SO-${checkId.slice(0, 8)}`, orderAmount: EUR(amountMinor), openDay: '2026-11-22' },
    });

  async function publishInvoice(
    customerId: string,
    total: string,
    reservationId: string | null,
  ): Promise<EventEnvelope<InvoiceIssuedData>> {
    const invoiceId = randomUUID();
    const data: InvoiceIssuedData = {
      invoiceId,
      invoiceNumber: `INV-${invoiceId.slice(0, 8)}`,
      customerId,
      currency: 'EUR',
      lines: [{ description: 'machines', netAmount: EUR(total), taxAmount: EUR('0') }],
      total: EUR(total),
      issueDate: '2026-11-22',
      dueDate: '2026-12-22',
      earlyPaymentDiscount: null,
      reservationId,
    };
    const envelope: EventEnvelope<InvoiceIssuedData> = {
      eventId: randomUUID(),
      eventType: 'InvoiceIssued',
      schemaVersion: 1,
      streamId: `invoice-${invoiceId}`,
      streamVersion: 1,
      customerId,
      occurredAt: '2026-11-22T10:00:00.000Z',
      recordedAt: '2026-11-22T10:00:00.000Z',
      correlationId: randomUUID(),
      causationId: null,
      actor: 'user:bob',
      data,
    };
    await producer.send({ topic: config.topics.invoicing, messages: [{ key: customerId, value: JSON.stringify(envelope) }] });
    return envelope;
  }

  it('answers 401 without a token and 403 to the departments outside its roles on every route', async () => {
    await expectEveryRouteGuarded(suite.service);
  });

  describe('the acceptance scenario: limit 100,000.00 EUR net 30', () => {
    const customerId = randomUUID();
    const firstCheck = randomUUID();

    it('passes a check of 60,000.00 and reserves it (exposure 60,000.00, utilisation 6000 bp)', async () => {
      await registerWithPolicy(customerId);
      const response = await check(customerId, '6000000', firstCheck);
      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        checkId: firstCheck,
        passed: true,
        checkpoint: 'order',
        exposure: EUR('6000000'),
        limit: EUR('10000000'),
        utilisationBasisPoints: 6000,
      });
      const standing = await call('GET', `/v1/customers/${customerId}`, { roles: ['risk'] });
      expect(standing.status).toBe(200);
      expect(standing.body).toMatchObject({
        openAr: EUR('0'),
        openReservations: EUR('6000000'),
        exposure: EUR('6000000'),
        limit: EUR('10000000'),
        paymentTermDays: 30,
      });
    });

    it('after the invoice consuming the reservation: open AR 60,000.00, reservations 0, exposure 60,000.00', async () => {
      const invoice = await publishInvoice(customerId, '6000000', firstCheck);
      const standing = await waitFor(
        async () => {
          const response = await call('GET', `/v1/customers/${customerId}`, { roles: ['risk'] });
          const body = response.body;
          return (body.openAr as Json | undefined)?.amountMinor === '6000000' &&
            (body.openReservations as Json | undefined)?.amountMinor === '0'
            ? body
            : undefined;
        },
        { description: 'the invoice to reach the open-AR view and consume the reservation' },
      );
      expect(standing).toMatchObject({
        openAr: EUR('6000000'),
        openReservations: EUR('0'),
        exposure: EUR('6000000'),
        utilisationBasisPoints: 6000,
        reservations: [],
      });
      // The reaction carries the invoice's correlation id and names the invoice event as its cause.
      const { rows } = await db.pool.query<{ data: Json; metadata: Json }>(
        `SELECT data, metadata FROM events WHERE stream_id = $1 AND event_type = 'CreditReservationConsumed'`,
        [`customer-${customerId}`],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]?.data).toMatchObject({ reservationId: firstCheck, invoiceId: invoice.data.invoiceId, amount: EUR('6000000') });
      expect(rows[0]?.metadata).toMatchObject({
        correlationId: invoice.correlationId,
        causationId: invoice.eventId,
        actor: 'system:credit',
      });
    });

    it('fails a check of 50,000.00, records CreditCheckFailed and reserves nothing', async () => {
      const failedCheck = randomUUID();
      const response = await check(customerId, '5000000', failedCheck);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        checkId: failedCheck,
        passed: false,
        reason: 'limit-exceeded',
        exposure: EUR('6000000'),
        limit: EUR('10000000'),
        utilisationBasisPoints: 6000,
      });
      const standing = await call('GET', `/v1/customers/${customerId}`, { roles: ['risk'] });
      expect(standing.body).toMatchObject({ openReservations: EUR('0'), exposure: EUR('6000000') });
      const { rows } = await db.pool.query<{ event_type: string; schema_version: number; data: Record<string, unknown> }>(
        'SELECT event_type, schema_version, data FROM events WHERE stream_id = $1 ORDER BY stream_version',
        [`customer-${customerId}`],
      );
      expect(rows.map((row) => row.event_type)).toEqual([
        'CustomerRegistered',
        'CreditPolicySet',
        'CreditCheckPassed',
        'CreditReservationConsumed',
        'CreditCheckFailed',
      ]);
      expect(rows[4]).toMatchObject({ schema_version: 2, data: { checkId: failedCheck } });
    });

    it('publishes the account events on the credit topic through the relay', async () => {
      const consumer = kafka.consumer({ groupId: `credit-topic-reader-${randomUUID()}` });
      const seen: EventEnvelope[] = [];
      await consumer.connect();
      try {
        await consumer.subscribe({ topic: config.topics.credit, fromBeginning: true });
        await consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(JSON.parse(message.value?.toString() ?? '{}') as EventEnvelope);
          },
        });
        await waitFor(() => seen.filter((e) => e.customerId === customerId).length >= 5, {
          description: 'five credit events of the customer on the topic',
        });
      } finally {
        await consumer.disconnect();
      }
      const mine = seen.filter((e) => e.customerId === customerId);
      expect(mine.map((e) => e.eventType)).toEqual([
        'CustomerRegistered',
        'CreditPolicySet',
        'CreditCheckPassed',
        'CreditReservationConsumed',
        'CreditCheckFailed',
      ]);
      expect(mine.map((e) => e.streamVersion)).toEqual([1, 2, 3, 4, 5]);
      expect(mine[0]).toMatchObject({ actor: 'user:alice', streamId: `customer-${customerId}` });
      expect(mine[3]).toMatchObject({ actor: 'system:credit' });
    });
  });

  describe('the open-AR view', () => {
    it('takes credit notes and allocated payments off, and parks an event that breaks its contract on the DLQ', async () => {
      const customerId = randomUUID();
      await registerWithPolicy(customerId);
      const invoice = await publishInvoice(customerId, '1000000', null);
      const base = {
        customerId,
        occurredAt: '2026-11-23T10:00:00.000Z',
        recordedAt: '2026-11-23T10:00:00.000Z',
        correlationId: randomUUID(),
        causationId: null,
        actor: 'user:bob',
        schemaVersion: 1,
        streamVersion: 1,
      };
      const creditNoteId = randomUUID();
      const paymentId = randomUUID();
      await producer.send({
        topic: config.topics.invoicing,
        messages: [
          {
            key: customerId,
            value: JSON.stringify({
              ...base,
              eventId: randomUUID(),
              eventType: 'CreditNoteIssued',
              streamId: `credit-note-${creditNoteId}`,
              data: {
                creditNoteId,
                creditNoteNumber: 'CN-1',
                invoiceId: invoice.data.invoiceId,
                customerId,
                amount: EUR('100000'),
                issueDate: '2026-11-23',
                reason: 'damaged goods',
              },
            }),
          },
          // A valid envelope whose data breaks the InvoiceIssued contract (no lines): parked, not counted.
          (() => {
            const brokenId = randomUUID();
            const broken = {
              ...invoice,
              eventId: randomUUID(),
              streamId: `invoice-${brokenId}`,
              data: { ...invoice.data, invoiceId: brokenId, lines: [] },
            };
            return { key: customerId, value: JSON.stringify(broken) };
          })(),
        ],
      });
      await producer.send({
        topic: config.topics.payments,
        messages: [
          {
            key: customerId,
            value: JSON.stringify({
              ...base,
              eventId: randomUUID(),
              eventType: 'PaymentAllocated',
              streamId: `payment-${paymentId}`,
              data: { paymentId, customerId, invoiceId: invoice.data.invoiceId, amount: EUR('250000'), allocatedOn: '2026-11-23' },
            }),
          },
        ],
      });
      await waitFor(
        async () =>
          ((await call('GET', `/v1/customers/${customerId}`, { roles: ['risk'] })).body.openAr as Json | undefined)?.amountMinor ===
          '650000',
        { description: 'open AR 10,000.00 − 1,000.00 − 2,500.00' },
      );

      const consumer = kafka.consumer({ groupId: `credit-dlq-reader-${randomUUID()}` });
      const parked: Array<{ error: string; customer: string }> = [];
      await consumer.connect();
      try {
        await consumer.subscribe({ topic: `${config.topics.invoicing}.dlq`, fromBeginning: true });
        await consumer.run({
          eachMessage: async ({ message }) => {
            parked.push({ error: message.headers?.['arc-dlq-error']?.toString() ?? '', customer: message.key?.toString() ?? '' });
          },
        });
        await waitFor(() => parked.some((p) => p.customer === customerId), { description: 'the broken invoice on the DLQ' });
      } finally {
        await consumer.disconnect();
      }
      expect(parked.find((p) => p.customer === customerId)?.error).toMatch(/breaks its contract/);
    });
  });

  describe('open AR by the one rule (@arc/receivables)', () => {
    it('counts an overpaid invoice as nothing open, not as less AR on the customer’s other invoices, until the excess goes back on account', async () => {
      const customerId = randomUUID();
      await registerWithPolicy(customerId);
      const credited = await publishInvoice(customerId, '1000000', null);
      await publishInvoice(customerId, '300000', null);
      const paymentId = randomUUID();
      const envelope = (eventType: string, streamId: string, streamVersion: number, data: Json) => ({
        key: customerId,
        value: JSON.stringify({
          eventId: randomUUID(),
          eventType,
          schemaVersion: 1,
          streamId,
          streamVersion,
          customerId,
          occurredAt: '2026-11-23T10:00:00.000Z',
          recordedAt: '2026-11-23T10:00:00.000Z',
          correlationId: randomUUID(),
          causationId: null,
          actor: 'user:bob',
          data,
        }),
      });
      const invoiceId = credited.data.invoiceId;
      // Fully credited, then paid on a stale view: 400,000 allocated to an invoice with nothing open.
      await producer.send({
        topic: config.topics.invoicing,
        messages: [
          envelope('CreditNoteIssued', `invoice-${invoiceId}`, 2, {
            creditNoteId: randomUUID(),
            creditNoteNumber: 'CN-ALL',
            invoiceId,
            customerId,
            amount: EUR('1000000'),
            issueDate: '2026-11-23',
            reason: 'cancelled',
          }),
        ],
      });
      await producer.send({
        topic: config.topics.payments,
        messages: [
          envelope('PaymentAllocated', `payment-account-${customerId}`, 2, {
            paymentId,
            customerId,
            invoiceId,
            amount: EUR('400000'),
            allocatedOn: '2026-11-23',
          }),
        ],
      });
      const openAr = async () =>
        ((await call('GET', `/v1/customers/${customerId}`, { roles: ['risk'] })).body.openAr as Json | undefined)?.amountMinor;
      const allocatedOnRow = async (minor: string) =>
        ((
          await db.pool.query(`SELECT 1 FROM credit_receivables WHERE invoice_id = $1 AND allocated_minor = $2::numeric`, [
            invoiceId,
            minor,
          ])
        ).rowCount ?? 0) === 1;
      const consumed = async () =>
        (await allocatedOnRow('400000')) &&
        ((
          await db.pool.query(
            `SELECT 1 FROM credit_receivables WHERE customer_id = $1 AND amount_minor IS NOT NULL AND credited_minor = $2::numeric`,
            [customerId, '1000000'],
          )
        ).rowCount ?? 0) === 1 &&
        ((await db.pool.query(`SELECT 1 FROM credit_receivables WHERE customer_id = $1 AND amount_minor = 300000`, [customerId]))
          .rowCount ?? 0) === 1;
      await waitFor(consumed, { description: 'both invoices, the credit note and the allocation consumed' });
      // The other invoice only: 300,000, not 1,300,000 − 1,000,000 − 400,000 netted to −100,000 (or 0).
      expect(await openAr()).toBe('300000');
      await producer.send({
        topic: config.topics.payments,
        messages: [
          envelope('PaymentAllocationReduced', `payment-account-${customerId}`, 3, {
            paymentId,
            customerId,
            invoiceId,
            amount: EUR('400000'),
            reason: 'invoice-overpaid',
          }),
        ],
      });
      await waitFor(() => allocatedOnRow('0'), { description: 'the excess given back' });
      expect(await openAr()).toBe('300000');
    });
  });

  describe('rebuilding the open-AR view from the topics', () => {
    it('gives the same open AR without consuming a reservation again, and decides no credit check before it has caught up', async () => {
      const customerId = randomUUID();
      await registerWithPolicy(customerId);
      const reservationId = randomUUID();
      expect((await check(customerId, '600000', reservationId)).body).toMatchObject({ passed: true });
      await publishInvoice(customerId, '600000', reservationId);
      const settled = await waitFor(async () => {
        const { body } = await call('GET', `/v1/customers/${customerId}`, { roles: ['risk'] });
        return (body.openAr as Json | undefined)?.amountMinor === '600000' &&
          (body.openReservations as Json | undefined)?.amountMinor === '0'
          ? body
          : undefined;
      });
      await waitFor(async () => ((await call('GET', '/v1/admin/read-models')).body.readModels as Json[]).every((m) => m.caughtUp === true));
      const appended = await eventCount();

      // A replay that has not re-applied everything yet: no decision on part of the history.
      const refused = await duringUnfinishedReplay(db.pool, config.consumerGroup, () => check(customerId, '100000'));
      expect(refused.status).toBe(503);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ type: 'urn:arc:problem:read-model-rebuilding' });
      expect(await eventCount()).toBe(appended);

      const rebuild = await call('POST', '/v1/admin/read-models/rebuild');
      expect(rebuild.status).toBe(202);
      expect(rebuild.body.readModels).toEqual([
        expect.objectContaining({ name: 'open-ar', source: 'topics', tables: ['credit_open_ar', 'credit_receivables'] }),
        expect.objectContaining({ name: 'temporary-limits', source: 'topics', tables: ['credit_temporary_limits'] }),
        expect.objectContaining({
          name: 'review-schedule',
          source: 'topics',
          tables: ['credit_review_schedule', 'credit_last_closed_day', 'credit_broken_promises'],
        }),
      ]);
      await waitFor(async () => ((await call('GET', '/v1/admin/read-models')).body.readModels as Json[]).every((m) => m.caughtUp === true));
      expect((await call('GET', `/v1/customers/${customerId}`, { roles: ['risk'] })).body).toEqual(settled);
      // The replayed invoice did not consume its reservation a second time (nor anything else).
      expect(await eventCount()).toBe(appended);
      expect((await check(customerId, '100000')).body).toMatchObject({ passed: true });
    });
  });

  describe('input and idempotency', () => {
    it('refuses a customer in country "ZZ" (not an assigned ISO 3166-1 code) with 400 problem+json, appending nothing', async () => {
      const before = await eventCount();
      const refused = await call('POST', '/v1/customers', { body: { ...registration(randomUUID()), country: 'ZZ' }, roles: ['sales'] });
      expect(refused.status).toBe(400);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'country', constraint: 'isCountryCode' })]);
      expect(await eventCount()).toBe(before);
    });

    it('answers 400 problem+json to an invalid payload and appends nothing', async () => {
      const customerId = randomUUID();
      await registerWithPolicy(customerId);
      const before = await eventCount();
      const response = await call('POST', `/v1/customers/${customerId}/credit-checks`, {
        roles: ['sales'],
        body: { checkId: 'nope', orderReference: 'SO-1', orderAmount: { amountMinor: 12.5, currency: 'EUR' }, businessDate: '2026-02-30' },
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ field: 'checkId' }),
          expect.objectContaining({ field: 'orderAmount' }),
          expect.objectContaining({ field: 'businessDate' }),
        ]),
      );
      expect(await eventCount()).toBe(before);
    });

    it('names the check date openDay, still accepts the deprecated businessDate, and refuses a check with neither (400)', async () => {
      const customerId = randomUUID();
      await registerWithPolicy(customerId);
      const body = (dates: Json) => ({ checkId: randomUUID(), orderReference: 'SO-DAY', orderAmount: EUR('100'), ...dates });
      const path = `/v1/customers/${customerId}/credit-checks`;
      expect((await call('POST', path, { roles: ['sales'], body: body({ openDay: '2026-11-22' }) })).status).toBe(201);
      expect((await call('POST', path, { roles: ['sales'], body: body({ businessDate: '2026-11-22' }) })).status).toBe(201);
      const neither = await call('POST', path, { roles: ['sales'], body: body({}) });
      expect(neither.status).toBe(400);
      expect(neither.body.errors).toEqual([expect.objectContaining({ field: 'openDay' })]);
    });

    it('refuses a malformed openDay with 400 even when the deprecated businessDate is sent too (openDay wins, so it is checked), appending nothing', async () => {
      const customerId = randomUUID();
      await registerWithPolicy(customerId);
      const before = await eventCount();
      for (const openDay of [42, '2026-02-30', 'tomorrow', null]) {
        const body = { checkId: randomUUID(), orderReference: 'SO-DAY', orderAmount: EUR('100'), openDay, businessDate: '2026-11-22' };
        const refused = await call('POST', `/v1/customers/${customerId}/credit-checks`, { roles: ['sales'], body });
        expect({ openDay, status: refused.status }).toEqual({ openDay, status: 400 });
        expect(refused.body.errors).toEqual([expect.objectContaining({ field: 'openDay' })]);
      }
      expect(await eventCount()).toBe(before);
    });

    it('appends once for the same Idempotency-Key sent twice', async () => {
      const customerId = randomUUID();
      const key = randomUUID();
      const before = await eventCount();
      const first = await call('POST', '/v1/customers', { body: registration(customerId), roles: ['sales'], key });
      const second = await call('POST', '/v1/customers', { body: registration(customerId), roles: ['sales'], key });
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.body).toEqual(first.body);
      expect(await eventCount()).toBe(before + 1);

      const hold = { source: 'manual', reason: 'stop supply' };
      const holdKey = randomUUID();
      expect((await call('POST', `/v1/customers/${customerId}/holds`, { body: hold, roles: ['collections'], key: holdKey })).status).toBe(
        201,
      );
      expect((await call('POST', `/v1/customers/${customerId}/holds`, { body: hold, roles: ['collections'], key: holdKey })).status).toBe(
        201,
      );
      expect(await eventCount()).toBe(before + 2);
    });

    it('records a repeated credit check (same check id) once', async () => {
      const customerId = randomUUID();
      await registerWithPolicy(customerId);
      const checkId = randomUUID();
      const before = await eventCount();
      const first = await check(customerId, '100000', checkId);
      const second = await check(customerId, '100000', checkId);
      expect(first.body).toMatchObject({ passed: true });
      expect(second.body).toEqual(first.body);
      expect(await eventCount()).toBe(before + 1);
    });
  });

  describe('a check id chosen by the caller', () => {
    it('refuses a check id reused for another amount with 409 id-reused, instead of answering the first decision, and appends nothing', async () => {
      const customerId = randomUUID();
      await registerWithPolicy(customerId);
      const checkId = randomUUID();
      expect((await check(customerId, '100000', checkId)).status).toBe(201);
      const before = await eventCount();
      const reused = await check(customerId, '250000', checkId);
      expect(reused.status).toBe(409);
      expect(reused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(reused.body).toMatchObject({ type: 'urn:arc:problem:id-reused', status: 409, title: expect.any(String) });
      expect(await eventCount()).toBe(before);
    });

    it('refuses a check id reused for another customer with 409 id-reused', async () => {
      const [first, second] = [randomUUID(), randomUUID()];
      await registerWithPolicy(first);
      await registerWithPolicy(second);
      const checkId = randomUUID();
      expect((await check(first, '100000', checkId)).status).toBe(201);
      const before = await eventCount();
      const reused = await check(second, '100000', checkId);
      expect(reused.status).toBe(409);
      expect(reused.body).toMatchObject({ type: 'urn:arc:problem:id-reused', status: 409 });
      expect(await eventCount()).toBe(before);
    });
  });

  describe('concurrent credit checks for one customer', () => {
    it('passes 50 concurrent checks that fit the limit together: none answers 409, and the exposure is exactly their sum', async () => {
      const customerId = randomUUID();
      await registerWithPolicy(customerId);
      const timings: number[] = [];
      const responses = await Promise.all(
        Array.from({ length: 50 }, async () => {
          const started = performance.now();
          const response = await check(customerId, '150000');
          timings.push(performance.now() - started);
          return response;
        }),
      );
      expect(responses.map((r) => r.status).filter((status) => status !== 201)).toEqual([]);
      expect(responses.every((r) => r.body.passed === true)).toBe(true);
      const standing = await call('GET', `/v1/customers/${customerId}`, { roles: ['risk'] });
      expect(standing.body).toMatchObject({ openReservations: EUR('7500000'), exposure: EUR('7500000') });
      timings.sort((a, b) => a - b);
      const p = (q: number) => Math.round(timings[Math.min(timings.length - 1, Math.ceil(q * timings.length) - 1)] ?? 0);
      process.stdout.write(`50 concurrent credit checks, one customer: p50 ${p(0.5)} ms, p99 ${p(0.99)} ms, max ${p(1)} ms\n`);
    });
  });

  describe('holds, releases and refusals', () => {
    it('fails every check while on hold, and passes again once released', async () => {
      const customerId = randomUUID();
      await registerWithPolicy(customerId);
      const placed = await call('POST', `/v1/customers/${customerId}/holds`, {
        body: { source: 'collections', reason: '90 days overdue' },
        roles: ['collections'],
      });
      expect(placed.body).toEqual({ customerId, onHold: true, hold: { source: 'collections', reason: '90 days overdue' } });
      expect((await check(customerId, '100')).body).toMatchObject({ passed: false, reason: 'customer-on-hold' });
      const released = await call('POST', `/v1/customers/${customerId}/holds/release`, { body: { reason: 'paid' }, roles: ['finance'] });
      expect(released.status).toBe(200);
      expect(released.body).toMatchObject({ onHold: false });
      expect((await check(customerId, '100')).body).toMatchObject({ passed: true });
    });

    it('releases a reservation', async () => {
      const customerId = randomUUID();
      await registerWithPolicy(customerId);
      const checkId = randomUUID();
      await check(customerId, '2500000', checkId);
      const released = await call('POST', `/v1/customers/${customerId}/reservations/${checkId}/release`, {
        body: { reason: 'order cancelled' },
        roles: ['finance'],
      });
      expect(released).toMatchObject({ status: 200, body: { reservationId: checkId, status: 'released' } });
      const standing = await call('GET', `/v1/customers/${customerId}`, { roles: ['sales'] });
      expect(standing.body).toMatchObject({ openReservations: EUR('0'), exposure: EUR('0') });
    });

    it('lets only finance with an approval level override the limit, and records the caller as its author', async () => {
      const customerId = randomUUID();
      await registerWithPolicy(customerId);
      const overCheck = (roles: Role[], approvalLevel?: number) =>
        call('POST', `/v1/customers/${customerId}/credit-checks`, {
          roles,
          ...(approvalLevel === undefined ? {} : { approvalLevel }),
          body: {
            checkId: randomUUID(),
            orderReference: 'SO-BIG',
            orderAmount: EUR('12000000'),
            openDay: '2026-11-22',
            override: { reason: 'strategic order' },
          },
        });
      const before = await eventCount();
      expect((await overCheck(['sales'])).status).toBe(403);
      // Finance without an approval level in its token may not authorise it either (403, nothing recorded).
      expect((await overCheck(['sales', 'finance'])).status).toBe(403);
      expect(await eventCount()).toBe(before);
      const allowed = await overCheck(['sales', 'finance'], 2);
      expect(allowed.status).toBe(201);
      expect(allowed.body).toMatchObject({ passed: true, exposure: EUR('12000000'), utilisationBasisPoints: 12000 });
      const { rows } = await db.pool.query<{ data: Json }>(
        `SELECT data FROM events WHERE stream_id = $1 AND event_type = 'CreditCheckPassed'`,
        [`customer-${customerId}`],
      );
      expect(rows.map((row) => row.data['override'])).toEqual([{ reason: 'strategic order', authorisedBy: 'user:alice' }]);
    });

    it('refuses to release a reservation that never existed with 404 problem+json, appending nothing', async () => {
      const customerId = randomUUID();
      await registerWithPolicy(customerId);
      const before = await eventCount();
      const never = randomUUID();
      const answer = await call('POST', `/v1/customers/${customerId}/reservations/${never}/release`, {
        body: { reason: 'order cancelled' },
        roles: ['finance'],
      });
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect(answer.body).toMatchObject({ status: 404, code: 'RESERVATION_NOT_FOUND', type: 'urn:arc:problem:reservation-not-found' });
      expect(String(answer.body.detail)).toContain(never);
      const noCustomer = await call('POST', `/v1/customers/${randomUUID()}/reservations/${never}/release`, {
        body: { reason: 'x' },
        roles: ['finance'],
      });
      expect(noCustomer.body).toMatchObject({ status: 404, code: 'CUSTOMER_NOT_REGISTERED' });
      expect(await eventCount()).toBe(before);
    });

    it('maps domain refusals to 404, 409 and 422 problems', async () => {
      const unknown = await check(randomUUID(), '100');
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ status: 404, code: 'CUSTOMER_NOT_REGISTERED', type: 'urn:arc:problem:customer-not-registered' });

      const customerId = randomUUID();
      await registerWithPolicy(customerId);
      const usd = await call('POST', `/v1/customers/${customerId}/credit-checks`, {
        roles: ['sales'],
        body: {
          checkId: randomUUID(),
          orderReference: 'SO-USD',
          orderAmount: { amountMinor: '100', currency: 'USD' },
          openDay: '2026-11-22',
        },
      });
      expect(usd.status).toBe(422);
      expect(usd.body).toMatchObject({ code: 'CURRENCY_MISMATCH' });
    });

    it('answers 404 for a customer never registered, and is ready', async () => {
      expect((await call('GET', `/v1/customers/${randomUUID()}`, { roles: ['risk'] })).status).toBe(404);
      expect((await call('GET', '/health/ready', { roles: null })).status).toBe(200);
    });
  });
});
