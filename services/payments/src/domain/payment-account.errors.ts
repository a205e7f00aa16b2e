/*
 * Commands the customer payment account refuses. A refusal is an error, never an event: nothing happened.
 *
 * `code` is stable: the API maps it to a problem type. `category` says which status fits:
 * - 'state-conflict': the command is well-formed but the account's current state forbids it (409);
 * - 'invalid-request': the command can never succeed as given (422).
 */
import type { BookingDateVerdict } from '@arc/clock';
import { DomainError } from '@arc/decider';

export abstract class PaymentsDomainError extends DomainError {}

// Cash is applied only to invoices in its own currency; converting is an explicit FX step elsewhere: the one
// currency refusal of ARC, in @arc/money.
export { CurrencyMismatchError } from '@arc/money';

export class PaymentAmountNotPositiveError extends PaymentsDomainError {
  override readonly name = 'PaymentAmountNotPositiveError';
  readonly code = 'PAYMENT_AMOUNT_NOT_POSITIVE';
  readonly category = 'invalid-request';
  constructor(readonly amountMinor: bigint) {
    super(`a payment must be for a positive amount (${amountMinor} minor units)`);
  }
}

/** The stream is one customer's account; a payment of another customer was routed to it. */
export class AccountCustomerMismatchError extends PaymentsDomainError {
  override readonly name = 'AccountCustomerMismatchError';
  readonly code = 'ACCOUNT_CUSTOMER_MISMATCH';
  readonly category = 'invalid-request';
  constructor(
    readonly accountCustomerId: string,
    readonly commandCustomerId: string,
  ) {
    super(`this payment account belongs to customer ${accountCustomerId}, not ${commandCustomerId}`);
  }
}

export class OpenInvoiceListedTwiceError extends PaymentsDomainError {
  override readonly name = 'OpenInvoiceListedTwiceError';
  readonly code = 'OPEN_INVOICE_LISTED_TWICE';
  readonly category = 'invalid-request';
  constructor(readonly invoiceId: string) {
    super(`open invoice ${invoiceId} is listed twice: its open amount would be allocated twice`);
  }
}

/** The bank reference was recorded before for another amount: not the same receipt, and not a new one either. */
export class BankReferenceConflictError extends PaymentsDomainError {
  override readonly name = 'BankReferenceConflictError';
  readonly code = 'BANK_REFERENCE_CONFLICT';
  readonly category = 'state-conflict';
  constructor(
    readonly bankReference: string,
    readonly recordedPaymentId: string,
  ) {
    super(`bank reference ${bankReference} was already recorded as payment ${recordedPaymentId} with another amount`);
  }
}

export class PaymentIdReusedError extends PaymentsDomainError {
  override readonly name = 'PaymentIdReusedError';
  readonly code = 'PAYMENT_ID_REUSED';
  readonly category = 'state-conflict';
  constructor(
    readonly paymentId: string,
    readonly recordedBankReference: string,
  ) {
    super(`payment ${paymentId} was already recorded for bank reference ${recordedBankReference}`);
  }
}

/**
 * The receipt date breaks the booking-date rule of `@arc/clock` (more than a week after the open day, or on a day
 * already closed without a reason). `code` says which.
 */
export class ReceiptDateRefusedError extends PaymentsDomainError {
  override readonly name = 'ReceiptDateRefusedError';
  readonly code: 'RECEIVED_ON_TOO_FAR_AHEAD' | 'BACKDATING_REASON_MISSING';
  readonly category = 'invalid-request';
  constructor(
    readonly receivedOn: string,
    verdict: Extract<BookingDateVerdict, { ok: false }>,
  ) {
    super(
      verdict.problem === 'too-far-ahead'
        ? `a receipt may be dated at most a week after the open business day: ${receivedOn} is after ${verdict.latest}`
        : `${receivedOn} is a business day already closed (the open day is ${verdict.openDay}): dating a receipt on it needs a backdatingReason`,
    );
    this.code = verdict.problem === 'too-far-ahead' ? 'RECEIVED_ON_TOO_FAR_AHEAD' : 'BACKDATING_REASON_MISSING';
  }
}

/**
 * The receipt names a customer the credit service never registered (as far as payments has heard): a mistyped
 * id, not cash to file against nobody. A customer registered a moment ago is known within about a second.
 */
export class CustomerUnknownError extends PaymentsDomainError {
  override readonly name = 'CustomerUnknownError';
  readonly code = 'CUSTOMER_UNKNOWN';
  readonly category = 'invalid-request';
  constructor(readonly customerId: string) {
    super(`no customer ${customerId} is registered: a receipt must name a customer the credit service registered`);
  }
}

/** The payment is not on this account. */
export class PaymentNotFoundError extends PaymentsDomainError {
  override readonly name = 'PaymentNotFoundError';
  readonly code = 'PAYMENT_NOT_FOUND';
  readonly category = 'invalid-request';
  constructor(readonly paymentId: string) {
    super(`payment ${paymentId} is not on this customer's payment account`);
  }
}

/** A reversed payment takes no further part: it cannot be reversed again, applied or refunded. */
export class PaymentReversedError extends PaymentsDomainError {
  override readonly name = 'PaymentReversedError';
  readonly code = 'PAYMENT_REVERSED';
  readonly category = 'state-conflict';
  constructor(readonly paymentId: string) {
    super(`payment ${paymentId} was reversed: it can no longer be applied, refunded or reversed`);
  }
}

/** Money already paid back out of the payment: reversing it would leave a debt on the account, not a receipt. */
export class PaymentRefundedError extends PaymentsDomainError {
  override readonly name = 'PaymentRefundedError';
  readonly code = 'PAYMENT_REFUNDED';
  readonly category = 'state-conflict';
  constructor(readonly paymentId: string) {
    super(`part of payment ${paymentId} was refunded: a refunded payment cannot be reversed`);
  }
}

/** More unapplied cash asked for (applied or refunded) than the account (or the payment) has. */
export class InsufficientUnappliedCashError extends PaymentsDomainError {
  override readonly name = 'InsufficientUnappliedCashError';
  readonly code = 'INSUFFICIENT_UNAPPLIED_CASH';
  readonly category = 'state-conflict';
  constructor(
    readonly requestedMinor: bigint,
    readonly availableMinor: bigint,
    readonly currency: string,
  ) {
    super(`${requestedMinor} minor units of ${currency} asked for, but only ${availableMinor} are unapplied on account`);
  }
}

/** Cash to apply to an invoice beyond what is open on it. */
export class InvoiceNotOpenEnoughError extends PaymentsDomainError {
  override readonly name = 'InvoiceNotOpenEnoughError';
  readonly code = 'INVOICE_NOT_OPEN_ENOUGH';
  readonly category = 'state-conflict';
  constructor(
    readonly invoiceId: string,
    readonly requestedMinor: bigint,
    readonly openMinor: bigint,
  ) {
    super(`invoice ${invoiceId} has ${openMinor} minor units open (as payments knows it): ${requestedMinor} cannot be applied to it`);
  }
}

/** The invoice is not an open invoice of this customer (in the cash's currency) as the view knows it. */
export class InvoiceNotOpenError extends PaymentsDomainError {
  override readonly name = 'InvoiceNotOpenError';
  readonly code = 'INVOICE_NOT_OPEN';
  readonly category = 'invalid-request';
  constructor(readonly invoiceId: string) {
    super(`invoice ${invoiceId} is not an open invoice of this customer in the payment's currency`);
  }
}

export class SuspenseReceiptNotFoundError extends PaymentsDomainError {
  override readonly name = 'SuspenseReceiptNotFoundError';
  readonly code = 'SUSPENSE_RECEIPT_NOT_FOUND';
  readonly category = 'invalid-request';
  constructor(readonly suspenseId: string) {
    super(`no receipt ${suspenseId} is in suspense`);
  }
}

export class SuspenseReceiptAssignedError extends PaymentsDomainError {
  override readonly name = 'SuspenseReceiptAssignedError';
  readonly code = 'SUSPENSE_RECEIPT_ASSIGNED';
  readonly category = 'state-conflict';
  constructor(
    readonly suspenseId: string,
    readonly customerId: string,
  ) {
    super(`receipt ${suspenseId} left suspense already: it was assigned to customer ${customerId}`);
  }
}
