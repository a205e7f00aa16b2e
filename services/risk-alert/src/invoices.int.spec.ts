import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventEnvelope, InvoiceIssuedData } from '@arc/contracts';
import { useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { RISK_ALERT, type RiskAlertConfig } from './config';
import { ProjectionsFeed, ReceivablesFeed } from './testing/figures';

type Json = Record<string, unknown>;

const EUR = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

/** A webhook receiver that answers 200 and keeps every JSON body it got. */
class Receiver {
  readonly bodies: Json[] = [];
  private server: Server | null = null;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
      req.on('end', () => {
        this.bodies.push(JSON.parse(raw) as Json);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server === null ? resolve() : this.server.close(() => resolve())));
  }
}

/**
 * The metrics read from risk-alert's own per-invoice view (fed by invoicing's and payments' events, open
 * balances by the rule of @arc/receivables), and the invoices behind an alert; real Kafka, PostgreSQL, HTTP.
 */
describe('risk-alert invoice metrics and the invoices behind an alert', () => {
  jest.setTimeout(120_000);
  const suite = useServiceUnderTest<RiskAlertConfig>({
    definition: RISK_ALERT,
    module: (config, options) => AppModule.forRoot(config, options),
    database: 'risk_alert_invoices',
    extra: { webhooks: { pollMs: 100, maxAttempts: 4, backoffSeconds: 1, timeoutMs: 2000 } },
  });
  const { config, producer, call, db } = suite;
  const receivables = new ReceivablesFeed();
  const projections = new ProjectionsFeed();
  const receiver = new Receiver();

  beforeAll(() => receiver.start());
  afterAll(() => receiver.stop());

  const send = (topic: string, envelope: EventEnvelope) =>
    producer.send({ topic, messages: [{ key: envelope.customerId, value: JSON.stringify(envelope) }] });
  const issue = async (customer: string, number: string, totalMinor: bigint, issueDate: string, dueDate: string) => {
    const envelope = receivables.issued(customer, number, totalMinor, issueDate, dueDate);
    await send(config.topics.invoicing, envelope);
    return envelope.data;
  };
  const pay = (invoice: InvoiceIssuedData, amountMinor: bigint, on: string) =>
    send(config.topics.payments, receivables.allocated(invoice, amountMinor, on));
  const closeDay = (date: string) => send(config.topics.calendar, receivables.dayClosed(date));
  const alertsOfRule = async (ruleId: string): Promise<Json[]> => {
    const response = await call('GET', `/v1/alerts?ruleId=${ruleId}`, { roles: ['collections'] });
    expect(response.status).toBe(200);
    return response.body.alerts as Json[];
  };
  const define = async (body: Json) => expect((await call('POST', '/v1/alert-rules', { body, roles: ['risk'] })).status).toBe(201);
  /** The invoice view has caught up with what was sent (invoicing and payments are consumed in parallel). */
  const openOf = async (invoiceId: string): Promise<string | null> => {
    const { rows } = await db.pool.query<{ open: string }>(
      `SELECT (amount_minor - allocated_minor - credited_minor)::text AS open FROM risk_alert_invoices WHERE invoice_id = $1 AND amount_minor IS NOT NULL`,
      [invoiceId],
    );
    return rows[0]?.open ?? null;
  };

  it('an invoice above 10,000.00 open raises an invoice-scope alert that resolves when it is paid', async () => {
    await define({
      ruleId: 'invoice-above-10k',
      name: 'Single invoice above 10k',
      metric: 'invoice-open-amount',
      comparison: '>',
      threshold: { unit: 'minor-units', amount: EUR('1000000') },
      severity: 'warning',
    });
    const customer = randomUUID();
    const small = await issue(customer, 'INV-S-1', 900_000n, '2026-05-04', '2026-06-03'); // 9,000.00: below
    const big = await issue(customer, 'INV-B-1', 1_500_000n, '2026-05-04', '2026-06-03'); // 15,000.00: above
    await waitFor(async () => (await alertsOfRule('invoice-above-10k')).length === 1, { description: 'the invoice alert' });
    const [alert] = await alertsOfRule('invoice-above-10k');
    expect(alert).toMatchObject({
      subject: { kind: 'invoice', key: big.invoiceId },
      status: 'open',
      observedValue: '1500000',
      thresholdValue: '1000000',
      currency: 'EUR',
      raisedOn: '2026-05-04',
      invoices: [{ invoiceId: big.invoiceId, invoiceNumber: 'INV-B-1', dueDate: '2026-06-03', open: EUR('1500000'), daysPastDue: -30 }],
    });
    // The customer's alerts include those on its invoices.
    const ofCustomer = await call('GET', `/v1/alerts?customerId=${customer}`, { roles: ['sales'] });
    expect((ofCustomer.body.alerts as Json[]).map((a) => a.alertId)).toEqual([alert?.alertId]);
    expect(small.invoiceId).not.toBe(big.invoiceId);

    await pay(big, 400_000n, '2026-05-10'); // 11,000.00 still open: the alert stays
    await waitFor(async () => (await openOf(big.invoiceId)) === '1100000', { description: 'the part payment in the invoice view' });
    expect((await alertsOfRule('invoice-above-10k'))[0]).toMatchObject({ status: 'open' });
    await pay(big, 1_100_000n, '2026-05-12'); // paid
    await waitFor(async () => (await alertsOfRule('invoice-above-10k'))[0]?.status === 'resolved', { description: 'the resolution' });
    expect((await alertsOfRule('invoice-above-10k'))[0]).toMatchObject({ resolvedOn: '2026-05-12', resolution: 'condition-cleared' });
    expect(await alertsOfRule('invoice-above-10k')).toHaveLength(1);
  });

  it('the amount falling due in the next 7 days crosses its threshold as the days close, and clears once the invoice is past due', async () => {
    await define({
      ruleId: 'due-next-7-above-5k',
      name: 'Falling due within 7 days above 5k',
      metric: 'customer-due-next-7-days',
      comparison: '>',
      threshold: { unit: 'minor-units', amount: EUR('500000') },
      severity: 'info',
    });
    const customer = randomUUID();
    const a = await issue(customer, 'INV-D-1', 300_000n, '2026-07-01', '2026-07-20');
    const b = await issue(customer, 'INV-D-2', 400_000n, '2026-07-02', '2026-07-25');
    await waitFor(async () => (await openOf(b.invoiceId)) === '400000', { description: 'both invoices in the view' });
    await closeDay('2026-07-13'); // A due in 7 days (3,000.00), B in 12: not above 5,000.00
    await closeDay('2026-07-18'); // A in 2 days, B in 7: 7,000.00 > 5,000.00
    await waitFor(async () => (await alertsOfRule('due-next-7-above-5k')).length === 1, { description: 'the falling-due alert' });
    expect((await alertsOfRule('due-next-7-above-5k'))[0]).toMatchObject({
      subject: { kind: 'customer', key: customer },
      observedValue: '700000',
      raisedOn: '2026-07-18',
      invoices: [
        { invoiceId: a.invoiceId, invoiceNumber: 'INV-D-1', dueDate: '2026-07-20', open: EUR('300000'), daysPastDue: -2 },
        { invoiceId: b.invoiceId, invoiceNumber: 'INV-D-2', dueDate: '2026-07-25', open: EUR('400000'), daysPastDue: -7 },
      ],
    });
    await closeDay('2026-07-21'); // A is past due (out of the window): 4,000.00
    await waitFor(async () => (await alertsOfRule('due-next-7-above-5k'))[0]?.status === 'resolved', { description: 'the resolution' });
    expect((await alertsOfRule('due-next-7-above-5k'))[0]).toMatchObject({ resolvedOn: '2026-07-21' });
  });

  it('an overdue-amount alert lists the invoices behind it, in the alert and in the webhook payload', async () => {
    const subscription = {
      department: 'collections',
      url: receiver.url,
      secret: 'a-secret-of-enough-length',
      ruleIds: ['overdue-above-25k'],
    };
    expect((await call('POST', '/v1/alert-subscriptions', { body: subscription, roles: ['risk'] })).status).toBe(201);
    await define({
      ruleId: 'overdue-above-25k',
      name: 'Overdue above 25k',
      metric: 'customer-overdue-amount',
      comparison: '>',
      threshold: { unit: 'minor-units', amount: EUR('2500000') },
      severity: 'critical',
    });
    const customer = randomUUID();
    const march = await issue(customer, 'INV-O-1', 2_000_000n, '2026-02-01', '2026-03-01');
    const april = await issue(customer, 'INV-O-2', 1_500_000n, '2026-03-02', '2026-04-01');
    const june = await issue(customer, 'INV-O-3', 500_000n, '2026-03-31', '2026-06-30'); // not yet due: not behind the figure
    await pay(march, 200_000n, '2026-03-20');
    await waitFor(async () => (await openOf(march.invoiceId)) === '1800000' && (await openOf(june.invoiceId)) !== null, {
      description: 'the invoices and the part payment in the view',
    });
    // Projections' exposure: 33,000.00 overdue of 38,000.00 open.
    await send(config.topics.projectionChanges, projections.exposure(customer, 3_800_000n, 10_000_000n, '2026-04-15', null, 3_300_000n));
    const behind = [
      { invoiceId: march.invoiceId, invoiceNumber: 'INV-O-1', dueDate: '2026-03-01', open: EUR('1800000'), daysPastDue: 45 },
      { invoiceId: april.invoiceId, invoiceNumber: 'INV-O-2', dueDate: '2026-04-01', open: EUR('1500000'), daysPastDue: 14 },
    ];
    await waitFor(async () => (await alertsOfRule('overdue-above-25k')).length === 1, { description: 'the overdue alert' });
    const [alert] = await alertsOfRule('overdue-above-25k');
    expect(alert).toMatchObject({ observedValue: '3300000', invoices: behind });
    await waitFor(async () => receiver.bodies.some((b) => b.alertId === alert?.alertId), { description: 'the webhook' });
    const delivered = receiver.bodies.find((b) => b.alertId === alert?.alertId);
    expect(delivered).toMatchObject({ eventType: 'AlertRaised', data: { observedValue: '3300000', invoices: behind } });
  });
});
