import { EventContractViolationError } from '@arc/contracts';
import { parseMajor } from '@arc/money';
import { invoiceDecider as decider, invoiceStreamId } from './invoice.decider';
import {
  CurrencyMismatchError,
  InvalidPaymentTermsError,
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
import {
  CREDIT_NOTE_1,
  CUSTOMER,
  INVOICE,
  RESERVATION,
  creditNote,
  date,
  eur,
  eurJson,
  given_,
  issue,
  issued,
  valid,
} from './invoice.fixtures';

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
});
