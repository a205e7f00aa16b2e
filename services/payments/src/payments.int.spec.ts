import { randomUUID } from 'node:crypto';
import type { Role } from '@arc/auth';
import type { CreditNoteIssuedData, EventEnvelope, InvoiceIssuedData } from '@arc/contracts';
import { duringUnfinishedReplay, expectEveryRouteGuarded, useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { PAYMENTS, type PaymentsConfig } from './config';

type Json = Record<string, unknown>;

const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

describe('the payments service (HTTP, event store, relay and consumer on real servers)', () => {
  const suite = useServiceUnderTest<PaymentsConfig>({
    definition: PAYMENTS,
    module: (config, options) => AppModule.forRoot(config, options),
  });
  const { config, db, kafka, producer, call, eventCount } = suite;

  const streamEvents = async (customerId: string): Promise<string[]> => {
    const { rows } = await db.pool.query<{ event_type: string }>(
      'SELECT event_type FROM events WHERE stream_id = $1 ORDER BY stream_version',
      [`payment-account-${customerId}`],
    );
    return rows.map((row) => row.event_type);
  };

  const envelopeOf = <T extends object>(
    eventType: string,
    streamId: string,
    customerId: string,
    data: T,
    streamVersion = 1,
  ): EventEnvelope<T> => ({
    eventId: randomUUID(),
    eventType,
    schemaVersion: 1,
    streamId,
    streamVersion,
    customerId,
    occurredAt: '2026-01-01T10:00:00.000Z',
    recordedAt: '2026-01-01T10:00:00.000Z',
    correlationId: randomUUID(),
    causationId: null,
    actor: 'user:bob',
    data,
  });

  /** Produces an InvoiceIssued on the invoicing topic and waits until the view has it. */
  async function issueInvoice(customerId: string, total: string, dueDate: string, invoiceNumber?: string): Promise<InvoiceIssuedData> {
    const invoiceId = randomUUID();
    const data: InvoiceIssuedData = {
      invoiceId,
      invoiceNumber: invoiceNumber ?? `INV-${invoiceId.slice(0, 8)}`,
      customerId,
      currency: 'EUR',
      lines: [{ description: 'machines', netAmount: EUR(total), taxAmount: EUR('0') }],
      total: EUR(total),
      issueDate: '2026-01-01',
      dueDate,
      earlyPaymentDiscount: null,
      reservationId: null,
    };
    const envelope = envelopeOf('InvoiceIssued', `invoice-${invoiceId}`, customerId, data);
    await producer.send({ topic: config.topics.invoicing, messages: [{ key: customerId, value: JSON.stringify(envelope) }] });
    await waitFor(
      async () => ((await db.pool.query('SELECT 1 FROM payments_invoices WHERE invoice_id = $1', [invoiceId])).rowCount ?? 0) > 0,
      { description: `invoice ${invoiceId} in the open-invoices view` },
    );
    return data;
  }

  const payment = (customerId: string, amountMinor: string, overrides: Json = {}) => ({
    bankReference: `BANK-${randomUUID()}`,
    customerId,
    amount: EUR(amountMinor),
    receivedOn: '2026-01-20',
    method: 'bank-transfer',
    ...overrides,
  });

  const registered = new Set<string>();

  /** Produces the customer's CustomerRegistered on the credit topic, as the credit relay would, and waits for payments to know it. */
  async function register(customerId: string): Promise<void> {
    if (registered.has(customerId)) return;
    const data = {
      customerId,
      legalName: 'Acme GmbH',
      registrationNumber: 'HRB 1',
      industry: 'machinery',
      country: 'DE',
      currency: 'EUR',
      businessUnit: 'emea',
    };
    const envelope = envelopeOf('CustomerRegistered', `customer-${customerId}`, customerId, data);
    await producer.send({ topic: config.topics.credit, messages: [{ key: customerId, value: JSON.stringify(envelope) }] });
    await waitFor(
      async () => ((await db.pool.query('SELECT 1 FROM payments_customers WHERE customer_id = $1', [customerId])).rowCount ?? 0) > 0,
      {
        description: `customer ${customerId} in the customers view`,
      },
    );
    registered.add(customerId);
  }

  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
  /** Records a payment over HTTP; its customer is registered first (every customer of this suite exists in credit). */
  const pay = async (body: unknown, roles: Role[] = ['finance'], key?: string) => {
    const customerId = (body as { customerId?: unknown }).customerId;
    if (typeof customerId === 'string' && UUID.test(customerId)) await register(customerId);
    return call('POST', '/v1/payments', { body, roles, ...(key === undefined ? {} : { key }) });
  };

  describe('access', () => {
    it('answers 401 without a token and 403 to the departments outside its roles on every route', async () => {
      await expectEveryRouteGuarded(suite.service);
    });

    it('lets finance, collections and risk read a payment account', async () => {
      for (const role of ['finance', 'collections', 'risk'] as Role[]) {
        expect((await call('GET', `/v1/customers/${randomUUID()}/payment-account`, { roles: [role] })).status).toBe(200);
      }
    });
  });

  describe('the acceptance scenario: one invoice of 60,000.00 EUR due 2026-01-31', () => {
    const customerId = randomUUID();
    let invoice: InvoiceIssuedData;
    let firstPaymentId: string;

    it('applies a payment of 10,000.00 received 2026-01-20 to the invoice', async () => {
      invoice = await issueInvoice(customerId, '6000000', '2026-01-31');
      const response = await pay(payment(customerId, '1000000', { receivedOn: '2026-01-20' }));
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        customerId,
        amount: EUR('1000000'),
        receivedOn: '2026-01-20',
        method: 'bank-transfer',
        allocations: [{ invoiceId: invoice.invoiceId, amount: EUR('1000000'), allocatedOn: '2026-01-20' }],
        unapplied: EUR('0'),
        alreadyRecorded: false,
      });
      firstPaymentId = String(response.body.paymentId);
      expect(await streamEvents(customerId)).toEqual(['PaymentReceived', 'PaymentAllocated']);
    });

    it('publishes PaymentReceived and PaymentAllocated on the payments topic through the relay', async () => {
      const consumer = kafka.consumer({ groupId: `payments-topic-reader-${randomUUID()}` });
      const seen: EventEnvelope[] = [];
      await consumer.connect();
      try {
        await consumer.subscribe({ topic: config.topics.payments, fromBeginning: true });
        await consumer.run({
          eachMessage: async ({ message }) => {
            seen.push(JSON.parse(message.value?.toString() ?? '{}') as EventEnvelope);
          },
        });
        await waitFor(() => seen.filter((e) => e.customerId === customerId).length >= 2, {
          description: 'two payments events of the customer on the topic',
        });
      } finally {
        await consumer.disconnect();
      }
      const mine = seen.filter((e) => e.customerId === customerId);
      expect(mine.map((e) => e.eventType)).toEqual(['PaymentReceived', 'PaymentAllocated']);
      expect(mine[0]).toMatchObject({
        streamId: `payment-account-${customerId}`,
        actor: 'user:alice',
        data: { paymentId: firstPaymentId, amount: EUR('1000000') },
      });
      expect(mine[1]).toMatchObject({
        data: { paymentId: firstPaymentId, invoiceId: invoice.invoiceId, amount: EUR('1000000'), allocatedOn: '2026-01-20' },
      });
    });

    it('applies 30,000.00 then 20,000.00: the invoice is fully paid', async () => {
      const second = await pay(payment(customerId, '3000000', { receivedOn: '2026-01-25' }));
      expect(second.body).toMatchObject({ allocations: [{ invoiceId: invoice.invoiceId, amount: EUR('3000000') }], unapplied: EUR('0') });
      const third = await pay(payment(customerId, '2000000', { receivedOn: '2026-01-30', method: 'cheque' }));
      expect(third.body).toMatchObject({ allocations: [{ invoiceId: invoice.invoiceId, amount: EUR('2000000') }], unapplied: EUR('0') });
      const account = await call('GET', `/v1/customers/${customerId}/payment-account`, { roles: ['collections'] });
      expect(account.status).toBe(200);
      expect(account.body.invoices).toEqual([
        {
          invoiceId: invoice.invoiceId,
          invoiceNumber: invoice.invoiceNumber,
          dueDate: '2026-01-31',
          openBeforePayments: EUR('6000000'),
          allocated: EUR('6000000'),
          discounted: EUR('0'),
          outstanding: EUR('0'),
        },
      ]);
      expect(account.body.unappliedCash).toEqual([EUR('0')]);
    });

    it('leaves a further payment unapplied', async () => {
      const response = await pay(payment(customerId, '50000', { receivedOn: '2026-02-02' }));
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ allocations: [], unapplied: EUR('50000') });
      const account = await call('GET', `/v1/customers/${customerId}/payment-account`, { roles: ['risk'] });
      expect(account.body.unappliedCash).toEqual([EUR('50000')]);
      expect((account.body.payments as Json[]).map((p) => p.amount)).toEqual([
        EUR('1000000'),
        EUR('3000000'),
        EUR('2000000'),
        EUR('50000'),
      ]);
      expect(await streamEvents(customerId)).toEqual([
        'PaymentReceived',
        'PaymentAllocated',
        'PaymentReceived',
        'PaymentAllocated',
        'PaymentReceived',
        'PaymentAllocated',
        'PaymentReceived',
        'PaymentLeftUnapplied',
      ]);
    });
  });

  describe('cash application', () => {
    it('records no payment while a rebuild has not re-applied the open invoices (503), and appends nothing', async () => {
      const customerId = randomUUID();
      await issueInvoice(customerId, '100000', '2026-01-31');
      const before = await eventCount();
      const refused = await duringUnfinishedReplay(db.pool, config.consumerGroup, () => pay(payment(customerId, '100000')));
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ type: 'urn:arc:problem:read-model-rebuilding' });
      expect(await eventCount()).toBe(before);
    });

    it('records the same bank reference once', async () => {
      const customerId = randomUUID();
      await issueInvoice(customerId, '100000', '2026-03-31');
      const body = payment(customerId, '40000');
      const first = await pay(body);
      const before = await eventCount();
      const second = await pay({ ...body, paymentId: randomUUID() });
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.body).toEqual({ ...first.body, alreadyRecorded: true });
      expect(await eventCount()).toBe(before);
      const account = await call('GET', `/v1/customers/${customerId}/payment-account`, { roles: ['finance'] });
      expect(account.body.payments).toHaveLength(1);
      // The same reference with another amount is not the same receipt: refused.
      const conflict = await pay({ ...body, amount: EUR('40001') });
      expect(conflict.status).toBe(409);
      expect(conflict.body).toMatchObject({ code: 'BANK_REFERENCE_CONFLICT' });
    });

    it("refuses a bank reference another customer's receipt already carries (409 naming that receipt), appending nothing", async () => {
      const first = randomUUID();
      const second = randomUUID();
      const bankReference = `CAMT-${randomUUID()}`;
      const recorded = await pay(payment(first, '40000', { bankReference }));
      expect(recorded.status).toBe(201);
      const before = await eventCount();
      const refused = await pay(payment(second, '40000', { bankReference }));
      expect(refused.status).toBe(409);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body).toMatchObject({
        status: 409,
        type: 'urn:arc:problem:bank-reference-used',
        bankReference,
        existingPaymentId: recorded.body.paymentId,
        existingCustomerId: first,
      });
      expect(String(refused.body.detail)).toContain(String(recorded.body.paymentId));
      expect(await eventCount()).toBe(before);
      expect((await call('GET', `/v1/customers/${second}/payment-account`, { roles: ['finance'] })).body.payments).toEqual([]);
      // The first customer's repeat is still the same receipt, answered as recorded.
      expect((await pay(payment(first, '40000', { bankReference }))).body).toMatchObject({
        paymentId: recorded.body.paymentId,
        alreadyRecorded: true,
      });
    });

    it('frees a bank reference whose payment was refused, so the right receipt can use it', async () => {
      const customerId = randomUUID();
      const bankReference = `CAMT-${randomUUID()}`;
      expect((await pay(payment(randomUUID(), '0', { bankReference }))).status).toBe(422);
      expect((await pay(payment(customerId, '40000', { bankReference }))).status).toBe(201);
    });

    it('refuses a payment for a customer credit never registered (422 problem+json), appending nothing', async () => {
      const nobody = randomUUID();
      const before = await eventCount();
      const refused = await call('POST', '/v1/payments', { body: payment(nobody, '40000'), roles: ['finance'] });
      expect(refused.status).toBe(422);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ status: 422, code: 'CUSTOMER_UNKNOWN', type: 'urn:arc:problem:customer-unknown' });
      expect(String(refused.body.detail)).toContain(nobody);
      expect(await eventCount()).toBe(before);
    });

    it('leaves a payment before any invoice all unapplied', async () => {
      const customerId = randomUUID();
      const response = await pay(payment(customerId, '250000'));
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ allocations: [], unapplied: EUR('250000') });
      expect(await streamEvents(customerId)).toEqual(['PaymentReceived', 'PaymentLeftUnapplied']);
    });

    it('takes credit notes off the open amount, pays quoted invoices first, then the oldest due', async () => {
      const customerId = randomUUID();
      const older = await issueInvoice(customerId, '100000', '2026-02-28');
      const newer = await issueInvoice(customerId, '100000', '2026-04-30', `INV-Q-${randomUUID().slice(0, 6)}`);
      const creditNoteId = randomUUID();
      const note: CreditNoteIssuedData = {
        creditNoteId,
        creditNoteNumber: 'CN-1',
        invoiceId: older.invoiceId,
        customerId,
        amount: EUR('30000'),
        issueDate: '2026-01-15',
        reason: 'damaged goods',
      };
      await producer.send({
        topic: config.topics.invoicing,
        // Credit notes live on their invoice's stream: version 2 after the InvoiceIssued (a repeated version is a duplicate to the consumer).
        messages: [
          { key: customerId, value: JSON.stringify(envelopeOf('CreditNoteIssued', `invoice-${older.invoiceId}`, customerId, note, 2)) },
        ],
      });
      await waitFor(
        async () =>
          ((await db.pool.query('SELECT 1 FROM payments_credit_notes WHERE credit_note_id = $1', [creditNoteId])).rowCount ?? 0) > 0,
        { description: 'the credit note in the view' },
      );
      const response = await pay(payment(customerId, '150000', { remittanceReferences: [newer.invoiceNumber] }));
      expect(response.body).toMatchObject({
        remittanceReferences: [newer.invoiceNumber],
        allocations: [
          { invoiceId: newer.invoiceId, amount: EUR('100000') },
          { invoiceId: older.invoiceId, amount: EUR('50000') },
        ],
        unapplied: EUR('0'),
      });
      const account = await call('GET', `/v1/customers/${customerId}/payment-account`, { roles: ['finance'] });
      expect(account.body.invoices).toEqual([
        expect.objectContaining({
          invoiceId: older.invoiceId,
          openBeforePayments: EUR('70000'),
          allocated: EUR('50000'),
          outstanding: EUR('20000'),
        }),
        expect.objectContaining({
          invoiceId: newer.invoiceId,
          openBeforePayments: EUR('100000'),
          allocated: EUR('100000'),
          outstanding: EUR('0'),
        }),
      ]);
    });
    it('never applies more than is open when two payments of one customer race', async () => {
      const customerId = randomUUID();
      const invoice = await issueInvoice(customerId, '100000', '2026-05-31');
      const responses = await Promise.all([pay(payment(customerId, '70000')), pay(payment(customerId, '70000'))]);
      expect(responses.map((r) => r.status)).toEqual([201, 201]);
      const account = await call('GET', `/v1/customers/${customerId}/payment-account`, { roles: ['finance'] });
      expect(account.body.invoices).toEqual([
        expect.objectContaining({ invoiceId: invoice.invoiceId, allocated: EUR('100000'), outstanding: EUR('0') }),
      ]);
      expect(account.body.unappliedCash).toEqual([EUR('40000')]);
    });

    it('parks an invoice event that breaks its contract on the DLQ and keeps it out of the view', async () => {
      const customerId = randomUUID();
      const invoiceId = randomUUID();
      const broken = envelopeOf('InvoiceIssued', `invoice-${invoiceId}`, customerId, {
        invoiceId,
        invoiceNumber: 'INV-BROKEN',
        customerId,
        currency: 'EUR',
        lines: [],
        total: EUR('100'),
        issueDate: '2026-01-01',
        dueDate: '2026-01-31',
        earlyPaymentDiscount: null,
        reservationId: null,
      });
      await producer.send({ topic: config.topics.invoicing, messages: [{ key: customerId, value: JSON.stringify(broken) }] });
      const consumer = kafka.consumer({ groupId: `payments-dlq-reader-${randomUUID()}` });
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
      expect((await db.pool.query('SELECT 1 FROM payments_invoices WHERE invoice_id = $1', [invoiceId])).rowCount).toBe(0);
    });
  });

  describe('an invoice overpaid (reported by invoicing)', () => {
    it('puts the excess back on account as unapplied cash, by a PaymentAllocationReduced event, once however often it is reported', async () => {
      const customerId = randomUUID();
      const invoice = await issueInvoice(customerId, '1000000', '2026-02-28');
      const paid = await pay(payment(customerId, '1000000'));
      expect(paid.status).toBe(201);
      const paymentId = String(paid.body.paymentId);
      // Invoicing had credited 400,000 before this allocation reached it: the invoice could absorb 600,000 only.
      const overpaid = envelopeOf(
        'InvoiceOverpaid',
        `invoice-${invoice.invoiceId}`,
        customerId,
        {
          invoiceId: invoice.invoiceId,
          customerId,
          paymentId,
          excess: EUR('400000'),
        },
        3,
      );
      const message = { key: customerId, value: JSON.stringify(overpaid) };
      await producer.send({ topic: config.topics.invoicing, messages: [message, message] });
      await waitFor(async () => (await streamEvents(customerId)).includes('PaymentAllocationReduced'), {
        description: 'the allocation reduced',
      });
      const account = await call('GET', `/v1/customers/${customerId}/payment-account`, { roles: ['finance'] });
      expect(account.body.unappliedCash).toEqual([EUR('400000')]);
      expect(account.body.invoices).toMatchObject([{ invoiceId: invoice.invoiceId, allocated: EUR('600000') }]);
      expect((account.body.payments as Json[])[0]).toMatchObject({
        unapplied: EUR('400000'),
        reductions: [{ invoiceId: invoice.invoiceId, amount: EUR('400000'), reason: 'invoice-overpaid' }],
      });
      expect((await streamEvents(customerId)).filter((type) => type === 'PaymentAllocationReduced')).toHaveLength(1);
    });
  });

  describe('input and idempotency', () => {
    it('answers 400 problem+json to an invalid payload and appends nothing', async () => {
      const customerId = randomUUID();
      const before = await eventCount();
      const floatAmount = await pay(payment(customerId, '100.5'));
      expect(floatAmount.status).toBe(400);
      expect(floatAmount.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(floatAmount.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'amount' })]));
      const unknownCurrency = await pay(payment(customerId, '100', { amount: { amountMinor: '100', currency: 'XYZ' } }));
      expect(unknownCurrency.status).toBe(400);
      const many = await pay({
        customerId: 'nope',
        bankReference: '',
        amount: { amountMinor: 100, currency: 'EUR' },
        receivedOn: '2026-02-30',
        method: 'barter',
      });
      expect(many.status).toBe(400);
      expect(many.body.errors).toEqual(
        expect.arrayContaining(
          ['customerId', 'bankReference', 'amount', 'receivedOn', 'method'].map((field) => expect.objectContaining({ field })),
        ),
      );
      expect(await eventCount()).toBe(before);
    });

    it('refuses a zero amount as a 422 domain problem', async () => {
      const response = await pay(payment(randomUUID(), '0'));
      expect(response.status).toBe(422);
      expect(response.body).toMatchObject({ code: 'PAYMENT_AMOUNT_NOT_POSITIVE' });
    });

    it('appends once for the same Idempotency-Key sent twice', async () => {
      const customerId = randomUUID();
      const key = randomUUID();
      const body = payment(customerId, '12345');
      const before = await eventCount();
      const first = await pay(body, ['finance'], key);
      const second = await pay(body, ['finance'], key);
      expect([first.status, second.status]).toEqual([201, 201]);
      expect(second.headers.get('idempotent-replayed')).toBe('true');
      expect(second.body).toEqual(first.body);
      expect(await eventCount()).toBe(before + 2);
    });

    it('keeps a client-supplied payment id, and is ready', async () => {
      const paymentId = randomUUID();
      const response = await pay(payment(randomUUID(), '100', { paymentId }));
      expect(response.body).toMatchObject({ paymentId });
      expect((await call('GET', '/health/ready', { roles: null })).status).toBe(200);
    });
  });

  describe('receipt dates', () => {
    // Last in the file: once a close reaches payments, every receipt is dated against the open day (2026-02-01 here).
    beforeAll(async () => {
      const closed = envelopeOf('BusinessDayClosed', 'business-calendar', '00000000-0000-4000-8000-000000000000', { date: '2026-01-31' });
      await producer.send({ topic: config.topics.calendar, messages: [{ key: closed.customerId, value: JSON.stringify(closed) }] });
      await waitFor(
        async () =>
          ((await db.pool.query(`SELECT 1 FROM payments_business_calendar WHERE last_closed_day = '2026-01-31'`)).rowCount ?? 0) > 0,
        { description: 'the close of 2026-01-31 in the calendar view' },
      );
    });

    it('refuses a receipt dated more than a week after the open day (422), appending nothing', async () => {
      const customerId = randomUUID();
      const before = await eventCount();
      const refused = await pay(payment(customerId, '40000', { receivedOn: '2026-02-09' }));
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({
        status: 422,
        code: 'RECEIVED_ON_TOO_FAR_AHEAD',
        type: 'urn:arc:problem:received-on-too-far-ahead',
      });
      expect(await eventCount()).toBe(before);
      expect((await pay(payment(customerId, '40000', { receivedOn: '2026-02-08' }))).status).toBe(201);
    });

    it('refuses a receipt dated on a closed day without a reason, and records the reason on PaymentReceived when given', async () => {
      const customerId = randomUUID();
      const before = await eventCount();
      const refused = await pay(payment(customerId, '40000', { receivedOn: '2026-01-31' }));
      expect(refused.body).toMatchObject({ status: 422, code: 'BACKDATING_REASON_MISSING' });
      expect(await eventCount()).toBe(before);
      const reason = 'bank statement of 31 January arrived after the close';
      const backdated = await pay(payment(customerId, '40000', { receivedOn: '2026-01-31', backdatingReason: reason }));
      expect(backdated.status).toBe(201);
      expect(backdated.body).toMatchObject({ receivedOn: '2026-01-31', backdatingReason: reason });
      const { rows } = await db.pool.query<{ data: Json }>(
        `SELECT data FROM events WHERE event_type = 'PaymentReceived' AND data->>'paymentId' = $1`,
        [String(backdated.body.paymentId)],
      );
      expect(rows[0]?.data).toMatchObject({ receivedOn: '2026-01-31', backdatingReason: reason });
    });
  });
});
