import { discountedTotal, dueItemsOf, type InvoiceIssuedData } from './invoicing.events';
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

  describe('InvoiceIssued with terms from a contract', () => {
    const instalments = [
      { sequence: 1, dueDate: '2026-02-14', amount: eur('2000000') },
      { sequence: 2, dueDate: '2026-03-16', amount: eur('2000000') },
      { sequence: 3, dueDate: '2026-04-15', amount: eur('2000000') },
    ];

    it('reads an invoice written before due items, discounted amount and contract existed as one due item, discount by the rule', () => {
      const old = samples.InvoiceIssued;
      expect(problemsOf('InvoiceIssued', old)).toEqual([]);
      expect(dueItemsOf(old)).toEqual([{ sequence: 1, dueDate: '2026-02-14', amount: eur('6000000') }]);
      expect(discountedTotal(6_000_000n, 200)).toBe(5_880_000n);
    });

    it('rounds the discount half up to the minor unit: 2 % of 10.25 is 0.205, so 10.04 settles', () => {
      expect(discountedTotal(1025n, 200)).toBe(1004n);
      expect(discountedTotal(1024n, 200)).toBe(1004n);
      expect(discountedTotal(1049n, 200)).toBe(1028n);
    });

    it('accepts three instalments adding up to the total, the last due on the due date, with the contract named', () => {
      const data = variant('InvoiceIssued', {
        dueDate: '2026-04-15',
        dueItems: instalments,
        contractId: 'c0c0c0c0-0000-4000-8000-000000000001',
        earlyPaymentDiscount: { basisPoints: 200, payBy: '2026-01-25', discountedAmount: eur('5880000') },
      });
      expect(problemsOf('InvoiceIssued', data)).toEqual([]);
      expect(dueItemsOf(data as unknown as InvoiceIssuedData)).toBe(instalments);
    });

    it('refuses instalments that do not add up, are out of order, or end before the due date', () => {
      const wrong = [
        { sequence: 1, dueDate: '2026-03-16', amount: eur('2000000') },
        { sequence: 3, dueDate: '2026-02-14', amount: eur('2000000') },
      ];
      expect(problemsOf('InvoiceIssued', variant('InvoiceIssued', { dueDate: '2026-04-15', dueItems: wrong }))).toEqual([
        'dueItems must add up to the total (6000000), not 4000000',
        'dueItems[1].sequence must be 2',
        'dueItems[1].dueDate must not be before the one before it',
        "the last due item's dueDate must be the invoice's dueDate",
      ]);
    });

    it('refuses a discounted amount that is not the total less the rounded discount', () => {
      const discount = { basisPoints: 200, payBy: '2026-01-25', discountedAmount: eur('5880001') };
      expect(problemsOf('InvoiceIssued', variant('InvoiceIssued', { earlyPaymentDiscount: discount }))).toEqual([
        'earlyPaymentDiscount.discountedAmount must be the total less the discount rounded half up (5880000)',
      ]);
    });
  });

  describe('InvoiceCancelled and DebitNoteIssued', () => {
    it('refuses a cancellation without a reason', () => {
      expect(problemsOf('InvoiceCancelled', samples.InvoiceCancelled)).toEqual([]);
      expect(problemsOf('InvoiceCancelled', variant('InvoiceCancelled', { reason: ' ' }))).toEqual([
        'reason must be a non-empty string (got " ")',
      ]);
    });

    it('requires the interest period on a late-interest debit note, and only there', () => {
      expect(problemsOf('DebitNoteIssued', samples.DebitNoteIssued)).toEqual([]);
      expect(problemsOf('DebitNoteIssued', variant('DebitNoteIssued', { lateInterest: null }))).toEqual([
        "lateInterest must be set on kind 'late-interest' and only there",
      ]);
      expect(problemsOf('DebitNoteIssued', variant('DebitNoteIssued', { kind: 'fixed-compensation' }))).toEqual([
        "lateInterest must be set on kind 'late-interest' and only there",
      ]);
      expect(problemsOf('DebitNoteIssued', variant('DebitNoteIssued', { kind: 'fixed-compensation', lateInterest: null }))).toEqual([]);
    });

    it('refuses an unknown kind and an exact interest that is not a decimal of minor units', () => {
      const lateInterest = { accruedFrom: '2026-02-15', accruedThrough: '2026-03-31', exactMinor: '1e5' };
      expect(problemsOf('DebitNoteIssued', variant('DebitNoteIssued', { kind: 'penalty' as never, lateInterest }))).toEqual([
        "kind must be one of 'late-interest', 'fixed-compensation', 'adjustment' (got \"penalty\")",
        'lateInterest.exactMinor must be a non-negative decimal string of minor units (got "1e5")',
      ]);
    });
  });

  describe('disputes', () => {
    it('refuses an unknown reason code', () => {
      expect(problemsOf('DisputeRaised', samples.DisputeRaised)).toEqual([]);
      expect(problemsOf('DisputeRaised', variant('DisputeRaised', { reasonCode: 'mood' as never }))[0]).toMatch(
        /^reasonCode must be one of/,
      );
    });

    it('an accepted dispute names its credit note; a rejected one credits nothing and makes it all collectable again', () => {
      expect(problemsOf('DisputeResolved', samples.DisputeResolved)).toEqual([]);
      expect(problemsOf('DisputeResolved', variant('DisputeResolved', { creditNoteId: null }))).toEqual([
        'an accepted dispute credits a positive amount by a credit note',
      ]);
      const rejected = { outcome: 'rejected' as const, acceptedAmount: eur('0'), collectableAgain: eur('2400000'), creditNoteId: null };
      expect(problemsOf('DisputeResolved', variant('DisputeResolved', rejected))).toEqual([]);
      expect(problemsOf('DisputeResolved', variant('DisputeResolved', { ...rejected, collectableAgain: eur('2300000') }))).toEqual([
        'acceptedAmount + collectableAgain must equal disputedAmount',
      ]);
    });
  });

  describe('write-off', () => {
    it('refuses a write-off signed off by the subject who approved it', () => {
      expect(problemsOf('InvoiceWrittenOff', samples.InvoiceWrittenOff)).toEqual([]);
      expect(problemsOf('InvoiceWrittenOff', variant('InvoiceWrittenOff', { signedOffBy: 'user-finance-1' }))).toEqual([
        'signedOffBy must be another subject than approvedBy',
      ]);
    });

    it('accepts request, approval, rejection and recovery samples', () => {
      for (const type of ['WriteOffRequested', 'WriteOffApproved', 'WriteOffRejected', 'WriteOffRecovered'] as const) {
        expect(problemsOf(type, samples[type])).toEqual([]);
      }
    });
  });

  describe('statements', () => {
    it('refuses a closing balance that is not the opening plus the items', () => {
      expect(problemsOf('StatementIssued', samples.StatementIssued)).toEqual([]);
      expect(problemsOf('StatementIssued', variant('StatementIssued', { closingBalance: eur('4950001') }))).toEqual([
        'closingBalance must be openingBalance + Σ items (4950000)',
      ]);
    });

    it('refuses an objection that contests nothing, accepts a confirmation', () => {
      expect(problemsOf('StatementConfirmed', samples.StatementConfirmed)).toEqual([]);
      expect(problemsOf('StatementObjected', samples.StatementObjected)).toEqual([]);
      expect(problemsOf('StatementObjected', variant('StatementObjected', { items: [] }))).toEqual(['items must have at least 1 item']);
    });
  });
});
