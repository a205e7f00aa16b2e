import type { BusinessDate } from '@arc/clock';
import { given } from '@arc/decider/testing';
import { parseMajor } from '@arc/money';
import { contractDecider, referenceRateOn, referenceRatesDecider, type ContractTerms } from './contract.decider';
import { InvalidPaymentTermsError } from './invoice.errors';
import { dueItemsFor } from './payment-terms';
import { ContractOfOtherCustomerError } from './receivable.errors';

const terms = (changes: Partial<ContractTerms> = {}): ContractTerms => ({
  contractId: 'c0c0c0c0-0000-4000-8000-000000000001',
  customerId: 'c0ffee00-0000-4000-8000-000000000001',
  reference: 'MSA-1',
  signedOn: '2026-01-02',
  paymentTerms: { kind: 'net', netDays: 30 },
  earlyPaymentDiscount: { basisPoints: 200, withinDays: 10 },
  lateInterest: { kind: 'reference-plus-margin', marginBasisPoints: 900 },
  fixedCompensation: { amountMinor: '4000', currency: 'EUR' },
  interestCharging: 'month-end',
  disputeResolution: { method: 'arbitration', venue: 'DIS, Frankfurt', governingLaw: 'German law' },
  evidenceRefs: ['dms:msa-1.pdf'],
  ...changes,
});

describe('customer contract', () => {
  it('is agreed once, amended with the whole terms, and the same terms again change nothing', () => {
    given(contractDecider)
      .when({ type: 'AgreeContract', data: terms() })
      .then([{ type: 'ContractAgreed', data: terms() }]);
    const agreed = [{ type: 'ContractAgreed' as const, data: terms() }];
    given(contractDecider, agreed).when({ type: 'AgreeContract', data: terms() }).thenNothingHappens();
    const amended = terms({ paymentTerms: { kind: 'end-of-month', daysAfter: 30 } });
    given(contractDecider, agreed)
      .when({ type: 'AgreeContract', data: amended })
      .then([{ type: 'ContractAmended', data: amended }]);
  });

  it('never passes to another customer', () => {
    given(contractDecider, [{ type: 'ContractAgreed', data: terms() }])
      .when({ type: 'AgreeContract', data: terms({ customerId: 'c0ffee00-0000-4000-8000-000000000002' }) })
      .thenThrows(ContractOfOtherCustomerError);
  });

  it('refuses instalment shares that do not add up to 100 %, and a discount window beyond the first due date', () => {
    const instalments = {
      kind: 'instalments' as const,
      instalments: [
        { dueAfterDays: 30, shareBasisPoints: 5000 },
        { dueAfterDays: 60, shareBasisPoints: 4000 },
      ],
    };
    given(contractDecider)
      .when({ type: 'AgreeContract', data: terms({ paymentTerms: instalments }) })
      .thenThrows(/add up to 10000/);
    given(contractDecider)
      .when({ type: 'AgreeContract', data: terms({ earlyPaymentDiscount: { basisPoints: 200, withinDays: 31 } }) })
      .thenThrows(InvalidPaymentTermsError);
  });
});

describe('due dates from terms', () => {
  const total = parseMajor('100.00', 'EUR');
  it('end of month + 30 from a day in February of a common year', () => {
    expect(dueItemsFor({ kind: 'end-of-month', daysAfter: 30 }, '2027-02-10' as BusinessDate, total)[0]?.dueDate).toBe('2027-03-30');
  });

  it('instalments that do not divide evenly: the cents go to the largest remainders, the total kept exactly', () => {
    const items = dueItemsFor(
      { kind: 'instalments', instalments: [1, 2, 3].map((n) => ({ dueAfterDays: 30 * n, shareBasisPoints: n === 3 ? 3334 : 3333 })) },
      '2026-01-01' as BusinessDate,
      parseMajor('0.10', 'EUR'),
    );
    expect(items.map((item) => item.amount.amountMinor)).toEqual([3n, 3n, 4n]);
  });
});

describe('reference rates', () => {
  it('the rate in force on a day is the latest set on or before it; none before the first', () => {
    const state = [
      { type: 'ReferenceRateSet' as const, data: { effectiveFrom: '2028-03-01', basisPoints: 200, name: 'ECB' } },
      { type: 'ReferenceRateSet' as const, data: { effectiveFrom: '2027-07-01', basisPoints: 250, name: 'ECB' } },
    ].reduce(referenceRatesDecider.evolve, referenceRatesDecider.initialState);
    expect([referenceRateOn(state, '2027-06-30'), referenceRateOn(state, '2028-02-29'), referenceRateOn(state, '2028-03-01')]).toEqual([
      null,
      250,
      200,
    ]);
  });
});
