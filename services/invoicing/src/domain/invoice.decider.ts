/*
 * Invoice (stream `invoice-<invoiceId>`): one invoice as issued — lines, total, due date from the customer's
 * terms — the credit notes issued against it, and the cash the payments service allocated to it (copied in
 * from arc.payments.events by the payments consumer, see ./invoice-cash.events.ts).
 * The invariant it protects: the open balance (@arc/receivables: total − allocations − credit notes, never
 * below zero) is what a credit note may take off, no more. Cash that arrives beyond the balance (payments
 * allocated on a stale view while a credit note was in flight) is not a negative balance: the invoice
 * records InvoiceOverpaid for it, and the payments service puts it back on account (PaymentAllocationReduced).
 */
import { validated, InvoicingEvents, schemaVersionsOf } from '@arc/contracts';
import type { Decider } from '@arc/decider';
import { INVOICE_CASH_EVENT_VERSIONS } from './invoice-cash.events';
import { INVOICE_TERMS_EVENT_VERSIONS } from './invoice-terms.events';
import { cancelInvoice, issueDebitNote, raiseDispute, resolveDispute } from './invoice.dispute';
import { accrueLateInterest, chargeLateInterest } from './invoice.interest';
import { approveWriteOff, rejectWriteOff, requestWriteOff, signOffWriteOff } from './invoice.write-off';
import { recordAllocationReduction, recordDiscount, recordPaymentAllocation } from './invoice.cash';
import type { InvoiceCommand } from './invoice.commands';
import { issueCreditNote } from './invoice.credit-note';
import { evolve } from './invoice.evolve';
import { issueInvoice } from './invoice.issue';
import { initialState, type Invoice, type InvoiceStreamEvent } from './invoice.state';

export * from './invoice.commands';
export * from './invoice.state';
export { issueInvoice } from './invoice.issue';
export { issueCreditNote } from './invoice.credit-note';
export { recordAllocationReduction, recordDiscount, recordPaymentAllocation } from './invoice.cash';
export { evolve } from './invoice.evolve';
export { freeBalance } from './invoice.dispute';
export { INTEREST_DEBIT_NOTE_DAYS } from './invoice.cash';

function decideCommand(command: InvoiceCommand, invoice: Invoice): InvoiceStreamEvent[] {
  switch (command.type) {
    case 'IssueInvoice':
      return issueInvoice(command, invoice);
    case 'IssueCreditNote':
      return issueCreditNote(command, invoice);
    case 'RecordPaymentAllocation':
      return recordPaymentAllocation(command, invoice);
    case 'RecordAllocationReduction':
      return recordAllocationReduction(command, invoice);
    case 'RecordDiscount':
      return recordDiscount(command, invoice);
    case 'CancelInvoice':
      return cancelInvoice(command, invoice);
    case 'IssueDebitNote':
      return issueDebitNote(command, invoice);
    case 'AccrueLateInterest':
      return accrueLateInterest(command, invoice);
    case 'ChargeLateInterest':
      return chargeLateInterest(command, invoice);
    case 'RaiseDispute':
      return raiseDispute(command, invoice);
    case 'ResolveDispute':
      return resolveDispute(command, invoice);
    case 'RequestWriteOff':
      return requestWriteOff(command, invoice);
    case 'ApproveWriteOff':
      return approveWriteOff(command, invoice);
    case 'SignOffWriteOff':
      return signOffWriteOff(command, invoice);
    case 'RejectWriteOff':
      return rejectWriteOff(command, invoice);
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${(unknown as { type: string }).type}`);
    }
  }
}

const DECIDED_EVENT_CHECKS = {
  ...InvoicingEvents,
  PaymentAllocationRecorded: null,
  AllocationReductionRecorded: null,
  DiscountTakenRecorded: null,
  DiscountWithdrawalRecorded: null,
  InvoiceTermsRecorded: null,
  LateInterestAccrued: null,
} as const;

/**
 * Decides, then refuses anything its contract would not accept (`validated`); the cash events are private to
 * the invoice stream (routed to no topic, nothing outside invoicing reads them), so they need no check.
 */
export function decide(command: InvoiceCommand, invoice: Invoice): InvoiceStreamEvent[] {
  return validated<InvoiceStreamEvent>(DECIDED_EVENT_CHECKS, decideCommand(command, invoice));
}

export const invoiceDecider: Decider<InvoiceCommand, InvoiceStreamEvent, Invoice> = {
  initialState,
  decide,
  evolve,
  schemaVersions: { ...schemaVersionsOf(InvoicingEvents), ...INVOICE_CASH_EVENT_VERSIONS, ...INVOICE_TERMS_EVENT_VERSIONS },
};
