import { CurrencyMismatchError, CustomerNotRegisteredError, ReservationReleasedError } from '../domain/customer-credit-account.errors';
import { creditProblemMappings } from './domain-errors';

const problemOf = (error: unknown) => creditProblemMappings.find((mapping) => mapping.matches(error))?.toProblem(error);

describe('credit domain errors as problems', () => {
  it('answers state conflicts with 409 and invalid requests with 422, carrying the stable code', () => {
    expect(problemOf(new CustomerNotRegisteredError('CheckCredit'))).toMatchObject({
      status: 409,
      code: 'CUSTOMER_NOT_REGISTERED',
      type: 'urn:arc:problem:credit:customer-not-registered',
    });
    expect(problemOf(new ReservationReleasedError('r-1'))).toMatchObject({ status: 409, code: 'RESERVATION_RELEASED' });
    expect(problemOf(new CurrencyMismatchError('orderAmount', 'EUR', 'USD'))).toMatchObject({
      status: 422,
      code: 'CURRENCY_MISMATCH',
      detail: "orderAmount must be in the customer's currency EUR, not USD",
    });
  });

  it('leaves other errors to the platform', () => {
    expect(problemOf(new Error('boom'))).toBeUndefined();
  });
});
