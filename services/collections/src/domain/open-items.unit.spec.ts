import { dunnedItems, type InvoiceBalance } from './open-items';

const balance = (changes: Partial<InvoiceBalance> = {}): InvoiceBalance => ({
  invoiceId: 'i1',
  invoiceNumber: 'INV-1',
  currency: 'EUR',
  dueDate: '2026-03-01',
  totalMinor: 100000n,
  settledMinor: 0n,
  dueItems: null,
  disputes: [],
  cancelled: false,
  ...changes,
});
const summary = (b: InvoiceBalance) => dunnedItems(b).map((i) => `${i.dueSequence ?? '-'} ${i.dueDate} ${i.open.amountMinor}`);
const instalments = [
  { sequence: 1, dueDate: '2026-03-01', amountMinor: 30000n },
  { sequence: 2, dueDate: '2026-04-01', amountMinor: 30000n },
  { sequence: 3, dueDate: '2026-05-01', amountMinor: 40000n },
];

describe('what of an invoice is dunned', () => {
  it('the invoice less payments, credit notes and write-offs', () => {
    expect(summary(balance({ settledMinor: 40000n }))).toEqual(['- 2026-03-01 60000']);
    expect(summary(balance({ settledMinor: 100000n }))).toEqual([]);
  });

  it('leaves an open dispute out: a disputed part is not dunned, the whole invoice disputed is not dunned at all', () => {
    expect(summary(balance({ disputes: [{ sequence: null, amountMinor: 25000n }] }))).toEqual(['- 2026-03-01 75000']);
    expect(summary(balance({ disputes: [{ sequence: null, amountMinor: 100000n }] }))).toEqual([]);
    // A dispute larger than what is left after payments takes only what is left.
    expect(summary(balance({ settledMinor: 90000n, disputes: [{ sequence: null, amountMinor: 50000n }] }))).toEqual([]);
  });

  it('a cancelled invoice is dunned for nothing', () => {
    expect(summary(balance({ cancelled: true }))).toEqual([]);
  });

  it('instalments are items of their own: settled oldest first, each on its own due date', () => {
    expect(summary(balance({ dueItems: instalments }))).toEqual(['1 2026-03-01 30000', '2 2026-04-01 30000', '3 2026-05-01 40000']);
    expect(summary(balance({ dueItems: instalments, settledMinor: 45000n }))).toEqual(['2 2026-04-01 15000', '3 2026-05-01 40000']);
  });

  it('a dispute on one instalment leaves that instalment out; one on the invoice takes the oldest first', () => {
    expect(summary(balance({ dueItems: instalments, disputes: [{ sequence: 2, amountMinor: 30000n }] }))).toEqual([
      '1 2026-03-01 30000',
      '3 2026-05-01 40000',
    ]);
    expect(summary(balance({ dueItems: instalments, disputes: [{ sequence: null, amountMinor: 40000n }] }))).toEqual([
      '2 2026-04-01 20000',
      '3 2026-05-01 40000',
    ]);
  });

  it('one due item is the invoice itself (no instalment number)', () => {
    expect(summary(balance({ dueItems: [{ sequence: 1, dueDate: '2026-03-01', amountMinor: 100000n }] }))).toEqual(['- 2026-03-01 100000']);
  });
});
