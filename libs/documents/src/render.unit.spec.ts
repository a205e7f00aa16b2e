import { money } from '@arc/money';
import { pdfToText } from './testing';
import { formatMoney, renderPdf, type DocumentSpec } from './index';

const eur = (minor: bigint) => money(minor, 'EUR');

const letter: DocumentSpec = {
  title: 'Formal demand for payment',
  date: '2026-04-15',
  reference: 'DUN-0001',
  from: { name: 'ARC Demo Supplies GmbH', lines: ['Hafenstrasse 1', '20457 Hamburg'] },
  to: { name: 'Brightwater Retail Ltd', lines: ['Accounts payable', '12 Market Street', 'Leeds LS1 6DT'] },
  paragraphs: ['Dear Ms Jones,', 'Despite our reminders, the invoices below remain unpaid.'],
  table: {
    columns: [
      { header: 'Invoice', kind: 'text', weight: 2 },
      { header: 'Due', kind: 'text' },
      { header: 'Amount', kind: 'money' },
      { header: 'Open', kind: 'money' },
    ],
    rows: [
      ['INV-2026-0001', '2026-03-01', eur(1_200_000n), eur(1_000_000n)],
      ['INV-2026-0002', '2026-03-15', eur(50_05n), null],
    ],
  },
  totals: [{ label: 'Total open', amount: eur(1_000_000n) }],
  closing: ['We demand payment within 10 days of this notice.', 'Accounts Receivable'],
  footer: 'ARC Demo Supplies GmbH · IBAN DE89 3704 0044 0532 0130 00',
};

describe('PDF documents', () => {
  it('a letter is a PDF whose text a real reader extracts: heading, both addresses, date, reference, paragraphs', async () => {
    const pdf = await renderPdf(letter);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfToText(pdf);
    for (const expected of [
      'Formal demand for payment',
      'ARC Demo Supplies GmbH',
      'Hafenstrasse 1',
      'Brightwater Retail Ltd',
      'Leeds LS1 6DT',
      'Date: 2026-04-15',
      'Reference: DUN-0001',
      'Dear Ms Jones,',
      'We demand payment within 10 days of this notice.',
      'Page 1 of 1',
    ])
      expect(text).toContain(expected);
  });

  it('each item is one row with its money exact and right-aligned; an empty money cell prints nothing; totals are printed', async () => {
    const text = await pdfToText(await renderPdf(letter));
    expect(text).toMatch(/INV-2026-0001\s+2026-03-01\s+EUR 12,000\.00\s+EUR 10,000\.00/);
    expect(text).toMatch(/INV-2026-0002\s+2026-03-15\s+EUR 50\.05\s*\n/);
    expect(text).toMatch(/Total open\s+EUR 10,000\.00/);
  });

  it('a long statement runs over several pages, repeating the table header, and every row is printed once', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [`INV-${String(i + 1).padStart(4, '0')}`, '2026-03-01', eur(BigInt(i + 1) * 100n)]);
    const pdf = await renderPdf({
      title: 'Statement of account',
      date: '2026-04-30',
      table: {
        columns: [
          { header: 'Invoice', kind: 'text' },
          { header: 'Due', kind: 'text' },
          { header: 'Open', kind: 'money' },
        ],
        rows,
      },
      totals: [{ label: 'Total', amount: eur(726_000n) }],
    });
    const text = await pdfToText(pdf);
    const pages = text.split('\f').filter((p) => p.trim() !== '');
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages) expect(page).toMatch(/Invoice\s+Due\s+Open/);
    for (let i = 1; i <= 120; i++) expect(text.match(new RegExp(`INV-${String(i).padStart(4, '0')}\\b`, 'g'))).toHaveLength(1);
    expect(text).toContain(`Page ${pages.length} of ${pages.length}`);
    expect(text).toMatch(/Total\s+EUR 7,260\.00/);
  });

  it('one spec always renders the same text (no clock read while rendering)', async () => {
    const [a, b] = await Promise.all([renderPdf(letter), renderPdf(letter)]);
    expect(await pdfToText(a)).toBe(await pdfToText(b));
    expect(a.toString('latin1')).toContain('D:20260415000000Z');
  });
});

describe('formatMoney', () => {
  it.each([
    [eur(0n), 'EUR 0.00'],
    [eur(5n), 'EUR 0.05'],
    [eur(123_456_789n), 'EUR 1,234,567.89'],
    [eur(-100_000n), 'EUR -1,000.00'],
    [money(1_000_000n, 'JPY'), 'JPY 1,000,000'],
    [money(1_234_567n, 'KWD'), 'KWD 1,234.567'],
  ])('prints the exact amount with thousands grouped (%#)', (m, expected) => {
    expect(formatMoney(m)).toBe(expected);
  });
});
