import { CREDIT_CHECK_FAILED_V1_CHECK_ID, CreditCheckFailed } from './credit.events';
import { validateEventData } from './registry';
import { problemsOf } from './testing/problems';
import { samples, variant } from './testing/samples';

const eur = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

describe('credit events', () => {
  describe('CustomerRegistered', () => {
    it('refuses a customer id that is not a UUID and a three-letter country code', () => {
      expect(problemsOf('CustomerRegistered', variant('CustomerRegistered', { customerId: 'customer-1', country: 'DEU' }))).toEqual([
        'customerId must be a UUID (got "customer-1")',
        'country must be an ISO 3166-1 alpha-2 code (two upper-case letters) (got "DEU")',
      ]);
    });
  });

  describe('CreditPolicySet', () => {
    it('refuses a negative limit, a discount above 100 % and no accepted payment method', () => {
      const data = variant('CreditPolicySet', {
        creditLimit: eur('-1'),
        earlyPaymentDiscount: { basisPoints: 10_001, withinDays: 10 },
        acceptedPaymentMethods: [],
      });
      expect(problemsOf('CreditPolicySet', data)).toEqual([
        'creditLimit.amountMinor must not be negative',
        'acceptedPaymentMethods must have at least 1 item',
        'earlyPaymentDiscount.basisPoints must be an integer from 1 to 10000 (got 10001)',
      ]);
    });

    it('refuses a discount window longer than the payment term', () => {
      const data = variant('CreditPolicySet', { paymentTermDays: 7, earlyPaymentDiscount: { basisPoints: 200, withinDays: 10 } });
      expect(problemsOf('CreditPolicySet', data)).toEqual(['earlyPaymentDiscount.withinDays must not be later than paymentTermDays']);
    });

    it('refuses the same payment method twice and an unknown one', () => {
      expect(problemsOf('CreditPolicySet', variant('CreditPolicySet', { acceptedPaymentMethods: ['cash', 'cash'] }))).toEqual([
        'acceptedPaymentMethods must not repeat a method',
      ]);
      expect(problemsOf('CreditPolicySet', variant('CreditPolicySet', { acceptedPaymentMethods: ['barter'] }))).toEqual([
        "acceptedPaymentMethods[0] must be one of 'bank-transfer', 'cheque', 'cash', 'card', 'e-payment' (got \"barter\")",
      ]);
    });

    it('refuses a credit class outside A–D', () => {
      expect(problemsOf('CreditPolicySet', variant('CreditPolicySet', { creditClass: 'E' }))).toEqual([
        "creditClass must be one of 'A', 'B', 'C', 'D' (got \"E\")",
      ]);
    });
  });

  describe('CreditCheckPassed', () => {
    it('accepts an order that fills the limit exactly', () => {
      expect(
        problemsOf('CreditCheckPassed', variant('CreditCheckPassed', { exposureBefore: eur('4000000'), amount: eur('6000000') })),
      ).toEqual([]);
    });

    it('refuses a pass where exposure + order exceeds the limit without an override', () => {
      expect(problemsOf('CreditCheckPassed', variant('CreditCheckPassed', { amount: eur('6000001') }))).toEqual([
        'exposureBefore + amount exceeds creditLimit, which needs an override',
      ]);
    });

    it('accepts going over the limit with an authorised override', () => {
      const data = variant('CreditCheckPassed', {
        amount: eur('6000001'),
        override: { reason: 'strategic customer, CFO approval', authorisedBy: 'user:cfo' },
      });
      expect(problemsOf('CreditCheckPassed', data)).toEqual([]);
    });

    it('refuses an override without a reason', () => {
      expect(problemsOf('CreditCheckPassed', variant('CreditCheckPassed', { override: { reason: '', authorisedBy: 'user:cfo' } }))).toEqual(
        ['override.reason must be a non-empty string (got "")'],
      );
    });

    it('refuses a reservation in another currency than the limit, and a zero reservation', () => {
      expect(problemsOf('CreditCheckPassed', variant('CreditCheckPassed', { amount: { amountMinor: '1', currency: 'USD' } }))).toEqual([
        'amount.currency must be EUR like the rest of the event (got "USD")',
      ]);
      expect(problemsOf('CreditCheckPassed', variant('CreditCheckPassed', { amount: eur('0') }))).toEqual([
        'amount.amountMinor must be greater than zero',
      ]);
    });
  });

  describe('CreditCheckFailed', () => {
    it('names the check it decided, by a UUID', () => {
      expect(problemsOf('CreditCheckFailed', variant('CreditCheckFailed', { checkId: 'check-1' }))).toEqual([
        'checkId must be a UUID (got "check-1")',
      ]);
      const { checkId: _checkId, ...withoutCheckId } = samples.CreditCheckFailed;
      expect(problemsOf('CreditCheckFailed', withoutCheckId)).toEqual(['checkId is missing']);
    });

    it('is at schema version 2 (v2 added checkId), so v1 data must be upcast before it is validated', () => {
      expect(CreditCheckFailed.schemaVersion).toBe(2);
      expect(validateEventData('CreditCheckFailed', 2, samples.CreditCheckFailed)).toEqual({ ok: true, value: samples.CreditCheckFailed });
      const { checkId: _checkId, ...v1 } = samples.CreditCheckFailed;
      expect(validateEventData('CreditCheckFailed', 1, v1)).toEqual({
        ok: false,
        problems: ['schema version 1 of CreditCheckFailed is older than the current 2: upcast it before validating'],
      });
      // The documented v1 default is itself a valid checkId, so upcast v1 data passes the v2 contract.
      expect(problemsOf('CreditCheckFailed', { ...v1, checkId: CREDIT_CHECK_FAILED_V1_CHECK_ID })).toEqual([]);
    });

    it('refuses a limit-exceeded failure that does not say which exposure and limit', () => {
      expect(problemsOf('CreditCheckFailed', variant('CreditCheckFailed', { exposure: null }))).toEqual([
        "a 'limit-exceeded' failure must state the exposure and the creditLimit it exceeded",
      ]);
    });

    it('accepts a hold failure without figures', () => {
      expect(
        problemsOf('CreditCheckFailed', variant('CreditCheckFailed', { reason: 'customer-on-hold', exposure: null, creditLimit: null })),
      ).toEqual([]);
    });

    it('refuses an unknown failure reason', () => {
      expect(problemsOf('CreditCheckFailed', variant('CreditCheckFailed', { reason: 'bad-mood' }))).toEqual([
        "reason must be one of 'limit-exceeded', 'customer-on-hold', 'no-credit-policy', 'group-limit-exceeded' (got \"bad-mood\")",
      ]);
    });
  });

  describe('reservations and holds', () => {
    it('refuses releasing or consuming a zero or negative amount', () => {
      expect(problemsOf('CreditReservationReleased', variant('CreditReservationReleased', { amount: eur('0') }))).toEqual([
        'amount.amountMinor must be greater than zero',
      ]);
      expect(problemsOf('CreditReservationConsumed', variant('CreditReservationConsumed', { amount: eur('-5') }))).toEqual([
        'amount.amountMinor must be greater than zero',
      ]);
    });

    it('refuses a hold from an unknown source and a release without a reason', () => {
      expect(problemsOf('CreditHoldPlaced', variant('CreditHoldPlaced', { source: 'sales' }))).toEqual([
        "source must be one of 'manual', 'collections', 'risk-alert' (got \"sales\")",
      ]);
      expect(problemsOf('CreditHoldReleased', { ...samples.CreditHoldReleased, reason: ' ' })).toEqual([
        'reason must be a non-empty string (got " ")',
      ]);
    });
  });
});
