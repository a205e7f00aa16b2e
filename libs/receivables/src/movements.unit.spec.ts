import { parseMajor, type Money } from '@arc/money';
import { noFigures, openBalance } from './balance';
import { chargeReduction, moveFigures, RECEIVABLE_EVENT_TYPES, type ReceivableEventType } from './movements';

const eur = (major: string): Money => parseMajor(major, 'EUR');
const after = (...steps: Array<[ReceivableEventType, string]>): Money =>
  openBalance(steps.reduce((figures, [type, amount]) => moveFigures(figures, type, eur(amount)), noFigures('EUR', eur('100.00'))));

describe('what each event does to an invoice open balance, the same in every context', () => {
  it('a cancellation voids the whole invoice', () => {
    expect(after(['InvoiceCancelled', '100.00'])).toEqual(eur('0.00'));
  });

  it('a debit note raises it, also on an invoice paid in full', () => {
    expect(after(['PaymentAllocated', '100.00'], ['DebitNoteIssued', '4.17'])).toEqual(eur('4.17'));
  });

  it('a write-off takes it out of open AR and a recovery applies the late cash to it', () => {
    expect(after(['InvoiceWrittenOff', '60.00'])).toEqual(eur('40.00'));
    expect(after(['InvoiceWrittenOff', '60.00'], ['PaymentAllocated', '70.00'], ['WriteOffRecovered', '30.00'])).toEqual(eur('0.00'));
  });

  it('a discount taken closes the rest of the invoice; withdrawn with its reversed payment, it reopens it whole', () => {
    expect(after(['PaymentAllocated', '98.00'], ['PaymentDiscountTaken', '2.00'])).toEqual(eur('0.00'));
    const reversed = after(
      ['PaymentAllocated', '98.00'],
      ['PaymentDiscountTaken', '2.00'],
      ['PaymentAllocationReduced', '98.00'],
      ['PaymentDiscountWithdrawn', '2.00'],
    );
    expect(reversed).toEqual(eur('100.00'));
  });

  it('the charge a context keeps apart from its own cash moves by the same amounts, and cash moves no charge', () => {
    for (const type of RECEIVABLE_EVENT_TYPES) {
      const figures = moveFigures(noFigures('EUR', eur('100.00')), type, eur('10.00'));
      const charged =
        figures.amount!.amountMinor + figures.debitNoted.amountMinor - figures.credited.amountMinor - figures.writtenOff.amountMinor;
      expect(10000n - chargeReduction(type, eur('10.00')).amountMinor).toBe(charged);
    }
  });
});
