/* Shared given/when/then fixtures for the customer account's rules. */
import type { BusinessDate } from '@arc/clock';
import { CustomerAccountEvents, type CreditClass, type CustomerAccountEvent } from '@arc/contracts';
import { given } from '@arc/decider/testing';
import { parseMajor, toJson, type Money } from '@arc/money';
import { customerCreditAccountDecider as decider } from '../../customer-credit-account.decider';
import type { CustomerCreditAccount } from '../state';

export const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';
export const TODAY = '2026-01-05' as BusinessDate;

export const eur = (major: string): Money => parseMajor(major, 'EUR');
export const eurJson = (major: string) => toJson(eur(major));

/** Every event a test expects (or gives as history) must pass its contract, or consumers would dead-letter it. */
export function valid<E extends CustomerAccountEvent>(events: E[]): E[] {
  for (const event of events) {
    const result = CustomerAccountEvents[event.type].validate(event.data);
    if (!result.ok) throw new Error(`${event.type} breaks its contract: ${result.problems.join('; ')}`);
  }
  return events;
}

export const givenAccount = (history: CustomerAccountEvent[]) => given(decider, valid(history));
export const stateAfter = (history: CustomerAccountEvent[]): CustomerCreditAccount => history.reduce(decider.evolve, decider.initialState);

export const registered: CustomerAccountEvent = {
  type: 'CustomerRegistered',
  data: {
    customerId: CUSTOMER,
    legalName: 'Acme Industrie GmbH',
    registrationNumber: 'HRB 12345',
    industry: 'machinery',
    country: 'DE',
    currency: 'EUR',
    businessUnit: 'EMEA',
  },
};

export const policySet = (
  limitMajor = '100000.00',
  creditClass: CreditClass = 'B',
  nextReviewDate = '2026-12-31',
): CustomerAccountEvent => ({
  type: 'CreditPolicySet',
  data: {
    customerId: CUSTOMER,
    creditClass,
    creditLimit: eurJson(limitMajor),
    paymentTermDays: 30,
    acceptedPaymentMethods: ['bank-transfer'],
    earlyPaymentDiscount: null,
    prepaymentBasisPoints: 0,
    insuredAmount: null,
    nextReviewDate,
  },
});
