import { randomUUID } from 'node:crypto';
import { mintDevelopmentToken } from '@arc/auth';
import { pdfToText } from '@arc/documents/testing';
import { useServiceUnderTest } from '@arc/platform/testing';
import { waitFor } from '@arc/testing';
import { AppModule } from './app.module';
import { INVOICING, type InvoicingConfig } from './config';
import { statementIdFor } from './statements/statements';
import { EUR, receivablesFixtures, type Json } from './testing/receivables-fixtures';

/*
 * One customer year on the real servers, in business-date order (one calendar per suite): contract terms, the
 * instalments aging, late interest accrued at each day close and charged at month end, statements.
 */
describe('the receivable on a contract: terms, instalments, late interest and statements (real servers)', () => {
  const suite = useServiceUnderTest<InvoicingConfig>({
    definition: INVOICING,
    module: (config, options) => AppModule.forRoot(config, options),
  });
  const { call, db } = suite;
  const { agreeContract, issueInvoice, invoice, allocate, closeDays, produce } = receivablesFixtures(suite);

  const buyer = randomUUID();
  const debtor = randomUUID();
  let instalmentInvoice: Json = {};
  let lateInvoice: Json = {};

  const storedData = async (invoiceId: unknown, type: string): Promise<Json[]> => {
    const { rows } = await db.pool.query<{ data: Json }>(
      'SELECT data FROM events WHERE stream_id = $1 AND event_type = $2 ORDER BY stream_version',
      [`invoice-${String(invoiceId)}`, type],
    );
    return rows.map((r) => r.data);
  };
  const interestThrough = async (day: string) =>
    waitFor(async () => ((await invoice(lateInvoice.invoiceId)).lateInterest as { accruedThrough: string | null }).accruedThrough === day, {
      description: `late interest accrued through ${day}`,
    });

  it('starts the business calendar on 2028-01-02', async () => {
    expect((await call('POST', '/v1/calendar/start', { roles: ['finance'], body: { date: '2028-01-02' } })).status).toBe(201);
    // The debtor's registration at credit: its legal name addresses the statements.
    await produce(suite.config.topics.credit, 'CustomerRegistered', debtor, {
      customerId: debtor,
      legalName: 'Debitor Maschinenbau GmbH',
      registrationNumber: 'HRB 4711',
      industry: 'machinery',
      country: 'DE',
      currency: 'EUR',
      businessUnit: 'emea-north',
    });
  });

  it('an invoice under "2/10 net 30" from its contract: due date, discount date and discounted amount are right', async () => {
    const contractId = await agreeContract(buyer, { earlyPaymentDiscount: { basisPoints: 200, withinDays: 10 } });
    const issued = await issueInvoice(buyer, contractId, '123456', '2028-01-03');
    expect(issued).toMatchObject({
      contractId,
      dueDate: '2028-02-02',
      // 2 % of 1,234.56 = 24.6912 → 24.69 (half up); 1,234.56 − 24.69 = 1,209.87
      earlyPaymentDiscount: { basisPoints: 200, payBy: '2028-01-13', discountedAmount: EUR('120987') },
      dueItems: [{ sequence: 1, dueDate: '2028-02-02', amount: EUR('123456'), open: EUR('123456') }],
    });
    expect(await storedData(issued.invoiceId, 'InvoiceIssued')).toEqual([
      expect.objectContaining({
        contractId,
        earlyPaymentDiscount: { basisPoints: 200, payBy: '2028-01-13', discountedAmount: EUR('120987') },
      }),
    ]);
  });

  it('splits a three-instalment invoice into due items that add up to the total, published on InvoiceIssued', async () => {
    const contractId = await agreeContract(buyer, {
      paymentTerms: {
        kind: 'instalments',
        instalments: [
          { dueAfterDays: 30, shareBasisPoints: 3333 },
          { dueAfterDays: 60, shareBasisPoints: 3333 },
          { dueAfterDays: 90, shareBasisPoints: 3334 },
        ],
      },
    });
    instalmentInvoice = await issueInvoice(buyer, contractId, '100000', '2028-01-03');
    const dueItems = [
      { sequence: 1, dueDate: '2028-02-02', amount: EUR('33330') },
      { sequence: 2, dueDate: '2028-03-03', amount: EUR('33330') },
      { sequence: 3, dueDate: '2028-04-02', amount: EUR('33340') },
    ];
    expect(instalmentInvoice).toMatchObject({ dueDate: '2028-04-02', dueItems: dueItems.map((item) => expect.objectContaining(item)) });
    expect((await storedData(instalmentInvoice.invoiceId, 'InvoiceIssued'))[0]).toMatchObject({ dueItems });
    await allocate(buyer, instalmentInvoice.invoiceId, '33330', '2028-02-01');
  });

  it('issues a 10,000.00 invoice due 2028-02-10 under "reference rate + 9.00 points", with the reference rates set', async () => {
    await closeDays('2028-01-03');
    for (const [effectiveFrom, basisPoints] of [
      ['2027-07-01', 250],
      ['2028-03-01', 200],
    ] as const) {
      expect(
        (await call('POST', '/v1/reference-rates', { roles: ['finance'], body: { effectiveFrom, basisPoints, name: 'ECB MRO' } })).status,
      ).toBe(201);
    }
    const contractId = await agreeContract(debtor, { lateInterest: { kind: 'reference-plus-margin', marginBasisPoints: 900 } });
    lateInvoice = await issueInvoice(debtor, contractId, '1000000', '2028-01-11');
    expect(lateInvoice).toMatchObject({ dueDate: '2028-02-10', lateInterest: { accruedExactMinor: '0', charging: 'month-end' } });
  });

  it('a three-instalment invoice ages and is reported per instalment', async () => {
    await closeDays('2028-03-10');
    await interestThrough('2028-03-10');
    const aged = await invoice(instalmentInvoice.invoiceId);
    expect(aged).toMatchObject({
      asOf: '2028-03-10',
      status: 'partially-paid',
      dueItems: [
        { sequence: 1, open: EUR('0'), daysOverdue: 0 },
        { sequence: 2, open: EUR('33330'), daysOverdue: 7 },
        { sequence: 3, open: EUR('33340'), daysOverdue: 0 },
      ],
    });
    // No late-interest rule in its contract: nothing accrues on it.
    expect(aged.lateInterest).toBeNull();
  });

  it('late interest 45 days overdue at 9.0 % + the reference rate, across a rate change and 29 February, equals the hand-computed figure to the cent', async () => {
    // 10,000.00 × (2.50 + 9.00) % × 19/366 (11–29 Feb 2028, a leap year) = 59.699453…
    // 10,000.00 × (2.00 + 9.00) % × 26/366 (1–26 Mar 2028, after the rate change)  = 78.142076…
    //                                                                          Σ = 137.841530… → 137.84
    await closeDays('2028-03-26');
    await interestThrough('2028-03-26');
    const late = await invoice(lateInvoice.invoiceId);
    expect(late.lateInterest).toMatchObject({ accruedExactMinor: '13784.153005', accruedThrough: '2028-03-26' });
    // Charged at the close of 29 February: 19 days, 59.699453… → 59.70.
    expect(late.debitNotes).toEqual([
      expect.objectContaining({ kind: 'late-interest', amount: EUR('5970'), issueDate: '2028-02-29', dueDate: '2028-03-30' }),
    ]);
    expect((await storedData(lateInvoice.invoiceId, 'LateInterestAccrued')).length).toBe(45);
  });

  it("the interest debit note survives the principal's payment: charged at month end, it stays open (Σ 137.84)", async () => {
    await allocate(debtor, lateInvoice.invoiceId, '1000000', '2028-03-27');
    await closeDays('2028-03-31');
    await waitFor(async () => ((await invoice(lateInvoice.invoiceId)).debitNotes as unknown[]).length === 2, {
      description: 'the March interest debit note',
    });
    const late = await invoice(lateInvoice.invoiceId);
    // 137.84 rounded once − 59.70 already charged = 78.14.
    expect((late.debitNotes as Json[]).map((n) => n.amount)).toEqual([EUR('5970'), EUR('7814')]);
    expect(late).toMatchObject({ openBalance: EUR('13784'), debitNoted: EUR('13784'), status: 'partially-paid' });
    expect((late.dueItems as Json[])[0]).toMatchObject({ open: EUR('0') });
    expect(((await storedData(lateInvoice.invoiceId, 'DebitNoteIssued'))[1] as Json).lateInterest).toEqual({
      accruedFrom: '2028-03-01',
      accruedThrough: '2028-03-26',
      exactMinor: '7814.20765',
    });
  });

  const monthEnd = (customerId: string, from: string, to: string) => statementIdFor(customerId, 'EUR', from, to, 'month-end');

  it("a month's statement equals the ledger's movements for that month", async () => {
    const february = await call('GET', `/v1/statements/${monthEnd(debtor, '2028-02-01', '2028-02-29')}`, { roles: ['collections'] });
    expect(february.status).toBe(200);
    expect(february.body).toMatchObject({
      openingBalance: EUR('1000000'),
      items: [{ kind: 'debit-note', date: '2028-02-29', amount: EUR('5970') }],
      closingBalance: EUR('1005970'),
    });
    const march = await call('GET', `/v1/statements/${monthEnd(debtor, '2028-03-01', '2028-03-31')}`, { roles: ['finance'] });
    expect(march.body).toMatchObject({
      openingBalance: EUR('1005970'),
      items: [
        { kind: 'payment', date: '2028-03-27', amount: EUR('-1000000') },
        { kind: 'debit-note', date: '2028-03-31', amount: EUR('7814') },
      ],
      closingBalance: EUR('13784'),
      trigger: 'month-end',
      status: 'issued',
    });
    // The ledger: the customer's open balance now (nothing has moved since 31 March).
    expect((await invoice(lateInvoice.invoiceId)).openBalance).toEqual(march.body.closingBalance);
    // The buyer's January statement: its two invoices, nothing paid yet.
    const january = await call('GET', `/v1/statements/${monthEnd(buyer, '2028-01-01', '2028-01-31')}`, { roles: ['finance'] });
    expect(january.body).toMatchObject({ openingBalance: EUR('0'), closingBalance: EUR('223456') });
    expect((january.body.items as Json[]).map((i) => i.kind)).toEqual(['invoice', 'invoice']);
  });

  it('serves the statement as a PDF that opens (its text extracted) and shows the closing balance', async () => {
    const response = await fetch(`${suite.service.baseUrl}/v1/statements/${monthEnd(debtor, '2028-03-01', '2028-03-31')}/pdf`, {
      headers: { authorization: `Bearer ${mintDevelopmentToken({ sub: 'pdf-reader', roles: ['finance'] })}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/pdf/);
    const text = await pdfToText(new Uint8Array(await response.arrayBuffer()));
    expect(text).toContain('Statement of account');
    expect(text).toContain('Debitor Maschinenbau GmbH');
    expect(text).toMatch(/Closing balance\s+EUR 137\.84/);
    expect(text).toMatch(/Opening balance\s+EUR 10,059\.70/);
  });

  it('records the confirmation of a statement; an objection on an item opens a dispute on its invoice', async () => {
    const february = monthEnd(debtor, '2028-02-01', '2028-02-29');
    const confirmed = await call('POST', `/v1/statements/${february}/confirm`, {
      roles: ['finance'],
      body: { confirmedOn: '2028-04-02', confirmedBy: 'ap@debtor.example' },
    });
    expect(confirmed.body).toMatchObject({ status: 'confirmed', answer: { confirmedBy: 'ap@debtor.example' } });

    const onDemand = await call('POST', '/v1/statements', {
      roles: ['finance'],
      body: { customerId: buyer, periodFrom: '2028-01-01', periodTo: '2028-03-31', issuedOn: '2028-04-01' },
    });
    expect(onDemand.status).toBe(201);
    expect(onDemand.body).toMatchObject({ trigger: 'on-demand', openingBalance: EUR('0'), closingBalance: EUR('190126') });
    const objected = await call('POST', `/v1/statements/${String(onDemand.body.statementId)}/objection`, {
      roles: ['sales'],
      body: {
        objectedOn: '2028-04-03',
        objectedBy: 'ap@buyer.example',
        note: 'the second instalment was never agreed at that price',
        items: [{ invoiceId: instalmentInvoice.invoiceId, amount: EUR('10000'), note: 'price', reasonCode: 'pricing' }],
      },
    });
    expect(objected.status).toBe(200);
    const disputeId = ((objected.body.answer as Json).items as Json[])[0]?.disputeId;
    expect(objected.body.status).toBe('objected');
    expect((await invoice(instalmentInvoice.invoiceId)).disputes).toEqual([
      expect.objectContaining({ disputeId, amount: EUR('10000'), reasonCode: 'pricing', status: 'open' }),
    ]);
    const again = await call('POST', `/v1/statements/${String(onDemand.body.statementId)}/confirm`, {
      roles: ['finance'],
      body: { confirmedOn: '2028-04-04', confirmedBy: 'ap@buyer.example' },
    });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});
