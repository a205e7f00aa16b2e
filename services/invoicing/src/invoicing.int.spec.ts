import { randomUUID } from 'node:crypto';
import type { Role } from '@arc/auth';
import type { CreditPolicySetData, EventEnvelope, PaymentAllocatedData } from '@arc/contracts';
import { duringUnfinishedReplay, expectEveryRouteGuarded, useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { INVOICING, type InvoicingConfig } from './config';

type Json = Record<string, unknown>;

const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

describe('the invoicing service (HTTP, event store, relay and terms consumer on real servers)', () => {
  const suite = useServiceUnderTest<InvoicingConfig>({
    definition: INVOICING,
    module: (config, options) => AppModule.forRoot(config, options),
  });
  const { config, db, kafka, producer, call, eventCount } = suite;

  let policyVersion = 1;

  /** Produces a CreditPolicySet envelope on the credit topic, as the credit service's relay would, and waits until the view has it. */
  async function setPolicy(
    customerId: string,
    paymentTermDays: number,
    earlyPaymentDiscount: CreditPolicySetData['earlyPaymentDiscount'] = null,
    streamVersion = ++policyVersion,
  ): Promise<void> {
    await producePolicy(customerId, paymentTermDays, earlyPaymentDiscount, streamVersion);
    await waitFor(
      async () => {
        const { rows } = await db.pool.query<{ v: number }>(
          'SELECT policy_stream_version AS v FROM invoicing_payment_terms WHERE customer_id = $1',
          [customerId],
        );
        return rows[0]?.v === streamVersion;
      },
      { description: `the CreditPolicySet of ${customerId} in the terms view` },
    );
  }

  async function producePolicy(
    customerId: string,
    paymentTermDays: number,
    earlyPaymentDiscount: CreditPolicySetData['earlyPaymentDiscount'],
    streamVersion: number,
  ): Promise<void> {
    const data: CreditPolicySetData = {
      customerId,
      creditClass: 'B',
      creditLimit: EUR('10000000'),
      paymentTermDays,
      acceptedPaymentMethods: ['bank-transfer'],
      earlyPaymentDiscount,
      prepaymentBasisPoints: 0,
      insuredAmount: null,
      nextReviewDate: '2027-06-30',
    };
    const envelope: EventEnvelope<CreditPolicySetData> = {
      eventId: randomUUID(),
      eventType: 'CreditPolicySet',
      schemaVersion: 1,
      streamId: `customer-${customerId}`,
      streamVersion,
      customerId,
      occurredAt: '2025-12-15T10:00:00.000Z',
      recordedAt: '2025-12-15T10:00:00.000Z',
      correlationId: randomUUID(),
      causationId: null,
      actor: 'user:carol',
      data,
    };
    await producer.send({ topic: config.topics.credit, messages: [{ key: customerId, value: JSON.stringify(envelope) }] });
  }

  /** Produces a credit event about a reservation on the credit topic, as the credit relay would, and waits for the view. */
  async function reservationEvent(
    customerId: string,
    reservationId: string,
    event: 'CreditCheckPassed' | 'CreditReservationReleased' | 'CreditReservationConsumed',
    invoiceId: string | null = null,
  ): Promise<void> {
    const amount = EUR('6000000');
    const data: Json =
      event === 'CreditCheckPassed'
        ? {
            customerId,
            reservationId,
            orderReference: 'SO-1',
            amount,
            exposureBefore: EUR('0'),
            creditLimit: EUR('10000000'),
            override: null,
          }
        : event === 'CreditReservationReleased'
          ? { customerId, reservationId, amount, reason: 'order cancelled' }
          : { customerId, reservationId, invoiceId, amount };
    const envelope: EventEnvelope = {
      eventId: randomUUID(),
      eventType: event,
      schemaVersion: 1,
      streamId: `customer-${customerId}`,
      streamVersion: ++policyVersion,
      customerId,
      occurredAt: '2025-12-20T10:00:00.000Z',
      recordedAt: '2025-12-20T10:00:00.000Z',
      correlationId: randomUUID(),
      causationId: null,
      actor: 'user:sam',
      data,
    };
    await producer.send({ topic: config.topics.credit, messages: [{ key: customerId, value: JSON.stringify(envelope) }] });
    const status = event === 'CreditCheckPassed' ? 'open' : event === 'CreditReservationReleased' ? 'released' : 'consumed';
    await waitFor(
      async () => {
        const { rows } = await db.pool.query<{ status: string }>(
          'SELECT status FROM invoicing_credit_reservations WHERE reservation_id = $1',
          [reservationId],
        );
        return rows[0]?.status === status;
      },
      { description: `reservation ${reservationId} ${status} in the view` },
    );
  }

  const invoiceBody = (customerId: string, changes: Json = {}) => ({
    invoiceId: randomUUID(),
    number: `INV-${randomUUID().slice(0, 13)}`,
    customerId,
    currency: 'EUR',
    lines: [{ description: 'Pump P-200 ×10', netAmount: EUR('5042017'), taxAmount: EUR('957983') }],
    issueDate: '2026-01-01',
    ...changes,
  });

  const issue = (body: Json, options: { roles?: Role[]; key?: string } = {}) =>
    call('POST', '/v1/invoices', { body, roles: options.roles ?? ['finance'], ...(options.key ? { key: options.key } : {}) });

  describe('access', () => {
    it('answers 401 without a token and 403 to the departments outside its roles on every route', async () => {
      await expectEveryRouteGuarded(suite.service);
    });

    it('lets finance, sales, collections and risk read an invoice', async () => {
      const customerId = randomUUID();
      await setPolicy(customerId, 30);
      const issued = await issue(invoiceBody(customerId));
      expect(issued.status).toBe(201);
      for (const role of ['finance', 'sales', 'collections', 'risk'] as const) {
        expect((await call('GET', `/v1/invoices/${String(issued.body.invoiceId)}`, { roles: [role] })).status).toBe(200);
      }
    });
  });

  describe('the acceptance scenario: net 30, 60,000.00 EUR issued 2026-01-01', () => {
    const customerId = randomUUID();
    const reservationId = randomUUID();
    const body = invoiceBody(customerId, { number: `INV-ACC-${customerId.slice(0, 8)}`, reservationId });

    it('issues the invoice due 2026-01-31 once the CreditPolicySet was consumed', async () => {
      await setPolicy(customerId, 30);
      await reservationEvent(customerId, reservationId, 'CreditCheckPassed');
      const response = await issue(body);
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        invoiceId: body.invoiceId,
        number: body.number,
        customerId,
        currency: 'EUR',
        total: EUR('6000000'),
        credited: EUR('0'),
        allocated: EUR('0'),
        openBalance: EUR('6000000'),
        issueDate: '2026-01-01',
        dueDate: '2026-01-31',
        earlyPaymentDiscount: null,
        reservationId,
        creditNotes: [],
      });
      const read = await call('GET', `/v1/invoices/${String(body.invoiceId)}`, { roles: ['collections'] });
      expect(read.status).toBe(200);
      expect(read.body).toEqual(response.body);
    });

    it('publishes InvoiceIssued (with the reservation id) on the invoicing topic through the relay', async () => {
      const consumer = kafka.consumer({ groupId: `invoicing-topic-reader-${randomUUID()}` });
      const seen: EventEnvelope[] = [];
      await consumer.connect();
      try {
        await consumer.subscribe({ topic: config.topics.invoicing, fromBeginning: true });
        await consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(JSON.parse(message.value?.toString() ?? '{}') as EventEnvelope);
          },
        });
        await waitFor(() => seen.some((e) => e.customerId === customerId), {
          description: 'the InvoiceIssued of the customer on the topic',
        });
      } finally {
        await consumer.disconnect();
      }
      const mine = seen.filter((e) => e.customerId === customerId);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        eventType: 'InvoiceIssued',
        streamId: `invoice-${String(body.invoiceId)}`,
        streamVersion: 1,
        actor: 'user:alice',
        data: { invoiceId: body.invoiceId, invoiceNumber: body.number, total: EUR('6000000'), dueDate: '2026-01-31', reservationId },
      });
    });

    it('takes the early-payment discount and a newer policy from the terms view', async () => {
      await setPolicy(customerId, 45, { basisPoints: 200, withinDays: 10 });
      const response = await issue(invoiceBody(customerId));
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        dueDate: '2026-02-15',
        earlyPaymentDiscount: { basisPoints: 200, payBy: '2026-01-11' },
        reservationId: null,
      });
    });
  });

  describe('references to credit reservations', () => {
    it('refuses an invoice naming a reservation credit never made (422 problem+json), appending nothing and freeing its number', async () => {
      const customerId = randomUUID();
      await setPolicy(customerId, 30);
      const before = await eventCount();
      const never = randomUUID();
      const body = invoiceBody(customerId, { reservationId: never });
      const refused = await issue(body);
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ status: 422, code: 'RESERVATION_UNKNOWN', type: 'urn:arc:problem:reservation-unknown' });
      expect(String(refused.body.detail)).toContain(never);
      expect(await eventCount()).toBe(before);
      // The number went back: the same invoice without the bad reference is issued.
      expect((await issue({ ...body, reservationId: undefined })).status).toBe(201);
    });

    it("refuses an invoice naming another customer's reservation, a released one, or one billed by another invoice", async () => {
      const customerId = randomUUID();
      const other = randomUUID();
      await setPolicy(customerId, 30);
      await setPolicy(other, 30);
      const othersReservation = randomUUID();
      await reservationEvent(other, othersReservation, 'CreditCheckPassed');
      const released = randomUUID();
      await reservationEvent(customerId, released, 'CreditCheckPassed');
      await reservationEvent(customerId, released, 'CreditReservationReleased');
      const billed = randomUUID();
      await reservationEvent(customerId, billed, 'CreditCheckPassed');
      await reservationEvent(customerId, billed, 'CreditReservationConsumed', randomUUID());
      const before = await eventCount();
      expect((await issue(invoiceBody(customerId, { reservationId: othersReservation }))).body).toMatchObject({
        status: 422,
        code: 'RESERVATION_OF_OTHER_CUSTOMER',
      });
      expect((await issue(invoiceBody(customerId, { reservationId: released }))).body).toMatchObject({
        status: 409,
        code: 'RESERVATION_RELEASED',
      });
      expect((await issue(invoiceBody(customerId, { reservationId: billed }))).body).toMatchObject({
        status: 409,
        code: 'RESERVATION_CONSUMED_BY_OTHER_INVOICE',
      });
      expect(await eventCount()).toBe(before);
    });
  });

  describe('the terms view', () => {
    it('issues no invoice while a rebuild has not re-applied the terms (503), and appends nothing', async () => {
      const customerId = randomUUID();
      await setPolicy(customerId, 30);
      const before = await eventCount();
      const refused = await duringUnfinishedReplay(db.pool, config.consumerGroup, () => issue(invoiceBody(customerId)));
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ type: 'urn:arc:problem:read-model-rebuilding' });
      expect(await eventCount()).toBe(before);
      expect((await issue(invoiceBody(customerId))).status).toBe(201);
    });

    it('never lets an older policy (lower credit-stream version) overwrite a newer one', async () => {
      const customerId = randomUUID();
      await setPolicy(customerId, 60, null, 5);
      await producePolicy(customerId, 10, null, 4);
      // The credit topic has one partition: once a later marker is in the view, the older policy was consumed.
      await setPolicy(randomUUID(), 30);
      const response = await issue(invoiceBody(customerId));
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ dueDate: '2026-03-02' });
    });
  });

  describe('refusals', () => {
    it('answers 409 PAYMENT_TERMS_UNKNOWN for a customer without a credit policy, appends nothing and frees the number', async () => {
      const before = await eventCount();
      const body = invoiceBody(randomUUID());
      const response = await issue(body);
      expect(response.status).toBe(409);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: 409, code: 'PAYMENT_TERMS_UNKNOWN', type: 'urn:arc:problem:payment-terms-unknown' });
      expect(await eventCount()).toBe(before);
      // The refused invoice did not keep its number.
      const known = randomUUID();
      await setPolicy(known, 30);
      expect((await issue(invoiceBody(known, { number: body.number }))).status).toBe(201);
    });

    it('answers 409 INVOICE_NUMBER_TAKEN to a second invoice with the same number and appends nothing', async () => {
      const customerId = randomUUID();
      await setPolicy(customerId, 30);
      const first = invoiceBody(customerId);
      expect((await issue(first)).status).toBe(201);
      const before = await eventCount();
      const second = await issue(invoiceBody(customerId, { number: first.number }));
      expect(second.status).toBe(409);
      expect(second.body).toMatchObject({ code: 'INVOICE_NUMBER_TAKEN', type: 'urn:arc:problem:invoice-number-taken' });
      expect(await eventCount()).toBe(before);
    });

    it('answers 400 problem+json to an invalid payload and appends nothing', async () => {
      const customerId = randomUUID();
      await setPolicy(customerId, 30);
      const before = await eventCount();
      const response = await issue({
        invoiceId: 'nope',
        number: '',
        customerId,
        currency: 'EUR',
        lines: [{ description: 'x', netAmount: { amountMinor: 12.5, currency: 'EUR' }, taxAmount: EUR('0') }],
        issueDate: '2026-02-30',
      });
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const fields = (response.body.errors as Array<{ field: string }>).map((e) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['invoiceId', 'number', 'issueDate']));
      expect(fields.some((field) => field.startsWith('lines'))).toBe(true);
      expect((await issue({ ...invoiceBody(customerId), lines: [] })).status).toBe(400);
      expect(await eventCount()).toBe(before);
    });

    it('answers 404 for an invoice never issued, and is ready', async () => {
      expect((await call('GET', `/v1/invoices/${randomUUID()}`, { roles: ['risk'] })).status).toBe(404);
      expect((await call('GET', '/health/ready', { roles: null })).status).toBe(200);
    });
  });

  describe('idempotency', () => {
    it('issues one invoice for the same Idempotency-Key sent twice', async () => {
      const customerId = randomUUID();
      await setPolicy(customerId, 30);
      const key = randomUUID();
      const body = invoiceBody(customerId);
      const before = await eventCount();
      const first = await issue(body, { key });
      const second = await issue(body, { key });
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.body).toEqual(first.body);
      expect(await eventCount()).toBe(before + 1);
    });

    it('issues one invoice for the same generated id when no key is sent (the id is the command id)', async () => {
      const customerId = randomUUID();
      await setPolicy(customerId, 30);
      const { invoiceId: _omitted, ...withoutId } = invoiceBody(customerId);
      const before = await eventCount();
      const generated = await issue(withoutId, { key: randomUUID() });
      expect(generated.status).toBe(201);
      const invoiceId = String(generated.body.invoiceId);
      const again = await issue({ ...withoutId, invoiceId });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(generated.body);
      expect(await eventCount()).toBe(before + 1);
    });
  });

  /** Produces a PaymentAllocated envelope on the payments topic, as the payments service's relay would. */
  async function produceAllocation(customerId: string, invoiceId: string, amountMinor: string, paymentId = randomUUID()): Promise<string> {
    const envelope: EventEnvelope<PaymentAllocatedData> = {
      eventId: randomUUID(),
      eventType: 'PaymentAllocated',
      schemaVersion: 1,
      streamId: `payment-account-${customerId}`,
      streamVersion: 2,
      customerId,
      occurredAt: '2026-01-20T10:00:00.000Z',
      recordedAt: '2026-01-20T10:00:00.000Z',
      correlationId: randomUUID(),
      causationId: null,
      actor: 'user:tess',
      data: { paymentId, customerId, invoiceId, amount: EUR(amountMinor), allocatedOn: '2026-01-20' },
    };
    await producer.send({ topic: config.topics.payments, messages: [{ key: customerId, value: JSON.stringify(envelope) }] });
    return paymentId;
  }

  const openBalanceOf = async (invoiceId: string): Promise<unknown> =>
    ((await call('GET', `/v1/invoices/${invoiceId}`, { roles: ['finance'] })).body.openBalance as { amountMinor?: string } | undefined)
      ?.amountMinor;

  const invoiceEvents = async (invoiceId: string): Promise<Array<{ type: string; data: Json }>> => {
    const { rows } = await db.pool.query<{ event_type: string; data: Json }>(
      'SELECT event_type, data FROM events WHERE stream_id = $1 ORDER BY stream_version',
      [`invoice-${invoiceId}`],
    );
    return rows.map((r) => ({ type: r.event_type, data: r.data }));
  };

  describe('credit notes against payments', () => {
    it('refuses a credit note larger than the open balance after payments, naming both, and appends nothing', async () => {
      const customerId = randomUUID();
      await setPolicy(customerId, 30);
      const invoiceId = String((await issue(invoiceBody(customerId))).body.invoiceId);
      await produceAllocation(customerId, invoiceId, '5000000');
      await waitFor(async () => (await openBalanceOf(invoiceId)) === '1000000', {
        description: 'the allocation recorded on the invoice',
      });
      const before = await eventCount();
      const tooMuch = await call('POST', `/v1/invoices/${invoiceId}/credit-notes`, {
        body: { number: 'CN-PAID-1', amount: EUR('1000001'), reason: 'return', issueDate: '2026-01-21' },
        roles: ['finance'],
      });
      expect(tooMuch.status).toBe(409);
      expect(tooMuch.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(tooMuch.body).toMatchObject({ code: 'CREDIT_NOTE_EXCEEDS_BALANCE', status: 409 });
      expect(String(tooMuch.body.detail)).toContain('1000001');
      expect(String(tooMuch.body.detail)).toContain('open balance of 1000000');
      expect(await eventCount()).toBe(before);
      const exact = await call('POST', `/v1/invoices/${invoiceId}/credit-notes`, {
        body: { number: 'CN-PAID-2', amount: EUR('1000000'), reason: 'return', issueDate: '2026-01-21' },
        roles: ['finance'],
      });
      expect(exact.status).toBe(201);
      expect(exact.body.invoice).toMatchObject({ allocated: EUR('5000000'), credited: EUR('1000000'), openBalance: EUR('0') });
    });

    it('refuses any credit note on an invoice paid in full (409), appending nothing', async () => {
      const customerId = randomUUID();
      await setPolicy(customerId, 30);
      const invoiceId = String((await issue(invoiceBody(customerId))).body.invoiceId);
      await produceAllocation(customerId, invoiceId, '6000000');
      await waitFor(async () => (await openBalanceOf(invoiceId)) === '0', {
        description: 'the full payment recorded on the invoice',
      });
      const before = await eventCount();
      const refused = await call('POST', `/v1/invoices/${invoiceId}/credit-notes`, {
        body: { number: 'CN-PAID-3', amount: EUR('1'), reason: 'goodwill', issueDate: '2026-01-21' },
        roles: ['finance'],
      });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ code: 'CREDIT_NOTE_EXCEEDS_BALANCE' });
      expect(await eventCount()).toBe(before);
    });

    it('records an allocation that meets a credit note as InvoiceOverpaid for that payment, its balance staying at zero', async () => {
      const customerId = randomUUID();
      await setPolicy(customerId, 30);
      const invoiceId = String((await issue(invoiceBody(customerId))).body.invoiceId);
      const credited = await call('POST', `/v1/invoices/${invoiceId}/credit-notes`, {
        body: { number: 'CN-FULL-1', amount: EUR('6000000'), reason: 'order cancelled', issueDate: '2026-01-10' },
        roles: ['finance'],
      });
      expect(credited.status).toBe(201);
      // Payments decided on a view that had not seen the credit note yet.
      const paymentId = await produceAllocation(customerId, invoiceId, '2500000');
      await waitFor(async () => (await invoiceEvents(invoiceId)).some((e) => e.type === 'InvoiceOverpaid'), {
        description: 'InvoiceOverpaid recorded',
      });
      expect((await invoiceEvents(invoiceId)).filter((e) => e.type === 'InvoiceOverpaid')).toEqual([
        { type: 'InvoiceOverpaid', data: { invoiceId, customerId, paymentId, excess: EUR('2500000') } },
      ]);
      const read = await call('GET', `/v1/invoices/${invoiceId}`, { roles: ['finance'] });
      expect(read.body).toMatchObject({ allocated: EUR('2500000'), credited: EUR('6000000'), openBalance: EUR('0') });
    });
  });

  describe('ids chosen by the caller', () => {
    it('refuses an invoice id reused for other lines with 409 id-reused, instead of answering the first invoice, and appends nothing', async () => {
      const customerId = randomUUID();
      await setPolicy(customerId, 30);
      const body = invoiceBody(customerId);
      expect((await issue(body)).status).toBe(201);
      const before = await eventCount();
      const reused = await issue({ ...body, lines: [{ description: 'Pump P-300 ×1', netAmount: EUR('100'), taxAmount: EUR('19') }] });
      expect(reused.status).toBe(409);
      expect(reused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(reused.body).toMatchObject({ type: 'urn:arc:problem:id-reused', status: 409, title: expect.any(String) });
      expect(await eventCount()).toBe(before);
    });

    it('refuses a credit note id reused for another amount with 409 id-reused and appends nothing', async () => {
      const customerId = randomUUID();
      await setPolicy(customerId, 30);
      const invoiceId = String((await issue(invoiceBody(customerId))).body.invoiceId);
      const note = {
        creditNoteId: randomUUID(),
        number: 'CN-2026-000101',
        amount: EUR('100000'),
        reason: 'damaged goods',
        issueDate: '2026-01-10',
      };
      expect((await call('POST', `/v1/invoices/${invoiceId}/credit-notes`, { body: note, roles: ['finance'] })).status).toBe(201);
      const before = await eventCount();
      const reused = await call('POST', `/v1/invoices/${invoiceId}/credit-notes`, {
        body: { ...note, amount: EUR('200000') },
        roles: ['finance'],
      });
      expect(reused.status).toBe(409);
      expect(reused.body).toMatchObject({ type: 'urn:arc:problem:id-reused', status: 409 });
      expect(await eventCount()).toBe(before);
    });
  });

  describe('credit notes', () => {
    it('credits up to the invoice total and refuses more (409 CREDIT_NOTE_EXCEEDS_BALANCE)', async () => {
      const customerId = randomUUID();
      await setPolicy(customerId, 30);
      const invoice = await issue(invoiceBody(customerId));
      const invoiceId = String(invoice.body.invoiceId);
      const creditNoteId = randomUUID();
      const note = { creditNoteId, number: 'CN-2026-000001', amount: EUR('1000000'), reason: 'damaged goods', issueDate: '2026-01-10' };
      const credited = await call('POST', `/v1/invoices/${invoiceId}/credit-notes`, { body: note, roles: ['finance'] });
      expect(credited.status).toBe(201);
      expect(credited.body).toMatchObject({
        creditNoteId,
        number: 'CN-2026-000001',
        invoiceId,
        amount: EUR('1000000'),
        invoice: { total: EUR('6000000'), credited: EUR('1000000'), openBalance: EUR('5000000') },
      });
      // The same credit note again (same id, no key) records nothing.
      const before = await eventCount();
      expect((await call('POST', `/v1/invoices/${invoiceId}/credit-notes`, { body: note, roles: ['finance'] })).status).toBe(201);
      expect(await eventCount()).toBe(before);

      const tooMuch = await call('POST', `/v1/invoices/${invoiceId}/credit-notes`, {
        body: { number: 'CN-2026-000002', amount: EUR('5000001'), reason: 'return', issueDate: '2026-01-11' },
        roles: ['finance'],
      });
      expect(tooMuch.status).toBe(409);
      expect(tooMuch.body).toMatchObject({ code: 'CREDIT_NOTE_EXCEEDS_BALANCE', type: 'urn:arc:problem:credit-note-exceeds-balance' });
      expect(await eventCount()).toBe(before);

      const read = await call('GET', `/v1/invoices/${invoiceId}`, { roles: ['sales'] });
      expect(read.body).toMatchObject({ total: EUR('6000000'), credited: EUR('1000000'), dueDate: '2026-01-31' });
      expect(read.body.creditNotes).toEqual([
        { creditNoteId, number: 'CN-2026-000001', amount: EUR('1000000'), issueDate: '2026-01-10', reason: 'damaged goods' },
      ]);
    });

    it('refuses a credit note on an invoice never issued (404 problem+json) and one in another currency (422)', async () => {
      const note = { number: 'CN-X', amount: EUR('100'), reason: 'x', issueDate: '2026-01-10' };
      const unknown = await call('POST', `/v1/invoices/${randomUUID()}/credit-notes`, { body: note, roles: ['finance'] });
      expect(unknown.status).toBe(404);
      expect(unknown.body).toMatchObject({ code: 'INVOICE_NOT_ISSUED', type: 'urn:arc:problem:invoice-not-issued' });

      const customerId = randomUUID();
      await setPolicy(customerId, 30);
      const invoice = await issue(invoiceBody(customerId));
      const usd = await call('POST', `/v1/invoices/${String(invoice.body.invoiceId)}/credit-notes`, {
        body: { ...note, amount: { amountMinor: '100', currency: 'USD' } },
        roles: ['finance'],
      });
      expect(usd.status).toBe(422);
      expect(usd.body).toMatchObject({ code: 'CURRENCY_MISMATCH' });
    });
  });

  describe('dates', () => {
    // Last in the file: once the calendar runs, every invoice is dated against it. Open day after this: 2026-01-06.
    beforeAll(async () => {
      expect((await call('POST', '/v1/calendar/start', { body: { date: '2026-01-01' }, roles: ['finance'] })).status).toBe(201);
      expect((await call('POST', '/v1/calendar/close-days', { body: { until: '2026-01-05' }, roles: ['finance'] })).status).toBe(200);
    });

    it('refuses an invoice dated more than a week after the open day (422), appending nothing', async () => {
      const customerId = randomUUID();
      await setPolicy(customerId, 30);
      const before = await eventCount();
      const refused = await issue(invoiceBody(customerId, { issueDate: '2026-01-14' }));
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({
        status: 422,
        code: 'ISSUE_DATE_TOO_FAR_AHEAD',
        type: 'urn:arc:problem:issue-date-too-far-ahead',
      });
      expect(String(refused.body.detail)).toContain('2026-01-13');
      expect(await eventCount()).toBe(before);
      expect((await issue(invoiceBody(customerId, { issueDate: '2026-01-13' }))).status).toBe(201);
    });

    it('refuses an invoice dated on a closed day without a reason, and records the reason on InvoiceIssued when given', async () => {
      const customerId = randomUUID();
      await setPolicy(customerId, 30);
      const before = await eventCount();
      const refused = await issue(invoiceBody(customerId, { issueDate: '2026-01-05' }));
      expect(refused.body).toMatchObject({ status: 422, code: 'BACKDATING_REASON_MISSING' });
      expect(await eventCount()).toBe(before);
      const reason = 'delivery note of 5 January reached finance late';
      const backdated = await issue(invoiceBody(customerId, { issueDate: '2026-01-05', backdatingReason: reason }));
      expect(backdated.status).toBe(201);
      expect(backdated.body).toMatchObject({ issueDate: '2026-01-05', backdatingReason: reason });
      const { rows } = await db.pool.query<{ data: Json }>(`SELECT data FROM events WHERE stream_id = $1`, [
        `invoice-${String(backdated.body.invoiceId)}`,
      ]);
      expect(rows[0]?.data).toMatchObject({ issueDate: '2026-01-05', backdatingReason: reason });
      expect((await issue(invoiceBody(customerId, { issueDate: '2026-01-06' }))).body).toMatchObject({ backdatingReason: null });
    });
  });
});
