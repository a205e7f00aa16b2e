import type { BusinessDate } from '@arc/clock';
import {
  EventContractViolationError,
  CREDIT_CHECK_FAILED_V1_CHECK_ID,
  CustomerAccountEvents,
  type CustomerAccountEvent,
} from '@arc/contracts';
import { given } from '@arc/decider/testing';
import { formatMajor, parseMajor, toJson, type Money } from '@arc/money';
import {
  checkOutcome,
  customerCreditAccountDecider as decider,
  customerCreditAccountStreamId,
  exposure,
  openReservations,
  utilisationBasisPoints,
  type CheckCredit,
  type CustomerCreditAccount,
  type SetCreditPolicy,
} from './customer-credit-account.decider';
import {
  CreditDomainError,
  CurrencyMismatchError,
  CustomerAlreadyRegisteredError,
  CustomerNotRegisteredError,
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

const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';
const CHECK_1 = 'a1b2c3d4-0000-4000-8000-000000000001';
const CHECK_2 = 'a1b2c3d4-0000-4000-8000-000000000002';
const INVOICE_1 = '7f3c2a1e-0000-4000-8000-000000000001';
const INVOICE_2 = '7f3c2a1e-0000-4000-8000-000000000002';
const TODAY = '2026-01-05' as BusinessDate;

const eur = (major: string): Money => parseMajor(major, 'EUR');
const eurJson = (major: string) => toJson(eur(major));

/** Every event a test expects (or gives as history) must pass its contract, or consumers would dead-letter it. */
function valid<E extends CustomerAccountEvent>(events: E[]): E[] {
  for (const event of events) {
    const result = CustomerAccountEvents[event.type].validate(event.data);
    if (!result.ok) throw new Error(`${event.type} breaks its contract: ${result.problems.join('; ')}`);
  }
  return events;
}

const given_ = (history: CustomerAccountEvent[]) => given(decider, valid(history));
const stateAfter = (history: CustomerAccountEvent[]): CustomerCreditAccount => history.reduce(decider.evolve, decider.initialState);

// ---------------------------------------------------------------------------------------------- fixtures

const registration = {
  customerId: CUSTOMER,
  legalName: 'Acme Industrie GmbH',
  registrationNumber: 'HRB 12345',
  industry: 'machinery',
  country: 'DE',
  currency: 'EUR',
  businessUnit: 'EMEA',
};
const registered: CustomerAccountEvent = { type: 'CustomerRegistered', data: registration };

const policy = (limitMajor = '100000.00'): SetCreditPolicy['data'] => ({
  creditClass: 'B',
  creditLimit: eur(limitMajor),
  paymentTermDays: 30,
  acceptedPaymentMethods: ['bank-transfer'],
  earlyPaymentDiscount: { basisPoints: 200, withinDays: 10 },
  prepaymentBasisPoints: 0,
  insuredAmount: null,
  nextReviewDate: '2026-12-31' as BusinessDate,
});
const policySet = (limitMajor = '100000.00'): CustomerAccountEvent => ({
  type: 'CreditPolicySet',
  data: {
    customerId: CUSTOMER,
    creditClass: 'B',
    creditLimit: eurJson(limitMajor),
    paymentTermDays: 30,
    acceptedPaymentMethods: ['bank-transfer'],
    earlyPaymentDiscount: { basisPoints: 200, withinDays: 10 },
    prepaymentBasisPoints: 0,
    insuredAmount: null,
    nextReviewDate: '2026-12-31',
  },
});

const check = (checkId: string, orderMajor: string, openArMajor = '0.00', extra: Partial<CheckCredit['data']> = {}): CheckCredit => ({
  type: 'CheckCredit',
  data: {
    checkId,
    orderReference: `SO-${checkId.slice(-4)}`,
    orderAmount: eur(orderMajor),
    openAr: eur(openArMajor),
    businessDate: TODAY,
    ...extra,
  },
});
const passed = (checkId: string, orderMajor: string, exposureBeforeMajor: string, limitMajor = '100000.00'): CustomerAccountEvent => ({
  type: 'CreditCheckPassed',
  data: {
    customerId: CUSTOMER,
    reservationId: checkId,
    orderReference: `SO-${checkId.slice(-4)}`,
    amount: eurJson(orderMajor),
    exposureBefore: eurJson(exposureBeforeMajor),
    creditLimit: eurJson(limitMajor),
    override: null,
    checkpoint: 'order',
  },
});
const failed = (
  checkId: string,
  orderMajor: string,
  reason: 'limit-exceeded' | 'customer-on-hold' | 'no-credit-policy',
  seen: { exposure: string; limit: string } | null,
): CustomerAccountEvent => ({
  type: 'CreditCheckFailed',
  data: {
    customerId: CUSTOMER,
    checkId,
    orderReference: `SO-${checkId.slice(-4)}`,
    amount: eurJson(orderMajor),
    reason,
    exposure: seen === null ? null : eurJson(seen.exposure),
    creditLimit: seen === null ? null : eurJson(seen.limit),
    checkpoint: 'order',
  },
});
const released = (reservationId: string, major: string, reason = 'order cancelled'): CustomerAccountEvent => ({
  type: 'CreditReservationReleased',
  data: { customerId: CUSTOMER, reservationId, amount: eurJson(major), reason },
});
const consumed = (reservationId: string, invoiceId: string, major: string): CustomerAccountEvent => ({
  type: 'CreditReservationConsumed',
  data: { customerId: CUSTOMER, reservationId, invoiceId, amount: eurJson(major) },
});
const holdPlaced: CustomerAccountEvent = {
  type: 'CreditHoldPlaced',
  data: { customerId: CUSTOMER, source: 'collections', reason: '45 days past due' },
};
const holdReleased: CustomerAccountEvent = { type: 'CreditHoldReleased', data: { customerId: CUSTOMER, reason: 'overdue paid' } };

// ------------------------------------------------------------------------------------------------- tests

describe('customer credit account', () => {
  it('lives in the stream customer-<customerId>', () => {
    expect(customerCreditAccountStreamId(CUSTOMER)).toBe(`customer-${CUSTOMER}`);
  });

  describe('an unregistered customer', () => {
    it('registers with the data of its credit file', () => {
      given_([])
        .when({ type: 'RegisterCustomer', data: registration })
        .then(valid([registered]));
    });

    it('refuses a registration in a currency ARC does not know', () => {
      given_([])
        .when({ type: 'RegisterCustomer', data: { ...registration, currency: 'XYZ' } })
        .thenThrows(UnknownCurrencyError);
    });

    it('refuses a registration its contract would reject, before it is stored', () => {
      const error = given_([])
        .when({ type: 'RegisterCustomer', data: { ...registration, legalName: ' ' } })
        .thenThrows(EventContractViolationError);
      expect((error as EventContractViolationError).problems).toEqual(['legalName must be a non-empty string (got " ")']);
    });

    it.each([
      ['SetCreditPolicy', { type: 'SetCreditPolicy', data: policy() }],
      ['CheckCredit', check(CHECK_1, '1.00')],
      ['ReleaseReservation', { type: 'ReleaseReservation', data: { reservationId: CHECK_1, reason: 'order cancelled' } }],
      ['ConsumeReservation', { type: 'ConsumeReservation', data: { reservationId: CHECK_1, invoiceId: INVOICE_1 } }],
      ['PlaceHold', { type: 'PlaceHold', data: { source: 'manual', reason: 'fraud suspicion' } }],
      ['ReleaseHold', { type: 'ReleaseHold', data: { reason: 'cleared' } }],
    ] as const)('refuses %s for a customer that is not registered', (_name, command) => {
      given_([]).when(command).thenThrows(CustomerNotRegisteredError);
    });
  });

  describe('a registered customer without a credit policy', () => {
    it('takes the same registration again as a repeat that changes nothing', () => {
      given_([registered])
        .when({ type: 'RegisterCustomer', data: { ...registration } })
        .thenNothingHappens();
    });

    it('refuses a different registration of the same customer, naming what differs', () => {
      const error = given_([registered])
        .when({ type: 'RegisterCustomer', data: { ...registration, legalName: 'Acme AG', currency: 'CHF' } })
        .thenThrows(CustomerAlreadyRegisteredError) as CustomerAlreadyRegisteredError;
      expect(error.differingFields).toEqual(['legalName', 'currency']);
      expect(error.code).toBe('CUSTOMER_ALREADY_REGISTERED');
      expect(error.category).toBe('state-conflict');
    });

    it('sets a credit policy in the customer currency', () => {
      given_([registered])
        .when({ type: 'SetCreditPolicy', data: policy() })
        .then(valid([policySet()]));
    });

    it('accepts a zero limit (cash customers)', () => {
      given_([registered])
        .when({ type: 'SetCreditPolicy', data: policy('0.00') })
        .then(valid([policySet('0.00')]));
    });

    it('refuses a negative credit limit', () => {
      given_([registered])
        .when({ type: 'SetCreditPolicy', data: policy('-0.01') })
        .thenThrows(NegativeCreditLimitError);
    });

    it('refuses a limit in another currency than the customer’s', () => {
      const error = given_([registered])
        .when({ type: 'SetCreditPolicy', data: { ...policy(), creditLimit: parseMajor('100000.00', 'USD') } })
        .thenThrows(CurrencyMismatchError);
      expect(error.message).toBe("creditLimit must be in the customer's currency EUR, not USD");
    });

    it('refuses terms that contradict each other, listing every problem', () => {
      const error = given_([registered])
        .when({
          type: 'SetCreditPolicy',
          data: { ...policy(), paymentTermDays: 7, acceptedPaymentMethods: ['cheque', 'cheque'], insuredAmount: eur('-1.00') },
        })
        .thenThrows(InvalidCreditPolicyError) as InvalidCreditPolicyError;
      expect(error.problems).toEqual([
        'acceptedPaymentMethods must not repeat a method',
        'the early-payment discount window (10 days) ends after the payment term (7 days)',
        'insuredAmount cannot be negative',
      ]);
    });

    it('fails a credit check for want of a policy, as an event, reserving nothing', () => {
      given_([registered])
        .when(check(CHECK_1, '1.00'))
        .then(valid([failed(CHECK_1, '1.00', 'no-credit-policy', null)]));
    });

    it('places a hold', () => {
      given_([registered])
        .when({ type: 'PlaceHold', data: { source: 'collections', reason: '45 days past due' } })
        .then(valid([holdPlaced]));
    });

    it('takes releasing a hold it does not have as a no-op', () => {
      given_([registered])
        .when({ type: 'ReleaseHold', data: { reason: 'cleared' } })
        .thenNothingHappens();
    });
  });

  describe('a customer with a credit policy', () => {
    const history = [registered, policySet()];

    it('takes the same policy again as a repeat that changes nothing', () => {
      given_(history).when({ type: 'SetCreditPolicy', data: policy() }).thenNothingHappens();
    });

    it('records a changed policy', () => {
      given_(history)
        .when({ type: 'SetCreditPolicy', data: policy('150000.00') })
        .then(valid([policySet('150000.00')]));
    });

    it('passes a check within the limit and reserves the order amount under the check id', () => {
      given_(history)
        .when(check(CHECK_1, '60000.00'))
        .then(valid([passed(CHECK_1, '60000.00', '0.00')]));
      const after = stateAfter([...history, passed(CHECK_1, '60000.00', '0.00')]);
      expect(openReservations(after, 'EUR')).toEqual(eur('60000.00'));
    });

    it('passes a check that fills the limit exactly', () => {
      given_(history)
        .when(check(CHECK_1, '40000.00', '60000.00'))
        .then(valid([passed(CHECK_1, '40000.00', '60000.00')]));
    });

    it('fails a check one cent over the limit, stating the exposure and limit it saw', () => {
      given_(history)
        .when(check(CHECK_1, '40000.01', '60000.00'))
        .then(valid([failed(CHECK_1, '40000.01', 'limit-exceeded', { exposure: '60000.00', limit: '100000.00' })]));
    });

    it('counts open reservations in the exposure, so two orders cannot together overshoot the limit', () => {
      given_([...history, passed(CHECK_1, '60000.00', '0.00')])
        .when(check(CHECK_2, '50000.00'))
        .then(valid([failed(CHECK_2, '50000.00', 'limit-exceeded', { exposure: '60000.00', limit: '100000.00' })]));
    });

    it('reserves nothing for a failed check', () => {
      const after = stateAfter([...history, failed(CHECK_1, '150000.00', 'limit-exceeded', { exposure: '0.00', limit: '100000.00' })]);
      expect(openReservations(after, 'EUR')).toEqual(eur('0.00'));
    });

    it('takes the same check id again as a repeat that changes nothing, even with other figures', () => {
      given_([...history, passed(CHECK_1, '60000.00', '0.00')])
        .when(check(CHECK_1, '60000.00', '90000.00'))
        .thenNothingHappens();
    });

    it('records a failed check under the check id the request named', () => {
      given_(history)
        .when(check(CHECK_2, '150000.00'))
        .then(valid([failed(CHECK_2, '150000.00', 'limit-exceeded', { exposure: '0.00', limit: '100000.00' })]));
      const [event] = decider.decide(check(CHECK_2, '150000.00'), stateAfter(history));
      expect(event).toMatchObject({ type: 'CreditCheckFailed', data: { checkId: CHECK_2 } });
      const after = stateAfter([...history, failed(CHECK_2, '150000.00', 'limit-exceeded', { exposure: '0.00', limit: '100000.00' })]);
      expect(checkOutcome(after, CHECK_2)).toEqual({ passed: false, reason: 'limit-exceeded' });
      expect(checkOutcome(after, CHECK_1)).toBeNull();
    });

    it('takes a failed check id again as a repeat that changes nothing, even when it would pass now', () => {
      const failure = failed(CHECK_1, '150000.00', 'limit-exceeded', { exposure: '0.00', limit: '100000.00' });
      given_([...history, failure])
        .when(check(CHECK_1, '150000.00'))
        .thenNothingHappens();
      given_([...history, failure])
        .when(check(CHECK_1, '10.00'))
        .thenNothingHappens();
      given_([...history, failure])
        .when(check(CHECK_2, '10.00'))
        .then(valid([passed(CHECK_2, '10.00', '0.00')]));
    });

    it('identifies passed and failed checks alike: by the check id, as reservation id or checkId', () => {
      const after = stateAfter([
        ...history,
        passed(CHECK_1, '60000.00', '0.00'),
        failed(CHECK_2, '50000.00', 'limit-exceeded', { exposure: '60000.00', limit: '100000.00' }),
      ]);
      expect(checkOutcome(after, CHECK_1)).toEqual({ passed: true });
      expect(checkOutcome(after, CHECK_2)).toEqual({ passed: false, reason: 'limit-exceeded' });
    });

    it('passes beyond the limit with an authorised override, and records it', () => {
      const override = { reason: 'strategic order, CFO approval', authorisedBy: 'cfo@example.com' };
      const expected = passed(CHECK_1, '50000.00', '60000.00');
      given_(history)
        .when(check(CHECK_1, '50000.00', '60000.00', { override: { ...override, approverLevel: 2 } }))
        .then(valid([{ ...expected, data: { ...expected.data, override } } as CustomerAccountEvent]));
    });

    it('does not record an override the check did not need', () => {
      given_(history)
        .when(check(CHECK_1, '10.00', '0.00', { override: { reason: 'just in case', authorisedBy: 'cfo@example.com', approverLevel: 2 } }))
        .then(valid([passed(CHECK_1, '10.00', '0.00')]));
    });

    it('refuses an override without a reason', () => {
      given_(history)
        .when(check(CHECK_1, '50000.00', '60000.00', { override: { reason: ' ', authorisedBy: 'cfo@example.com', approverLevel: 2 } }))
        .thenThrows(OverrideWithoutReasonError);
    });

    it('refuses an order of zero or less', () => {
      given_(history).when(check(CHECK_1, '0.00')).thenThrows(OrderAmountNotPositiveError);
      given_(history).when(check(CHECK_1, '-5.00')).thenThrows(OrderAmountNotPositiveError);
    });

    it('refuses an order or open AR in another currency than the customer’s', () => {
      given_(history)
        .when(check(CHECK_1, '1.00', '0.00', { orderAmount: parseMajor('1.00', 'USD') }))
        .thenThrows(/orderAmount must be in/);
      given_(history)
        .when(check(CHECK_1, '1.00', '0.00', { openAr: parseMajor('0.00', 'USD') }))
        .thenThrows(CurrencyMismatchError);
    });

    it('refuses a negative open AR, which only a broken view can produce', () => {
      given_(history)
        .when(check(CHECK_1, '1.00', '-1.00'))
        .thenThrows(NegativeOpenArError);
    });

    it('refuses to release or consume a reservation that never existed, as not found', () => {
      const release = given_(history)
        .when({ type: 'ReleaseReservation', data: { reservationId: CHECK_1, reason: 'order cancelled' } })
        .thenThrows(UnknownReservationError) as UnknownReservationError;
      expect(release).toMatchObject({ code: 'RESERVATION_NOT_FOUND', category: 'not-found', reservationId: CHECK_1 });
      given_(history)
        .when({ type: 'ConsumeReservation', data: { reservationId: CHECK_1, invoiceId: INVOICE_1 } })
        .thenThrows(UnknownReservationError);
    });
  });

  describe('a customer with an open reservation', () => {
    const history = [registered, policySet(), passed(CHECK_1, '60000.00', '0.00')];

    it('releases the reservation for the whole reserved amount', () => {
      given_(history)
        .when({ type: 'ReleaseReservation', data: { reservationId: CHECK_1, reason: 'order cancelled' } })
        .then(valid([released(CHECK_1, '60000.00')]));
    });

    it('takes releasing it again as a no-op', () => {
      given_([...history, released(CHECK_1, '60000.00')])
        .when({ type: 'ReleaseReservation', data: { reservationId: CHECK_1, reason: 'order cancelled' } })
        .thenNothingHappens();
    });

    it('takes releasing a consumed reservation as a no-op: the invoice now carries the amount', () => {
      given_([...history, consumed(CHECK_1, INVOICE_1, '60000.00')])
        .when({ type: 'ReleaseReservation', data: { reservationId: CHECK_1, reason: 'order cancelled' } })
        .thenNothingHappens();
    });

    it('frees the released amount for later checks', () => {
      given_([...history, released(CHECK_1, '60000.00')])
        .when(check(CHECK_2, '100000.00'))
        .then(valid([passed(CHECK_2, '100000.00', '0.00')]));
    });

    it('does not reserve again when a released check is repeated', () => {
      given_([...history, released(CHECK_1, '60000.00')])
        .when(check(CHECK_1, '60000.00'))
        .thenNothingHappens();
    });

    it('is consumed by the invoice issued against it, for the reserved amount', () => {
      given_(history)
        .when({ type: 'ConsumeReservation', data: { reservationId: CHECK_1, invoiceId: INVOICE_1 } })
        .then(valid([consumed(CHECK_1, INVOICE_1, '60000.00')]));
    });

    it('takes consuming it again by the same invoice as a no-op', () => {
      given_([...history, consumed(CHECK_1, INVOICE_1, '60000.00')])
        .when({ type: 'ConsumeReservation', data: { reservationId: CHECK_1, invoiceId: INVOICE_1 } })
        .thenNothingHappens();
    });

    it('refuses to be consumed by a second invoice', () => {
      given_([...history, consumed(CHECK_1, INVOICE_1, '60000.00')])
        .when({ type: 'ConsumeReservation', data: { reservationId: CHECK_1, invoiceId: INVOICE_2 } })
        .thenThrows(ReservationConsumedByOtherInvoiceError);
    });

    it('refuses to be consumed once released', () => {
      const error = given_([...history, released(CHECK_1, '60000.00')])
        .when({ type: 'ConsumeReservation', data: { reservationId: CHECK_1, invoiceId: INVOICE_1 } })
        .thenThrows(ReservationReleasedError);
      expect(error).toBeInstanceOf(CreditDomainError);
      expect((error as ReservationReleasedError).code).toBe('RESERVATION_RELEASED');
    });

    it('refuses a release its contract would reject (no reason)', () => {
      given_(history)
        .when({ type: 'ReleaseReservation', data: { reservationId: CHECK_1, reason: '' } })
        .thenThrows(EventContractViolationError);
    });
  });

  describe('a customer on hold', () => {
    const history = [registered, policySet(), holdPlaced];

    it('fails every check while on hold, even the smallest, stating what it saw', () => {
      given_(history)
        .when(check(CHECK_1, '0.01'))
        .then(valid([failed(CHECK_1, '0.01', 'customer-on-hold', { exposure: '0.00', limit: '100000.00' })]));
    });

    it('fails the check for the hold even before any policy is set', () => {
      given_([registered, holdPlaced])
        .when(check(CHECK_1, '1.00'))
        .then(valid([failed(CHECK_1, '1.00', 'customer-on-hold', null)]));
    });

    it('is not overridden by a credit override', () => {
      given_(history)
        .when(check(CHECK_1, '1.00', '0.00', { override: { reason: 'urgent', authorisedBy: 'cfo@example.com', approverLevel: 2 } }))
        .then(valid([failed(CHECK_1, '1.00', 'customer-on-hold', { exposure: '0.00', limit: '100000.00' })]));
    });

    it('takes another hold request as a no-op, whatever its source', () => {
      given_(history)
        .when({ type: 'PlaceHold', data: { source: 'risk-alert', reason: 'critical alert' } })
        .thenNothingHappens();
    });

    it('releases the hold', () => {
      given_(history)
        .when({ type: 'ReleaseHold', data: { reason: 'overdue paid' } })
        .then(valid([holdReleased]));
    });

    it('passes checks again once the hold is released', () => {
      given_([...history, holdReleased])
        .when(check(CHECK_1, '1.00'))
        .then(valid([passed(CHECK_1, '1.00', '0.00')]));
    });
  });

  describe('stored events of older schema versions', () => {
    it('writes CreditCheckFailed at v2 and every other credit event at v1', () => {
      expect(decider.schemaVersions).toMatchObject({ CreditCheckFailed: 2, CreditCheckPassed: 1, CustomerRegistered: 1 });
    });

    it('upcasts a v1 CreditCheckFailed, which named no check, to the contract default and recognises no repeat of it', () => {
      const v2 = failed(CHECK_1, '150000.00', 'limit-exceeded', { exposure: '0.00', limit: '100000.00' });
      const { checkId: _checkId, ...v1Data } = v2.data as unknown as Record<string, unknown>;
      const upcast = decider.upcast?.({ type: 'CreditCheckFailed', schemaVersion: 1, data: v1Data });
      expect(upcast).toEqual({ type: 'CreditCheckFailed', data: { ...v2.data, checkId: CREDIT_CHECK_FAILED_V1_CHECK_ID } });
      valid([upcast as CustomerAccountEvent]);
      const after = stateAfter([registered, policySet(), upcast as CustomerAccountEvent]);
      expect(checkOutcome(after, CREDIT_CHECK_FAILED_V1_CHECK_ID)).toBeNull();
    });

    it('takes v2 CreditCheckFailed and the other events as they are', () => {
      const v2 = failed(CHECK_1, '1.00', 'no-credit-policy', null);
      expect(decider.upcast?.({ type: v2.type, schemaVersion: 2, data: v2.data as unknown as Record<string, unknown> })).toEqual(v2);
      expect(decider.upcast?.({ type: 'CustomerRegistered', schemaVersion: 1, data: registration })).toEqual(registered);
    });
  });

  describe('exposure and utilisation', () => {
    it('has no utilisation without a policy, or against a zero limit', () => {
      expect(utilisationBasisPoints(stateAfter([registered]), eur('10.00'))).toBeNull();
      expect(utilisationBasisPoints(stateAfter([registered, policySet('0.00')]), eur('10.00'))).toBeNull();
    });

    it('is open AR + open reservations, ignoring released and consumed ones', () => {
      const state = stateAfter([
        registered,
        policySet(),
        passed(CHECK_1, '10000.00', '0.00'),
        passed(CHECK_2, '20000.00', '10000.00'),
        released(CHECK_1, '10000.00'),
      ]);
      expect(exposure(state, eur('5000.00'))).toEqual(eur('25000.00'));
      expect(utilisationBasisPoints(state, eur('5000.00'))).toBe(2500n);
    });
  });

  describe('acceptance: limit 100,000.00 EUR', () => {
    it('passes 60,000.00 and reserves it; once invoiced, a further 50,000.00 fails and reserves nothing', () => {
      const history: CustomerAccountEvent[] = [registered, policySet('100000.00')];

      given_(history)
        .when(check(CHECK_1, '60000.00'))
        .then(valid([passed(CHECK_1, '60000.00', '0.00')]));
      history.push(passed(CHECK_1, '60000.00', '0.00'));
      expect(formatMajor(exposure(stateAfter(history), eur('0.00')))).toBe('60000.00');
      expect(utilisationBasisPoints(stateAfter(history), eur('0.00'))).toBe(6000n);

      given_(history)
        .when({ type: 'ConsumeReservation', data: { reservationId: CHECK_1, invoiceId: INVOICE_1 } })
        .then(valid([consumed(CHECK_1, INVOICE_1, '60000.00')]));
      history.push(consumed(CHECK_1, INVOICE_1, '60000.00'));
      // The invoice now counts as open AR (the view says 60,000.00), the reservation no longer does.
      expect(formatMajor(exposure(stateAfter(history), eur('60000.00')))).toBe('60000.00');

      // 60,000.00 + 50,000.00 = 110,000.00 > 100,000.00
      given_(history)
        .when(check(CHECK_2, '50000.00', '60000.00'))
        .then(valid([failed(CHECK_2, '50000.00', 'limit-exceeded', { exposure: '60000.00', limit: '100000.00' })]));
      history.push(failed(CHECK_2, '50000.00', 'limit-exceeded', { exposure: '60000.00', limit: '100000.00' }));
      expect(formatMajor(exposure(stateAfter(history), eur('60000.00')))).toBe('60000.00');
      expect(utilisationBasisPoints(stateAfter(history), eur('60000.00'))).toBe(6000n);
    });
  });
});
