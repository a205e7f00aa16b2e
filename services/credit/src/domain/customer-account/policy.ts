/* Registration, the credit policy and what qualifies it: holds, check tolerance, insurance cover, group membership. */
import type { CreditPolicySetData, CustomerAccountEvent } from '@arc/contracts';
import { isCurrencyCode, toJson } from '@arc/money';
import { AlreadyInAnotherGroupError } from '../group/credit-group.errors';
import {
  CustomerAlreadyRegisteredError,
  InvalidCreditPolicyError,
  NegativeCreditLimitError,
  UnknownCurrencyError,
} from '../customer-credit-account.errors';
import type {
  JoinCreditGroup,
  PlaceHold,
  RegisterCustomer,
  ReleaseHold,
  SetCheckTolerance,
  SetCreditPolicy,
  SetInsuranceCover,
} from './commands';
import { registered, requireCurrency } from './guards';
import { REGISTRATION_FIELDS, pick, type CreditPolicy, type CustomerCreditAccount } from './state';

export function registerCustomer(command: RegisterCustomer, account: CustomerCreditAccount): CustomerAccountEvent[] {
  const data = command.data;
  if (!isCurrencyCode(data.currency)) throw new UnknownCurrencyError(data.currency);
  if (account.status === 'registered') {
    const differing = REGISTRATION_FIELDS.filter((field) => account.customer[field] !== data[field]);
    if (differing.length === 0) return [];
    throw new CustomerAlreadyRegisteredError(account.customer.customerId, differing);
  }
  return [{ type: 'CustomerRegistered', data: pick(data, REGISTRATION_FIELDS) }];
}

function policyProblems(policy: SetCreditPolicy['data']): string[] {
  const problems: string[] = [];
  if (!Number.isSafeInteger(policy.paymentTermDays) || policy.paymentTermDays < 0) {
    problems.push(`paymentTermDays must be a whole number of days >= 0, not ${policy.paymentTermDays}`);
  }
  if (policy.acceptedPaymentMethods.length === 0) problems.push('at least one payment method must be accepted');
  if (new Set(policy.acceptedPaymentMethods).size !== policy.acceptedPaymentMethods.length) {
    problems.push('acceptedPaymentMethods must not repeat a method');
  }
  const discount = policy.earlyPaymentDiscount;
  if (discount !== null && discount.withinDays > policy.paymentTermDays) {
    problems.push(
      `the early-payment discount window (${discount.withinDays} days) ends after the payment term (${policy.paymentTermDays} days)`,
    );
  }
  if (!Number.isSafeInteger(policy.prepaymentBasisPoints) || policy.prepaymentBasisPoints < 0 || policy.prepaymentBasisPoints > 10_000) {
    problems.push(`prepaymentBasisPoints must be from 0 to 10000, not ${policy.prepaymentBasisPoints}`);
  }
  if (policy.insuredAmount !== null && policy.insuredAmount.amountMinor < 0n) problems.push('insuredAmount cannot be negative');
  return problems;
}

/** The policy as `CreditPolicySet` data; limit approvals, expiries and reviews change one field of it. */
export function policyData(customerId: string, policy: CreditPolicy): CreditPolicySetData {
  return {
    customerId,
    creditClass: policy.creditClass,
    creditLimit: toJson(policy.creditLimit),
    paymentTermDays: policy.paymentTermDays,
    acceptedPaymentMethods: [...policy.acceptedPaymentMethods],
    earlyPaymentDiscount:
      policy.earlyPaymentDiscount === null
        ? null
        : { basisPoints: policy.earlyPaymentDiscount.basisPoints, withinDays: policy.earlyPaymentDiscount.withinDays },
    prepaymentBasisPoints: policy.prepaymentBasisPoints,
    insuredAmount: policy.insuredAmount === null ? null : toJson(policy.insuredAmount),
    nextReviewDate: policy.nextReviewDate,
  };
}

export function setCreditPolicy(command: SetCreditPolicy, state: CustomerCreditAccount): CustomerAccountEvent[] {
  const account = registered(state, command.type);
  const policy = command.data;
  requireCurrency('creditLimit', policy.creditLimit, account.currency);
  if (policy.creditLimit.amountMinor < 0n) throw new NegativeCreditLimitError(policy.creditLimit.amountMinor);
  if (policy.insuredAmount !== null) requireCurrency('insuredAmount', policy.insuredAmount, account.currency);
  const problems = policyProblems(policy);
  if (problems.length > 0) throw new InvalidCreditPolicyError(problems);

  const data = policyData(account.customer.customerId, policy);
  // Both sides built by policyData, so the key order is the same and the JSON comparison is exact.
  if (account.policy !== null && JSON.stringify(policyData(account.customer.customerId, account.policy)) === JSON.stringify(data)) {
    return [];
  }
  return [{ type: 'CreditPolicySet', data }];
}

export function placeHold(command: PlaceHold, state: CustomerCreditAccount): CustomerAccountEvent[] {
  const account = registered(state, command.type);
  // One hold at a time: a second request (another source, another reason) while on hold changes nothing.
  if (account.hold !== null) return [];
  return [{ type: 'CreditHoldPlaced', data: { customerId: account.customer.customerId, ...command.data } }];
}

export function releaseHold(command: ReleaseHold, state: CustomerCreditAccount): CustomerAccountEvent[] {
  const account = registered(state, command.type);
  if (account.hold === null) return [];
  return [{ type: 'CreditHoldReleased', data: { customerId: account.customer.customerId, reason: command.data.reason } }];
}

export function setCheckTolerance(command: SetCheckTolerance, state: CustomerCreditAccount): CustomerAccountEvent[] {
  const account = registered(state, command.type);
  const { basisPoints, amount } = command.data;
  if (amount !== null) requireCurrency('amount', amount, account.currency);
  const current = account.tolerance;
  const same =
    (current === null && basisPoints === null && amount === null) ||
    (current?.kind === 'basis-points' && current.basisPoints === basisPoints && amount === null) ||
    (current?.kind === 'amount' && basisPoints === null && amount !== null && current.amount.amountMinor === amount.amountMinor);
  if (same) return [];
  return [
    {
      type: 'CreditToleranceSet',
      data: { customerId: account.customer.customerId, basisPoints, amount: amount === null ? null : toJson(amount) },
    },
  ];
}

export function setInsuranceCover(command: SetInsuranceCover, state: CustomerCreditAccount): CustomerAccountEvent[] {
  const account = registered(state, command.type);
  const { insurer, policyNumber, insuredAmount, validUntil } = command.data;
  requireCurrency('insuredAmount', insuredAmount, account.currency);
  const c = account.insurance;
  if (
    c !== null &&
    c.insurer === insurer &&
    c.policyNumber === policyNumber &&
    c.insuredAmount.amountMinor === insuredAmount.amountMinor &&
    c.validUntil === validUntil
  ) {
    return [];
  }
  return [
    {
      type: 'CreditInsuranceCoverSet',
      data: { customerId: account.customer.customerId, insurer, policyNumber, insuredAmount: toJson(insuredAmount), validUntil },
    },
  ];
}

export function joinCreditGroup(command: JoinCreditGroup, state: CustomerCreditAccount): CustomerAccountEvent[] {
  const account = registered(state, command.type);
  if (account.groupId === command.data.groupId) return [];
  if (account.groupId !== null) throw new AlreadyInAnotherGroupError(account.customer.customerId, account.groupId);
  return [{ type: 'CustomerJoinedCreditGroup', data: { customerId: account.customer.customerId, groupId: command.data.groupId } }];
}
