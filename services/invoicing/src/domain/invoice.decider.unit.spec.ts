import type { BusinessDate } from '@arc/clock';
import { EventContractViolationError, InvoicingEvents, type InvoicingEvent } from '@arc/contracts';
import { given } from '@arc/decider/testing';
import { formatMajor, parseMajor, toJson, type Money } from '@arc/money';
import {
  balanceOf,
  invoiceDecider as decider,
  invoiceStreamId,
  type Invoice,
  type IssueCreditNote,
  type IssueInvoice,
  type InvoiceStreamEvent,
  type RecordAllocationReduction,
  type RecordPaymentAllocation,
} from './invoice.decider';
import {
  CreditNoteAlreadyIssuedError,
  CreditNoteAmountNotPositiveError,
  CreditNoteBeforeInvoiceError,
  CreditNoteExceedsBalanceError,
  CurrencyMismatchError,
  InvalidPaymentTermsError,
  InvoiceAlreadyIssuedError,
  InvoiceCashMismatchError,
  InvoiceNotIssuedError,
  InvoiceTotalNotPositiveError,
  InvoiceTotalTooLargeError,
  InvoiceWithoutLinesError,
  InvoicingDomainError,
  IssueDateRefusedError,
  PaymentTermsUnknownError,
  ReservationConsumedByOtherInvoiceError,
  ReservationOfOtherCustomerError,
  ReservationReleasedError,
  ReservationUnknownError,
  UnknownCurrencyError,
} from './invoice.errors';

const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';
const INVOICE = '7f3c2a1e-4b5d-4c6e-8f90-123456789abc';
const RESERVATION = 'a1b2c3d4-0000-4000-8000-000000000002';
const CREDIT_NOTE_1 = 'd1b2c3d4-0000-4000-8000-000000000001';
const CREDIT_NOTE_2 = 'd1b2c3d4-0000-4000-8000-000000000002';

const eur = (major: string): Money => parseMajor(major, 'EUR');
const eurJson = (major: string) => toJson(eur(major));
const date = (text: string) => text as BusinessDate;

/** Every event a test expects (or gives as history) must pass its contract, or consumers would dead-letter it. */
function valid<E extends InvoiceStreamEvent>(events: E[]): E[] {
  for (const event of events) {
    if (!Object.hasOwn(InvoicingEvents, event.type)) continue; // invoicing's private cash records have no contract
    const result = InvoicingEvents[event.type as InvoicingEvent['type']].validate(event.data);
    if (!result.ok) throw new Error(`${event.type} breaks its contract: ${result.problems.join('; ')}`);
  }
  return events;
}

const given_ = (history: InvoiceStreamEvent[]) => given(decider, valid(history));
const stateAfter = (history: InvoiceStreamEvent[]): Invoice => history.reduce(decider.evolve, decider.initialState);

// ---------------------------------------------------------------------------------------------- fixtures

/** The acceptance invoice: 60,000.00 (50,420.17 net + 9,579.83 tax) issued 2026-01-01, net 30. */
const issue = (changes: Partial<IssueInvoice['data']> = {}): IssueInvoice => ({
  type: 'IssueInvoice',
  data: {
    invoiceId: INVOICE,
    invoiceNumber: 'INV-2026-000001',
    customerId: CUSTOMER,
    currency: 'EUR',
    lines: [{ description: 'Pump P-200 ×10', netAmount: eur('50420.17'), taxAmount: eur('9579.83') }],
    issueDate: date('2026-01-01'),
    paymentTerms: { netDays: 30 },
    reservationId: RESERVATION,
    reservation: { customerId: CUSTOMER, status: 'open' },
    ...changes,
  },
});

const issued = (changes: Partial<Extract<InvoicingEvent, { type: 'InvoiceIssued' }>['data']> = {}): InvoicingEvent => ({
  type: 'InvoiceIssued',
  data: {
    invoiceId: INVOICE,
    invoiceNumber: 'INV-2026-000001',
    customerId: CUSTOMER,
    currency: 'EUR',
    lines: [{ description: 'Pump P-200 ×10', netAmount: eurJson('50420.17'), taxAmount: eurJson('9579.83') }],
    total: eurJson('60000.00'),
    issueDate: '2026-01-01',
    dueDate: '2026-01-31',
    earlyPaymentDiscount: null,
    reservationId: RESERVATION,
    ...changes,
  },
});

const creditNote = (creditNoteId: string, major: string, changes: Partial<IssueCreditNote['data']> = {}): IssueCreditNote => ({
  type: 'IssueCreditNote',
  data: {
    creditNoteId,
    creditNoteNumber: `CN-${creditNoteId.slice(-4)}`,
    amount: eur(major),
    reason: 'damaged goods',
    issueDate: date('2026-01-10'),
    ...changes,
  },
});

const creditNoteIssued = (creditNoteId: string, major: string): InvoicingEvent => ({
  type: 'CreditNoteIssued',
  data: {
    creditNoteId,
    creditNoteNumber: `CN-${creditNoteId.slice(-4)}`,
    invoiceId: INVOICE,
    customerId: CUSTOMER,
    amount: eurJson(major),
    issueDate: '2026-01-10',
    reason: 'damaged goods',
  },
});

const PAYMENT_1 = 'b1b2c3d4-0000-4000-8000-000000000001';
const PAYMENT_2 = 'b1b2c3d4-0000-4000-8000-000000000002';
const sourceId = (n: number) => `e0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const allocate = (
  n: number,
  paymentId: string,
  major: string,
  changes: Partial<RecordPaymentAllocation['data']> = {},
): RecordPaymentAllocation => ({
  type: 'RecordPaymentAllocation',
  data: { sourceEventId: sourceId(n), paymentId, customerId: CUSTOMER, amount: eur(major), allocatedOn: '2026-01-20', ...changes },
});

const allocationRecorded = (n: number, paymentId: string, major: string): InvoiceStreamEvent => ({
  type: 'PaymentAllocationRecorded',
  data: { invoiceId: INVOICE, sourceEventId: sourceId(n), paymentId, amount: eurJson(major), allocatedOn: '2026-01-20' },
});

const reduce = (n: number, paymentId: string, major: string): RecordAllocationReduction => ({
  type: 'RecordAllocationReduction',
  data: { sourceEventId: sourceId(n), paymentId, customerId: CUSTOMER, amount: eur(major) },
});

const reductionRecorded = (n: number, paymentId: string, major: string): InvoiceStreamEvent => ({
  type: 'AllocationReductionRecorded',
  data: { invoiceId: INVOICE, sourceEventId: sourceId(n), paymentId, amount: eurJson(major) },
});

const overpaid = (paymentId: string, major: string): InvoiceStreamEvent => ({
  type: 'InvoiceOverpaid',
  data: { invoiceId: INVOICE, customerId: CUSTOMER, paymentId, excess: eurJson(major) },
});

const openBalance = (history: InvoiceStreamEvent[]): string => formatMajor(balanceOf(stateAfter(history))!.open);

// ------------------------------------------------------------------------------------------------- tests

describe('invoice', () => {
  it('lives in the stream invoice-<invoiceId>', () => {
    expect(invoiceStreamId(INVOICE)).toBe(`invoice-${INVOICE}`);
  });

  describe('before it is issued', () => {
    it('refuses to bill a credit reservation credit never reported, as a reference to nothing', () => {
      const error = given_([])
        .when(issue({ reservation: null }))
        .thenThrows(ReservationUnknownError) as ReservationUnknownError;
      expect(error).toMatchObject({ code: 'RESERVATION_UNKNOWN', category: 'invalid-request', reservationId: RESERVATION });
    });

    it("refuses to bill another customer's reservation, a released one, or one another invoice billed", () => {
      given_([])
        .when(issue({ reservation: { customerId: 'c0ffee00-0000-4000-8000-000000000009', status: 'open' } }))
        .thenThrows(ReservationOfOtherCustomerError);
      given_([])
        .when(issue({ reservation: { customerId: CUSTOMER, status: 'released' } }))
        .thenThrows(ReservationReleasedError);
      given_([])
        .when(issue({ reservation: { customerId: CUSTOMER, status: 'consumed', invoiceId: 'e0000000-0000-4000-8000-000000000001' } }))
        .thenThrows(ReservationConsumedByOtherInvoiceError);
    });

    it('bills a reservation this same invoice already consumed (a retry after credit saw the first attempt)', () => {
      given_([])
        .when(issue({ reservation: { customerId: CUSTOMER, status: 'consumed', invoiceId: INVOICE } }))
        .then(valid([issued()]));
    });

    it('refuses an issue date more than a week after the open business day', () => {
      const error = given_([])
        .when(issue({ openDay: date('2025-12-24'), issueDate: date('2026-01-01') }))
        .thenThrows(IssueDateRefusedError);
      expect(error).toMatchObject({ code: 'ISSUE_DATE_TOO_FAR_AHEAD', category: 'invalid-request' });
      given_([])
        .when(issue({ openDay: date('2025-12-25') }))
        .then(valid([issued()]));
    });

    it('refuses an issue date on a day already closed without a reason, and records the reason when given', () => {
      const closed = { openDay: date('2026-01-02'), issueDate: date('2026-01-01') };
      const error = given_([]).when(issue(closed)).thenThrows(IssueDateRefusedError);
      expect(error).toMatchObject({ code: 'BACKDATING_REASON_MISSING' });
      given_([])
        .when(issue({ ...closed, backdatingReason: 'delivery note reached finance late' }))
        .then(valid([issued({ backdatingReason: 'delivery note reached finance late' })]));
    });

    it('needs no reservation for an order that went through no credit check', () => {
      given_([])
        .when(issue({ reservationId: null, reservation: null }))
        .then(valid([issued({ reservationId: null })]));
    });

    it('issues 60,000.00 on 2026-01-01 with net 30, due 2026-01-31', () => {
      given_([])
        .when(issue())
        .then(valid([issued()]));
    });

    it('totals net + tax over every line, discount lines included', () => {
      given_([])
        .when(
          issue({
            lines: [
              { description: 'Pump P-200 ×10', netAmount: eur('50000.00'), taxAmount: eur('9500.00') },
              { description: 'Loyalty discount', netAmount: eur('-1000.00'), taxAmount: eur('-190.00') },
              { description: 'Freight', netAmount: eur('500.00'), taxAmount: eur('0.00') },
            ],
          }),
        )
        .then(
          valid([
            issued({
              lines: [
                { description: 'Pump P-200 ×10', netAmount: eurJson('50000.00'), taxAmount: eurJson('9500.00') },
                { description: 'Loyalty discount', netAmount: eurJson('-1000.00'), taxAmount: eurJson('-190.00') },
                { description: 'Freight', netAmount: eurJson('500.00'), taxAmount: eurJson('0.00') },
              ],
              total: eurJson('58810.00'),
            }),
          ]),
        );
    });

    it('counts the due date from the issue date across month ends', () => {
      given_([])
        .when(issue({ issueDate: date('2026-01-31'), paymentTerms: { netDays: 30 } }))
        .then(valid([issued({ issueDate: '2026-01-31', dueDate: '2026-03-02' })]));
    });

    it('offers the early-payment discount of the terms until issue date + its window, with the discounted amount', () => {
      given_([])
        .when(issue({ paymentTerms: { netDays: 30, earlyPaymentDiscount: { basisPoints: 200, withinDays: 10 } } }))
        .then(valid([issued({ earlyPaymentDiscount: { basisPoints: 200, payBy: '2026-01-11', discountedAmount: eurJson('58800.00') } })]));
    });

    it('issues an invoice without a credit reservation', () => {
      given_([])
        .when(issue({ reservationId: undefined }))
        .then(valid([issued({ reservationId: null })]));
    });

    it('refuses an invoice without lines', () => {
      given_([])
        .when(issue({ lines: [] }))
        .thenThrows(InvoiceWithoutLinesError);
    });

    it('refuses mixed currencies, naming the line', () => {
      const error = given_([])
        .when(
          issue({
            lines: [
              { description: 'Pump', netAmount: eur('100.00'), taxAmount: eur('19.00') },
              { description: 'Freight', netAmount: eur('10.00'), taxAmount: parseMajor('1.90', 'USD') },
            ],
          }),
        )
        .thenThrows(CurrencyMismatchError);
      expect(error.message).toBe('lines[1].taxAmount must be in the invoice currency EUR, not USD');
    });

    it('refuses a zero or negative total', () => {
      const lines = (net: string) => [
        { description: 'Goods', netAmount: eur('100.00'), taxAmount: eur('0.00') },
        { description: 'Discount', netAmount: eur(net), taxAmount: eur('0.00') },
      ];
      given_([])
        .when(issue({ lines: lines('-100.00') }))
        .thenThrows(InvoiceTotalNotPositiveError);
      given_([])
        .when(issue({ lines: lines('-100.01') }))
        .thenThrows(InvoiceTotalNotPositiveError);
    });

    it('refuses lines each within the money bound whose total is not (an amount no reader would accept)', () => {
      const line = { description: 'Turbine', netAmount: eur('9999999999999.99'), taxAmount: eur('0.00') };
      const error = given_([])
        .when(issue({ lines: [line, line] }))
        .thenThrows(InvoiceTotalTooLargeError);
      expect((error as InvoiceTotalTooLargeError).code).toBe('INVOICE_TOTAL_TOO_LARGE');
      expect(decider.decide(issue({ lines: [line] }), decider.initialState).map((event) => event.type)).toEqual(['InvoiceIssued']);
    });

    it('refuses an invoice while the customer’s payment terms are unknown', () => {
      const error = given_([])
        .when(issue({ paymentTerms: null }))
        .thenThrows(PaymentTermsUnknownError);
      expect((error as PaymentTermsUnknownError).code).toBe('PAYMENT_TERMS_UNKNOWN');
      given_([])
        .when(issue({ paymentTerms: undefined }))
        .thenThrows(PaymentTermsUnknownError);
    });

    it('refuses impossible terms', () => {
      given_([])
        .when(issue({ paymentTerms: { netDays: -1 } }))
        .thenThrows(InvalidPaymentTermsError);
      given_([])
        .when(issue({ paymentTerms: { netDays: 7.5 } }))
        .thenThrows(InvalidPaymentTermsError);
      given_([])
        .when(issue({ paymentTerms: { netDays: 10, earlyPaymentDiscount: { basisPoints: 200, withinDays: 14 } } }))
        .thenThrows(InvalidPaymentTermsError);
    });

    it('refuses a currency ARC does not know', () => {
      given_([])
        .when(issue({ currency: 'EUX' }))
        .thenThrows(UnknownCurrencyError);
    });

    it('refuses an invoice its contract would reject (a line without description), before it is stored', () => {
      given_([])
        .when(issue({ lines: [{ description: '', netAmount: eur('1.00'), taxAmount: eur('0.00') }] }))
        .thenThrows(EventContractViolationError);
    });

    it('refuses a credit note against an invoice not issued', () => {
      const error = given_([]).when(creditNote(CREDIT_NOTE_1, '1.00')).thenThrows(InvoiceNotIssuedError);
      expect(error).toBeInstanceOf(InvoicingDomainError);
    });
  });

  describe('once issued', () => {
    it('takes issuing it again as a repeat that changes nothing, even if the terms changed since', () => {
      given_([issued()])
        .when(issue({ paymentTerms: { netDays: 60 } }))
        .thenNothingHappens();
    });

    it('refuses to issue it again with other content, naming what differs', () => {
      const error = given_([issued()])
        .when(issue({ invoiceNumber: 'INV-2026-000002', reservationId: null }))
        .thenThrows(InvoiceAlreadyIssuedError) as InvoiceAlreadyIssuedError;
      expect(error.differingFields).toEqual(['invoiceNumber', 'reservationId']);
      expect(error.category).toBe('state-conflict');
    });

    it('issues a credit note against it', () => {
      given_([issued()])
        .when(creditNote(CREDIT_NOTE_1, '5000.00'))
        .then(valid([creditNoteIssued(CREDIT_NOTE_1, '5000.00')]));
    });

    it('reduces the open balance by each credit note', () => {
      expect(balanceOf(stateAfter([]))).toBeNull();
      expect(openBalance([issued()])).toBe('60000.00');
      expect(openBalance([issued(), creditNoteIssued(CREDIT_NOTE_1, '5000.00')])).toBe('55000.00');
    });

    it('credits the whole invoice at most', () => {
      given_([issued()])
        .when(creditNote(CREDIT_NOTE_1, '60000.00'))
        .then(valid([creditNoteIssued(CREDIT_NOTE_1, '60000.00')]));
      given_([issued()]).when(creditNote(CREDIT_NOTE_1, '60000.01')).thenThrows(CreditNoteExceedsBalanceError);
    });

    it('refuses a credit note beyond what earlier credit notes left', () => {
      const error = given_([issued(), creditNoteIssued(CREDIT_NOTE_1, '50000.00')])
        .when(creditNote(CREDIT_NOTE_2, '10000.01'))
        .thenThrows(CreditNoteExceedsBalanceError) as CreditNoteExceedsBalanceError;
      expect(error.openBalanceMinor).toBe(1000000n);
      given_([issued(), creditNoteIssued(CREDIT_NOTE_1, '50000.00')])
        .when(creditNote(CREDIT_NOTE_2, '10000.00'))
        .then(valid([creditNoteIssued(CREDIT_NOTE_2, '10000.00')]));
    });

    it('takes the same credit note again as a repeat that changes nothing', () => {
      given_([issued(), creditNoteIssued(CREDIT_NOTE_1, '60000.00')])
        .when(creditNote(CREDIT_NOTE_1, '60000.00'))
        .thenNothingHappens();
    });

    it('refuses a credit note id used before for another credit note', () => {
      const error = given_([issued(), creditNoteIssued(CREDIT_NOTE_1, '5000.00')])
        .when(creditNote(CREDIT_NOTE_1, '6000.00'))
        .thenThrows(CreditNoteAlreadyIssuedError) as CreditNoteAlreadyIssuedError;
      expect(error.differingFields).toEqual(['amount']);
    });

    it('refuses a credit note of zero or less', () => {
      given_([issued()]).when(creditNote(CREDIT_NOTE_1, '0.00')).thenThrows(CreditNoteAmountNotPositiveError);
      given_([issued()]).when(creditNote(CREDIT_NOTE_1, '-1.00')).thenThrows(CreditNoteAmountNotPositiveError);
    });

    it('refuses a credit note in another currency than the invoice’s', () => {
      given_([issued()])
        .when(creditNote(CREDIT_NOTE_1, '1.00', { amount: parseMajor('1.00', 'USD') }))
        .thenThrows(CurrencyMismatchError);
    });

    it('refuses a credit note dated before the invoice', () => {
      given_([issued()])
        .when(creditNote(CREDIT_NOTE_1, '1.00', { issueDate: date('2025-12-31') }))
        .thenThrows(CreditNoteBeforeInvoiceError);
    });

    it('refuses a credit note its contract would reject (no reason)', () => {
      given_([issued()])
        .when(creditNote(CREDIT_NOTE_1, '1.00', { reason: '  ' }))
        .thenThrows(EventContractViolationError);
    });
  });

  describe('with cash allocated to it', () => {
    it('refuses a credit note larger than the open balance after payments, naming both', () => {
      const error = given_([issued(), allocationRecorded(1, PAYMENT_1, '50000.00')])
        .when(creditNote(CREDIT_NOTE_1, '10000.01'))
        .thenThrows(CreditNoteExceedsBalanceError) as CreditNoteExceedsBalanceError;
      expect([error.amountMinor, error.openBalanceMinor]).toEqual([1000001n, 1000000n]);
      expect(error.message).toBe(
        "a credit note of 1000001 minor units exceeds the invoice's open balance of 1000000 " +
          '(total 6000000 − payments applied 5000000 − credit notes 0)',
      );
      expect(error.category).toBe('state-conflict');
    });

    it('credits what payments left open, exactly', () => {
      given_([issued(), allocationRecorded(1, PAYMENT_1, '50000.00')])
        .when(creditNote(CREDIT_NOTE_1, '10000.00'))
        .then(valid([creditNoteIssued(CREDIT_NOTE_1, '10000.00')]));
    });

    it('refuses any credit note on an invoice paid in full', () => {
      const error = given_([issued(), allocationRecorded(1, PAYMENT_1, '60000.00')])
        .when(creditNote(CREDIT_NOTE_1, '0.01'))
        .thenThrows(CreditNoteExceedsBalanceError) as CreditNoteExceedsBalanceError;
      expect(error.openBalanceMinor).toBe(0n);
    });

    it('records an allocation the payments service published, once however often it is delivered', () => {
      given_([issued()])
        .when(allocate(1, PAYMENT_1, '1000.00'))
        .then([allocationRecorded(1, PAYMENT_1, '1000.00')]);
      given_([issued(), allocationRecorded(1, PAYMENT_1, '1000.00')])
        .when(allocate(1, PAYMENT_1, '1000.00'))
        .thenNothingHappens();
      expect(openBalance([issued(), allocationRecorded(1, PAYMENT_1, '1000.00'), allocationRecorded(2, PAYMENT_2, '500.00')])).toBe(
        '58500.00',
      );
    });

    it('records an allocation that meets a credit note as overpaid by the excess, for that payment, and stays at zero', () => {
      const history = [issued(), creditNoteIssued(CREDIT_NOTE_1, '60000.00')];
      given_(history)
        .when(allocate(1, PAYMENT_1, '1000.00'))
        .then(valid([allocationRecorded(1, PAYMENT_1, '1000.00'), overpaid(PAYMENT_1, '1000.00')]));
      expect(openBalance([...history, allocationRecorded(1, PAYMENT_1, '1000.00'), overpaid(PAYMENT_1, '1000.00')])).toBe('0.00');
    });

    it('asks back only what goes beyond the balance, from the payment that went beyond it', () => {
      given_([issued(), creditNoteIssued(CREDIT_NOTE_1, '50000.00'), allocationRecorded(1, PAYMENT_1, '6000.00')])
        .when(allocate(2, PAYMENT_2, '7000.00'))
        .then(valid([allocationRecorded(2, PAYMENT_2, '7000.00'), overpaid(PAYMENT_2, '3000.00')]));
    });

    it('asks the excess back once: the next allocation only adds its own excess', () => {
      const history = [
        issued(),
        creditNoteIssued(CREDIT_NOTE_1, '60000.00'),
        allocationRecorded(1, PAYMENT_1, '1000.00'),
        overpaid(PAYMENT_1, '1000.00'),
      ];
      given_(history)
        .when(allocate(2, PAYMENT_2, '200.00'))
        .then(valid([allocationRecorded(2, PAYMENT_2, '200.00'), overpaid(PAYMENT_2, '200.00')]));
    });

    it('asks nothing more once the payments service gave the excess back, and the balance stays at zero', () => {
      const history = [
        issued(),
        creditNoteIssued(CREDIT_NOTE_1, '60000.00'),
        allocationRecorded(1, PAYMENT_1, '1000.00'),
        overpaid(PAYMENT_1, '1000.00'),
      ];
      given_(history)
        .when(reduce(2, PAYMENT_1, '1000.00'))
        .then([reductionRecorded(2, PAYMENT_1, '1000.00')]);
      const after = stateAfter([...history, reductionRecorded(2, PAYMENT_1, '1000.00')]);
      expect(after.status === 'issued' && [formatMajor(after.allocated), formatMajor(balanceOf(after)!.open)]).toEqual(['0.00', '0.00']);
      given_([...history, reductionRecorded(2, PAYMENT_1, '1000.00')])
        .when(reduce(2, PAYMENT_1, '1000.00'))
        .thenNothingHappens();
    });

    it('reopens the balance by cash given back that nobody asked for', () => {
      expect(openBalance([issued(), allocationRecorded(1, PAYMENT_1, '60000.00'), reductionRecorded(2, PAYMENT_1, '100.00')])).toBe(
        '100.00',
      );
    });

    it('refuses cash recorded for another customer, in another currency, or on an invoice never issued', () => {
      given_([issued()])
        .when(allocate(1, PAYMENT_1, '1.00', { customerId: RESERVATION }))
        .thenThrows(InvoiceCashMismatchError);
      given_([issued()])
        .when(allocate(1, PAYMENT_1, '1.00', { amount: parseMajor('1.00', 'USD') }))
        .thenThrows(InvoiceCashMismatchError);
      given_([])
        .when(allocate(1, PAYMENT_1, '1.00'))
        .thenThrows(InvoiceNotIssuedError);
    });
  });
});
