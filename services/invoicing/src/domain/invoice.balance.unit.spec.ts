import { EventContractViolationError } from '@arc/contracts';
import { formatMajor, parseMajor } from '@arc/money';
import { balanceOf } from './invoice.decider';
import {
  CreditNoteAlreadyIssuedError,
  CreditNoteAmountNotPositiveError,
  CreditNoteBeforeInvoiceError,
  CreditNoteExceedsBalanceError,
  CurrencyMismatchError,
  InvoiceAlreadyIssuedError,
  InvoiceCashMismatchError,
  InvoiceNotIssuedError,
} from './invoice.errors';
import {
  CREDIT_NOTE_1,
  CREDIT_NOTE_2,
  PAYMENT_1,
  PAYMENT_2,
  RESERVATION,
  allocate,
  allocationRecorded,
  creditNote,
  creditNoteIssued,
  date,
  given_,
  issue,
  issued,
  openBalance,
  overpaid,
  reduce,
  reductionRecorded,
  stateAfter,
  valid,
} from './invoice.fixtures';

describe('invoice', () => {
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
