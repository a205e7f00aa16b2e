import type { BusinessDate } from '@arc/clock';
import type { CustomerAccountEvent, CustomerAssessedData } from '@arc/contracts';
import { toJson } from '@arc/money';
import { customerCreditAccountDecider as decider } from '../customer-credit-account.decider';
import { NoAssessmentError } from '../customer-credit-account.errors';
import { assess } from '../scoring/assess';
import { DEFAULT_SCORING_MODEL } from '../scoring/default-scoring-model';
import { PROFILE_B } from '../scoring/testing/profiles';
import type { PaymentBehaviour } from './commands';
import { CUSTOMER, givenAccount, policySet, registered, stateAfter } from './testing/fixtures';

const ASSESSMENT = 'a55e55ed-0000-4000-8000-000000000001';
const REVIEW = 'a55e55ed-0000-4000-8000-000000000002';
const V1 = { version: 1, model: DEFAULT_SCORING_MODEL };

function assessedEvent(
  assessmentId: string,
  inputs = PROFILE_B,
  purpose: 'initial' | 'review' = 'initial',
  on = '2026-01-05',
  by = 'user:fiona',
): CustomerAccountEvent {
  const result = assess(DEFAULT_SCORING_MODEL, 1, inputs);
  const data: CustomerAssessedData = {
    customerId: CUSTOMER,
    assessmentId,
    purpose,
    modelVersion: 1,
    assessedOn: on,
    inputs,
    score: result.score,
    creditClass: result.creditClass,
    factors: result.factors,
    recommendedLimit: toJson(result.recommendedLimit),
    recommendedPaymentTermDays: result.recommendedPaymentTermDays,
    recommendedPrepaymentBasisPoints: result.recommendedPrepaymentBasisPoints,
    assessedBy: by,
  };
  return { type: 'CustomerAssessed', data };
}

const review = (behaviour: PaymentBehaviour) => ({
  type: 'ReviewCustomer' as const,
  data: {
    assessmentId: REVIEW,
    reviewedOn: '2026-06-30' as BusinessDate,
    behaviour,
    model: V1,
    nextReviewDate: '2026-12-31' as BusinessDate,
    reviewedBy: 'system:credit',
  },
});

describe('assessments and reviews', () => {
  it('records an assessment with the model version it used and every figure that explains it', () => {
    givenAccount([registered])
      .when({
        type: 'AssessCustomer',
        data: {
          assessmentId: ASSESSMENT,
          assessedOn: '2026-01-05' as BusinessDate,
          inputs: PROFILE_B,
          model: V1,
          assessedBy: 'user:fiona',
        },
      })
      .then([assessedEvent(ASSESSMENT)]);
  });

  it('keeps an earlier assessment as it was when a later model version assesses again', () => {
    const history = [registered, assessedEvent(ASSESSMENT)];
    const stricter = { version: 2, model: { ...DEFAULT_SCORING_MODEL, classCutOffs: { A: 85, B: 70, C: 50 } } };
    const second = 'a55e55ed-0000-4000-8000-000000000003';
    const events = decider.decide(
      {
        type: 'AssessCustomer',
        data: {
          assessmentId: second,
          assessedOn: '2026-02-01' as BusinessDate,
          inputs: PROFILE_B,
          model: stricter,
          assessedBy: 'user:fiona',
        },
      },
      stateAfter(history),
    );
    const state = stateAfter([...history, ...events]);
    expect(state.status === 'registered' && state.assessments.map((a) => [a.assessmentId, a.modelVersion, a.score, a.creditClass])).toEqual(
      [
        [ASSESSMENT, 1, 65, 'B'],
        [second, 2, 65, 'C'],
      ],
    );
  });

  it('downgrades a customer that pays late on review, announcing the old and new class', () => {
    const history = [registered, policySet('200000.00', 'B', '2026-06-30'), assessedEvent(ASSESSMENT)];
    const late: PaymentBehaviour = { onTimePaymentBasisPoints: 3000, averageDaysLate: 45, brokenPromises: 2 };
    const reviewed = assessedEvent(
      REVIEW,
      { ...PROFILE_B, onTimePaymentBasisPoints: 3000, averageDaysLate: 45, brokenPromises: 2 },
      'review',
      '2026-06-30',
      'system:credit',
    );
    expect(reviewed.type === 'CustomerAssessed' && reviewed.data.creditClass).toBe('C');
    givenAccount(history)
      .when(review(late))
      .then([
        reviewed,
        {
          type: 'CustomerReclassified',
          data: {
            customerId: CUSTOMER,
            assessmentId: REVIEW,
            fromClass: 'B',
            toClass: 'C',
            direction: 'downgrade',
            reviewedOn: '2026-06-30',
          },
        },
        policySet('200000.00', 'C', '2026-12-31'),
      ]);
  });

  it('keeps the class of a customer that pays on time, moving only the next review date', () => {
    const history = [registered, policySet('200000.00', 'B', '2026-06-30'), assessedEvent(ASSESSMENT)];
    const onTime: PaymentBehaviour = { onTimePaymentBasisPoints: 9800, averageDaysLate: 0, brokenPromises: 0 };
    const reviewed = assessedEvent(
      REVIEW,
      { ...PROFILE_B, onTimePaymentBasisPoints: 9800, averageDaysLate: 0, brokenPromises: 0 },
      'review',
      '2026-06-30',
      'system:credit',
    );
    givenAccount(history)
      .when(review(onTime))
      .then([reviewed, policySet('200000.00', reviewed.type === 'CustomerAssessed' ? reviewed.data.creditClass : 'B', '2026-12-31')]);
  });

  it('without a date given, schedules the next review by the new class: six months for a customer downgraded to C', () => {
    const history = [registered, policySet('200000.00', 'B', '2026-06-30'), assessedEvent(ASSESSMENT)];
    const late: PaymentBehaviour = { onTimePaymentBasisPoints: 3000, averageDaysLate: 45, brokenPromises: 2 };
    const command = review(late);
    const events = decider.decide({ ...command, data: { ...command.data, nextReviewDate: null } }, stateAfter(history));
    expect(events.at(-1)).toMatchObject({ type: 'CreditPolicySet', data: { creditClass: 'C', nextReviewDate: '2026-12-30' } });
  });

  it('refuses a review of a customer never assessed', () => {
    givenAccount([registered, policySet()])
      .when(review({ onTimePaymentBasisPoints: null, averageDaysLate: null, brokenPromises: 0 }))
      .thenThrows(NoAssessmentError);
  });

  it('treats the same review again as a repeat', () => {
    const history = [
      registered,
      policySet('200000.00', 'B', '2026-06-30'),
      assessedEvent(ASSESSMENT),
      assessedEvent(REVIEW, PROFILE_B, 'review'),
    ];
    givenAccount(history)
      .when(review({ onTimePaymentBasisPoints: 10_000, averageDaysLate: 0, brokenPromises: 0 }))
      .thenNothingHappens();
  });
});
