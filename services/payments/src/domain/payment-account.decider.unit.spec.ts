import type { BusinessDate } from '@arc/clock';
import { EventContractViolationError, PaymentsEvents, type MatchStep, type PaymentsEvent } from '@arc/contracts';
import { DomainError } from '@arc/decider';
import { given } from '@arc/decider/testing';
import { formatMajor, parseMajor, toJson, type Money } from '@arc/money';
import {
  allocatedTo,
  allocationOrder,
  openAfterAllocations,
  paymentAccountDecider as decider,
  paymentAccountStreamId,
  unappliedCash,
  type OpenInvoice,
  type PaymentAccount,
  type RecordPayment,
  type ReduceAllocation,
} from './payment-account.decider';
import {
  AccountCustomerMismatchError,
  BankReferenceConflictError,
  CustomerUnknownError,
  ReceiptDateRefusedError,
  CurrencyMismatchError,
  OpenInvoiceListedTwiceError,
  PaymentAmountNotPositiveError,
  PaymentIdReusedError,
} from './payment-account.errors';

const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';
const OTHER_CUSTOMER = 'c0ffee00-0000-4000-8000-000000000002';
const INVOICE_A = '7f3c2a1e-0000-4000-8000-00000000000a';
const INVOICE_B = '7f3c2a1e-0000-4000-8000-00000000000b';
const INVOICE_C = '7f3c2a1e-0000-4000-8000-00000000000c';
const P1 = 'b1b2c3d4-0000-4000-8000-000000000001';
const P2 = 'b1b2c3d4-0000-4000-8000-000000000002';
const P3 = 'b1b2c3d4-0000-4000-8000-000000000003';
const P4 = 'b1b2c3d4-0000-4000-8000-000000000004';

const eur = (major: string): Money => parseMajor(major, 'EUR');
const eurJson = (major: string) => toJson(eur(major));
const date = (text: string) => text as BusinessDate;

/** Every event a test expects (or gives as history) must pass its contract, or consumers would dead-letter it. */
function valid<E extends PaymentsEvent>(events: E[]): E[] {
  for (const event of events) {
    const result = PaymentsEvents[event.type].validate(event.data);
    if (!result.ok) throw new Error(`${event.type} breaks its contract: ${result.problems.join('; ')}`);
  }
  return events;
}

/** The explanation is a sentence for people: the examples pin the step (matchedBy), not its wording. */
const withoutExplanations = (events: PaymentsEvent[]): PaymentsEvent[] =>
  events.map((e) => {
    if (e.type !== 'PaymentAllocated') return e;
    const { matchExplanation: _sentence, ...data } = e.data;
    return { ...e, data };
  });
const given_ = (history: PaymentsEvent[]) => {
  const expectation = given(decider, valid(history));
  return {
    when: (command: Parameters<typeof expectation.when>[0]) => ({
      ...expectation.when(command),
      then: (expected: PaymentsEvent[]) =>
        expect(withoutExplanations(decider.decide(command, stateAfter(history)))).toEqual(valid(expected)),
    }),
  };
};
const stateAfter = (history: PaymentsEvent[]): PaymentAccount => history.reduce(decider.evolve, decider.initialState);

// ---------------------------------------------------------------------------------------------- fixtures

const openInvoice = (invoiceId: string, dueDate: string, openMajor: string, invoiceNumber?: string): OpenInvoice => ({
  invoiceId,
  dueDate: date(dueDate),
  openAmount: eur(openMajor),
  ...(invoiceNumber === undefined ? {} : { invoiceNumber }),
});
/** The acceptance invoice as the payments view knows it: 60,000.00 due 2026-01-31 (not reduced by allocations). */
const invoice60k = openInvoice(INVOICE_A, '2026-01-31', '60000.00', 'INV-A');

const pay = (
  paymentId: string,
  major: string,
  receivedOn: string,
  openInvoices: OpenInvoice[],
  changes: Partial<RecordPayment['data']> = {},
): RecordPayment => ({
  type: 'RecordPayment',
  data: {
    paymentId,
    bankReference: `BANK-${paymentId.slice(-4)}`,
    customerId: CUSTOMER,
    amount: eur(major),
    receivedOn: date(receivedOn),
    method: 'bank-transfer',
    openInvoices,
    customerKnown: true,
    ...changes,
  },
});

const received = (
  paymentId: string,
  major: string,
  receivedOn: string,
  changes: Partial<Extract<PaymentsEvent, { type: 'PaymentReceived' }>['data']> = {},
): PaymentsEvent => ({
  type: 'PaymentReceived',
  data: {
    paymentId,
    customerId: CUSTOMER,
    bankReference: `BANK-${paymentId.slice(-4)}`,
    amount: eurJson(major),
    receivedOn,
    method: 'bank-transfer',
    remittanceReferences: [],
    ...changes,
  },
});
const allocated = (
  paymentId: string,
  invoiceId: string,
  major: string,
  allocatedOn: string,
  matchedBy: MatchStep = 'oldest-due-first',
): PaymentsEvent => ({
  type: 'PaymentAllocated',
  data: { paymentId, customerId: CUSTOMER, invoiceId, amount: eurJson(major), allocatedOn, matchedBy },
});
const reduce = (paymentId: string, invoiceId: string, major: string): ReduceAllocation => ({
  type: 'ReduceAllocation',
  data: { paymentId, customerId: CUSTOMER, invoiceId, amount: eur(major), reason: 'invoice-overpaid' },
});
const reduced = (paymentId: string, invoiceId: string, major: string): PaymentsEvent => ({
  type: 'PaymentAllocationReduced',
  data: { paymentId, customerId: CUSTOMER, invoiceId, amount: eurJson(major), reason: 'invoice-overpaid' },
});
const leftUnapplied = (paymentId: string, major: string): PaymentsEvent => ({
  type: 'PaymentLeftUnapplied',
  data: { paymentId, customerId: CUSTOMER, unapplied: eurJson(major) },
});

// ------------------------------------------------------------------------------------------------- tests

describe('customer payment account', () => {
  it('lives in the stream payment-account-<customerId>', () => {
    expect(paymentAccountStreamId(CUSTOMER)).toBe(`payment-account-${CUSTOMER}`);
  });

  describe('an account without payments', () => {
    it('records a payment and applies it to an open invoice', () => {
      given_([])
        .when(pay(P1, '10000.00', '2026-01-20', [invoice60k]))
        .then(valid([received(P1, '10000.00', '2026-01-20'), allocated(P1, INVOICE_A, '10000.00', '2026-01-20')]));
    });

    it('leaves a payment that arrives before any invoice is known fully unapplied', () => {
      given_([])
        .when(pay(P1, '500.00', '2026-01-20', []))
        .then(valid([received(P1, '500.00', '2026-01-20'), leftUnapplied(P1, '500.00')]));
    });

    it('applies cash oldest due date first, ties by invoice id, and leaves the rest unapplied', () => {
      given_([])
        .when(
          pay(P1, '1000.00', '2026-03-01', [
            openInvoice(INVOICE_C, '2026-02-28', '300.00'),
            openInvoice(INVOICE_B, '2026-01-31', '200.00'),
            openInvoice(INVOICE_A, '2026-02-28', '400.00'),
          ]),
        )
        .then(
          valid([
            received(P1, '1000.00', '2026-03-01'),
            allocated(P1, INVOICE_B, '200.00', '2026-03-01'),
            allocated(P1, INVOICE_A, '400.00', '2026-03-01'),
            allocated(P1, INVOICE_C, '300.00', '2026-03-01'),
            leftUnapplied(P1, '100.00'),
          ]),
        );
    });

    it('pays part of the oldest invoice when the cash runs out, touching no later one', () => {
      given_([])
        .when(
          pay(P1, '250.00', '2026-03-01', [openInvoice(INVOICE_B, '2026-02-28', '300.00'), openInvoice(INVOICE_A, '2026-01-31', '200.00')]),
        )
        .then(
          valid([
            received(P1, '250.00', '2026-03-01'),
            allocated(P1, INVOICE_A, '200.00', '2026-03-01'),
            allocated(P1, INVOICE_B, '50.00', '2026-03-01'),
          ]),
        );
    });

    it('pays the invoices the payer quoted first, by number or id', () => {
      given_([])
        .when(
          pay(
            P1,
            '300.00',
            '2026-03-01',
            [openInvoice(INVOICE_A, '2026-01-31', '200.00', 'INV-A'), openInvoice(INVOICE_B, '2026-02-28', '300.00', 'INV-B')],
            {
              remittanceReferences: ['INV-B'],
            },
          ),
        )
        .then(
          valid([
            received(P1, '300.00', '2026-03-01', { remittanceReferences: ['INV-B'] }),
            allocated(P1, INVOICE_B, '300.00', '2026-03-01', 'remittance-reference'),
          ]),
        );
      expect(
        allocationOrder([openInvoice(INVOICE_A, '2026-01-31', '1.00'), openInvoice(INVOICE_B, '2026-02-28', '1.00')], [INVOICE_B]).map(
          (i) => i.invoiceId,
        ),
      ).toEqual([INVOICE_B, INVOICE_A]);
    });

    it('applies nothing to an invoice with nothing open (over-credited or settled)', () => {
      given_([])
        .when(
          pay(P1, '100.00', '2026-03-01', [openInvoice(INVOICE_A, '2026-01-31', '0.00'), openInvoice(INVOICE_B, '2026-02-28', '-10.00')]),
        )
        .then(valid([received(P1, '100.00', '2026-03-01'), leftUnapplied(P1, '100.00')]));
    });

    it('refuses a payment of zero or less', () => {
      given_([])
        .when(pay(P1, '0.00', '2026-01-20', [invoice60k]))
        .thenThrows(PaymentAmountNotPositiveError);
      given_([])
        .when(pay(P1, '-1.00', '2026-01-20', [invoice60k]))
        .thenThrows(PaymentAmountNotPositiveError);
    });

    it('refuses a payment in another currency than the open invoices’', () => {
      const error = given_([])
        .when(pay(P1, '10.00', '2026-01-20', [invoice60k], { amount: parseMajor('10.00', 'USD') }))
        .thenThrows(CurrencyMismatchError);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as CurrencyMismatchError).code).toBe('CURRENCY_MISMATCH');
    });

    it('refuses an open-invoice list that names an invoice twice', () => {
      given_([])
        .when(pay(P1, '10.00', '2026-01-20', [invoice60k, invoice60k]))
        .thenThrows(OpenInvoiceListedTwiceError);
    });

    it('refuses a first receipt for a customer credit never registered, as a reference to nothing', () => {
      const error = given_([])
        .when(pay(P1, '10.00', '2026-01-20', [], { customerKnown: false }))
        .thenThrows(CustomerUnknownError);
      expect(error).toMatchObject({ code: 'CUSTOMER_UNKNOWN', category: 'invalid-request' });
    });

    it('refuses a receipt dated more than a week after the open day, or on a closed day without a reason', () => {
      const ahead = given_([])
        .when(pay(P1, '10.00', '2026-01-28', [], { openDay: date('2026-01-20') }))
        .thenThrows(ReceiptDateRefusedError);
      expect(ahead).toMatchObject({ code: 'RECEIVED_ON_TOO_FAR_AHEAD', category: 'invalid-request' });
      const closed = given_([])
        .when(pay(P1, '10.00', '2026-01-19', [], { openDay: date('2026-01-20') }))
        .thenThrows(ReceiptDateRefusedError);
      expect(closed).toMatchObject({ code: 'BACKDATING_REASON_MISSING' });
    });

    it('records a receipt back-dated into a closed day with its reason', () => {
      given_([])
        .when(pay(P1, '10.00', '2026-01-19', [], { openDay: date('2026-01-20'), backdatingReason: 'statement arrived late' }))
        .then([
          received(P1, '10.00', '2026-01-19', { backdatingReason: 'statement arrived late' }),
          { type: 'PaymentLeftUnapplied', data: { paymentId: P1, customerId: CUSTOMER, unapplied: eurJson('10.00') } },
        ]);
    });

    it('refuses a payment its contract would reject (no bank reference), before it is stored', () => {
      given_([])
        .when(pay(P1, '10.00', '2026-01-20', [], { bankReference: '' }))
        .thenThrows(EventContractViolationError);
    });
  });

  describe('an account with payments', () => {
    const history = [received(P1, '10000.00', '2026-01-20'), allocated(P1, INVOICE_A, '10000.00', '2026-01-20')];

    it('takes the same bank reference again as the same receipt, even under another payment id', () => {
      given_(history)
        .when(pay(P1, '10000.00', '2026-01-20', [invoice60k]))
        .thenNothingHappens();
      given_(history)
        .when(pay(P2, '10000.00', '2026-01-21', [invoice60k], { bankReference: 'BANK-0001' }))
        .thenNothingHappens();
    });

    it('answers a repeat of a receipt as recorded even once its day has closed (no reason asked)', () => {
      given_(history)
        .when(pay(P1, '10000.00', '2026-01-20', [invoice60k], { openDay: date('2026-02-01') }))
        .thenNothingHappens();
    });

    it('refuses a known bank reference with another amount', () => {
      given_(history)
        .when(pay(P2, '10000.01', '2026-01-21', [invoice60k], { bankReference: 'BANK-0001' }))
        .thenThrows(BankReferenceConflictError);
    });

    it('refuses a payment id already used for another bank reference', () => {
      given_(history)
        .when(pay(P1, '5.00', '2026-01-21', [invoice60k], { bankReference: 'BANK-OTHER' }))
        .thenThrows(PaymentIdReusedError);
    });

    it('refuses a payment of another customer routed to this account', () => {
      given_(history)
        .when(pay(P2, '5.00', '2026-01-21', [invoice60k], { customerId: OTHER_CUSTOMER }))
        .thenThrows(AccountCustomerMismatchError);
    });

    it('never applies more to an invoice than its open amount less what this account already applied', () => {
      given_(history)
        .when(pay(P2, '55000.00', '2026-02-16', [invoice60k]))
        .then(
          valid([received(P2, '55000.00', '2026-02-16'), allocated(P2, INVOICE_A, '50000.00', '2026-02-16'), leftUnapplied(P2, '5000.00')]),
        );
    });

    it('remembers allocations per invoice and unapplied cash per payment', () => {
      const state = stateAfter([
        ...history,
        received(P2, '55000.00', '2026-02-16'),
        allocated(P2, INVOICE_A, '50000.00', '2026-02-16'),
        leftUnapplied(P2, '5000.00'),
      ]);
      expect(allocatedTo(state, INVOICE_A, 'EUR')).toEqual(eur('60000.00'));
      expect(allocatedTo(state, INVOICE_B, 'EUR')).toEqual(eur('0.00'));
      expect(openAfterAllocations(state, invoice60k)).toEqual(eur('0.00'));
      // PaymentLeftUnapplied reports the remainder; it is not added to it a second time.
      expect(unappliedCash(state, 'EUR')).toEqual(eur('5000.00'));
    });
  });

  describe('acceptance: invoice 60,000.00 due 2026-01-31', () => {
    it('is paid down to 50,000.00, 20,000.00 and 0 by three payments; a fourth stays unapplied', () => {
      const history: PaymentsEvent[] = [];
      const step = (command: RecordPayment, expected: PaymentsEvent[], openAfter: string) => {
        given_(history).when(command).then(valid(expected));
        history.push(...expected);
        expect(formatMajor(openAfterAllocations(stateAfter(history), invoice60k))).toBe(openAfter);
      };

      step(
        pay(P1, '10000.00', '2026-01-20', [invoice60k]),
        [received(P1, '10000.00', '2026-01-20'), allocated(P1, INVOICE_A, '10000.00', '2026-01-20')],
        '50000.00',
      );
      step(
        pay(P2, '30000.00', '2026-02-16', [invoice60k]),
        [received(P2, '30000.00', '2026-02-16'), allocated(P2, INVOICE_A, '30000.00', '2026-02-16')],
        '20000.00',
      );
      step(
        pay(P3, '20000.00', '2026-02-20', [invoice60k]),
        [received(P3, '20000.00', '2026-02-20'), allocated(P3, INVOICE_A, '20000.00', '2026-02-20', 'exact-amount')],
        '0.00',
      );
      step(pay(P4, '1500.00', '2026-02-25', [invoice60k]), [received(P4, '1500.00', '2026-02-25'), leftUnapplied(P4, '1500.00')], '0.00');
      expect(formatMajor(unappliedCash(stateAfter(history), 'EUR'))).toBe('1500.00');
    });

    it('leaves what a payment larger than all open invoices does not need unapplied', () => {
      given_([])
        .when(pay(P1, '120000.00', '2026-02-01', [invoice60k, openInvoice(INVOICE_B, '2026-02-28', '40000.00')]))
        .then(
          valid([
            received(P1, '120000.00', '2026-02-01'),
            allocated(P1, INVOICE_A, '60000.00', '2026-02-01'),
            allocated(P1, INVOICE_B, '40000.00', '2026-02-01'),
            leftUnapplied(P1, '20000.00'),
          ]),
        );
    });
  });

  describe('when invoicing reports an invoice overpaid', () => {
    const history = [received(P1, '10000.00', '2026-01-20'), allocated(P1, INVOICE_A, '10000.00', '2026-01-20')];

    it('puts the excess back on the payment’s unapplied cash, by event', () => {
      given_(history)
        .when(reduce(P1, INVOICE_A, '2500.00'))
        .then(valid([reduced(P1, INVOICE_A, '2500.00')]));
      const after = stateAfter([...history, reduced(P1, INVOICE_A, '2500.00')]);
      expect([formatMajor(allocatedTo(after, INVOICE_A, 'EUR')), formatMajor(unappliedCash(after, 'EUR'))]).toEqual(['7500.00', '2500.00']);
    });

    it('gives back at most what the payment allocated to that invoice', () => {
      given_(history)
        .when(reduce(P1, INVOICE_A, '99999.00'))
        .then(valid([reduced(P1, INVOICE_A, '10000.00')]));
    });

    it('gives back nothing for a payment that allocated nothing to the invoice, or was never recorded', () => {
      given_(history)
        .when(reduce(P1, INVOICE_B, '1.00'))
        .thenNothingHappens();
      given_(history)
        .when(reduce(P2, INVOICE_A, '1.00'))
        .thenNothingHappens();
      given_([...history, reduced(P1, INVOICE_A, '10000.00')])
        .when(reduce(P1, INVOICE_A, '1.00'))
        .thenNothingHappens();
    });

    it('never applies cash given back to the same invoice again while it has nothing open', () => {
      const overpaid = openInvoice(INVOICE_A, '2026-01-31', '7500.00');
      given_([...history, reduced(P1, INVOICE_A, '2500.00')])
        .when(pay(P2, '100.00', '2026-01-25', [overpaid]))
        .then(valid([received(P2, '100.00', '2026-01-25'), leftUnapplied(P2, '100.00')]));
    });

    it('refuses a reduction for another customer’s account', () => {
      given_(history)
        .when({ ...reduce(P1, INVOICE_A, '1.00'), data: { ...reduce(P1, INVOICE_A, '1.00').data, customerId: OTHER_CUSTOMER } })
        .thenThrows(AccountCustomerMismatchError);
    });
  });
});
