import { problemsOf } from './testing/problems';
import { samples, variant } from './testing/samples';

describe('payments events', () => {
  it('refuses a receipt without a bank reference, since the reference is what makes recording idempotent', () => {
    expect(problemsOf('PaymentReceived', variant('PaymentReceived', { bankReference: '' }))).toEqual([
      'bankReference must be a non-empty string (got "")',
    ]);
  });

  it('refuses a receipt of zero and an amount written as a decimal', () => {
    expect(problemsOf('PaymentReceived', variant('PaymentReceived', { amount: { amountMinor: '0', currency: 'EUR' } }))).toEqual([
      'amount.amountMinor must be greater than zero',
    ]);
    expect(problemsOf('PaymentReceived', variant('PaymentReceived', { amount: { amountMinor: '65000.00', currency: 'EUR' } }))).toEqual([
      'amount.amountMinor must be an integer of minor units as a string ("-150", "6000000") (got "65000.00")',
    ]);
  });

  it('refuses blank remittance references and an unknown method', () => {
    expect(problemsOf('PaymentReceived', variant('PaymentReceived', { remittanceReferences: ['INV-1', ''], method: 'wire' }))).toEqual([
      "method must be one of 'bank-transfer', 'cheque', 'cash', 'card', 'e-payment' (got \"wire\")",
      'remittanceReferences[1] must be a non-empty string (got "")',
    ]);
  });

  it('accepts a receipt quoting no remittance reference (cash application falls back to oldest due)', () => {
    expect(problemsOf('PaymentReceived', variant('PaymentReceived', { remittanceReferences: [] }))).toEqual([]);
  });

  it('refuses an allocation of zero and an allocation date that is not a date', () => {
    expect(
      problemsOf(
        'PaymentAllocated',
        variant('PaymentAllocated', { amount: { amountMinor: '0', currency: 'EUR' }, allocatedOn: '25.01.2026' }),
      ),
    ).toEqual(['amount.amountMinor must be greater than zero', 'allocatedOn must be a date \'YYYY-MM-DD\' (got "25.01.2026")']);
  });

  it('refuses reporting zero as left unapplied', () => {
    expect(
      problemsOf('PaymentLeftUnapplied', variant('PaymentLeftUnapplied', { unapplied: { amountMinor: '0', currency: 'EUR' } })),
    ).toEqual(['unapplied.amountMinor must be greater than zero']);
  });

  it('refuses giving back zero from an allocation, and a reason it does not know', () => {
    expect(
      problemsOf(
        'PaymentAllocationReduced',
        variant('PaymentAllocationReduced', { amount: { amountMinor: '0', currency: 'EUR' }, reason: 'goodwill' as never }),
      ),
    ).toEqual([
      'amount.amountMinor must be greater than zero',
      "reason must be one of 'invoice-overpaid', 'payment-reversed' (got \"goodwill\")",
    ]);
  });
});

describe('payments events of cash application, refunds, reversals and bank statements', () => {
  it('still accepts an allocation written before it said which matching step chose the invoice', () => {
    const { matchedBy, matchExplanation, ...old } = { ...samples.PaymentAllocated, matchedBy: undefined, matchExplanation: undefined };
    expect([matchedBy, matchExplanation]).toEqual([undefined, undefined]);
    expect(problemsOf('PaymentAllocated', old)).toEqual([]);
  });

  it('accepts an allocation that explains its matching step, and refuses a step it does not know', () => {
    const explained = { matchedBy: 'exact-amount', matchExplanation: 'the amount equals the open amount of INV-2026-000123 only' };
    expect(problemsOf('PaymentAllocated', variant('PaymentAllocated', explained))).toEqual([]);
    expect(problemsOf('PaymentAllocated', variant('PaymentAllocated', { matchedBy: 'guess' }))).toEqual([
      "matchedBy must be one of 'remittance-reference', 'exact-amount', 'amount-combination', 'oldest-due-first', 'applied-by-finance', 'applied-to-new-invoice' (got \"guess\")",
    ]);
  });

  it('still accepts a receipt written before it could name its bank statement', () => {
    expect(problemsOf('PaymentReceived', variant('PaymentReceived', { statementId: 'f1b2c3d4-0000-4000-8000-000000000007' }))).toEqual([]);
    expect(problemsOf('PaymentReceived', samples.PaymentReceived)).toEqual([]);
  });

  it('reduces an allocation because its payment was reversed', () => {
    expect(problemsOf('PaymentAllocationReduced', variant('PaymentAllocationReduced', { reason: 'payment-reversed' }))).toEqual([]);
  });

  it('refuses a discount taken after its window closed, or of zero', () => {
    expect(
      problemsOf(
        'PaymentDiscountTaken',
        variant('PaymentDiscountTaken', { takenOn: '2026-01-26', discount: { amountMinor: '0', currency: 'EUR' } }),
      ),
    ).toEqual(['discount.amountMinor must be greater than zero']);
    expect(problemsOf('PaymentDiscountTaken', variant('PaymentDiscountTaken', { takenOn: '2026-01-26' }))).toEqual([
      'takenOn must not be after payBy: a discount is earned inside its window',
    ]);
  });

  it('refuses a short payment without a reason invoicing can open a dispute with', () => {
    expect(problemsOf('ShortPaymentRecorded', variant('ShortPaymentRecorded', { reason: ' ', reasonCode: 'dunno' }))).toEqual([
      "reasonCode must be one of 'pricing', 'quantity', 'damaged-goods', 'not-delivered', 'quality', 'discount-disallowed', 'deduction', 'other' (got \"dunno\")",
      'reason must be a non-empty string (got " ")',
    ]);
  });

  it('refuses a reversal without a known reason, and a refund of nothing', () => {
    expect(problemsOf('PaymentReversed', variant('PaymentReversed', { reason: 'changed-mind', note: null }))).toEqual([
      "reason must be one of 'cheque-bounced', 'chargeback', 'bank-return', 'recorded-in-error' (got \"changed-mind\")",
    ]);
    expect(problemsOf('PaymentRefunded', variant('PaymentRefunded', { amount: { amountMinor: '0', currency: 'EUR' } }))).toEqual([
      'amount.amountMinor must be greater than zero',
    ]);
  });

  it('refuses a negative discount tolerance and an unknown fallback', () => {
    expect(problemsOf('CustomerPaymentSettingsSet', variant('CustomerPaymentSettingsSet', { discountToleranceMinor: '-1' }))).toEqual([
      'discountToleranceMinor must not be negative',
    ]);
    expect(problemsOf('CustomerPaymentSettingsSet', variant('CustomerPaymentSettingsSet', { unmatchedCash: 'newest-first' }))).toEqual([
      "unmatchedCash must be one of 'oldest-due-first', 'leave-unapplied' (got \"newest-first\")",
    ]);
  });

  it('refuses an IBAN with spaces or in lower case', () => {
    expect(problemsOf('PayerAccountMapped', variant('PayerAccountMapped', { iban: 'de89 3704 0044 0532 0130 00' }))).toEqual([
      'iban must be an IBAN (upper case, no spaces) (got "de89 3704 0044 0532 0130 00")',
    ]);
  });

  it('refuses statement counts that do not add up to its entries', () => {
    expect(problemsOf('BankStatementImported', variant('BankStatementImported', { receipts: 8 }))).toEqual([
      'receipts + duplicates + suspense must equal entries',
    ]);
  });
});
