/*
 * Refusals of the receivable's later life: cancellation, debit notes, disputes, write-offs, statements and
 * contracts. Codes are stable (the API maps them to problem types); categories as in ./invoice.errors.ts.
 */
import { InvoicingDomainError } from './invoice.errors';

/** Something is allocated, credited, debited, disputed or written off on it: a cancellation would rewrite that history. */
export class InvoiceNotCancellableError extends InvoicingDomainError {
  override readonly name = 'InvoiceNotCancellableError';
  readonly code = 'INVOICE_NOT_CANCELLABLE';
  readonly category = 'state-conflict';
  constructor(
    readonly invoiceId: string,
    readonly because: string,
  ) {
    super(`invoice ${invoiceId} cannot be cancelled: ${because}`);
  }
}

export class InvoiceCancelledError extends InvoicingDomainError {
  override readonly name = 'InvoiceCancelledError';
  readonly code = 'INVOICE_CANCELLED';
  readonly category = 'state-conflict';
  constructor(
    readonly invoiceId: string,
    readonly command: string,
  ) {
    super(`invoice ${invoiceId} is cancelled: ${command} is refused`);
  }
}

/** An amount the command must take from the open balance is more than is free (not disputed, not being written off). */
export class AmountExceedsOpenError extends InvoicingDomainError {
  override readonly name = 'AmountExceedsOpenError';
  readonly code = 'AMOUNT_EXCEEDS_OPEN_BALANCE';
  readonly category = 'state-conflict';
  constructor(
    readonly what: string,
    readonly amountMinor: bigint,
    readonly availableMinor: bigint,
  ) {
    super(`${what} of ${amountMinor} minor units exceeds the ${availableMinor} available on the invoice`);
  }
}

export class AmountNotPositiveError extends InvoicingDomainError {
  override readonly name = 'AmountNotPositiveError';
  readonly code = 'AMOUNT_NOT_POSITIVE';
  readonly category = 'invalid-request';
  constructor(readonly what: string) {
    super(`${what} must be a positive amount`);
  }
}

export class DateBeforeInvoiceError extends InvoicingDomainError {
  override readonly name = 'DateBeforeInvoiceError';
  readonly code = 'DATE_BEFORE_INVOICE';
  readonly category = 'invalid-request';
  constructor(
    readonly what: string,
    readonly date: string,
  ) {
    super(`${what} (${date}) must not be before the invoice's issue date`);
  }
}

/** The id (debit note, dispute, write-off) was used before for something else on this invoice. */
export class IdReusedError extends InvoicingDomainError {
  override readonly name = 'IdReusedError';
  readonly code = 'ID_ALREADY_USED';
  readonly category = 'state-conflict';
  constructor(
    readonly what: string,
    readonly id: string,
  ) {
    super(`${what} ${id} already exists on this invoice with other content`);
  }
}

export class DisputeUnknownError extends InvoicingDomainError {
  override readonly name = 'DisputeUnknownError';
  readonly code = 'DISPUTE_UNKNOWN';
  readonly category = 'not-found';
  constructor(readonly disputeId: string) {
    super(`no dispute ${disputeId} on this invoice`);
  }
}

export class DisputeClosedError extends InvoicingDomainError {
  override readonly name = 'DisputeClosedError';
  readonly code = 'DISPUTE_ALREADY_RESOLVED';
  readonly category = 'state-conflict';
  constructor(
    readonly disputeId: string,
    readonly status: string,
  ) {
    super(`dispute ${disputeId} is already ${status}`);
  }
}

export class WriteOffUnknownError extends InvoicingDomainError {
  override readonly name = 'WriteOffUnknownError';
  readonly code = 'WRITE_OFF_UNKNOWN';
  readonly category = 'not-found';
  constructor(readonly writeOffId: string) {
    super(`no write-off ${writeOffId} on this invoice`);
  }
}

/** The write-off is not at the step the command takes (approve after request, sign off after approval). */
export class WriteOffStepError extends InvoicingDomainError {
  override readonly name = 'WriteOffStepError';
  readonly code = 'WRITE_OFF_WRONG_STEP';
  readonly category = 'state-conflict';
  constructor(
    readonly writeOffId: string,
    readonly status: string,
    readonly command: string,
  ) {
    super(`write-off ${writeOffId} is ${status}: ${command} is not its next step`);
  }
}

/** Finance's approval and legal's sign-off must be two different people, whatever roles one person holds. */
export class SameApproverError extends InvoicingDomainError {
  override readonly name = 'SameApproverError';
  readonly code = 'WRITE_OFF_SAME_SUBJECT';
  readonly category = 'state-conflict';
  constructor(readonly subject: string) {
    super(`${subject} approved this write-off and cannot also sign it off: a second person must`);
  }
}

export class ContractUnknownError extends InvoicingDomainError {
  override readonly name = 'ContractUnknownError';
  readonly code = 'CONTRACT_UNKNOWN';
  readonly category = 'invalid-request';
  constructor(readonly contractId: string) {
    super(`no contract ${contractId} was agreed`);
  }
}

export class ContractOfOtherCustomerError extends InvoicingDomainError {
  override readonly name = 'ContractOfOtherCustomerError';
  readonly code = 'CONTRACT_OF_OTHER_CUSTOMER';
  readonly category = 'invalid-request';
  constructor(
    readonly contractId: string,
    readonly customerId: string,
  ) {
    super(`contract ${contractId} is not a contract of customer ${customerId}`);
  }
}
