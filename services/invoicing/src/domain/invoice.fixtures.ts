import type { BusinessDate } from '@arc/clock';
import { InvoicingEvents, type InvoicingEvent } from '@arc/contracts';
import { given } from '@arc/decider/testing';
import { formatMajor, parseMajor, toJson, type Money } from '@arc/money';
import {
  balanceOf,
  invoiceDecider as decider,
  type Invoice,
  type IssueCreditNote,
  type IssueInvoice,
  type InvoiceStreamEvent,
  type RecordAllocationReduction,
  type RecordPaymentAllocation,
} from './invoice.decider';

/* Fixtures of the invoice decider's given/when/then tests (the acceptance invoice, its credit notes and cash). */
export const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';
export const INVOICE = '7f3c2a1e-4b5d-4c6e-8f90-123456789abc';
export const RESERVATION = 'a1b2c3d4-0000-4000-8000-000000000002';
export const CREDIT_NOTE_1 = 'd1b2c3d4-0000-4000-8000-000000000001';
export const CREDIT_NOTE_2 = 'd1b2c3d4-0000-4000-8000-000000000002';

export const eur = (major: string): Money => parseMajor(major, 'EUR');
export const eurJson = (major: string) => toJson(eur(major));
export const date = (text: string) => text as BusinessDate;

/** Every event a test expects (or gives as history) must pass its contract, or consumers would dead-letter it. */
export function valid<E extends InvoiceStreamEvent>(events: E[]): E[] {
  for (const event of events) {
    if (!Object.hasOwn(InvoicingEvents, event.type)) continue; // invoicing's private cash records have no contract
    const result = InvoicingEvents[event.type as InvoicingEvent['type']].validate(event.data);
    if (!result.ok) throw new Error(`${event.type} breaks its contract: ${result.problems.join('; ')}`);
  }
  return events;
}

export const given_ = (history: InvoiceStreamEvent[]) => given(decider, valid(history));
export const stateAfter = (history: InvoiceStreamEvent[]): Invoice => history.reduce(decider.evolve, decider.initialState);

// ---------------------------------------------------------------------------------------------- fixtures

/** The acceptance invoice: 60,000.00 (50,420.17 net + 9,579.83 tax) issued 2026-01-01, net 30. */
export const issue = (changes: Partial<IssueInvoice['data']> = {}): IssueInvoice => ({
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

export const issued = (changes: Partial<Extract<InvoicingEvent, { type: 'InvoiceIssued' }>['data']> = {}): InvoicingEvent => ({
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

export const creditNote = (creditNoteId: string, major: string, changes: Partial<IssueCreditNote['data']> = {}): IssueCreditNote => ({
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

export const creditNoteIssued = (creditNoteId: string, major: string): InvoicingEvent => ({
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

export const PAYMENT_1 = 'b1b2c3d4-0000-4000-8000-000000000001';
export const PAYMENT_2 = 'b1b2c3d4-0000-4000-8000-000000000002';
export const sourceId = (n: number) => `e0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

export const allocate = (
  n: number,
  paymentId: string,
  major: string,
  changes: Partial<RecordPaymentAllocation['data']> = {},
): RecordPaymentAllocation => ({
  type: 'RecordPaymentAllocation',
  data: { sourceEventId: sourceId(n), paymentId, customerId: CUSTOMER, amount: eur(major), allocatedOn: '2026-01-20', ...changes },
});

export const allocationRecorded = (n: number, paymentId: string, major: string): InvoiceStreamEvent => ({
  type: 'PaymentAllocationRecorded',
  data: { invoiceId: INVOICE, sourceEventId: sourceId(n), paymentId, amount: eurJson(major), allocatedOn: '2026-01-20' },
});

export const reduce = (n: number, paymentId: string, major: string): RecordAllocationReduction => ({
  type: 'RecordAllocationReduction',
  data: { sourceEventId: sourceId(n), paymentId, customerId: CUSTOMER, amount: eur(major) },
});

export const reductionRecorded = (n: number, paymentId: string, major: string): InvoiceStreamEvent => ({
  type: 'AllocationReductionRecorded',
  data: { invoiceId: INVOICE, sourceEventId: sourceId(n), paymentId, amount: eurJson(major) },
});

export const overpaid = (paymentId: string, major: string): InvoiceStreamEvent => ({
  type: 'InvoiceOverpaid',
  data: { invoiceId: INVOICE, customerId: CUSTOMER, paymentId, excess: eurJson(major) },
});

export const openBalance = (history: InvoiceStreamEvent[]): string => formatMajor(balanceOf(stateAfter(history))!.open);
