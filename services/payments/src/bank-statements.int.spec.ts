import { randomUUID } from 'node:crypto';
import type { Role } from '@arc/auth';
import { useServiceUnderTest } from '@arc/platform/testing';
import { AppModule } from './app.module';
import { PAYMENTS, type PaymentsConfig } from './config';
import { StatementStore } from './statements/statement-store';
import { IMPORT_CHUNK } from './statements/statement-import.service';
import { EUR, paymentsFixtures } from './testing/payments-fixtures.spec';
import { CSV_OPTIONS, camt053, csv, mt940, parts, testIban, type FileEntry } from './testing/statement-files';

type Json = Record<string, unknown>;
const text = (pieces: Iterable<string>) => [...pieces].join('');

describe('bank statements: CSV, camt.053, camt.054 and MT940 (issue 12, on real servers)', () => {
  const suite = useServiceUnderTest<PaymentsConfig>({
    definition: PAYMENTS,
    database: 'payments_bank_statements',
    module: (config, options) => AppModule.forRoot(config, options),
  });
  const { call, db, eventCount } = suite;
  const { register, issueInvoice, streamEvents, account } = paymentsFixtures(suite);
  let n = 0;
  const ours = () => testIban(900_000 + ++n);

  const upload = (body: Json, roles: Role[] = ['finance']) => call('POST', '/v1/bank-statements', { roles, body });
  const payerOf = async (customerId: string) => {
    await register(customerId);
    const iban = testIban(++n);
    expect((await call('PUT', `/v1/payer-accounts/${iban}`, { roles: ['finance'], body: { customerId } })).status).toBe(200);
    return iban;
  };
  const receiptsOf = async (customerId: string) =>
    (await streamEvents(`payment-account-${customerId}`)).filter((e) => e.type === 'PaymentReceived');

  it('the same camt.053 file imported twice records each receipt once', async () => {
    const customerId = randomUUID();
    const payer = await payerOf(customerId);
    const account = ours();
    const entries: FileEntry[] = [
      { amount: '100.00', bookingDate: '2026-01-25', bankReference: `R-${n}-1`, payerIban: payer, remittance: 'thanks' },
      { amount: '100.00', bookingDate: '2026-01-25', bankReference: `R-${n}-2`, payerIban: payer },
      { amount: '42.00', bookingDate: '2026-01-25', bankReference: `R-${n}-3`, direction: 'DBIT' },
    ];
    const file = text(camt053(account, entries));
    const first = await upload({ format: 'camt.053', fileName: 'a.xml', content: file });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      status: 'imported',
      entries: 3,
      checkpoint: 3,
      receipts: 2,
      duplicates: 0,
      suspense: 0,
      debitsSkipped: 1,
    });
    const second = await upload({ format: 'camt.053', fileName: 'a-again.xml', content: file });
    expect(second.body).toMatchObject({ status: 'imported', receipts: 0, duplicates: 2, suspense: 0 });
    expect(await receiptsOf(customerId)).toHaveLength(2);
  });

  it('an MT940 and a CSV of the same day’s entries do not double-count (nor an overlapping camt.054)', async () => {
    const customerId = randomUUID();
    const payer = await payerOf(customerId);
    const account = ours();
    const day: FileEntry[] = [
      { amount: '250.00', bookingDate: '2026-01-26', bankReference: `M-${n}-1`, payerIban: payer, remittance: 'first' },
      { amount: '99.99', bookingDate: '2026-01-26', bankReference: `M-${n}-2`, payerIban: payer, remittance: 'second' },
    ];
    const fromMt940 = await upload({ format: 'mt940', content: text(mt940(account, day)) });
    expect(fromMt940.body).toMatchObject({ status: 'imported', receipts: 2, duplicates: 0 });
    const fromCsv = await upload({ format: 'csv', csv: CSV_OPTIONS, content: text(csv(account, day)) });
    expect(fromCsv.body).toMatchObject({ status: 'imported', receipts: 0, duplicates: 2 });
    const more = [...day, { amount: '10.00', bookingDate: '2026-01-27', bankReference: `M-${n}-3`, payerIban: payer }];
    const fromCamt054 = await upload({ format: 'camt.054', content: text(camt053(account, more, '08', '054')) });
    expect(fromCamt054.body).toMatchObject({ status: 'imported', receipts: 1, duplicates: 2 });
    expect(await receiptsOf(customerId)).toHaveLength(3);
  });

  it('finds the payer by the invoice numbers in the remittance when its IBAN is not mapped, and applies the cash to them', async () => {
    const customerId = randomUUID();
    await register(customerId);
    const tag = customerId.slice(0, 6).toUpperCase();
    const a = await issueInvoice(customerId, '10000', '2026-02-01', { invoiceNumber: `INV-${tag}-000123` });
    const b = await issueInvoice(customerId, '20000', '2026-02-02', { invoiceNumber: `INV-${tag}-000124` });
    const file = text(
      camt053(ours(), [
        {
          amount: '300.00',
          bookingDate: '2026-01-25',
          bankReference: `N-${n}`,
          payerIban: testIban(++n),
          remittance: `INV-${tag}-000123/124`,
        },
      ]),
    );
    expect((await upload({ format: 'camt.053', content: file })).body).toMatchObject({ receipts: 1, suspense: 0 });
    const payments = (await account(customerId)).body.payments as Json[];
    expect(payments[0]).toMatchObject({
      allocations: [
        { invoiceId: a.invoiceId, amount: EUR('10000'), matchedBy: 'remittance-reference' },
        { invoiceId: b.invoiceId, amount: EUR('20000'), matchedBy: 'remittance-reference' },
      ],
    });
  });

  it('an unknown IBAN lands in suspense and is assigned later (mapping the IBAN for next time)', async () => {
    const stranger = testIban(++n, 'FR');
    const file = text(
      camt053(ours(), [
        {
          amount: '77.70',
          bookingDate: '2026-01-25',
          bankReference: `S-${n}`,
          payerIban: stranger,
          payerName: 'Unknown SARL',
          remittance: 'order 4711',
        },
      ]),
    );
    expect((await upload({ format: 'camt.053', content: file })).body).toMatchObject({ receipts: 0, suspense: 1 });
    const listed = await call('GET', '/v1/suspense', { roles: ['collections'] });
    const item = (listed.body.items as Json[]).find((i) => i.payerIban === stranger);
    expect(item).toMatchObject({ amount: EUR('7770'), payerName: 'Unknown SARL', remittance: 'order 4711', customerId: null });
    const customerId = randomUUID();
    await register(customerId);
    const assigned = await call('POST', `/v1/suspense/${String(item?.suspenseId)}/assignment`, {
      roles: ['finance'],
      body: { customerId, mapPayerAccount: true },
    });
    expect(assigned.status).toBe(201);
    expect(assigned.body).toMatchObject({ suspense: { customerId }, account: { unappliedCash: [EUR('7770')] } });
    expect(((await call('GET', '/v1/suspense', { roles: ['finance'] })).body.items as Json[]).some((i) => i.payerIban === stranger)).toBe(
      false,
    );
    // The next receipt from that IBAN finds the customer.
    const next = text(camt053(ours(), [{ amount: '1.00', bookingDate: '2026-01-26', bankReference: `S2-${n}`, payerIban: stranger }]));
    expect((await upload({ format: 'camt.053', content: next })).body).toMatchObject({ receipts: 1, suspense: 0 });
    const again = await call('POST', `/v1/suspense/${String(item?.suspenseId)}/assignment`, {
      roles: ['finance'],
      body: { customerId: randomUUID() },
    });
    expect([again.status, again.body.code]).toEqual([409, 'SUSPENSE_RECEIPT_ASSIGNED']);
  });

  it('a corrupt camt.053 (not XML, wrong namespace, a missing amount) gets a clear 4xx report, and nothing of it is imported', async () => {
    const before = await eventCount();
    const notXml = await upload({ format: 'camt.053', content: 'this is not a statement' });
    expect(notXml.status).toBe(422);
    expect(notXml.headers.get('content-type')).toContain('application/problem+json');
    expect(notXml.body).toMatchObject({
      type: 'urn:arc:problem:statement-rejected',
      problems: [{ entry: null, reason: expect.stringContaining('not well-formed XML') }],
    });

    const good: FileEntry = { amount: '5.00', bookingDate: '2026-01-25', bankReference: `C-${n}`, payerIban: testIban(++n) };
    const wrong = text(camt053(ours(), [good])).replace('camt.053.001.08', 'camt.052.001.08');
    const wrongNamespace = await upload({ format: 'camt.053', content: wrong });
    expect([wrongNamespace.status, (wrongNamespace.body.problems as Json[])[0]?.reason]).toEqual([
      422,
      expect.stringContaining('not an ISO 20022 camt.053 document'),
    ]);

    const missing = text(camt053(ours(), [good, { ...good, bankReference: `C2-${n}` }])).replace(
      /<Amt Ccy="EUR">5.00<\/Amt>(?![\s\S]*<Amt)/,
      '',
    );
    const missingAmount = await upload({ format: 'camt.053', content: missing });
    expect(missingAmount.status).toBe(422);
    expect(missingAmount.body).toMatchObject({
      detail: expect.stringContaining('entry 2, line 6'),
      problemCount: 1,
      problems: [{ entry: 2, line: 6, reason: expect.stringContaining('the amount (Ntry/Amt) is missing') }],
    });
    expect(await eventCount()).toBe(before);
  });

  it('a large file uploaded in parts is imported in chunks with progress, and resumes after a crash without duplicates', async () => {
    const customers = [randomUUID(), randomUUID(), randomUUID()];
    const payers = await Promise.all(customers.map(payerOf));
    const account = ours();
    const total = IMPORT_CHUNK * 2 + IMPORT_CHUNK / 2;
    const entries = function* (): Generator<FileEntry> {
      for (let i = 1; i <= total; i++) {
        yield {
          amount: `${(i % 50) + 1}.00`,
          bookingDate: '2026-01-28',
          bankReference: `L-${account}-${i}`,
          payerIban: payers[i % payers.length] as string,
        };
      }
    };
    const statementId = randomUUID();
    expect((await upload({ statementId, format: 'camt.053', fileName: 'large.xml' })).status).toBe(201);
    let seq = 0;
    for (const part of parts(camt053(account, entries()), 100_000)) {
      expect(
        (await call('PUT', `/v1/bank-statements/${statementId}/parts/${++seq}`, { roles: ['finance'], body: { content: part } })).status,
      ).toBe(200);
    }
    expect(seq).toBeGreaterThan(3);
    // A crash after the first chunk committed: the second chunk's commit fails.
    const store = suite.app.get(StatementStore);
    const advance = store.advance.bind(store);
    let chunks = 0;
    const crash = jest.spyOn(store, 'advance').mockImplementation(async (...args) => {
      if (++chunks === 2) throw new Error('the machine went away');
      return advance(...args);
    });
    const interrupted = await call('POST', `/v1/bank-statements/${statementId}/import`, { roles: ['finance'] });
    crash.mockRestore();
    expect(interrupted.status).toBe(500);
    const progress = await call('GET', `/v1/bank-statements/${statementId}`, { roles: ['risk'] });
    expect(progress.body).toMatchObject({ status: 'importing', entries: total, checkpoint: IMPORT_CHUNK, receipts: IMPORT_CHUNK });

    const resumed = await call('POST', `/v1/bank-statements/${statementId}/import`, { roles: ['finance'] });
    expect(resumed.body).toMatchObject({ status: 'imported', entries: total, checkpoint: total, receipts: total, duplicates: 0 });
    const { rows } = await db.pool.query<{ count: string }>(
      `SELECT count(*) FROM events WHERE event_type = 'PaymentReceived' AND data->>'statementId' = $1`,
      [statementId],
    );
    expect(Number(rows[0]?.count)).toBe(total);
  });

  it('every new route answers 401 / 403 / 400 as problem+json, appending nothing', async () => {
    const before = await eventCount();
    const id = randomUUID();
    const routes: Array<[string, string, Json, Role[]]> = [
      ['POST', '/v1/bank-statements', { format: 'camt.099', content: '' }, ['collections']],
      ['PUT', `/v1/bank-statements/${id}/parts/1`, { content: 42 }, ['risk']],
      ['POST', `/v1/bank-statements/not-a-uuid/import`, {}, ['collections']],
      ['GET', `/v1/bank-statements/not-a-uuid`, {}, ['sales']],
      ['PUT', '/v1/payer-accounts/not an iban', { customerId: 'x' }, ['collections']],
      ['GET', '/v1/suspense', {}, ['sales']],
      ['POST', `/v1/suspense/${id}/assignment`, { customerId: 'nobody' }, ['risk']],
    ];
    for (const [method, path, body, outsiders] of routes) {
      const sendBody = method === 'GET' ? {} : { body };
      const anonymous = await call(method, path, { roles: null, ...sendBody });
      const outsider = await call(method, path, { roles: outsiders, ...sendBody });
      expect([path, anonymous.status, outsider.status]).toEqual([path, 401, 403]);
      for (const r of [anonymous, outsider]) expect(r.headers.get('content-type')).toContain('application/problem+json');
      if (path !== '/v1/suspense') {
        const invalid = await call(method, path, { roles: ['finance'], ...sendBody });
        expect([path, invalid.status]).toEqual([path, 400]);
        expect(invalid.headers.get('content-type')).toContain('application/problem+json');
      }
    }
    expect(await eventCount()).toBe(before);
  });
});
