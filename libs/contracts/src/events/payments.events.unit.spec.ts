import { problemsOf } from './testing/problems';
import { variant } from './testing/samples';

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
    ).toEqual(['amount.amountMinor must be greater than zero', 'reason must be one of \'invoice-overpaid\' (got "goodwill")']);
  });
});
