/* The invoice's state as its events fold it, and its balance by @arc/receivables' one rule. */
import type { InvoicingEvent } from '@arc/contracts';
import { zero, type CurrencyCode, type Money } from '@arc/money';
import { invoiceBalance, type InvoiceBalance, type InvoiceFigures, type PaymentShare } from '@arc/receivables';
import type { InvoiceCashEvent } from './invoice-cash.events';
import type { InvoiceLine } from './invoice.commands';

export const invoiceStreamId = (invoiceId: string): string => `invoice-${invoiceId}`;

/** Everything the invoice stream holds: the published contract events and its private cash records. */
export type InvoiceStreamEvent = InvoicingEvent | InvoiceCashEvent;

export interface CreditNote {
  creditNoteNumber: string;
  amount: Money;
  issueDate: string;
  reason: string;
}

export type Invoice =
  | { status: 'not-issued' }
  | {
      status: 'issued';
      invoiceId: string;
      invoiceNumber: string;
      customerId: string;
      currency: CurrencyCode;
      lines: readonly InvoiceLine[];
      total: Money;
      issueDate: string;
      dueDate: string;
      earlyPaymentDiscount: { basisPoints: number; payBy: string } | null;
      reservationId: string | null;
      /** Why it was dated on a day already closed; null when it was not back-dated. */
      backdatingReason: string | null;
      /** Σ of the credit notes issued against it. */
      credited: Money;
      creditNotes: ReadonlyMap<string, CreditNote>;
      /** Σ cash allocated to it, net of reductions (as the payments service recorded them). */
      allocated: Money;
      /** Per payment, in the order their first allocation arrived: allocated and asked back (InvoiceOverpaid). */
      payments: ReadonlyMap<string, PaymentShare>;
      /** The payments events already copied in (so a redelivered one changes nothing). */
      cashEventsSeen: ReadonlySet<string>;
    };

export type Issued = Extract<Invoice, { status: 'issued' }>;

export const initialState: Invoice = { status: 'not-issued' };

/** The invoice's figures as the one rule (@arc/receivables) takes them. Write-offs and debit notes do not exist yet. */
export function invoiceFigures(invoice: Issued): InvoiceFigures {
  const nothing = zero(invoice.currency);
  return { amount: invoice.total, allocated: invoice.allocated, credited: invoice.credited, writtenOff: nothing, debitNoted: nothing };
}

/** Charged, applied, excess and open balance by the one rule; null before the invoice is issued. */
export function balanceOf(invoice: Invoice): InvoiceBalance | null {
  return invoice.status === 'issued' ? invoiceBalance(invoiceFigures(invoice)) : null;
}
