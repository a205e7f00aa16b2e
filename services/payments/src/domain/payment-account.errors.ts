/*
 * Commands the customer payment account refuses. A refusal is an error, never an event: nothing happened.
 *
 * `code` is stable: the API maps it to a problem type. `category` says which status fits:
 * - 'state-conflict': the command is well-formed but the account's current state forbids it (409);
 * - 'invalid-request': the command can never succeed as given (422).
 */
import { DomainError } from '@arc/decider';

export abstract class PaymentsDomainError extends DomainError {}

export class PaymentAmountNotPositiveError extends PaymentsDomainError {
  override readonly name = 'PaymentAmountNotPositiveError';
  readonly code = 'PAYMENT_AMOUNT_NOT_POSITIVE';
  readonly category = 'invalid-request';
  constructor(readonly amountMinor: bigint) {
    super(`a payment must be for a positive amount (${amountMinor} minor units)`);
  }
}

/** Cash is applied only to invoices in its own currency; converting is an explicit FX step elsewhere. */
export class CurrencyMismatchError extends PaymentsDomainError {
  override readonly name = 'CurrencyMismatchError';
  readonly code = 'CURRENCY_MISMATCH';
  readonly category = 'invalid-request';
  constructor(
    readonly invoiceId: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`open invoice ${invoiceId} is in ${actual}, but the payment is in ${expected}`);
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
