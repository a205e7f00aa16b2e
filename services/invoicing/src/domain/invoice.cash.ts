/* Cash copied in from payments (allocations and their reductions), and InvoiceOverpaid for cash beyond the balance. */
import { addDays, type BusinessDate } from '@arc/clock';
import type { InvoicingEvent } from '@arc/contracts';
import { isPositive, min, subtract, toJson } from '@arc/money';
import { awaitedReturns, excessReturns, invoiceBalance } from '@arc/receivables';
import type { InvoiceCashEvent } from './invoice-cash.events';
import type { RecordAllocationReduction, RecordDiscount, RecordPaymentAllocation } from './invoice.commands';
import { InvoiceCashMismatchError, InvoiceNotIssuedError } from './invoice.errors';
import { evolve } from './invoice.evolve';
import { chargeInterest, principalSettled } from './invoice.interest';
import { invoiceFigures, type Invoice, type InvoiceStreamEvent, type Issued } from './invoice.state';

/**
 * Cash beyond the balance, not yet asked back, becomes InvoiceOverpaid events (latest payments give back
 * first). Called after every change of the invoice's cash, so whatever the order of arrival the excess is
 * asked back exactly once.
 */
function overpayments(invoice: Issued): InvoicingEvent[] {
  const { excess } = invoiceBalance(invoiceFigures(invoice));
  const unrequested = subtract(excess, awaitedReturns([...invoice.payments.values()], invoice.currency));
  if (!isPositive(unrequested)) return [];
  return excessReturns(unrequested, [...invoice.payments.values()]).map((part) => ({
    type: 'InvoiceOverpaid' as const,
    data: { invoiceId: invoice.invoiceId, customerId: invoice.customerId, paymentId: part.paymentId, excess: toJson(part.amount) },
  }));
}

function requireCash(invoice: Invoice, command: RecordPaymentAllocation | RecordAllocationReduction | RecordDiscount): Issued {
  // Payments allocates only to invoices it saw issued, which this store held first: anything else is a producer bug.
  if (invoice.status !== 'issued') throw new InvoiceNotIssuedError(command.type);
  const { customerId } = command.data;
  const amount = command.type === 'RecordDiscount' ? command.data.discount : command.data.amount;
  if (customerId !== invoice.customerId || amount.currency !== invoice.currency || !isPositive(amount)) {
    throw new InvoiceCashMismatchError(invoice.invoiceId, command.type, command.data.sourceEventId);
  }
  return invoice;
}

export function recordPaymentAllocation(command: RecordPaymentAllocation, state: Invoice): InvoiceStreamEvent[] {
  const invoice = requireCash(state, command);
  const { sourceEventId, paymentId, amount, allocatedOn } = command.data;
  if (invoice.cashEventsSeen.has(sourceEventId)) return [];
  const recorded: InvoiceCashEvent = {
    type: 'PaymentAllocationRecorded',
    data: { invoiceId: invoice.invoiceId, sourceEventId, paymentId, amount: toJson(amount), allocatedOn },
  };
  const events: InvoiceStreamEvent[] = [recorded];
  let after = evolve(invoice, recorded) as Issued;
  const recovery = recoveryOf(after, paymentId, allocatedOn);
  if (recovery !== null) {
    events.push(recovery);
    after = evolve(after, recovery) as Issued;
  }
  const { interestDebitNoteIds = null } = command.data;
  // 'on-settlement': the interest accrued is charged when the principal is settled, never dropped with it.
  if (interestDebitNoteIds !== null && after.interest.charging === 'on-settlement' && principalSettled(after)) {
    const day = (allocatedOn < after.issueDate ? after.issueDate : allocatedOn) as BusinessDate;
    for (const charge of chargeInterest(after, interestDebitNoteIds, day, addDays(day, INTEREST_DEBIT_NOTE_DAYS))) {
      events.push(charge);
      after = evolve(after, charge) as Issued;
    }
  }
  return [...events, ...overpayments(after)];
}

/** Days a debit note invoicing raises itself (interest, compensation) gives the customer to pay. */
export const INTEREST_DEBIT_NOTE_DAYS = 30;

/**
 * Cash beyond the balance of an invoice with debt written off recovers that debt first (written-off goes
 * down, the cash is applied); only what is beyond that is an overpayment.
 */
function recoveryOf(invoice: Issued, paymentId: string, allocatedOn: string): InvoicingEvent | null {
  if (!isPositive(invoice.writtenOff)) return null;
  const { excess } = invoiceBalance(invoiceFigures(invoice));
  const unrequested = subtract(excess, awaitedReturns([...invoice.payments.values()], invoice.currency));
  if (!isPositive(unrequested)) return null;
  const amount = min(unrequested, invoice.writtenOff);
  return {
    type: 'WriteOffRecovered',
    data: { invoiceId: invoice.invoiceId, customerId: invoice.customerId, paymentId, amount: toJson(amount), recoveredOn: allocatedOn },
  };
}

export function recordAllocationReduction(command: RecordAllocationReduction, state: Invoice): InvoiceStreamEvent[] {
  const invoice = requireCash(state, command);
  const { sourceEventId, paymentId, amount } = command.data;
  if (invoice.cashEventsSeen.has(sourceEventId)) return [];
  const recorded: InvoiceCashEvent = {
    type: 'AllocationReductionRecorded',
    data: { invoiceId: invoice.invoiceId, sourceEventId, paymentId, amount: toJson(amount) },
  };
  return [recorded, ...overpayments(evolve(invoice, recorded) as Issued)];
}

/**
 * An early-payment discount payments granted (the invoice's charge falls by it, like a credit note without a
 * document) or withdrew with the reversed payment that earned it (the charge rises again). It closes the invoice
 * for interest and dunning exactly as projections and credit count it; cash now beyond the charge is overpaid.
 */
export function recordDiscount(command: RecordDiscount, state: Invoice): InvoiceStreamEvent[] {
  const invoice = requireCash(state, command);
  const { sourceEventId, paymentId, discount, movement } = command.data;
  if (invoice.cashEventsSeen.has(sourceEventId)) return [];
  const recorded: InvoiceCashEvent = {
    type: movement === 'taken' ? 'DiscountTakenRecorded' : 'DiscountWithdrawalRecorded',
    data: { invoiceId: invoice.invoiceId, sourceEventId, paymentId, discount: toJson(discount) },
  };
  return [recorded, ...overpayments(evolve(invoice, recorded) as Issued)];
}
