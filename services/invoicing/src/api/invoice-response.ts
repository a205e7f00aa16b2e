import { NotFoundException } from '@nestjs/common';
import { toJson, type MoneyJson } from '@arc/money';
import { balanceOf, type Invoice } from '../domain/invoice.decider';

export interface InvoiceResponse {
  invoiceId: string;
  number: string;
  customerId: string;
  currency: string;
  lines: Array<{ description: string; netAmount: MoneyJson; taxAmount: MoneyJson }>;
  /** Σ (net + tax) of the lines. */
  total: MoneyJson;
  /** Σ of the credit notes issued against it. */
  credited: MoneyJson;
  /** Σ cash the payments service allocated to it, net of what went back on account (as invoicing has learned it). */
  allocated: MoneyJson;
  /**
   * The open balance by the one rule (@arc/receivables): total − payments applied − credit notes, never below
   * zero. What a credit note may still take off. Cash beyond it is on its way back to the payer's account.
   */
  openBalance: MoneyJson;
  issueDate: string;
  dueDate: string;
  earlyPaymentDiscount: { basisPoints: number; payBy: string } | null;
  reservationId: string | null;
  /** Why it was dated on a business day already closed; null when it was not back-dated. */
  backdatingReason: string | null;
  creditNotes: Array<{ creditNoteId: string; number: string; amount: MoneyJson; issueDate: string; reason: string }>;
}

/** The invoice as the decider's state knows it; 404 when it was never issued. */
export function invoiceResponse(invoiceId: string, invoice: Invoice): InvoiceResponse {
  if (invoice.status !== 'issued') throw new NotFoundException(`no invoice ${invoiceId} was issued`);
  const balance = balanceOf(invoice);
  return {
    invoiceId: invoice.invoiceId,
    number: invoice.invoiceNumber,
    customerId: invoice.customerId,
    currency: invoice.currency,
    lines: invoice.lines.map((line) => ({
      description: line.description,
      netAmount: toJson(line.netAmount),
      taxAmount: toJson(line.taxAmount),
    })),
    total: toJson(invoice.total),
    credited: toJson(invoice.credited),
    allocated: toJson(invoice.allocated),
    openBalance: toJson(balance?.open ?? invoice.total),
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    earlyPaymentDiscount: invoice.earlyPaymentDiscount,
    reservationId: invoice.reservationId,
    backdatingReason: invoice.backdatingReason,
    creditNotes: [...invoice.creditNotes.entries()].map(([creditNoteId, note]) => ({
      creditNoteId,
      number: note.creditNoteNumber,
      amount: toJson(note.amount),
      issueDate: note.issueDate,
      reason: note.reason,
    })),
  };
}
