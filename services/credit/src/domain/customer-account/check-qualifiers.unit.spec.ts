import type { CustomerAccountEvent } from '@arc/contracts';
import { OverrideNeedsApprovalLevelError } from '../customer-credit-account.errors';
import type { CheckCredit } from './commands';
import { TOLERANCE_AUTHORITY } from './credit-checks';
import { checkpointOf, exposure, insuranceStatus } from './figures';
import { CUSTOMER, TODAY, eur, eurJson, givenAccount, policySet, registered, stateAfter } from './testing/fixtures';

const CHECK = 'a1b2c3d4-0000-4000-8000-000000000001';
const check = (orderMajor: string, extra: Partial<CheckCredit['data']> = {}): CheckCredit => ({
  type: 'CheckCredit',
  data: { checkId: CHECK, orderReference: 'SO-1', orderAmount: eur(orderMajor), openAr: eur('0.00'), businessDate: TODAY, ...extra },
});
const tolerance = (basisPoints: number | null, amountMajor: string | null = null): CustomerAccountEvent => ({
  type: 'CreditToleranceSet',
  data: { customerId: CUSTOMER, basisPoints, amount: amountMajor === null ? null : eurJson(amountMajor) },
});
const failed = (orderMajor: string, reason: 'limit-exceeded' | 'group-limit-exceeded'): CustomerAccountEvent => ({
  type: 'CreditCheckFailed',
  data: {
    customerId: CUSTOMER,
    checkId: CHECK,
    orderReference: 'SO-1',
    amount: eurJson(orderMajor),
    reason,
    exposure: eurJson('0.00'),
    creditLimit: eurJson('100000.00'),
    checkpoint: 'order',
  },
});
const passed = (orderMajor: string, override: { reason: string; authorisedBy: string } | null): CustomerAccountEvent => ({
  type: 'CreditCheckPassed',
  data: {
    customerId: CUSTOMER,
    reservationId: CHECK,
    orderReference: 'SO-1',
    amount: eurJson(orderMajor),
    exposureBefore: eurJson('0.00'),
    creditLimit: eurJson('100000.00'),
    override,
    checkpoint: 'order',
  },
});

describe('credit check qualifiers', () => {
  describe('tolerance', () => {
    it('passes a check up to 5 % over the limit with a 5 % tolerance, recorded as the policy authorising it', () => {
      givenAccount([registered, policySet(), tolerance(500)])
        .when(check('105000.00'))
        .then([passed('105000.00', { reason: "within the credit policy's tolerance of 5000.00 EUR", authorisedBy: TOLERANCE_AUTHORITY })]);
    });

    it('fails a check one cent beyond the tolerance', () => {
      givenAccount([registered, policySet(), tolerance(500)])
        .when(check('105000.01'))
        .then([failed('105000.01', 'limit-exceeded')]);
    });

    it('reads an amount tolerance as a fixed allowance', () => {
      givenAccount([registered, policySet(), tolerance(null, '250.00')])
        .when(check('100250.01'))
        .then([failed('100250.01', 'limit-exceeded')]);
    });

    it('records no override for a check within the limit itself', () => {
      givenAccount([registered, policySet(), tolerance(500)])
        .when(check('100000.00'))
        .then([passed('100000.00', null)]);
    });
  });

  describe('overrides', () => {
    it('refuses an override by someone without an approval level', () => {
      givenAccount([registered, policySet()])
        .when(check('200000.00', { override: { reason: 'strategic', authorisedBy: 'user:sam', approverLevel: 0 } }))
        .thenThrows(OverrideNeedsApprovalLevelError);
    });

    it('records the caller as the one who authorised it', () => {
      givenAccount([registered, policySet()])
        .when(check('200000.00', { override: { reason: 'strategic', authorisedBy: 'user:fiona', approverLevel: 2 } }))
        .then([passed('200000.00', { reason: 'strategic', authorisedBy: 'user:fiona' })]);
    });
  });

  it("fails a member's check that its credit group refused, even within its own limit", () => {
    givenAccount([registered, policySet()])
      .when(check('10.00', { groupRefused: true }))
      .then([failed('10.00', 'group-limit-exceeded')]);
  });

  describe('credit insurance', () => {
    const cover: CustomerAccountEvent = {
      type: 'CreditInsuranceCoverSet',
      data: {
        customerId: CUSTOMER,
        insurer: 'Allianz Trade',
        policyNumber: 'AT-1',
        insuredAmount: eurJson('80000.00'),
        validUntil: '2026-12-31',
      },
    };
    const account = stateAfter([registered, policySet(), cover]);

    it('reports exposure above the insured amount', () => {
      expect(insuranceStatus(account, exposure(account, eur('90000.00')), '2026-06-30')).toEqual({
        insurer: 'Allianz Trade',
        insuredAmount: eur('80000.00'),
        uninsuredExposure: eur('10000.00'),
        coverExceeded: true,
        expired: false,
      });
    });

    it('reports an expired cover, which insures nothing', () => {
      expect(insuranceStatus(account, eur('1000.00'), '2027-01-01')).toMatchObject({
        expired: true,
        uninsuredExposure: eur('1000.00'),
        coverExceeded: true,
      });
    });

    it('reports nothing for a customer without insurance', () => {
      expect(insuranceStatus(stateAfter([registered, policySet()]), eur('1.00'), '2026-06-30')).toBeNull();
    });
  });

  describe('checkpoint', () => {
    it('records where the check was made (here at delivery) on its outcome, and reads older checks as made at the order', () => {
      const atDelivery = { ...(passed('1000.00', null) as { type: 'CreditCheckPassed'; data: object }) };
      givenAccount([registered, policySet()])
        .when(check('1000.00', { checkpoint: 'delivery' }))
        .then([{ ...atDelivery, data: { ...atDelivery.data, checkpoint: 'delivery' } } as CustomerAccountEvent]);
      const { checkpoint: _none, ...older } = (passed('1000.00', null) as unknown as { data: Record<string, unknown> }).data;
      const after = stateAfter([registered, policySet(), { type: 'CreditCheckPassed', data: older } as unknown as CustomerAccountEvent]);
      expect(checkpointOf(after, CHECK)).toBe('order');
    });
  });
});
