/* IssueCreditNote: never more than the open balance by @arc/receivables' rule. */
import { isBefore, type BusinessDate } from '@arc/clock';
import type { InvoicingEvent } from '@arc/contracts';
import { toJson, type Money } from '@arc/money';
import { invoiceBalance } from '@arc/receivables';
import type { IssueCreditNote } from './invoice.commands';
import {
  CreditNoteAlreadyIssuedError,
  CreditNoteAmountNotPositiveError,
  CreditNoteBeforeInvoiceError,
  CreditNoteExceedsBalanceError,
  CurrencyMismatchError,
  InvoiceNotIssuedError,
} from './invoice.errors';
import { differingFields } from './invoice.issue';
import { invoiceFigures, type Invoice, type Issued } from './invoice.state';

function creditNoteContent(note: { creditNoteNumber: string; amount: Money; issueDate: string; reason: string }): Record<string, string> {
  return {
    creditNoteNumber: note.creditNoteNumber,
    amount: JSON.stringify(toJson(note.amount)),
    issueDate: note.issueDate,
    reason: note.reason,
  };
}

export function issueCreditNote(command: IssueCreditNote, state: Invoice): InvoicingEvent[] {
  if (state.status !== 'issued') throw new InvoiceNotIssuedError(command.type);
  const invoice: Issued = state;
  const { creditNoteId, creditNoteNumber, amount, reason, issueDate } = command.data;

  const earlier = invoice.creditNotes.get(creditNoteId);
  if (earlier !== undefined) {
    const differing = differingFields(creditNoteContent(earlier), creditNoteContent(command.data));
    if (differing.length === 0) return [];
    throw new CreditNoteAlreadyIssuedError(creditNoteId, differing);
  }

  if (amount.currency !== invoice.currency)
    throw new CurrencyMismatchError(invoice.currency, amount.currency, 'amount', 'the invoice currency');
  if (amount.amountMinor <= 0n) throw new CreditNoteAmountNotPositiveError(amount.amountMinor);
  if (isBefore(issueDate, invoice.issueDate as BusinessDate)) throw new CreditNoteBeforeInvoiceError(issueDate, invoice.issueDate);
  const balance = invoiceBalance(invoiceFigures(invoice));
  if (amount.amountMinor > balance.open.amountMinor) {
    throw new CreditNoteExceedsBalanceError(amount.amountMinor, balance.open.amountMinor, {
      total: invoice.total.amountMinor,
      applied: balance.applied.amountMinor,
      credited: invoice.credited.amountMinor,
    });
  }

  return [
    {
      type: 'CreditNoteIssued',
      data: {
        creditNoteId,
        creditNoteNumber,
        invoiceId: invoice.invoiceId,
        customerId: invoice.customerId,
        amount: toJson(amount),
        issueDate,
        reason,
      },
    },
  ];
}
