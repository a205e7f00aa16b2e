import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { entryIdentity, type CsvOptions, type StatementEntry, type StatementItem, type StatementProblem } from './statement-entry';
import { inPieces, parserFor } from './parsers';

const sample = (name: string) => readFileSync(join(__dirname, '../../../../docs/bank-files', name), 'utf8');
const CSV: CsvOptions = {
  delimiter: ';',
  decimalSeparator: ',',
  dateFormat: 'DD.MM.YYYY',
  mapping: {
    bookingDate: 'Booking date',
    amount: 'Amount',
    currency: 'Currency',
    bankReference: 'Bank reference',
    payerIban: 'Payer IBAN',
    payerName: 'Payer name',
    remittance: ['Purpose'],
    accountIban: 'Account',
  },
};

async function read(items: AsyncIterable<StatementItem>) {
  const entries: StatementEntry[] = [];
  const problems: Array<StatementProblem & { fatal: boolean }> = [];
  for await (const item of items) {
    if (item.kind === 'entry') entries.push(item.entry);
    else problems.push({ ...item.problem, fatal: item.fatal });
  }
  return { entries, problems };
}

const identities = (entries: StatementEntry[]) => entries.map((e) => `${e.direction} ${entryIdentity(e, 1)}`);

describe('bank statement parsers', () => {
  it('reads camt.053 entries with their payer, remittance and the bank reference, in any piece size', async () => {
    for (const size of [7, 64, 100_000]) {
      const { entries, problems } = await read(parserFor({ format: 'camt.053' })(inPieces(sample('camt053-sample.xml'), size)));
      expect(problems).toEqual([]);
      expect(entries[0]).toMatchObject({
        index: 1,
        accountIban: 'DE02120300000000202051',
        bookingDate: '2026-01-25',
        amount: { amountMinor: 170000n, currency: 'EUR' },
        direction: 'credit',
        bankReference: 'ACSR-20260125-0001',
        payerIban: 'DE89370400440532013000',
        payerName: 'Acme Industrie GmbH',
        remittance: ['INV-2026-000123/124 thank you'],
      });
      expect(entries.map((e) => e.direction)).toEqual(['credit', 'credit', 'debit']);
    }
  });

  it('reads camt.054 notifications, structured remittance and end-to-end id included', async () => {
    const { entries } = await read(parserFor({ format: 'camt.054' })(inPieces(sample('camt054-sample.xml'))));
    expect(entries).toEqual([
      expect.objectContaining({ remittance: ['E2E-ACME-0042', 'INV-2026-000125'], payerIban: 'DE89370400440532013000' }),
    ]);
  });

  it('gives an MT940 and a CSV of the same day the same entry identities as the camt.053 (no double count across formats)', async () => {
    const camt = await read(parserFor({ format: 'camt.053' })(inPieces(sample('camt053-sample.xml'))));
    const mt940 = await read(parserFor({ format: 'mt940' })(inPieces(sample('mt940-sample.sta'))));
    const csv = await read(parserFor({ format: 'csv', csv: CSV })(inPieces(sample('csv-sample.csv'))));
    expect(mt940.problems).toEqual([]);
    expect(csv.problems).toEqual([]);
    expect(identities(mt940.entries)).toEqual(identities(camt.entries));
    expect(identities(csv.entries)).toEqual(identities(camt.entries));
    expect(mt940.entries[0]).toMatchObject({
      payerIban: 'DE89370400440532013000',
      payerName: 'Acme Industrie GmbH',
      remittance: ['INV-2026-000123/124 thank you'],
    });
  });

  it('reports a file that is not XML, in the wrong namespace, or an entry without an amount, with line and entry', async () => {
    const notXml = await read(parserFor({ format: 'camt.053' })(inPieces('Booking date;Amount\n1;2\n')));
    expect(notXml.problems).toEqual([
      expect.objectContaining({ entry: null, fatal: true, reason: expect.stringContaining('not well-formed XML') }),
    ]);

    const pain = sample('camt053-sample.xml').replace('camt.053.001.08', 'pain.001.001.09');
    const wrongNamespace = await read(parserFor({ format: 'camt.053' })(inPieces(pain)));
    expect(wrongNamespace.problems).toEqual([
      expect.objectContaining({ fatal: true, line: 2, reason: expect.stringContaining('not an ISO 20022 camt.053 document') }),
    ]);

    const camt054 = await read(parserFor({ format: 'camt.053' })(inPieces(sample('camt054-sample.xml'))));
    expect(camt054.problems[0]?.reason).toContain('wrong namespace: the file is camt.054');

    const noAmount = sample('camt053-sample.xml').replace('<Amt Ccy="EUR">250.00</Amt>', '');
    const missing = await read(parserFor({ format: 'camt.053' })(inPieces(noAmount)));
    expect(missing.problems).toEqual([
      { entry: 2, line: 26, fatal: false, reason: expect.stringContaining('the amount (Ntry/Amt) is missing') },
    ]);
    expect(missing.entries.map((e) => e.index)).toEqual([1, 3]);
  });

  it('reports an MT940 :61: it cannot read, and CSV columns the mapping names but the header lacks', async () => {
    const bad = sample('mt940-sample.sta').replace(':61:2601250125C250,00', ':61:2601250125X250,00');
    const mt940 = await read(parserFor({ format: 'mt940' })(inPieces(bad)));
    expect(mt940.problems).toEqual([expect.objectContaining({ entry: 2, line: 8, fatal: false })]);
    const csv = await read(
      parserFor({ format: 'csv', csv: { ...CSV, mapping: { ...CSV.mapping, amount: 'Betrag' } } })(inPieces(sample('csv-sample.csv'))),
    );
    expect(csv.problems).toEqual([expect.objectContaining({ fatal: true, reason: expect.stringContaining("'Betrag' (mapping.amount)") })]);
  });
});
