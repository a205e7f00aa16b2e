import type { BusinessDate } from '@arc/clock';
import type { Approver, CustomerAccountEvent } from '@arc/contracts';
import { DEFAULT_APPROVAL_MATRIX } from '../approval/approval-matrix';
import type { RequestCreditLimit } from './commands';
import {
  ApprovalLevelTooLowError,
  ApproverAlreadyApprovedError,
  LimitRequestDecidedError,
  NoCreditPolicyError,
  RequesterCannotApproveError,
  TemporaryLimitInPastError,
  UnknownEvidenceError,
} from './limit-request.errors';
import { CUSTOMER, eur, eurJson, givenAccount, policySet, registered, stateAfter } from './testing/fixtures';

const REQUEST = 'b0b0b0b0-0000-4000-8000-000000000001';
const SALES = 'sam';
const L1: Approver = { subject: 'lena', level: 1 };
const L2: Approver = { subject: 'fiona', level: 2 };
const L2b: Approver = { subject: 'felix', level: 2 };
const L3: Approver = { subject: 'carl', level: 3 };

const request = (limitMajor: string, extra: Partial<RequestCreditLimit['data']> = {}): RequestCreditLimit => ({
  type: 'RequestCreditLimit',
  data: {
    requestId: REQUEST,
    requestedLimit: eur(limitMajor),
    reason: 'seasonal orders',
    temporaryUntil: null,
    evidenceIds: [],
    requestedBy: SALES,
    requestedOn: '2026-01-10' as BusinessDate,
    matrix: { version: 1, matrix: DEFAULT_APPROVAL_MATRIX },
    amountInMatrixCurrency: eur(limitMajor),
    ...extra,
  },
});
const requested = (
  limitMajor: string,
  requirement: { approvals: number; minimumLevel: number; finalLevel: number },
  temporaryUntil: string | null = null,
) =>
  ({
    type: 'CreditLimitRequested',
    data: {
      customerId: CUSTOMER,
      requestId: REQUEST,
      requestedLimit: eurJson(limitMajor),
      reason: 'seasonal orders',
      temporaryUntil,
      evidenceIds: [],
      requestedBy: SALES,
      creditClass: 'B',
      matrixVersion: 1,
      requirement,
      requestedOn: '2026-01-10',
    },
  }) satisfies CustomerAccountEvent;
const approve = (approver: Approver) => ({ type: 'ApproveCreditLimit' as const, data: { requestId: REQUEST, approver } });
const approved = (
  limitMajor: string,
  approvers: Approver[],
  previousMajor = '100000.00',
  temporaryUntil: string | null = null,
): CustomerAccountEvent => ({
  type: 'CreditLimitRequestApproved',
  data: {
    customerId: CUSTOMER,
    requestId: REQUEST,
    approvers,
    approvedLimit: eurJson(limitMajor),
    previousLimit: eurJson(previousMajor),
    temporaryUntil,
  },
});

const ONE_AT_L1 = { approvals: 1, minimumLevel: 1, finalLevel: 1 };
const ONE_AT_L2 = { approvals: 1, minimumLevel: 2, finalLevel: 2 };
const TWO_ONE_AT_L3 = { approvals: 2, minimumLevel: 2, finalLevel: 3 };
const withPolicy = [registered, policySet('50000.00')];

describe('limit requests', () => {
  describe('requesting', () => {
    it.each([
      ['90,000.00: one approver at level 1', '90000.00', ONE_AT_L1],
      ['100,000.00 (inclusive bound): one approver at level 1', '100000.00', ONE_AT_L1],
      ['100,000.01: one approver at level 2', '100000.01', ONE_AT_L2],
      ['1,000,000.01: two approvals, one at level 3', '1000000.01', TWO_ONE_AT_L3],
    ])('records what the matrix requires for %s', (_name, limit, requirement) => {
      givenAccount(withPolicy)
        .when(request(limit))
        .then([requested(limit, requirement)]);
    });

    it('reads the matrix by class: a class-C customer needs level 2 from the first euro', () => {
      givenAccount([registered, policySet('50000.00', 'C')])
        .when(request('60000.00'))
        .then([{ ...requested('60000.00', ONE_AT_L2), data: { ...requested('60000.00', ONE_AT_L2).data, creditClass: 'C' } }]);
    });

    it('refuses a request for a customer without a policy, a temporary limit ending in the past and unknown evidence', () => {
      givenAccount([registered]).when(request('1.00')).thenThrows(NoCreditPolicyError);
      givenAccount(withPolicy)
        .when(request('1.00', { temporaryUntil: '2026-01-09' as BusinessDate }))
        .thenThrows(TemporaryLimitInPastError);
      givenAccount(withPolicy)
        .when(request('1.00', { evidenceIds: ['e0e0e0e0-0000-4000-8000-000000000009'] }))
        .thenThrows(UnknownEvidenceError);
    });

    it('treats the same request again as a repeat', () => {
      givenAccount([...withPolicy, requested('90000.00', ONE_AT_L1)])
        .when(request('90000.00'))
        .thenNothingHappens();
    });
  });

  describe('approving (maker-checker and levels)', () => {
    it('refuses the requester approving their own request', () => {
      givenAccount([...withPolicy, requested('90000.00', ONE_AT_L1)])
        .when(approve({ subject: SALES, level: 3 }))
        .thenThrows(RequesterCannotApproveError);
    });

    it('refuses a level-1 approver for a level-2 amount', () => {
      const error = givenAccount([...withPolicy, requested('200000.00', ONE_AT_L2)])
        .when(approve(L1))
        .thenThrows(ApprovalLevelTooLowError);
      expect(error.message).toBe("this approval needs approval level 2; the approver's token carries level 1");
    });

    it('changes the policy limit with the one approval it needs, in the same append', () => {
      givenAccount([...withPolicy, requested('90000.00', ONE_AT_L1)])
        .when(approve(L1))
        .then([approved('90000.00', [L1], '50000.00'), policySet('90000.00')]);
    });

    it('takes effect only with the second approval when two are needed', () => {
      const history = [...withPolicy, requested('2000000.00', TWO_ONE_AT_L3)];
      givenAccount(history)
        .when(approve(L2))
        .then([{ type: 'CreditLimitApprovalGiven', data: { customerId: CUSTOMER, requestId: REQUEST, approver: L2 } }]);
      const afterFirst: CustomerAccountEvent[] = [
        ...history,
        { type: 'CreditLimitApprovalGiven', data: { customerId: CUSTOMER, requestId: REQUEST, approver: L2 } },
      ];
      givenAccount(afterFirst)
        .when(approve(L3))
        .then([approved('2000000.00', [L2, L3], '50000.00'), policySet('2000000.00')]);
    });

    it('needs the second approval at level 3 when the first was not, and never from the first approver again', () => {
      const afterFirst: CustomerAccountEvent[] = [
        ...withPolicy,
        requested('2000000.00', TWO_ONE_AT_L3),
        { type: 'CreditLimitApprovalGiven', data: { customerId: CUSTOMER, requestId: REQUEST, approver: L2 } },
      ];
      givenAccount(afterFirst).when(approve(L2b)).thenThrows(ApprovalLevelTooLowError);
      givenAccount(afterFirst)
        .when(approve({ subject: L2.subject, level: 3 }))
        .thenThrows(ApproverAlreadyApprovedError);
    });

    it('treats an approver approving again after the decision as a repeat, and refuses anyone else', () => {
      const done = [...withPolicy, requested('90000.00', ONE_AT_L1), approved('90000.00', [L1], '50000.00'), policySet('90000.00')];
      givenAccount(done).when(approve(L1)).thenNothingHappens();
      givenAccount(done).when(approve(L2)).thenThrows(LimitRequestDecidedError);
    });
  });

  describe('rejecting', () => {
    it('records the rejection and its reason, leaving the policy alone', () => {
      givenAccount([...withPolicy, requested('90000.00', ONE_AT_L1)])
        .when({ type: 'RejectCreditLimit', data: { requestId: REQUEST, approver: L1, reason: 'financials too weak' } })
        .then([
          {
            type: 'CreditLimitRequestRejected',
            data: { customerId: CUSTOMER, requestId: REQUEST, rejectedBy: L1, reason: 'financials too weak' },
          },
        ]);
    });

    it('refuses the requester rejecting their own request', () => {
      givenAccount([...withPolicy, requested('90000.00', ONE_AT_L1)])
        .when({ type: 'RejectCreditLimit', data: { requestId: REQUEST, approver: { subject: SALES, level: 2 }, reason: 'never mind' } })
        .thenThrows(RequesterCannotApproveError);
    });
  });

  describe('temporary limits', () => {
    const temporary = [
      ...withPolicy,
      requested('90000.00', ONE_AT_L1, '2026-03-31'),
      approved('90000.00', [L1], '50000.00', '2026-03-31'),
      policySet('90000.00'),
    ];
    const close = (date: string) => ({ type: 'ExpireTemporaryLimit' as const, data: { closedDate: date as BusinessDate } });

    it('stays in force when its end date itself is closed', () => {
      givenAccount(temporary).when(close('2026-03-31')).thenNothingHappens();
    });

    it('falls back to the earlier limit when the day after its end date is closed', () => {
      givenAccount(temporary)
        .when(close('2026-04-01'))
        .then([
          {
            type: 'TemporaryCreditLimitExpired',
            data: {
              customerId: CUSTOMER,
              requestId: REQUEST,
              temporaryLimit: eurJson('90000.00'),
              restoredLimit: eurJson('50000.00'),
              endDate: '2026-03-31',
              closedDate: '2026-04-01',
            },
          },
          policySet('50000.00'),
        ]);
    });

    it('expires once: a later close after the fall-back changes nothing', () => {
      const expired = stateAfter(temporary);
      expect(expired.status === 'registered' && expired.temporaryLimit?.restoreLimit).toEqual(eur('50000.00'));
      givenAccount([
        ...temporary,
        {
          type: 'TemporaryCreditLimitExpired',
          data: {
            customerId: CUSTOMER,
            requestId: REQUEST,
            temporaryLimit: eurJson('90000.00'),
            restoredLimit: eurJson('50000.00'),
            endDate: '2026-03-31',
            closedDate: '2026-04-01',
          },
        },
        policySet('50000.00'),
      ])
        .when(close('2026-04-02'))
        .thenNothingHappens();
    });
  });
});
