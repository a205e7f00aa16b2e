import { randomBytes, randomUUID } from 'node:crypto';
import { mintDevelopmentToken } from '@arc/auth';
import { deletePlatformTopics, launchPlatform, type Platform, type ServiceName } from '@arc/launcher';
import { endpoints, waitFor } from '@arc/testing';

// Issue 12's acceptance rule "a bounced cheque reopens the two invoices it paid; the projections' aging and exposure
// move back", across the real processes: invoicing issues the invoices, payments applies a cheque to both and then
// reverses it, and every service downstream (invoicing, credit, projections, collections) sees the invoices open and
// overdue again. Each step waits on the state it expects (no fixed sleeps); this run's databases and topics are its own.

jest.setTimeout(240_000);

type Json = Record<string, unknown>;
interface MoneyJson {
  amountMinor: string;
  currency: string;
}
const eur = (amountMinor: string): MoneyJson => ({ amountMinor, currency: 'EUR' });
const minor = (value: unknown): string => (value as MoneyJson).amountMinor;

const SERVICES: ServiceName[] = ['credit', 'invoicing', 'payments', 'projections', 'collections'];
let platform: Platform;
const token = mintDevelopmentToken({ sub: 'e2e-reversal', roles: ['admin'] });

async function call(service: ServiceName, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const response = await fetch(`${platform.url(service)}/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
}
async function ok(service: ServiceName, method: string, path: string, body?: unknown): Promise<Json> {
  const reply = await call(service, method, path, body);
  if (reply.status >= 300) throw new Error(`${method} ${service} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

describe('a bounced cheque, across the services (issue 12)', () => {
  const run = randomBytes(3).toString('hex');
  const customerId = randomUUID();

  beforeAll(async () => {
    const { kafkaBrokers, databaseUrl } = endpoints();
    platform = await launchPlatform({
      kafkaBrokers,
      databaseUrl,
      services: SERVICES,
      databasePrefix: `arc_e2e_reversal_${run}`,
      kafkaNamespace: `e2e-reversal-${run}`,
      ports: 'free',
    });
  }, 180_000);

  afterAll(async () => {
    if (!platform) return;
    await platform.stop(10_000);
    await platform.dropDatabases();
    await deletePlatformTopics(endpoints().kafkaBrokers, `e2e-reversal-${run}`);
  }, 60_000);

  const aging = async (): Promise<Json> => ((await ok('projections', 'GET', `/customers/${customerId}/aging`)).aging as Json[])[0] ?? {};
  const exposure = async (): Promise<Json> => ok('projections', 'GET', `/customers/${customerId}/exposure`);
  const standing = async (): Promise<Json> => ok('credit', 'GET', `/customers/${customerId}`);
  const invoice = async (invoiceId: string): Promise<Json> => ok('invoicing', 'GET', `/invoices/${invoiceId}`);
  const openItems = async (): Promise<Record<string, string>> =>
    Object.fromEntries(
      ((await ok('collections', 'GET', `/customers/${customerId}/open-items`)).items as Json[]).map((i) => [
        String(i.invoiceNumber),
        minor(i.open),
      ]),
    );
  /** Waits until every service downstream shows `open` (minor units) open and `overdue` of it overdue. */
  const settlesAt = async (open: string, overdue: string, openItemsExpected: Record<string, string>, what: string) => {
    await waitFor(
      async () => {
        const a = await aging();
        return a.totalOpen !== undefined && minor(a.totalOpen) === open && minor(a.overdue) === overdue;
      },
      { description: `projections' aging: ${open} open, ${overdue} overdue (${what})` },
    );
    await waitFor(async () => minor((await exposure()).openAr) === open, {
      description: `projections' exposure: open AR ${open} (${what})`,
    });
    await waitFor(async () => minor((await standing()).openAr) === open, { description: `credit: open AR ${open} (${what})` });
    await waitFor(async () => JSON.stringify(await openItems()) === JSON.stringify(openItemsExpected), {
      description: `collections' open items ${JSON.stringify(openItemsExpected)} (${what})`,
    });
  };

  it('a bounced cheque reopens the two invoices it paid; aging, exposure, credit and collections move back', async () => {
    await ok('invoicing', 'POST', '/calendar/start', { date: '2026-01-01' });
    await ok('credit', 'POST', '/customers', {
      customerId,
      legalName: `Cheque Payer ${run}`,
      registrationNumber: `HRB-R-${run}`,
      industry: 'machinery',
      country: 'DE',
      currency: 'EUR',
      businessUnit: 'emea',
    });
    await ok('credit', 'PUT', `/customers/${customerId}/credit-policy`, {
      creditClass: 'B',
      creditLimit: eur('10000000'),
      paymentTermDays: 30,
      acceptedPaymentMethods: ['bank-transfer', 'cheque'],
      nextReviewDate: '2026-12-31',
    });

    // Two invoices, 1,200.00 and 800.00, both due 2026-01-31 (invoicing waits to know the payment terms).
    const issue = (number: string, netMinor: string) =>
      waitFor(
        async () => {
          const reply = await call('invoicing', 'POST', '/invoices', {
            invoiceId: randomUUID(),
            number,
            customerId,
            currency: 'EUR',
            lines: [{ description: 'Valve V-10', netAmount: eur(netMinor), taxAmount: eur('0') }],
            issueDate: '2026-01-01',
          });
          return reply.status === 201 ? reply.body : undefined;
        },
        { description: `invoice ${number} to be issued (invoicing knows the terms)` },
      );
    const first = await issue(`INV-R${run}-000123`, '120000');
    const second = await issue(`INV-R${run}-000124`, '80000');
    const both = { [String(first.number)]: '120000', [String(second.number)]: '80000' };

    // Overdue: the days up to 2026-02-15 are closed, both invoices are 1–30 days late.
    await ok('invoicing', 'POST', '/calendar/close-days', { until: '2026-02-15' });
    await waitFor(async () => (await aging()).asOf === '2026-02-15', { description: 'aging as of 2026-02-15' });
    await settlesAt('200000', '200000', both, 'before the cheque');

    // Payments learns of the invoices from invoicing's events: the cheque is recorded once it knows both (a receipt
    // recorded earlier would stay unapplied, and its bank reference cannot be recorded again).
    const outstanding = async (): Promise<Record<string, string>> =>
      Object.fromEntries(
        ((await ok('payments', 'GET', `/customers/${customerId}/payment-account`)).invoices as Json[]).map((i) => [
          String(i.invoiceNumber),
          minor(i.outstanding),
        ]),
      );
    await waitFor(async () => JSON.stringify(await outstanding()) === JSON.stringify(both), {
      description: 'payments to know both invoices',
    });
    // The cheque of 2,000.00 quotes both invoices in shorthand and pays both.
    const paid = await waitFor(
      async () => {
        const reply = await call('payments', 'POST', '/payments', {
          bankReference: `CHQ-${run}`,
          customerId,
          amount: eur('200000'),
          receivedOn: '2026-02-16',
          method: 'cheque',
          remittanceReferences: [`${String(first.number)}/124`],
        });
        // 422 CUSTOMER_UNKNOWN while payments has not yet seen the customer registered: asked again.
        return reply.status === 201 ? reply.body : undefined;
      },
      { description: 'the cheque to be recorded (payments knows the customer)' },
    );
    expect((paid.allocations as Json[]).map((a) => [a.invoiceId, minor(a.amount), a.matchedBy])).toEqual([
      [first.invoiceId, '120000', 'remittance-reference'],
      [second.invoiceId, '80000', 'remittance-reference'],
    ]);
    await settlesAt('0', '0', {}, 'after the cheque');
    await waitFor(async () => (await invoice(String(first.invoiceId))).status === 'paid', {
      description: 'invoicing: the first invoice paid',
    });
    await waitFor(async () => (await invoice(String(second.invoiceId))).status === 'paid', {
      description: 'invoicing: the second invoice paid',
    });

    // The cheque bounces: both invoices open again, overdue as before, everywhere.
    const reversed = await ok('payments', 'POST', `/customers/${customerId}/payments/${String(paid.paymentId)}/reversal`, {
      reason: 'cheque-bounced',
      note: 'returned unpaid: insufficient funds',
      reversedOn: '2026-02-16',
    });
    expect(reversed.unappliedCash).toEqual([eur('0')]);
    await settlesAt('200000', '200000', both, 'after the cheque bounced');
    const aged = await aging();
    expect((aged.buckets as Json[]).find((b) => b.label === '1-30')).toMatchObject({ amount: eur('200000') });
    expect(await exposure()).toMatchObject({ openAr: eur('200000'), exposure: eur('200000') });
    for (const reopened of [first, second]) {
      await waitFor(
        async () => {
          const i = await invoice(String(reopened.invoiceId));
          return i.status === 'open' && minor(i.openBalance) === minor(reopened.total);
        },
        { description: `invoicing: ${String(reopened.number)} open again for its whole total` },
      );
    }
    // Payments itself: nothing allocated any more, nothing on account.
    expect(await outstanding()).toEqual(both);
  });
});
