/* IssueInvoice: lines, total, due date and discount from the customer's terms, the credit reservation it consumes. */
import { bookingDateVerdict } from '@arc/clock';
import type { InvoiceIssuedData } from '@arc/contracts';
import { add, isCurrencyCode, isWithinAmountBound, sum, toJson } from '@arc/money';
import type { InvoiceTermsEvent } from './invoice-terms.events';
import type { IssueInvoice, InvoiceLine, KnownReservation, PaymentTerms } from './invoice.commands';
import {
  CurrencyMismatchError,
  InvalidPaymentTermsError,
  InvoiceAlreadyIssuedError,
  InvoiceTotalNotPositiveError,
  InvoiceTotalTooLargeError,
  InvoiceWithoutLinesError,
  IssueDateRefusedError,
  PaymentTermsUnknownError,
  ReservationConsumedByOtherInvoiceError,
  ReservationOfOtherCustomerError,
  ReservationReleasedError,
  ReservationUnknownError,
  UnknownCurrencyError,
} from './invoice.errors';
import type { Invoice, InvoiceStreamEvent } from './invoice.state';
import { checkPaymentTerms, discountFor, dueItemsFor, type PaymentTermsRule } from './payment-terms';
import { ContractOfOtherCustomerError } from './receivable.errors';

/** The fields that identify what was invoiced; a repeat must match them all. Due date and terms are derived. */
function invoiceContent(invoice: {
  invoiceNumber: string;
  customerId: string;
  currency: string;
  lines: readonly InvoiceLine[];
  issueDate: string;
  reservationId: string | null;
}): Record<string, string> {
  return {
    invoiceNumber: invoice.invoiceNumber,
    customerId: invoice.customerId,
    currency: invoice.currency,
    lines: JSON.stringify(invoice.lines.map((l) => [l.description, toJson(l.netAmount), toJson(l.taxAmount)])),
    issueDate: invoice.issueDate,
    reservationId: String(invoice.reservationId),
  };
}

export function differingFields(a: Record<string, string>, b: Record<string, string>): string[] {
  return Object.keys(a).filter((key) => a[key] !== b[key]);
}

/** An invoice may name only a reservation credit made for this customer and that no other invoice consumed. */
function requireReservationToBill(
  reservationId: string,
  reservation: KnownReservation | null,
  customerId: string,
  invoiceId: string,
): void {
  if (reservation === null) throw new ReservationUnknownError(reservationId);
  if (reservation.customerId !== customerId) throw new ReservationOfOtherCustomerError(reservationId, customerId);
  if (reservation.status === 'released') throw new ReservationReleasedError(reservationId);
  if (reservation.status === 'consumed' && reservation.invoiceId !== invoiceId) {
    throw new ReservationConsumedByOtherInvoiceError(reservationId, reservation.invoiceId);
  }
}

export function issueInvoice(command: IssueInvoice, invoice: Invoice): InvoiceStreamEvent[] {
  const {
    invoiceId,
    invoiceNumber,
    customerId,
    currency,
    lines,
    issueDate,
    paymentTerms = null,
    reservationId = null,
    reservation = null,
  } = command.data;
  const { openDay = null, backdatingReason = null } = command.data;
  if (invoice.status === 'issued') {
    const differing = differingFields(
      invoiceContent(invoice),
      invoiceContent({ invoiceNumber, customerId, currency, lines, issueDate, reservationId }),
    );
    if (differing.length === 0) return [];
    throw new InvoiceAlreadyIssuedError(invoice.invoiceId, differing);
  }

  if (!isCurrencyCode(currency)) throw new UnknownCurrencyError(currency);
  const dated = bookingDateVerdict(issueDate, openDay, backdatingReason);
  if (!dated.ok) throw new IssueDateRefusedError(issueDate, dated);
  if (lines.length === 0) throw new InvoiceWithoutLinesError();
  lines.forEach((line, index) => {
    for (const field of ['netAmount', 'taxAmount'] as const) {
      if (line[field].currency !== currency)
        throw new CurrencyMismatchError(currency, line[field].currency, `lines[${index}].${field}`, 'the invoice currency');
    }
  });
  const total = sum(
    lines.map((line) => add(line.netAmount, line.taxAmount)),
    currency,
  );
  if (total.amountMinor <= 0n) throw new InvoiceTotalNotPositiveError(total.amountMinor);
  if (!isWithinAmountBound(total)) throw new InvoiceTotalTooLargeError(total.amountMinor);

  const { contract = null } = command.data;
  if (contract === null && paymentTerms === null) throw new PaymentTermsUnknownError(customerId);
  if (contract !== null && contract.customerId !== customerId) throw new ContractOfOtherCustomerError(contract.contractId, customerId);
  if (reservationId !== null) requireReservationToBill(reservationId, reservation, customerId, invoiceId);
  // The contract's terms when it names one, else the credit policy's (net days and a discount).
  const rule: PaymentTermsRule =
    contract !== null ? contract.paymentTerms : { kind: 'net', netDays: (paymentTerms as PaymentTerms).netDays };
  const discount = contract !== null ? contract.earlyPaymentDiscount : ((paymentTerms as PaymentTerms).earlyPaymentDiscount ?? null);
  if (rule.kind === 'net' && (!Number.isSafeInteger(rule.netDays) || rule.netDays < 0)) {
    throw new InvalidPaymentTermsError(`net days must be a whole number >= 0, not ${rule.netDays}`);
  }
  if (contract === null && discount !== null) {
    const { withinDays } = discount;
    const netDays = rule.kind === 'net' ? rule.netDays : 0;
    if (!Number.isSafeInteger(withinDays) || withinDays < 0 || withinDays > netDays) {
      throw new InvalidPaymentTermsError(`the discount window must be 0 to ${netDays} days (the net term), not ${withinDays}`);
    }
  }
  checkPaymentTerms(rule, discount);
  const dueItems = dueItemsFor(rule, issueDate, total);
  const offer = discount === null ? null : discountFor(discount, issueDate, total);

  const data: InvoiceIssuedData = {
    invoiceId,
    invoiceNumber,
    customerId,
    currency,
    lines: lines.map((line) => ({ description: line.description, netAmount: toJson(line.netAmount), taxAmount: toJson(line.taxAmount) })),
    total: toJson(total),
    issueDate,
    dueDate: dueItems[dueItems.length - 1]?.dueDate ?? issueDate,
    earlyPaymentDiscount:
      offer === null ? null : { basisPoints: offer.basisPoints, payBy: offer.payBy, discountedAmount: toJson(offer.discountedAmount) },
    reservationId,
    // Only on a back-dated invoice: every other InvoiceIssued stays exactly as before the field existed.
    ...(dated.backdated ? { backdatingReason } : {}),
    // Only when the terms split the invoice; one due item is the due date and the total, as before.
    ...(dueItems.length > 1
      ? { dueItems: dueItems.map((item) => ({ sequence: item.sequence, dueDate: item.dueDate, amount: toJson(item.amount) })) }
      : {}),
    ...(contract !== null ? { contractId: contract.contractId } : {}),
  };
  if (contract === null) return [{ type: 'InvoiceIssued', data }];
  const terms: InvoiceTermsEvent = {
    type: 'InvoiceTermsRecorded',
    data: {
      invoiceId,
      contractId: contract.contractId,
      lateInterest: contract.lateInterest,
      fixedCompensation: contract.fixedCompensation === null ? null : toJson(contract.fixedCompensation),
      interestCharging: contract.interestCharging,
    },
  };
  return [{ type: 'InvoiceIssued', data }, terms];
}
