/*
 * What of an invoice is dunned: its due items (the instalments, or the invoice as one item) less what settled
 * them and less what is in dispute. Pure: the receivables view supplies the figures folded from invoicing's and
 * payments' events.
 *
 * - Settled money (payments allocated, credit notes, write-offs) settles the due items oldest first (lowest
 *   sequence first), as invoicing applies it.
 * - An open dispute on one instalment (`sequence`) takes its amount out of that instalment; a dispute on the
 *   invoice as a whole (`sequence` null) out of the oldest due items first. Resolved disputes are not passed in:
 *   rejected, the amount is collectable again; accepted, the credit note settles it.
 * - A cancelled invoice is dunned for nothing.
 */
import { money } from '@arc/money';
import type { DunningOpenItem } from './customer-dunning.decider';

export interface DueItemFigure {
  sequence: number;
  dueDate: string;
  amountMinor: bigint;
}

export interface OpenDispute {
  /** The instalment disputed; null: the invoice as a whole. */
  sequence: number | null;
  amountMinor: bigint;
}

/** A debit note on the invoice (late interest, fees): an item of its own, due on its own due date. */
export interface DebitNoteFigure {
  debitNoteId: string;
  number: string;
  dueDate: string;
  amountMinor: bigint;
}

export interface InvoiceBalance {
  invoiceId: string;
  invoiceNumber: string;
  currency: string;
  dueDate: string;
  totalMinor: bigint;
  /** Allocated payments + credit notes + written off. */
  settledMinor: bigint;
  /** The instalments; null (or one): the invoice is one due item. */
  dueItems: readonly DueItemFigure[] | null;
  /** Its debit notes (absent: none). */
  debitNotes?: readonly DebitNoteFigure[];
  disputes: readonly OpenDispute[];
  cancelled: boolean;
}

/** The key a step is recorded under: the invoice, the invoice's instalment, or a debit note on the invoice. */
export const itemKey = (invoiceId: string, dueSequence: number | null | undefined, debitNoteId?: string | null): string =>
  debitNoteId != null ? `${invoiceId}+${debitNoteId}` : dueSequence == null ? invoiceId : `${invoiceId}#${dueSequence}`;

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

interface Part {
  key: string;
  dueDate: string;
  amountMinor: bigint;
  /** The instalment, when the invoice is split. */
  sequence: number | null;
  debitNote: DebitNoteFigure | null;
}

/**
 * The items of the invoice still to be dunned, in due-date order (none when everything is settled or disputed).
 * Settled money covers the due items oldest due date first, the invoice's own before its debit notes on the same
 * date (the principal before the interest charged on it); a dispute on the whole invoice takes the invoice's own
 * items first, then its debit notes.
 */
export function dunnedItems(balance: InvoiceBalance): DunningOpenItem[] {
  if (balance.cancelled) return [];
  const split = balance.dueItems !== null && balance.dueItems.length > 1;
  const own: Part[] = (
    split
      ? [...(balance.dueItems as DueItemFigure[])].sort((a, b) => a.sequence - b.sequence)
      : [{ sequence: 1, dueDate: balance.dueDate, amountMinor: balance.totalMinor }]
  ).map((d) => ({
    key: itemKey(balance.invoiceId, split ? d.sequence : null),
    dueDate: d.dueDate,
    amountMinor: d.amountMinor,
    sequence: split ? d.sequence : null,
    debitNote: null,
  }));
  const notes: Part[] = (balance.debitNotes ?? []).map((n) => ({
    key: itemKey(balance.invoiceId, null, n.debitNoteId),
    dueDate: n.dueDate,
    amountMinor: n.amountMinor,
    sequence: null,
    debitNote: n,
  }));
  const byDueDate = [...own, ...notes].sort(
    (a, b) => a.dueDate.localeCompare(b.dueDate) || Number(a.debitNote !== null) - Number(b.debitNote !== null),
  );
  const remaining = new Map<string, bigint>();
  let settled = balance.settledMinor > 0n ? balance.settledMinor : 0n;
  for (const part of byDueDate) {
    const taken = min(part.amountMinor, settled);
    settled -= taken;
    remaining.set(part.key, part.amountMinor - taken);
  }
  // A split invoice's total may differ from its instalments after credit notes: what is left over beyond the
  // instalments is not dunned here (the last instalment carries its own amount only).
  const take = (key: string, amount: bigint): bigint => {
    const left = remaining.get(key) ?? 0n;
    const taken = min(left, amount);
    remaining.set(key, left - taken);
    return amount - taken;
  };
  for (const dispute of balance.disputes) {
    if (dispute.sequence !== null && split) {
      take(itemKey(balance.invoiceId, dispute.sequence), dispute.amountMinor);
      continue;
    }
    let left = dispute.amountMinor;
    for (const part of [...own, ...notes]) {
      if (left <= 0n) break;
      left = take(part.key, left);
    }
  }
  return byDueDate
    .filter((part) => (remaining.get(part.key) ?? 0n) > 0n)
    .map((part) => ({
      invoiceId: balance.invoiceId,
      invoiceNumber: balance.invoiceNumber,
      dueDate: part.dueDate,
      open: money(remaining.get(part.key) ?? 0n, balance.currency),
      dueSequence: part.sequence,
      ...(part.debitNote ? { debitNoteId: part.debitNote.debitNoteId, debitNoteNumber: part.debitNote.number } : {}),
    }));
}
