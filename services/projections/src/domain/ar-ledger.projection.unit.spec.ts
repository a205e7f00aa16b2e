import { parseMajor } from '@arc/money';
import {
  applyToLedger,
  excessCash,
  foldLedger,
  ledgerStatus,
  openAr,
  openBalance,
  type ArLedgerRow,
  type LedgerEvent,
} from './ar-ledger.projection';
import {
  creditNoteIssued,
  INVOICE,
  INVOICE_2,
  invoiceIssued,
  OTHER_CUSTOMER,
  paymentAllocated,
  paymentAllocationReduced,
  permutations,
  shuffled,
} from './testing/events';

const eur = (major: string) => parseMajor(major, 'EUR');
const fold = (events: readonly LedgerEvent[]): ArLedgerRow | undefined => events.reduce<ArLedgerRow | undefined>(applyToLedger, undefined);
const row = (events: readonly LedgerEvent[]): ArLedgerRow => {
  const result = fold(events);
  if (result === undefined) throw new Error('no row');
  return result;
};

describe('AR ledger row', () => {
  describe('given nothing', () => {
    it('opens a row with the invoice amount as open balance when the invoice is issued', () => {
      const r = row([invoiceIssued()]);
      expect(r.invoice).toEqual({
        number: 'INV-2026-0001',
        issueDate: '2026-01-01',
        dueDate: '2026-01-31',
        amount: eur('60000.00'),
        reservationId: null,
      });
      expect(r.customerId).toBe('c0ffee00-0000-4000-8000-000000000001');
      expect(openBalance(r)).toEqual(eur('60000.00'));
      expect(ledgerStatus(r)).toBe('open');
      expect(r.disputed).toEqual(eur('0'));
      expect(r.writtenOff).toEqual(eur('0'));
      expect(r.debitNoted).toEqual(eur('0'));
    });

    it('keeps a payment that arrives before its invoice pending on a row that is not issued, with no open balance', () => {
      const r = row([paymentAllocated('10000.00')]);
      expect(r.invoice).toBeNull();
      expect(r.paid).toEqual(eur('10000.00'));
      expect(openBalance(r)).toEqual(eur('0'));
      expect(ledgerStatus(r)).toBe('not-issued');
    });
  });

  describe('given an issued invoice', () => {
    it('reduces the open balance by allocations and becomes partially paid', () => {
      const r = row([invoiceIssued(), paymentAllocated('10000.00')]);
      expect(r.paid).toEqual(eur('10000.00'));
      expect(openBalance(r)).toEqual(eur('50000.00'));
      expect(ledgerStatus(r)).toBe('partially-paid');
    });

    it('reduces the open balance by credit notes without calling the invoice paid', () => {
      const r = row([invoiceIssued(), creditNoteIssued('5000.00')]);
      expect(r.credited).toEqual(eur('5000.00'));
      expect(openBalance(r)).toEqual(eur('55000.00'));
      expect(ledgerStatus(r)).toBe('open');
    });

    it('is paid once allocations and credit notes cover the amount: open balance = amount − allocations − credit notes', () => {
      const r = row([invoiceIssued(), paymentAllocated('50000.00'), creditNoteIssued('10000.00')]);
      expect(openBalance(r)).toEqual(eur('0.00'));
      expect(ledgerStatus(r)).toBe('paid');
    });

    it('never shows a negative open balance: cash beyond the balance is unapplied cash, the invoice is paid', () => {
      const r = row([invoiceIssued({ amount: '100.00' }), paymentAllocated('120.00')]);
      expect(openBalance(r)).toEqual(eur('0.00'));
      expect(excessCash([r], 'EUR')).toEqual(eur('20.00'));
      expect(ledgerStatus(r)).toBe('paid');
    });

    it('takes an allocation reduced (the excess given back on account) off the cash allocated', () => {
      const r = row([invoiceIssued({ amount: '100.00' }), paymentAllocated('120.00'), paymentAllocationReduced('20.00')]);
      expect([r.paid, openBalance(r), excessCash([r], 'EUR')]).toEqual([eur('100.00'), eur('0.00'), eur('0.00')]);
    });

    it('ignores a redelivered InvoiceIssued', () => {
      const once = row([invoiceIssued(), paymentAllocated('1.00')]);
      expect(applyToLedger(once, invoiceIssued())).toBe(once);
    });

    it('remembers the latest allocation date whatever the order', () => {
      const a = paymentAllocated('1.00', { allocatedOn: '2026-01-25' });
      const b = paymentAllocated('1.00', { allocatedOn: '2026-01-20' });
      expect(row([invoiceIssued(), a, b]).lastAllocatedOn).toBe('2026-01-25');
      expect(row([b, invoiceIssued(), a]).lastAllocatedOn).toBe('2026-01-25');
    });

    it('refuses an allocation in another currency than the invoice', () => {
      const usd = paymentAllocated('1.00');
      usd.data.amount = { amountMinor: '100', currency: 'USD' };
      expect(() => applyToLedger(row([invoiceIssued()]), usd)).toThrow(/USD/);
    });

    it('refuses an event of another invoice or another customer', () => {
      const r = row([invoiceIssued()]);
      expect(() => applyToLedger(r, paymentAllocated('1.00', { invoiceId: INVOICE_2 }))).toThrow(/invoice/);
      expect(() => applyToLedger(r, paymentAllocated('1.00', { customerId: OTHER_CUSTOMER }))).toThrow(/customer/);
    });
  });

  describe('order independence (topics are not ordered against each other)', () => {
    const events: LedgerEvent[] = [
      invoiceIssued(),
      paymentAllocated('10000.00', { allocatedOn: '2026-01-20' }),
      paymentAllocated('30000.00', { allocatedOn: '2026-02-20' }),
      creditNoteIssued('5000.00'),
      paymentAllocated('2500.00', { allocatedOn: '2026-02-01' }),
    ];
    const expected = row(events);

    it('gives the same row for every permutation of an invoice, its payments and a credit note', () => {
      const all = permutations(events);
      expect(all).toHaveLength(120);
      for (const order of all) expect(row(order)).toEqual(expected);
      expect(openBalance(expected)).toEqual(eur('12500.00'));
      expect(ledgerStatus(expected)).toBe('partially-paid');
    });

    it('gives the same rows for random interleavings of several invoices', () => {
      const many: LedgerEvent[] = [
        ...events,
        invoiceIssued({ invoiceId: INVOICE_2, invoiceNumber: 'INV-2', amount: '700.00', dueDate: '2026-03-01' }),
        paymentAllocated('100.00', { invoiceId: INVOICE_2 }),
        creditNoteIssued('50.00', { invoiceId: INVOICE_2 }),
      ];
      const reference = foldLedger(many);
      for (let seed = 1; seed <= 200; seed++) expect(foldLedger(shuffled(many, seed))).toEqual(reference);
      expect(reference.get(INVOICE)).toEqual(expected);
      expect(openAr(reference.values(), 'EUR')).toEqual(eur('13050.00'));
    });
  });

  it('leaves rows not yet issued out of open AR', () => {
    const rows = foldLedger([invoiceIssued(), paymentAllocated('1.00', { invoiceId: INVOICE_2 })]);
    expect(openAr(rows.values(), 'EUR')).toEqual(eur('60000.00'));
    expect(rows.get(INVOICE)?.invoice).not.toBeNull();
  });
});
