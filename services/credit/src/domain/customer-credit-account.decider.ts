/*
 * Customer credit account (stream `customer-<customerId>`): the decider over everything a customer's
 * credit consists of. The rules live beside it in ./customer-account/, one file per concern:
 * credit checks and reservations, policy and what qualifies it, the credit file, assessments and reviews,
 * limit requests; `state.ts` folds the events. This file only routes commands and upcasts old events.
 */
import {
  validated,
  CREDIT_CHECK_FAILED_V1_CHECK_ID,
  CustomerAccountEvents,
  schemaVersionsOf,
  type CustomerAccountEvent,
} from '@arc/contracts';
import type { Decider } from '@arc/decider';
import { assessCustomer, reviewCustomer } from './customer-account/assessment';
import type { CustomerCreditCommand } from './customer-account/commands';
import { addEvidence, setCreditFileContacts } from './customer-account/credit-file';
import { checkCredit, consumeReservation, releaseReservation } from './customer-account/credit-checks';
import { approveCreditLimit, expireTemporaryLimit, rejectCreditLimit, requestCreditLimit } from './customer-account/limit-requests';
import {
  joinCreditGroup,
  placeHold,
  registerCustomer,
  releaseHold,
  setCheckTolerance,
  setCreditPolicy,
  setInsuranceCover,
} from './customer-account/policy';
import { evolve, initialState, type CustomerCreditAccount } from './customer-account/state';

export * from './customer-account/commands';
export * from './customer-account/figures';
export {
  evolve,
  initialState,
  type CreditPolicy,
  type CustomerCreditAccount,
  type FailedCheck,
  type Reservation,
} from './customer-account/state';
export { checkCredit, consumeReservation, releaseReservation, placeHold, registerCustomer, releaseHold, setCreditPolicy };

export const customerCreditAccountStreamId = (customerId: string): string => `customer-${customerId}`;

function decideCommand(command: CustomerCreditCommand, state: CustomerCreditAccount): CustomerAccountEvent[] {
  switch (command.type) {
    case 'RegisterCustomer':
      return registerCustomer(command, state);
    case 'SetCreditPolicy':
      return setCreditPolicy(command, state);
    case 'CheckCredit':
      return checkCredit(command, state);
    case 'ReleaseReservation':
      return releaseReservation(command, state);
    case 'ConsumeReservation':
      return consumeReservation(command, state);
    case 'PlaceHold':
      return placeHold(command, state);
    case 'ReleaseHold':
      return releaseHold(command, state);
    case 'SetCreditFileContacts':
      return setCreditFileContacts(command, state);
    case 'AddEvidence':
      return addEvidence(command, state);
    case 'AssessCustomer':
      return assessCustomer(command, state);
    case 'ReviewCustomer':
      return reviewCustomer(command, state);
    case 'RequestCreditLimit':
      return requestCreditLimit(command, state);
    case 'ApproveCreditLimit':
      return approveCreditLimit(command, state);
    case 'RejectCreditLimit':
      return rejectCreditLimit(command, state);
    case 'ExpireTemporaryLimit':
      return expireTemporaryLimit(command, state);
    case 'SetCheckTolerance':
      return setCheckTolerance(command, state);
    case 'SetInsuranceCover':
      return setInsuranceCover(command, state);
    case 'JoinCreditGroup':
      return joinCreditGroup(command, state);
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

/** Decides, then refuses anything its contract would not accept, so no consumer ever dead-letters our event. */
export function decide(command: CustomerCreditCommand, state: CustomerCreditAccount): CustomerAccountEvent[] {
  return validated(CustomerAccountEvents, decideCommand(command, state));
}

/**
 * Stored events in the current shape. `CreditCheckFailed` v1 had no `checkId`: it gets the contract's v1
 * default. Every other credit event is still at v1, as written.
 */
export function upcast(stored: { type: string; schemaVersion: number; data: Record<string, unknown> }): CustomerAccountEvent {
  if (stored.type === 'CreditCheckFailed' && stored.schemaVersion === 1) {
    return { type: 'CreditCheckFailed', data: { ...stored.data, checkId: CREDIT_CHECK_FAILED_V1_CHECK_ID } } as CustomerAccountEvent;
  }
  return { type: stored.type, data: stored.data } as unknown as CustomerAccountEvent;
}

export const customerCreditAccountDecider: Decider<CustomerCreditCommand, CustomerAccountEvent, CustomerCreditAccount> = {
  initialState,
  decide,
  evolve,
  schemaVersions: schemaVersionsOf(CustomerAccountEvents),
  upcast,
};
