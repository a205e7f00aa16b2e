/*
 * Assessments and periodic reviews on the customer's account. The score itself is `assess` (pure, in
 * ../scoring); here it is recorded with the model version it used. A review re-runs the latest
 * assessment's figures with the customer's own payment behaviour and may reclassify: the class moves in a
 * `CreditPolicySet`, announced by `CustomerReclassified` (a later letter is a downgrade).
 */
import { addMonths } from '@arc/clock';
import type { AssessmentInputs, CreditClass, CustomerAccountEvent, CustomerAssessedData } from '@arc/contracts';
import { toJson } from '@arc/money';
import { AssessmentIdTakenError, CurrencyMismatchError, NoAssessmentError } from '../customer-credit-account.errors';
import { assess } from '../scoring/assess';
import type { AssessCustomer, ModelInForce, PaymentBehaviour, ReviewCustomer } from './commands';
import { registered, withPolicy } from './guards';
import { policyData } from './policy';
import type { Assessment, CustomerCreditAccount, RegisteredAccount } from './state';

function assessed(
  account: RegisteredAccount,
  assessmentId: string,
  purpose: CustomerAssessedData['purpose'],
  assessedOn: string,
  inputs: AssessmentInputs,
  model: ModelInForce,
  assessedBy: string,
): CustomerAssessedData {
  const result = assess(model.model, model.version, inputs);
  return {
    customerId: account.customer.customerId,
    assessmentId,
    purpose,
    modelVersion: model.version,
    assessedOn,
    inputs,
    score: result.score,
    creditClass: result.creditClass,
    factors: result.factors,
    recommendedLimit: toJson(result.recommendedLimit),
    recommendedPaymentTermDays: result.recommendedPaymentTermDays,
    recommendedPrepaymentBasisPoints: result.recommendedPrepaymentBasisPoints,
    assessedBy,
  };
}

/** The earlier assessment with this id: the same inputs repeat it; other inputs are a refusal. */
function repeated(account: RegisteredAccount, assessmentId: string, inputs: AssessmentInputs | null): boolean {
  const earlier = account.assessments.find((a) => a.assessmentId === assessmentId);
  if (earlier === undefined) return false;
  if (inputs === null || JSON.stringify(earlier.inputs) === JSON.stringify(inputs)) return true;
  throw new AssessmentIdTakenError(assessmentId);
}

export function assessCustomer(command: AssessCustomer, state: CustomerCreditAccount): CustomerAccountEvent[] {
  const account = registered(state, command.type);
  const { assessmentId, assessedOn, inputs, model, assessedBy } = command.data;
  if (repeated(account, assessmentId, inputs)) return [];
  // The recommended limit is sized from equity and revenue: in the customer's currency, like the limit.
  if (inputs.equity.currency !== account.currency)
    throw new CurrencyMismatchError(account.currency, inputs.equity.currency, 'inputs.equity', "the customer's currency");
  return [{ type: 'CustomerAssessed', data: assessed(account, assessmentId, 'initial', assessedOn, inputs, model, assessedBy) }];
}

/** How soon a customer is reviewed again by default: the weaker the class, the sooner. */
export const REVIEW_INTERVAL_MONTHS: Readonly<Record<CreditClass, number>> = { A: 12, B: 12, C: 6, D: 3 };

/** The latest assessment's figures with the payment-behaviour inputs replaced by how the customer paid. */
export function reviewInputs(latest: Assessment, behaviour: PaymentBehaviour): AssessmentInputs {
  return {
    ...latest.inputs,
    onTimePaymentBasisPoints: behaviour.onTimePaymentBasisPoints,
    averageDaysLate: behaviour.averageDaysLate,
    brokenPromises: behaviour.brokenPromises,
  };
}

export function reviewCustomer(command: ReviewCustomer, state: CustomerCreditAccount): CustomerAccountEvent[] {
  const account = withPolicy(state, command.type);
  const { assessmentId, reviewedOn, behaviour, model, nextReviewDate, reviewedBy } = command.data;
  if (repeated(account, assessmentId, null)) return [];
  const latest = account.assessments.at(-1);
  if (latest === undefined) throw new NoAssessmentError();

  const review = assessed(account, assessmentId, 'review', reviewedOn, reviewInputs(latest, behaviour), model, reviewedBy);
  const customerId = account.customer.customerId;
  const fromClass = account.policy.creditClass;
  const events: CustomerAccountEvent[] = [{ type: 'CustomerAssessed', data: review }];
  if (review.creditClass !== fromClass) {
    events.push({
      type: 'CustomerReclassified',
      data: {
        customerId,
        assessmentId,
        fromClass,
        toClass: review.creditClass,
        direction: review.creditClass > fromClass ? 'downgrade' : 'upgrade',
        reviewedOn,
      },
    });
  }
  const next = nextReviewDate ?? addMonths(reviewedOn, REVIEW_INTERVAL_MONTHS[review.creditClass]);
  const policy = { ...account.policy, creditClass: review.creditClass, nextReviewDate: next };
  if (JSON.stringify(policyData(customerId, policy)) !== JSON.stringify(policyData(customerId, account.policy))) {
    events.push({ type: 'CreditPolicySet', data: policyData(customerId, policy) });
  }
  return events;
}
