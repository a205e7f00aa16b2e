/*
 * Commands the invoice refuses. A refusal is an error, never an event: nothing happened in the business.
 *
 * `code` is stable: the API maps it to a problem type. `category` says which status fits:
 * - 'state-conflict': the command is well-formed but the invoice's current state (or what invoicing knows
 *   of the customer) forbids it (409);
 * - 'invalid-request': the command can never succeed as given (422);
 * - 'not-found': the command is about an invoice that was never issued (404).
 */
import type { BookingDateVerdict } from '@arc/clock';
import { DomainError } from '@arc/decider';
import { MAX_AMOUNT_MINOR } from '@arc/money';

export abstract class InvoicingDomainError extends DomainError {}

// Every amount on an invoice, and every credit note against it, is in the invoice's currency: the one currency
// refusals of ARC, in @arc/money.
export { CurrencyMismatchError, UnknownCurrencyError } from '@arc/money';

export class InvoiceWithoutLinesError extends InvoicingDomainError {
  override readonly name = 'InvoiceWithoutLinesError';
  readonly code = 'INVOICE_NO_LINES';
  readonly category = 'invalid-request';
  constructor() {
    super('an invoice needs at least one line');
  }
}

/** Each line is within the money bound, but together they are not: the total would be an amount no reader accepts. */
export class InvoiceTotalTooLargeError extends InvoicingDomainError {
  override readonly name = 'InvoiceTotalTooLargeError';
  readonly code = 'INVOICE_TOTAL_TOO_LARGE';
  readonly category = 'invalid-request';
  constructor(readonly totalMinor: bigint) {
    super(`an invoice total must be at most ${MAX_AMOUNT_MINOR} minor units (the lines add up to ${totalMinor})`);
  }
}

export class InvoiceTotalNotPositiveError extends InvoicingDomainError {
  override readonly name = 'InvoiceTotalNotPositiveError';
  readonly code = 'INVOICE_TOTAL_NOT_POSITIVE';
  readonly category = 'invalid-request';
  constructor(readonly totalMinor: bigint) {
    super(`an invoice total must be positive (the lines add up to ${totalMinor} minor units)`);
  }
}

/** Invoicing has not (yet) seen the customer's credit policy, so it cannot compute the due date. */
export class PaymentTermsUnknownError extends InvoicingDomainError {
  override readonly name = 'PaymentTermsUnknownError';
  readonly code = 'PAYMENT_TERMS_UNKNOWN';
  readonly category = 'state-conflict';
  constructor(readonly customerId: string) {
    super(`the payment terms of customer ${customerId} are not known: a credit policy must be set first`);
  }
}

export class InvalidPaymentTermsError extends InvoicingDomainError {
  override readonly name = 'InvalidPaymentTermsError';
  readonly code = 'PAYMENT_TERMS_INVALID';
  readonly category = 'invalid-request';
  constructor(readonly problem: string) {
    super(`invalid payment terms: ${problem}`);
  }
}

export class InvoiceAlreadyIssuedError extends InvoicingDomainError {
  override readonly name = 'InvoiceAlreadyIssuedError';
  readonly code = 'INVOICE_ALREADY_ISSUED';
  readonly category = 'state-conflict';
  constructor(
    readonly invoiceId: string,
    readonly differingFields: readonly string[],
  ) {
    super(`invoice ${invoiceId} was already issued with other ${differingFields.join(', ')}`);
  }
}

export class InvoiceNotIssuedError extends InvoicingDomainError {
  override readonly name = 'InvoiceNotIssuedError';
  readonly code = 'INVOICE_NOT_ISSUED';
  readonly category = 'not-found';
  constructor(readonly command: string) {
    super(`${command} needs an issued invoice`);
  }
}

/**
 * The issue date breaks the booking-date rule of `@arc/clock` (more than a week after the open day, or on a day
 * already closed without a reason). `code` says which.
 */
export class IssueDateRefusedError extends InvoicingDomainError {
  override readonly name = 'IssueDateRefusedError';
  readonly code: 'ISSUE_DATE_TOO_FAR_AHEAD' | 'BACKDATING_REASON_MISSING';
  readonly category = 'invalid-request';
  constructor(
    readonly issueDate: string,
    verdict: Extract<BookingDateVerdict, { ok: false }>,
  ) {
    super(
      verdict.problem === 'too-far-ahead'
        ? `an invoice may be dated at most a week after the open business day: ${issueDate} is after ${verdict.latest}`
        : `${issueDate} is a business day already closed (the open day is ${verdict.openDay}): dating an invoice on it needs a backdatingReason`,
    );
    this.code = verdict.problem === 'too-far-ahead' ? 'ISSUE_DATE_TOO_FAR_AHEAD' : 'BACKDATING_REASON_MISSING';
  }
}

/**
 * The invoice names a credit reservation invoicing has never heard of: a mistyped id, or a check that never
 * passed. A check that passed a moment ago is known once credit's event reaches invoicing (normally within a
 * second), so a retry then succeeds.
 */
export class ReservationUnknownError extends InvoicingDomainError {
  override readonly name = 'ReservationUnknownError';
  readonly code = 'RESERVATION_UNKNOWN';
  readonly category = 'invalid-request';
  constructor(readonly reservationId: string) {
    super(`no credit reservation ${reservationId} is known: a credit check must pass for the order before its invoice names it`);
  }
}

export class ReservationOfOtherCustomerError extends InvoicingDomainError {
  override readonly name = 'ReservationOfOtherCustomerError';
  readonly code = 'RESERVATION_OF_OTHER_CUSTOMER';
  readonly category = 'invalid-request';
  constructor(
    readonly reservationId: string,
    readonly customerId: string,
  ) {
    super(`credit reservation ${reservationId} was not made for customer ${customerId}`);
  }
}

export class ReservationReleasedError extends InvoicingDomainError {
  override readonly name = 'ReservationReleasedError';
  readonly code = 'RESERVATION_RELEASED';
  readonly category = 'state-conflict';
  constructor(readonly reservationId: string) {
    super(`credit reservation ${reservationId} was released: the order needs a new credit check`);
  }
}

export class ReservationConsumedByOtherInvoiceError extends InvoicingDomainError {
  override readonly name = 'ReservationConsumedByOtherInvoiceError';
  readonly code = 'RESERVATION_CONSUMED_BY_OTHER_INVOICE';
  readonly category = 'state-conflict';
  constructor(
    readonly reservationId: string,
    readonly consumedBy: string,
  ) {
    super(`credit reservation ${reservationId} was already billed by invoice ${consumedBy}`);
  }
}

export class CreditNoteAmountNotPositiveError extends InvoicingDomainError {
  override readonly name = 'CreditNoteAmountNotPositiveError';
  readonly code = 'CREDIT_NOTE_AMOUNT_NOT_POSITIVE';
  readonly category = 'invalid-request';
  constructor(readonly amountMinor: bigint) {
    super(`a credit note must be for a positive amount (${amountMinor} minor units)`);
  }
}

export class CreditNoteBeforeInvoiceError extends InvoicingDomainError {
  override readonly name = 'CreditNoteBeforeInvoiceError';
  readonly code = 'CREDIT_NOTE_BEFORE_INVOICE';
  readonly category = 'invalid-request';
  constructor(
    readonly creditNoteDate: string,
    readonly invoiceDate: string,
  ) {
    super(`a credit note dated ${creditNoteDate} cannot precede its invoice, issued ${invoiceDate}`);
  }
}

/** A credit note may take off at most the open balance: total − cash applied − credit notes so far. */
export class CreditNoteExceedsBalanceError extends InvoicingDomainError {
  override readonly name = 'CreditNoteExceedsBalanceError';
  readonly code = 'CREDIT_NOTE_EXCEEDS_BALANCE';
  readonly category = 'state-conflict';
  constructor(
    readonly amountMinor: bigint,
    readonly openBalanceMinor: bigint,
    readonly figures: { total: bigint; applied: bigint; credited: bigint },
  ) {
    super(
      `a credit note of ${amountMinor} minor units exceeds the invoice's open balance of ${openBalanceMinor} ` +
        `(total ${figures.total} − payments applied ${figures.applied} − credit notes ${figures.credited})`,
    );
  }
}

/** Cash recorded against an invoice must be the invoice's customer's, in its currency, and positive: else a producer bug. */
export class InvoiceCashMismatchError extends InvoicingDomainError {
  override readonly name = 'InvoiceCashMismatchError';
  readonly code = 'INVOICE_CASH_MISMATCH';
  readonly category = 'invalid-request';
  constructor(
    readonly invoiceId: string,
    readonly command: string,
    readonly sourceEventId: string,
  ) {
    super(
      `${command} from event ${sourceEventId} does not fit invoice ${invoiceId} (another customer, currency, or not a positive amount)`,
    );
  }
}

/** Another invoice holds the number (the register in views/invoice-numbers.ts is the uniqueness rule). */
export class InvoiceNumberTakenError extends InvoicingDomainError {
  override readonly name = 'InvoiceNumberTakenError';
  readonly code = 'INVOICE_NUMBER_TAKEN';
  readonly category = 'state-conflict';
  constructor(readonly invoiceNumber: string) {
    super(`invoice number ${invoiceNumber} is already used by another invoice`);
  }
}

/** The credit note id was used before for a different credit note. */
export class CreditNoteAlreadyIssuedError extends InvoicingDomainError {
  override readonly name = 'CreditNoteAlreadyIssuedError';
  readonly code = 'CREDIT_NOTE_ALREADY_ISSUED';
  readonly category = 'state-conflict';
  constructor(
    readonly creditNoteId: string,
    readonly differingFields: readonly string[],
  ) {
    super(`credit note ${creditNoteId} was already issued with other ${differingFields.join(', ')}`);
  }
}
