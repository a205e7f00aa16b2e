import { randomUUID } from 'node:crypto';
import type { EventEnvelope } from '@arc/contracts';
import { useServiceUnderTest, type CallOptions } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { CREDIT, type CreditConfig } from './config';
import { PROFILE_B } from './domain/scoring/testing/profiles';

type Json = Record<string, unknown>;
const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });
const USD = (amountMinor: string) => ({ amountMinor, currency: 'USD' });

describe('credit file, FX exposure and periodic reviews over HTTP on real servers', () => {
  const suite = useServiceUnderTest<CreditConfig>({
    definition: CREDIT,
    module: (config, options) => AppModule.forRoot(config, options),
    database: 'credit_file_fx_review',
  });
  const { config, db, kafka, producer, call, eventCount } = suite;
  const eventsOf = async (streamId: string, type: string): Promise<Json[]> =>
    (
      await db.pool.query<{ data: Json }>('SELECT data FROM events WHERE stream_id = $1 AND event_type = $2 ORDER BY stream_version', [
        streamId,
        type,
      ])
    ).rows.map((row) => row.data);

  async function customerWithPolicy(limitMinor: string, creditClass = 'B', nextReviewDate = '2027-06-30'): Promise<string> {
    const customerId = randomUUID();
    const registration = {
      customerId,
      legalName: 'Müller Maschinenbau GmbH',
      registrationNumber: 'HRB 123456',
      industry: 'machinery',
      country: 'DE',
      currency: 'EUR',
      businessUnit: 'industrial',
    };
    expect((await call('POST', '/v1/customers', { body: registration, roles: ['sales'] })).status).toBe(201);
    const policy = {
      creditClass,
      creditLimit: EUR(limitMinor),
      paymentTermDays: 30,
      acceptedPaymentMethods: ['bank-transfer'],
      nextReviewDate,
    };
    expect((await call('PUT', `/v1/customers/${customerId}/credit-policy`, { body: policy, roles: ['finance'] })).status).toBe(200);
    return customerId;
  }

  /** One event from another context, on its own stream (version 1), as its relay publishes it. */
  async function publish(topic: string, eventType: string, customerId: string, data: Json, streamId = `${eventType}-${randomUUID()}`) {
    const envelope: EventEnvelope = {
      eventId: randomUUID(),
      eventType,
      schemaVersion: 1,
      streamId,
      streamVersion: 1,
      customerId,
      occurredAt: '2026-01-15T10:00:00.000Z',
      recordedAt: '2026-01-15T10:00:00.000Z',
      correlationId: randomUUID(),
      causationId: null,
      actor: 'user:bob',
      data,
    };
    await producer.send({ topic, messages: [{ key: customerId, value: JSON.stringify(envelope) }] });
  }

  async function invoice(customerId: string, total: { amountMinor: string; currency: string }, issueDate: string, dueDate: string) {
    const invoiceId = randomUUID();
    await publish(config.topics.invoicing, 'InvoiceIssued', customerId, {
      invoiceId,
      invoiceNumber: `INV-${invoiceId.slice(0, 8)}`,
      customerId,
      currency: total.currency,
      lines: [{ description: 'machines', netAmount: total, taxAmount: { amountMinor: '0', currency: total.currency } }],
      total,
      issueDate,
      dueDate,
      earlyPaymentDiscount: null,
      reservationId: null,
    });
    return invoiceId;
  }

  const standing = (customerId: string, query = '') => call('GET', `/v1/customers/${customerId}${query}`, { roles: ['sales'] });
  const recordRate = (body: Json, roles: CallOptions['roles'] = ['finance']) => call('POST', '/v1/fx-rates', { roles, body });

  describe('FX: exposure in the limit currency', () => {
    it('converts USD invoices of a EUR-limit customer at the recorded rate of each issue date, and refuses a check with 422 when a rate is missing', async () => {
      const customerId = await customerWithPolicy('1000000'); // 10,000.00 EUR
      expect(await recordRate({ base: 'USD', quote: 'EUR', rateDate: '2026-01-15', rate: '0.9234' })).toMatchObject({ status: 201 });
      // Recorded the other way round for the 20th: 1 EUR = 1.25 USD, used inverted.
      expect(await recordRate({ base: 'EUR', quote: 'USD', rateDate: '2026-01-20', rate: '1.25', source: 'import' })).toMatchObject({
        status: 201,
      });
      await invoice(customerId, USD('100000'), '2026-01-15', '2026-02-14'); // 1,000.00 USD × 0.9234 = 923.40 EUR
      await invoice(customerId, USD('33333'), '2026-01-20', '2026-02-19'); // 333.33 USD / 1.25 = 266.664 → 266.66 EUR (half up)
      await invoice(customerId, EUR('50000'), '2026-01-21', '2026-02-20'); // 500.00 EUR as it is
      const expected = String(92340 + 26666 + 50000);
      await waitFor(async () => ((await standing(customerId)).body as { openAr: Json }).openAr?.['amountMinor'] === expected, {
        description: 'the three invoices in open AR, converted to EUR',
      });

      const checkId = randomUUID();
      const check = await call('POST', `/v1/customers/${customerId}/credit-checks`, {
        roles: ['sales'],
        body: { checkId, orderReference: 'SO-FX', orderAmount: EUR(String(1000000 - Number(expected))), openDay: '2026-01-22' },
      });
      expect(check.body).toMatchObject({ passed: true, exposure: EUR('1000000'), checkpoint: 'order' });

      // An invoice issued on a day without a rate: never a guess from another day.
      await invoice(customerId, USD('100'), '2026-01-16', '2026-02-15');
      await waitFor(async () => (await standing(customerId)).status === 422, { description: 'the unconvertible invoice reaches the view' });
      const before = await eventCount();
      const refused = await call('POST', `/v1/customers/${customerId}/credit-checks`, {
        roles: ['sales'],
        body: { checkId: randomUUID(), orderReference: 'SO-FX-2', orderAmount: EUR('1'), openDay: '2026-01-22' },
      });
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ type: 'urn:arc:problem:fx-rate-missing', code: 'FX_RATE_MISSING' });
      expect(String((refused.body as Json)['detail'])).toContain('USD/EUR on 2026-01-16');
      expect(await eventCount()).toBe(before);

      expect(await recordRate({ base: 'USD', quote: 'EUR', rateDate: '2026-01-16', rate: '0.93' })).toMatchObject({ status: 201 });
      expect((await standing(customerId)).body).toMatchObject({ openAr: EUR(String(Number(expected) + 93)) }); // 1.00 USD × 0.93
    });

    it('keeps a recorded rate: the same figure again repeats nothing, another figure is 409; only finance records rates', async () => {
      const rate = { base: 'GBP', quote: 'EUR', rateDate: '2026-02-02', rate: '1.1712' };
      expect(await recordRate(rate)).toMatchObject({ status: 201 });
      const before = await eventCount();
      expect(await recordRate({ ...rate, rate: '1.17120' })).toMatchObject({ status: 201, body: { rate: '1.1712' } });
      expect(await recordRate({ ...rate, rate: '1.2' })).toMatchObject({ status: 409, body: { code: 'FX_RATE_ALREADY_RECORDED' } });
      expect((await recordRate(rate, ['sales'])).status).toBe(403);
      const malformed = await recordRate({ ...rate, rate: 1.17 });
      expect(malformed.status).toBe(400);
      expect(malformed.headers.get('content-type')).toContain('application/problem+json');
      expect(await eventCount()).toBe(before);
      expect((await call('GET', '/v1/fx-rates/GBP/EUR', { roles: ['collections'] })).body).toEqual({
        base: 'GBP',
        quote: 'EUR',
        rates: [{ rateDate: '2026-02-02', rate: '1.1712' }],
      });
    });
  });

  describe('periodic review', () => {
    let calendarVersion = 0;
    async function closeDay(date: string): Promise<void> {
      calendarVersion += 1;
      const envelope = {
        eventId: randomUUID(),
        eventType: 'BusinessDayClosed',
        schemaVersion: 1,
        streamId: 'business-calendar',
        streamVersion: calendarVersion,
        customerId: 'business-calendar',
        occurredAt: `${date}T23:00:00.000Z`,
        recordedAt: `${date}T23:00:00.000Z`,
        correlationId: randomUUID(),
        causationId: null,
        actor: 'user:ops',
        data: { date },
      };
      await producer.send({ topic: config.topics.calendar, messages: [{ key: 'business-calendar', value: JSON.stringify(envelope) }] });
    }

    /**
     * A B customer (the prepared B profile) with two invoices: one paid 44 days late, one still open 49 days
     * past due on 2026-03-31, and a promise to pay it broken on 2026-03-15.
     */
    async function latePayer(nextReviewDate: string): Promise<string> {
      const customerId = await customerWithPolicy('5000000', 'B', nextReviewDate);
      const assessed = await call('POST', `/v1/customers/${customerId}/assessments`, {
        roles: ['finance'],
        body: { assessmentId: randomUUID(), assessedOn: '2026-01-05', inputs: PROFILE_B },
      });
      expect(assessed.body).toMatchObject({ creditClass: 'B', score: 65 });
      const paid = await invoice(customerId, EUR('200000'), '2026-01-05', '2026-02-04');
      await invoice(customerId, EUR('100000'), '2026-01-10', '2026-02-10');
      await publish(config.topics.payments, 'PaymentAllocated', customerId, {
        paymentId: randomUUID(),
        customerId,
        invoiceId: paid,
        amount: EUR('200000'),
        allocatedOn: '2026-03-20',
      });
      await publish(config.topics.collections, 'PaymentArrangementBroken', customerId, {
        customerId,
        arrangementId: randomUUID(),
        kind: 'promise',
        brokenOn: '2026-03-15',
        instalment: 1,
        expected: EUR('100000'),
        paid: EUR('0'),
        partlyKept: false,
      });
      await waitFor(
        async () => (await db.pool.query('SELECT 1 FROM credit_broken_promises WHERE customer_id = $1', [customerId])).rowCount === 1,
        { description: 'the broken promise reaches the view' },
      );
      await waitFor(
        async () =>
          (await db.pool.query('SELECT 1 FROM credit_receivables WHERE customer_id = $1 AND settled_on IS NOT NULL', [customerId]))
            .rowCount === 1,
        { description: 'the payment reaches the view' },
      );
      await waitFor(
        async () => (await db.pool.query('SELECT 1 FROM credit_review_schedule WHERE customer_id = $1', [customerId])).rowCount === 1,
        {
          description: 'the review date reaches the schedule',
        },
      );
      return customerId;
    }

    it('downgrades a customer that pays late on review, and CustomerReclassified reaches Kafka', async () => {
      const customerId = await latePayer('2026-03-31');
      const due = await call('GET', '/v1/reviews-due?asOf=2026-03-31', { roles: ['risk'] });
      expect(due.body).toEqual(expect.arrayContaining([{ customerId, nextReviewDate: '2026-03-31' }]));

      const reviewId = randomUUID();
      const reviewed = await call('POST', `/v1/customers/${customerId}/reviews`, {
        roles: ['finance'],
        body: { reviewId, reviewedOn: '2026-03-31' },
      });
      expect(reviewed.status).toBe(201);
      // on time 0 of 2; days late (44 + 49) / 2 = 46.5 → 47; days to pay 74 (issued 01-05, settled 03-20); 1 promise broken
      expect(reviewed.body).toMatchObject({
        behaviour: { invoicesCounted: 2, onTimePaymentBasisPoints: 0, averageDaysLate: 47, averageDaysToPay: 74, brokenPromises: 1 },
        previousClass: 'B',
        creditClass: 'C',
        reclassified: 'downgrade',
        nextReviewDate: '2026-09-30', // C is reviewed again in six months
      });
      expect((await standing(customerId)).body).toMatchObject({ creditClass: 'C', nextReviewDate: '2026-09-30' });

      const reader = kafka.consumer({ groupId: `credit-topic-reader-${randomUUID()}` });
      const seen: EventEnvelope[] = [];
      await reader.connect();
      try {
        await reader.subscribe({ topic: config.topics.credit, fromBeginning: true });
        await reader.run({
          eachMessage: async ({ message }) => {
            seen.push(JSON.parse(message.value?.toString() ?? '{}') as EventEnvelope);
          },
        });
        await waitFor(() => seen.some((e) => e.eventType === 'CustomerReclassified' && e.customerId === customerId), {
          description: 'CustomerReclassified on the credit topic',
        });
      } finally {
        await reader.disconnect();
      }
      expect(seen.find((e) => e.eventType === 'CustomerReclassified' && e.customerId === customerId)).toMatchObject({
        streamId: `customer-${customerId}`,
        actor: 'user:alice',
        data: { customerId, assessmentId: reviewId, fromClass: 'B', toClass: 'C', direction: 'downgrade', reviewedOn: '2026-03-31' },
      });
    });

    it('reviews every customer whose review date has come when the day is closed', async () => {
      const customerId = await latePayer('2026-03-30');
      await closeDay('2026-03-31');
      await waitFor(async () => (await eventsOf(`customer-${customerId}`, 'CustomerReclassified')).length === 1, {
        description: 'the day close reviews the customer',
      });
      expect(await eventsOf(`customer-${customerId}`, 'CustomerReclassified')).toEqual([
        expect.objectContaining({ fromClass: 'B', toClass: 'C', direction: 'downgrade', reviewedOn: '2026-03-31' }),
      ]);
      const due = await call('GET', '/v1/reviews-due?asOf=2026-04-01', { roles: ['finance'] });
      expect((due.body as unknown as Json[]).some((row) => row['customerId'] === customerId)).toBe(false);
    });

    it('dates a payment that reaches credit before its invoice (topics are not ordered) by the payment, as in the other order', async () => {
      const customerId = await customerWithPolicy('5000000');
      const invoiceId = randomUUID();
      await publish(config.topics.payments, 'PaymentAllocated', customerId, {
        paymentId: randomUUID(),
        customerId,
        invoiceId,
        amount: EUR('100000'),
        allocatedOn: '2026-02-20',
      });
      await waitFor(
        async () => (await db.pool.query('SELECT 1 FROM credit_receivables WHERE invoice_id = $1', [invoiceId])).rowCount === 1,
        {
          description: 'the early payment reaches the view',
        },
      );
      await publish(config.topics.invoicing, 'InvoiceIssued', customerId, {
        invoiceId,
        invoiceNumber: `INV-${invoiceId.slice(0, 8)}`,
        customerId,
        currency: 'EUR',
        lines: [{ description: 'machines', netAmount: EUR('100000'), taxAmount: EUR('0') }],
        total: EUR('100000'),
        issueDate: '2026-01-05',
        dueDate: '2026-02-04',
        earlyPaymentDiscount: null,
        reservationId: null,
      });
      const row = await waitFor(
        async () =>
          (
            await db.pool.query<{ settled_on: string | null }>(
              'SELECT settled_on::text FROM credit_receivables WHERE invoice_id = $1 AND amount_minor IS NOT NULL',
              [invoiceId],
            )
          ).rows[0],
        { description: 'the invoice reaches the view' },
      );
      expect(row.settled_on).toBe('2026-02-20');
    });

    it('answers 409 for a customer never assessed and 400 for a malformed review, appending nothing', async () => {
      const customerId = await customerWithPolicy('5000000');
      const before = await eventCount();
      const never = await call('POST', `/v1/customers/${customerId}/reviews`, {
        roles: ['finance'],
        body: { reviewId: randomUUID(), reviewedOn: '2026-03-31' },
      });
      expect(never).toMatchObject({ status: 409, body: { code: 'ASSESSMENT_MISSING' } });
      const malformed = await call('POST', `/v1/customers/${customerId}/reviews`, {
        roles: ['finance'],
        body: { reviewId: 'x', reviewedOn: '2026-02-30' },
      });
      expect(malformed.status).toBe(400);
      expect((await call('GET', '/v1/reviews-due?asOf=31.03.2026', { roles: ['finance'] })).status).toBe(400);
      expect(await eventCount()).toBe(before);
    });
  });

  describe('credit file, tolerance and insurance', () => {
    it('keeps company data, contacts and every piece of evidence, a superseded one still visible with who added it', async () => {
      const customerId = await customerWithPolicy('5000000');
      const contacts = [{ name: 'Anna Weber', role: 'CFO', email: 'anna.weber@mueller.example' }];
      expect(await call('PUT', `/v1/customers/${customerId}/credit-file/contacts`, { roles: ['sales'], body: { contacts } })).toMatchObject(
        {
          status: 200,
        },
      );
      const first = randomUUID();
      const second = randomUUID();
      const add = (body: Json, sub: string) =>
        call('POST', `/v1/customers/${customerId}/credit-file/evidence`, { roles: ['sales'], sub, body });
      const report = { kind: 'bureau-report', reference: 'Creditreform 2025-0101', receivedOn: '2025-01-04', validUntil: '2026-01-03' };
      expect((await add({ evidenceId: first, ...report }, 'sam')).status).toBe(201);
      const hash = 'ab'.repeat(32);
      const newer = await add(
        {
          evidenceId: second,
          ...report,
          reference: 'Creditreform 2026-0815',
          documentHash: hash,
          receivedOn: '2026-01-04',
          validUntil: '2027-01-03',
          supersedes: first,
        },
        'fiona',
      );
      expect(newer.status).toBe(201);
      const before = await eventCount();
      // Superseding the same piece twice would hide which one replaced it: refused.
      expect((await add({ evidenceId: randomUUID(), ...report, supersedes: first }, 'sam')).status).toBe(409);
      expect((await add({ evidenceId: randomUUID(), ...report, kind: 'horoscope' }, 'sam')).status).toBe(400);
      expect(await eventCount()).toBe(before);

      const file = await call('GET', `/v1/customers/${customerId}/credit-file`, { roles: ['collections'] });
      expect(file.body).toMatchObject({
        company: {
          legalName: 'Müller Maschinenbau GmbH',
          registrationNumber: 'HRB 123456',
          industry: 'machinery',
          country: 'DE',
          businessUnit: 'industrial',
        },
        contacts: [{ name: 'Anna Weber', role: 'CFO', email: 'anna.weber@mueller.example', phone: null }],
        evidence: [
          { evidenceId: first, supersededBy: second, addedBy: 'user:sam', reference: 'Creditreform 2025-0101' },
          { evidenceId: second, supersedes: first, supersededBy: null, addedBy: 'user:fiona', documentHash: hash },
        ],
      });
    });

    it('passes a check within the tolerance, and reports exposure above the insured amount and an expired cover', async () => {
      const customerId = await customerWithPolicy('1000000'); // 10,000.00 EUR
      expect(
        (await call('PUT', `/v1/customers/${customerId}/credit-policy/tolerance`, { roles: ['sales'], body: { basisPoints: 500 } })).status,
      ).toBe(403);
      expect(
        (
          await call('PUT', `/v1/customers/${customerId}/credit-policy/tolerance`, {
            roles: ['finance'],
            body: { basisPoints: 500, amount: EUR('1') },
          })
        ).status,
      ).toBe(400);
      expect(
        await call('PUT', `/v1/customers/${customerId}/credit-policy/tolerance`, { roles: ['finance'], body: { basisPoints: 500 } }),
      ).toMatchObject({
        status: 200,
        body: { tolerance: { basisPoints: 500 } },
      });
      const check = (amountMinor: string, checkpoint: string) =>
        call('POST', `/v1/customers/${customerId}/credit-checks`, {
          roles: ['sales'],
          body: { checkId: randomUUID(), orderReference: 'SO-T', orderAmount: EUR(amountMinor), openDay: '2026-04-02', checkpoint },
        });
      expect((await check('1050000', 'delivery')).body).toMatchObject({ passed: true, checkpoint: 'delivery' }); // 10,500.00 = limit + 5 %
      expect((await check('1', 'invoice')).body).toMatchObject({ passed: false, reason: 'limit-exceeded', checkpoint: 'invoice' });
      expect((await eventsOf(`customer-${customerId}`, 'CreditCheckPassed'))[0]).toMatchObject({
        checkpoint: 'delivery',
        override: { authorisedBy: 'credit-policy:tolerance' },
      });

      const cover = { insurer: 'Allianz Trade', policyNumber: 'AT-2026-44812', insuredAmount: EUR('800000'), validUntil: '2026-04-30' };
      expect((await call('PUT', `/v1/customers/${customerId}/insurance-cover`, { roles: ['finance'], body: cover })).status).toBe(200);
      expect((await standing(customerId, '?asOf=2026-04-30')).body).toMatchObject({
        exposure: EUR('1050000'),
        insurance: { insurer: 'Allianz Trade', uninsuredExposure: EUR('250000'), coverExceeded: true, expired: false },
      });
      expect((await standing(customerId, '?asOf=2026-05-01')).body).toMatchObject({
        insurance: { uninsuredExposure: EUR('1050000'), expired: true },
      });
    });
  });
});
