/*
 * Customer credit account (stream `customer-<customerId>`): a customer's registration, credit policy, holds
 * and the credit reservations its approved orders hold until they are invoiced or released.
 * The invariant it protects: no check passes while the customer is on hold, and without an authorised
 * override no check passes unless open AR + open reservations + the order stay within the limit; since all
 * reservations of a customer live in this one stream, two concurrent orders cannot together overshoot it.
 */
import type { BusinessDate } from '@arc/clock';
import {
  CREDIT_CHECK_FAILED_V1_CHECK_ID,
  CreditEvents,
  schemaVersionsOf,
  type CreditCheckFailure,
  type CreditClass,
  type CreditEvent,
  type CreditHoldSource,
  type CreditOverride,
  type CreditPolicySetData,
  type CustomerRegisteredData,
  type EarlyPaymentDiscountTerms,
  type PaymentMethod,
} from '@arc/contracts';
import type { Decider } from '@arc/decider';
import {
  add,
  compare,
  isCurrencyCode,
  parseMoney,
  ratioBasisPoints,
  sum,
  toJson,
  zero,
  type CurrencyCode,
  type Money,
} from '@arc/money';
import {
  CurrencyMismatchError,
  CustomerAlreadyRegisteredError,
  CustomerNotRegisteredError,
  EventContractViolationError,
  InvalidCreditPolicyError,
  NegativeCreditLimitError,
  NegativeOpenArError,
  OrderAmountNotPositiveError,
  OverrideWithoutReasonError,
  ReservationConsumedByOtherInvoiceError,
  ReservationReleasedError,
  UnknownCurrencyError,
  UnknownReservationError,
} from './customer-credit-account.errors';

export const customerCreditAccountStreamId = (customerId: string): string => `customer-${customerId}`;

// ---------------------------------------------------------------------------------------------- commands

export type RegisterCustomer = { type: 'RegisterCustomer'; data: CustomerRegisteredData };

export type SetCreditPolicy = {
  type: 'SetCreditPolicy';
  data: {
    creditClass: CreditClass;
    creditLimit: Money;
    paymentTermDays: number;
    acceptedPaymentMethods: PaymentMethod[];
    earlyPaymentDiscount: EarlyPaymentDiscountTerms | null;
    prepaymentBasisPoints: number;
    insuredAmount: Money | null;
    nextReviewDate: BusinessDate;
  };
};

export type CheckCredit = {
  type: 'CheckCredit';
  data: {
    /**
     * Names the check in either outcome: the reservation id when it passes, the `checkId` of
     * `CreditCheckFailed` when it fails. Checking the same id again changes nothing.
     */
    checkId: string;
    orderReference: string;
    orderAmount: Money;
    /**
     * The customer's open AR (Σ open balances of its invoices) as the credit service's own view knows it
     * from invoicing and payments events, in the customer's currency. Reservations are not in it: they
     * are this aggregate's own state.
     */
    openAr: Money;
    /** The open business day the order is checked on. */
    openDay: BusinessDate;
    /** An authorised decision to trade beyond the limit; it never overrides a hold or a missing policy. */
    override?: CreditOverride | null;
  };
};

export type ReleaseReservation = { type: 'ReleaseReservation'; data: { reservationId: string; reason: string } };

/** The invoice issued for the order now counts in open AR, so the reservation stops counting. */
export type ConsumeReservation = { type: 'ConsumeReservation'; data: { reservationId: string; invoiceId: string } };

export type PlaceHold = { type: 'PlaceHold'; data: { source: CreditHoldSource; reason: string } };

export type ReleaseHold = { type: 'ReleaseHold'; data: { reason: string } };

export type CustomerCreditCommand =
  | RegisterCustomer
  | SetCreditPolicy
  | CheckCredit
  | ReleaseReservation
  | ConsumeReservation
  | PlaceHold
  | ReleaseHold;

// ------------------------------------------------------------------------------------------------- state

export interface CreditPolicy {
  creditClass: CreditClass;
  creditLimit: Money;
  paymentTermDays: number;
  acceptedPaymentMethods: readonly PaymentMethod[];
  earlyPaymentDiscount: EarlyPaymentDiscountTerms | null;
  prepaymentBasisPoints: number;
  insuredAmount: Money | null;
  nextReviewDate: string;
}

export type Reservation =
  | { status: 'open'; amount: Money; orderReference: string }
  | { status: 'consumed'; amount: Money; orderReference: string; invoiceId: string }
  | { status: 'released'; amount: Money; orderReference: string };

export type CustomerCreditAccount =
  | { status: 'unregistered' }
  | {
      status: 'registered';
      customer: CustomerRegisteredData;
      currency: CurrencyCode;
      policy: CreditPolicy | null;
      hold: { source: CreditHoldSource; reason: string } | null;
      /** Every reservation ever made, by id, so that repeats are recognised after release or consumption. */
      reservations: ReadonlyMap<string, Reservation>;
      /** Every failed check, by check id, so that its repeat is recognised like a passed check's. */
      failedChecks: ReadonlyMap<string, FailedCheck>;
    };

export interface FailedCheck {
  reason: CreditCheckFailure;
  orderReference: string;
}

type Registered = Extract<CustomerCreditAccount, { status: 'registered' }>;

export const initialState: CustomerCreditAccount = { status: 'unregistered' };

// ------------------------------------------------------------------------------------------ pure figures

/** Σ of the reservations still open, in the customer's currency. */
export function openReservations(account: CustomerCreditAccount, currency: string): Money {
  if (account.status !== 'registered') return zero(currency);
  return sum(
    [...account.reservations.values()].filter((r) => r.status === 'open').map((r) => r.amount),
    currency,
  );
}

/** exposure = open AR + open credit reservations (domain brief, Definitions). */
export function exposure(account: CustomerCreditAccount, openAr: Money): Money {
  return add(openAr, openReservations(account, openAr.currency));
}

/** utilisation = exposure / limit in basis points; null without a policy or with a zero limit. */
export function utilisationBasisPoints(account: CustomerCreditAccount, openAr: Money): bigint | null {
  if (account.status !== 'registered' || account.policy === null) return null;
  return ratioBasisPoints(exposure(account, openAr), account.policy.creditLimit);
}

/** How the check with this id was decided, or null when the account has not decided it. */
export function checkOutcome(
  account: CustomerCreditAccount,
  checkId: string,
): { passed: true } | { passed: false; reason: CreditCheckFailure } | null {
  if (account.status !== 'registered') return null;
  if (account.reservations.has(checkId)) return { passed: true };
  const failure = account.failedChecks.get(checkId);
  return failure === undefined ? null : { passed: false, reason: failure.reason };
}

// ------------------------------------------------------------------------------------------ the commands

function registered(account: CustomerCreditAccount, command: string): Registered {
  if (account.status !== 'registered') throw new CustomerNotRegisteredError(command);
  return account;
}

function requireCurrency(field: string, amount: Money, currency: CurrencyCode): void {
  if (amount.currency !== currency) throw new CurrencyMismatchError(field, currency, amount.currency);
}

const REGISTRATION_FIELDS = [
  'customerId',
  'legalName',
  'registrationNumber',
  'industry',
  'country',
  'currency',
  'businessUnit',
] as const satisfies readonly (keyof CustomerRegisteredData)[];

export function registerCustomer(command: RegisterCustomer, account: CustomerCreditAccount): CreditEvent[] {
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
    problems.push(`the early-payment discount window (${discount.withinDays} days) ends after the payment term (${policy.paymentTermDays} days)`);
  }
  if (!Number.isSafeInteger(policy.prepaymentBasisPoints) || policy.prepaymentBasisPoints < 0 || policy.prepaymentBasisPoints > 10_000) {
    problems.push(`prepaymentBasisPoints must be from 0 to 10000, not ${policy.prepaymentBasisPoints}`);
  }
  if (policy.insuredAmount !== null && policy.insuredAmount.amountMinor < 0n) problems.push('insuredAmount cannot be negative');
  return problems;
}

function policyData(customerId: string, policy: CreditPolicy): CreditPolicySetData {
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

export function setCreditPolicy(command: SetCreditPolicy, state: CustomerCreditAccount): CreditEvent[] {
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

export function checkCredit(command: CheckCredit, state: CustomerCreditAccount): CreditEvent[] {
  const account = registered(state, command.type);
  const { checkId, orderReference, orderAmount, openAr, override = null } = command.data;
  // A check is recognised by its id in either outcome: a passed check is its reservation, a failed one is
  // recorded under the checkId its CreditCheckFailed carries. The repeat changes nothing, whatever its figures.
  if (account.reservations.has(checkId) || account.failedChecks.has(checkId)) return [];
  requireCurrency('orderAmount', orderAmount, account.currency);
  requireCurrency('openAr', openAr, account.currency);
  if (orderAmount.amountMinor <= 0n) throw new OrderAmountNotPositiveError(orderAmount.amountMinor);
  if (openAr.amountMinor < 0n) throw new NegativeOpenArError(openAr.amountMinor);
  if (override !== null && (override.reason.trim() === '' || override.authorisedBy.trim() === '')) {
    throw new OverrideWithoutReasonError();
  }

  const customerId = account.customer.customerId;
  const failed = (reason: CreditCheckFailure, seen: { exposure: Money; limit: Money } | null): CreditEvent[] => [
    {
      type: 'CreditCheckFailed',
      data: {
        customerId,
        checkId,
        orderReference,
        amount: toJson(orderAmount),
        reason,
        exposure: seen === null ? null : toJson(seen.exposure),
        creditLimit: seen === null ? null : toJson(seen.limit),
      },
    },
  ];

  const policy = account.policy;
  const current = exposure(account, openAr);
  const seen = policy === null ? null : { exposure: current, limit: policy.creditLimit };
  if (account.hold !== null) return failed('customer-on-hold', seen);
  if (policy === null) return failed('no-credit-policy', null);

  const withinLimit = compare(add(current, orderAmount), policy.creditLimit) <= 0;
  if (!withinLimit && override === null) return failed('limit-exceeded', seen);
  return [
    {
      type: 'CreditCheckPassed',
      data: {
        customerId,
        reservationId: checkId,
        orderReference,
        amount: toJson(orderAmount),
        exposureBefore: toJson(current),
        creditLimit: toJson(policy.creditLimit),
        // Recorded only when it made the difference: the contract reads a non-null override as "passed because of it".
        override: withinLimit || override === null ? null : { reason: override.reason, authorisedBy: override.authorisedBy },
      },
    },
  ];
}

export function releaseReservation(command: ReleaseReservation, state: CustomerCreditAccount): CreditEvent[] {
  const account = registered(state, command.type);
  const { reservationId, reason } = command.data;
  const reservation = account.reservations.get(reservationId);
  // A reservation that never existed is a mistake the caller must hear about (404), not a release.
  if (reservation === undefined) throw new UnknownReservationError(reservationId);
  // Already released or consumed: releasing is idempotent, there is nothing left to give back.
  if (reservation.status !== 'open') return [];
  return [
    {
      type: 'CreditReservationReleased',
      data: { customerId: account.customer.customerId, reservationId, amount: toJson(reservation.amount), reason },
    },
  ];
}

export function consumeReservation(command: ConsumeReservation, state: CustomerCreditAccount): CreditEvent[] {
  const account = registered(state, command.type);
  const { reservationId, invoiceId } = command.data;
  const reservation = account.reservations.get(reservationId);
  if (reservation === undefined) throw new UnknownReservationError(reservationId);
  switch (reservation.status) {
    case 'released':
      throw new ReservationReleasedError(reservationId);
    case 'consumed':
      if (reservation.invoiceId === invoiceId) return [];
      throw new ReservationConsumedByOtherInvoiceError(reservationId, reservation.invoiceId);
    case 'open':
      return [
        {
          type: 'CreditReservationConsumed',
          data: { customerId: account.customer.customerId, reservationId, invoiceId, amount: toJson(reservation.amount) },
        },
      ];
  }
}

export function placeHold(command: PlaceHold, state: CustomerCreditAccount): CreditEvent[] {
  const account = registered(state, command.type);
  // One hold at a time: a second request (another source, another reason) while on hold changes nothing.
  if (account.hold !== null) return [];
  return [{ type: 'CreditHoldPlaced', data: { customerId: account.customer.customerId, ...command.data } }];
}

export function releaseHold(command: ReleaseHold, state: CustomerCreditAccount): CreditEvent[] {
  const account = registered(state, command.type);
  if (account.hold === null) return [];
  return [{ type: 'CreditHoldReleased', data: { customerId: account.customer.customerId, reason: command.data.reason } }];
}

function decideCommand(command: CustomerCreditCommand, state: CustomerCreditAccount): CreditEvent[] {
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
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

/** Decides, then refuses anything its contract would not accept, so no consumer ever dead-letters our event. */
export function decide(command: CustomerCreditCommand, state: CustomerCreditAccount): CreditEvent[] {
  const events = decideCommand(command, state);
  for (const event of events) {
    const result = CreditEvents[event.type].validate(event.data);
    if (!result.ok) throw new EventContractViolationError(event.type, result.problems);
  }
  return events;
}

// ------------------------------------------------------------------------------------------------ evolve

function withReservation(account: Registered, reservationId: string, update: (r: Reservation) => Reservation): CustomerCreditAccount {
  const reservation = account.reservations.get(reservationId);
  if (reservation === undefined) return account;
  const reservations = new Map(account.reservations);
  reservations.set(reservationId, update(reservation));
  return { ...account, reservations };
}

export function evolve(state: CustomerCreditAccount, event: CreditEvent): CustomerCreditAccount {
  if (event.type === 'CustomerRegistered') {
    // decide never registers a customer twice; should a stream hold a second registration, the first stands.
    if (state.status === 'registered') return state;
    const data = pick(event.data, REGISTRATION_FIELDS);
    return {
      status: 'registered',
      customer: data,
      currency: data.currency as CurrencyCode,
      policy: null,
      hold: null,
      reservations: new Map(),
      failedChecks: new Map(),
    };
  }
  if (state.status !== 'registered') return state;
  switch (event.type) {
    case 'CreditPolicySet': {
      const d = event.data;
      return {
        ...state,
        policy: {
          creditClass: d.creditClass,
          creditLimit: parseMoney(d.creditLimit, 'creditLimit'),
          paymentTermDays: d.paymentTermDays,
          acceptedPaymentMethods: [...d.acceptedPaymentMethods],
          earlyPaymentDiscount: d.earlyPaymentDiscount === null ? null : { ...d.earlyPaymentDiscount },
          prepaymentBasisPoints: d.prepaymentBasisPoints,
          insuredAmount: d.insuredAmount === null ? null : parseMoney(d.insuredAmount, 'insuredAmount'),
          nextReviewDate: d.nextReviewDate,
        },
      };
    }
    case 'CreditCheckPassed': {
      const reservations = new Map(state.reservations);
      reservations.set(event.data.reservationId, {
        status: 'open',
        amount: parseMoney(event.data.amount, 'amount'),
        orderReference: event.data.orderReference,
      });
      return { ...state, reservations };
    }
    case 'CreditCheckFailed': {
      // A v1 failure (upcast) named no check, so no later check can be its repeat.
      if (event.data.checkId === CREDIT_CHECK_FAILED_V1_CHECK_ID) return state;
      const failedChecks = new Map(state.failedChecks);
      failedChecks.set(event.data.checkId, { reason: event.data.reason, orderReference: event.data.orderReference });
      return { ...state, failedChecks };
    }
    case 'CreditReservationReleased':
      return withReservation(state, event.data.reservationId, (r) => ({ status: 'released', amount: r.amount, orderReference: r.orderReference }));
    case 'CreditReservationConsumed': {
      const invoiceId = event.data.invoiceId;
      return withReservation(state, event.data.reservationId, (r) => ({ status: 'consumed', amount: r.amount, orderReference: r.orderReference, invoiceId }));
    }
    case 'CreditHoldPlaced':
      return { ...state, hold: { source: event.data.source, reason: event.data.reason } };
    case 'CreditHoldReleased':
      return { ...state, hold: null };
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${(unknown as { type: string }).type}`);
    }
  }
}

function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Pick<T, K> {
  const picked = {} as Pick<T, K>;
  for (const key of keys) picked[key] = source[key];
  return picked;
}

// ------------------------------------------------------------------------------------------------ upcast

/**
 * Stored events in the current shape. `CreditCheckFailed` v1 had no `checkId`: it gets the contract's v1
 * default. Every other credit event is still at v1, as written.
 */
export function upcast(stored: { type: string; schemaVersion: number; data: Record<string, unknown> }): CreditEvent {
  if (stored.type === 'CreditCheckFailed' && stored.schemaVersion === 1) {
    return { type: 'CreditCheckFailed', data: { ...stored.data, checkId: CREDIT_CHECK_FAILED_V1_CHECK_ID } } as CreditEvent;
  }
  return { type: stored.type, data: stored.data } as unknown as CreditEvent;
}

export const customerCreditAccountDecider: Decider<CustomerCreditCommand, CreditEvent, CustomerCreditAccount> = {
  initialState,
  decide,
  evolve,
  schemaVersions: schemaVersionsOf(CreditEvents),
  upcast,
};
