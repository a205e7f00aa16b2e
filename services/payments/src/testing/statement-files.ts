/*
 * Bank statement files for tests and the benchmark, written the way banks write them (see docs/bank-files/ for
 * annotated samples). Generators, so a 100,000-entry file is never held in memory whole.
 */
export interface FileEntry {
  amount: string; // "1234.56"
  currency?: string;
  direction?: 'CRDT' | 'DBIT';
  bookingDate: string; // YYYY-MM-DD
  bankReference: string | null;
  payerIban?: string | null;
  payerName?: string | null;
  remittance?: string | null;
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function* camt053(account: string, entries: Iterable<FileEntry>, version = '08', kind: '053' | '054' = '053'): Generator<string> {
  const [root, group] = kind === '053' ? ['BkToCstmrStmt', 'Stmt'] : ['BkToCstmrDbtCdtNtfctn', 'Ntfctn'];
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.${kind}.001.${version}">\n<${root}><GrpHdr><MsgId>T</MsgId><CreDtTm>2026-01-25T18:00:00</CreDtTm></GrpHdr>\n<${group}><Id>S</Id><Acct><Id><IBAN>${account}</IBAN></Id></Acct>\n`;
  for (const e of entries) {
    const ccy = e.currency ?? 'EUR';
    yield `<Ntry><Amt Ccy="${ccy}">${e.amount}</Amt><CdtDbtInd>${e.direction ?? 'CRDT'}</CdtDbtInd><BookgDt><Dt>${e.bookingDate}</Dt></BookgDt>${
      e.bankReference === null ? '' : `<AcctSvcrRef>${xml(e.bankReference)}</AcctSvcrRef>`
    }<NtryDtls><TxDtls><RltdPties>${e.payerName ? `<Dbtr><Nm>${xml(e.payerName)}</Nm></Dbtr>` : ''}${
      e.payerIban ? `<DbtrAcct><Id><IBAN>${e.payerIban}</IBAN></Id></DbtrAcct>` : ''
    }</RltdPties>${e.remittance ? `<RmtInf><Ustrd>${xml(e.remittance)}</Ustrd></RmtInf>` : ''}</TxDtls></NtryDtls></Ntry>\n`;
  }
  yield `</${group}></${root}>\n</Document>\n`;
}

const yymmdd = (date: string) => date.slice(2).replace(/-/g, '');

export function* mt940(account: string, entries: Iterable<FileEntry>): Generator<string> {
  yield `:20:STMT\r\n:25:${account}\r\n:28C:00001/001\r\n:60F:C260101EUR0,00\r\n`;
  for (const e of entries) {
    const mark = (e.direction ?? 'CRDT') === 'CRDT' ? 'C' : 'D';
    yield `:61:${yymmdd(e.bookingDate)}${e.bookingDate.slice(5).replace('-', '')}${mark}${e.amount.replace('.', ',')}NTRFNONREF${e.bankReference === null ? '' : `//${e.bankReference}`}\r\n`;
    yield `:86:166?00SEPA-GUTSCHRIFT?20${e.remittance ?? ''}${e.payerIban ? `?31${e.payerIban}` : ''}${e.payerName ? `?32${e.payerName}` : ''}\r\n`;
  }
  yield `:62F:C261231EUR0,00\r\n-\r\n`;
}

export function* csv(account: string, entries: Iterable<FileEntry>): Generator<string> {
  yield 'Booking date;Amount;Currency;Bank reference;Payer IBAN;Payer name;Purpose;Account\n';
  const q = (v: string | null | undefined) => `"${(v ?? '').replace(/"/g, '""')}"`;
  for (const e of entries) {
    const [y, m, d] = e.bookingDate.split('-');
    const amount = `${(e.direction ?? 'CRDT') === 'DBIT' ? '-' : ''}${e.amount.replace('.', ',')}`;
    yield `${d}.${m}.${y};${amount};${e.currency ?? 'EUR'};${q(e.bankReference)};${q(e.payerIban)};${q(e.payerName)};${q(e.remittance)};${account}\n`;
  }
}

/** The CSV options that read `csv()` above. */
export const CSV_OPTIONS = {
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
} as const;

/** Joins generated pieces into parts of at most `size` characters (an upload's parts). */
export function* parts(pieces: Iterable<string>, size = 300_000): Generator<string> {
  let part = '';
  for (const piece of pieces) {
    part += piece;
    if (part.length >= size) {
      yield part;
      part = '';
    }
  }
  if (part !== '') yield part;
}

/** A random-looking but valid-shaped IBAN for tests (not checksummed: ARC does not check IBAN checksums). */
export const testIban = (n: number, country = 'DE') => `${country}${String(10 + (n % 90))}${String(n).padStart(18, '0')}`;
