import { problemsOf } from './testing/problems';
import { samples, variant } from './testing/samples';

const eur = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

describe('invoicing events', () => {
  describe('InvoiceIssued', () => {
    it("refuses a total that is not the lines' net plus tax", () => {
      expect(problemsOf('InvoiceIssued', variant('InvoiceIssued', { total: eur('6000001') }))).toEqual([
        "total must equal the lines' net plus tax (6000000), not 6000001",
      ]);
    });

    it('refuses a line in another currency than the invoice, naming the line', () => {
      const lines = [...samples.InvoiceIssued.lines];
      lines[1] = { ...samples.InvoiceIssued.lines[1]!, taxAmount: { amountMinor: '0', currency: 'USD' } };
      expect(problemsOf('InvoiceIssued', variant('InvoiceIssued', { lines }))).toEqual([
        'lines[1].taxAmount.currency must be EUR like the rest of the event (got "USD")',
      ]);
    });

    it('reads an invoice written before backdatingReason existed, and accepts one back-dated with a reason', () => {
      expect(problemsOf('InvoiceIssued', samples.InvoiceIssued)).toEqual([]);
      expect(problemsOf('InvoiceIssued', variant('InvoiceIssued', { backdatingReason: 'delivery note of 2 March found late' }))).toEqual(
        [],
      );
      expect(problemsOf('InvoiceIssued', variant('InvoiceIssued', { backdatingReason: null }))).toEqual([]);
      expect(problemsOf('InvoiceIssued', variant('InvoiceIssued', { backdatingReason: '' }))).toEqual([
        'backdatingReason must be a non-empty string (got "")',
      ]);
    });

    it('accepts a discount line with a negative net amount', () => {
      const lines = [
        { description: 'Pumps', netAmount: eur('6100000'), taxAmount: eur('0') },
        { description: 'Volume discount', netAmount: eur('-100000'), taxAmount: eur('0') },
      ];
      expect(problemsOf('InvoiceIssued', variant('InvoiceIssued', { lines }))).toEqual([]);
    });

    it('refuses an invoice without lines or with a zero total', () => {
      expect(problemsOf('InvoiceIssued', variant('InvoiceIssued', { lines: [] }))).toEqual(['lines must have at least 1 item']);
      const zeroLines = [{ description: 'Nothing', netAmount: eur('0'), taxAmount: eur('0') }];
      expect(problemsOf('InvoiceIssued', variant('InvoiceIssued', { lines: zeroLines, total: eur('0') }))).toEqual([
        'total.amountMinor must be greater than zero',
      ]);
    });

    it('refuses a due date before the issue date', () => {
      expect(problemsOf('InvoiceIssued', variant('InvoiceIssued', { dueDate: '2026-01-14', earlyPaymentDiscount: null }))).toEqual([
        'dueDate must not be before issueDate',
      ]);
    });

    it("refuses a discount deadline outside the invoice's term", () => {
      expect(
        problemsOf('InvoiceIssued', variant('InvoiceIssued', { earlyPaymentDiscount: { basisPoints: 200, payBy: '2026-02-15' } })),
      ).toEqual(['earlyPaymentDiscount.payBy must be between issueDate and dueDate']);
    });

    it('accepts an invoice with no reservation and no discount', () => {
      expect(problemsOf('InvoiceIssued', variant('InvoiceIssued', { reservationId: null, earlyPaymentDiscount: null }))).toEqual([]);
    });

    it('refuses an impossible issue date and a reservation id that is not a UUID', () => {
      expect(problemsOf('InvoiceIssued', variant('InvoiceIssued', { issueDate: '2026-02-29', reservationId: 'SO-42' }))).toEqual([
        'issueDate must be a date \'YYYY-MM-DD\' (got "2026-02-29")',
        'reservationId must be a UUID (got "SO-42")',
      ]);
    });
  });

  describe('CreditNoteIssued', () => {
    it('refuses a credit note for nothing or for a negative amount', () => {
      expect(problemsOf('CreditNoteIssued', variant('CreditNoteIssued', { amount: eur('0') }))).toEqual([
        'amount.amountMinor must be greater than zero',
      ]);
      expect(problemsOf('CreditNoteIssued', variant('CreditNoteIssued', { amount: eur('-100') }))).toEqual([
        'amount.amountMinor must be greater than zero',
      ]);
    });
  });

  it('refuses an overpayment of zero, and one that names no payment to give the excess back to', () => {
    expect(
      problemsOf('InvoiceOverpaid', variant('InvoiceOverpaid', { excess: { amountMinor: '0', currency: 'EUR' }, paymentId: 'P-1' })),
    ).toEqual(['paymentId must be a UUID (got "P-1")', 'excess.amountMinor must be greater than zero']);
  });
});
