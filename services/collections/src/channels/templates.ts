/*
 * The texts a dunning step sends, rendered from its template with the customer's open items: a plain-text
 * and an HTML part. Pure: no I/O, so the outbox stores exactly what will be sent.
 */
import type { DunningStepExecutedData } from '@arc/contracts';
import { formatMoney } from '@arc/documents';
import { money, type Money } from '@arc/money';
import type { DunningOpenItem, DunningTemplate } from '../domain';

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
}

export interface MessageContext {
  step: DunningStepExecutedData;
  customerName: string;
  contactName: string | null;
  /** Every item of the customer still open on the day of the run. */
  openItems: readonly DunningOpenItem[];
}

const WORDING: Record<DunningTemplate, { subject: string; opening: string; closing: string }> = {
  'pre-due-reminder': {
    subject: 'Upcoming payment: invoice {invoice} due {due}',
    opening: 'This is a courtesy reminder that invoice {invoice} of {amount} falls due on {due}.',
    closing: 'If you have already arranged payment, please disregard this message.',
  },
  'friendly-reminder': {
    subject: 'Payment reminder: invoice {invoice} is overdue',
    opening: 'Our records show that invoice {invoice} ({amount} open) was due on {due} and has not been paid yet.',
    closing: 'Please arrange payment at your earliest convenience, or tell us if anything is wrong with the invoice.',
  },
  'call-task': {
    subject: 'Call the customer about invoice {invoice}',
    opening: 'Invoice {invoice} ({amount} open) is {days} days past due: call the customer.',
    closing: 'Record the outcome of the call in the case activity log.',
  },
  'demand-letter': {
    subject: 'Formal demand for payment: invoice {invoice}',
    opening: 'Despite our reminders, invoice {invoice} of {amount}, due on {due}, remains unpaid.',
    closing: 'We demand payment within 10 days of this notice. Without payment we will suspend deliveries and take further steps.',
  },
  'credit-hold-notice': {
    subject: 'Your account is on credit hold: invoice {invoice}',
    opening: 'Because invoice {invoice} ({amount}) is {days} days overdue, your account has been put on credit hold.',
    closing: 'Orders will be released once the overdue amount is paid.',
  },
  'lawyer-letter': {
    subject: 'Final notice before legal action: invoice {invoice}',
    opening: 'Invoice {invoice} of {amount}, due on {due}, is still unpaid. The matter is being passed to our lawyers.',
    closing: 'Only immediate payment can avoid legal action and its costs.',
  },
  'agency-handover': {
    subject: 'Your debt is handed to a collection agency: invoice {invoice}',
    opening: 'Invoice {invoice} of {amount} remains unpaid {days} days after its due date and is handed over to a collection agency.',
    closing: 'Please contact the agency to settle the debt.',
  },
};

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** `EUR 10,000.00`: the exact amount, thousands grouped for reading. */
const amountOf = formatMoney;

/** The filled-in wording of a template for a step: what an e-mail and a PDF letter both say. */
export interface DunningWording {
  subject: string;
  greeting: string;
  opening: string;
  closing: string;
}

export function dunningWording(template: DunningTemplate, context: MessageContext): DunningWording {
  const { step } = context;
  const wording = WORDING[template];
  const stepAmount = money(BigInt(step.openAmount.amountMinor), step.openAmount.currency);
  const values: Record<string, string> = {
    invoice:
      step.debitNoteId != null
        ? `${step.invoiceNumber} (debit note ${step.debitNoteNumber ?? step.debitNoteId})`
        : step.dueSequence != null
          ? `${step.invoiceNumber} (instalment ${step.dueSequence})`
          : step.invoiceNumber,
    amount: amountOf(stepAmount),
    due: step.dueDate,
    days: String(Math.max(0, step.offsetDays)),
  };
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
  return {
    subject: fill(wording.subject),
    greeting: `Dear ${context.contactName ?? context.customerName},`,
    opening: fill(wording.opening),
    closing: fill(wording.closing),
  };
}

/** How an item is named in the list: the invoice number, and the instalment when the invoice is split, or the debit note. */
export const itemLabel = (i: Pick<DunningOpenItem, 'invoiceNumber' | 'dueSequence' | 'debitNoteId' | 'debitNoteNumber'>): string =>
  i.debitNoteId != null
    ? `${i.invoiceNumber} debit note ${i.debitNoteNumber ?? i.debitNoteId}`
    : i.dueSequence != null
      ? `${i.invoiceNumber} #${i.dueSequence}`
      : i.invoiceNumber;

/** Every open item's amount added up per currency. */
export function openTotals(items: readonly DunningOpenItem[]): Money[] {
  const totals = new Map<string, bigint>();
  for (const item of items) totals.set(item.open.currency, (totals.get(item.open.currency) ?? 0n) + item.open.amountMinor);
  return [...totals].map(([currency, minor]) => money(minor, currency));
}

export function renderDunningMessage(template: DunningTemplate, context: MessageContext): RenderedMessage {
  const { subject, greeting, opening, closing } = dunningWording(template, context);
  const items = context.openItems;
  const totalText = openTotals(items).map(amountOf).join(', ');

  const lines = items.map((i) => `  ${itemLabel(i).padEnd(20)} due ${i.dueDate}   ${amountOf(i.open).padStart(20)}`);
  const text = [
    greeting,
    '',
    opening,
    '',
    `Your open items (${context.customerName}):`,
    ...lines,
    `  ${'Total open'.padEnd(34)} ${totalText.padStart(20)}`,
    '',
    closing,
    '',
    'Accounts Receivable',
  ].join('\n');

  const rows = items
    .map(
      (i) =>
        `<tr><td>${escapeHtml(itemLabel(i))}</td><td>${i.dueDate}</td><td style="text-align:right">${escapeHtml(amountOf(i.open))}</td></tr>`,
    )
    .join('');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(opening)}</p>`,
    `<table><thead><tr><th>Invoice</th><th>Due</th><th>Open</th></tr></thead><tbody>${rows}</tbody>`,
    `<tfoot><tr><td colspan="2">Total open</td><td style="text-align:right">${escapeHtml(totalText)}</td></tr></tfoot></table>`,
    `<p>${escapeHtml(closing)}</p>`,
    '<p>Accounts Receivable</p>',
  ].join('\n');
  return { subject, text, html };
}
