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
  disputes: readonly OpenDispute[];
  cancelled: boolean;
}

/** The key a step is recorded under: the invoice, or the invoice's instalment. */
export const itemKey = (invoiceId: string, dueSequence: number | null | undefined): string =>
  dueSequence == null ? invoiceId : `${invoiceId}#${dueSequence}`;

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);

/** The items of the invoice still to be dunned, in due-date order (none when everything is settled or disputed). */
export function dunnedItems(balance: InvoiceBalance): DunningOpenItem[] {
  if (balance.cancelled) return [];
  const split = balance.dueItems !== null && balance.dueItems.length > 1;
  const items: DueItemFigure[] = split
    ? [...(balance.dueItems as DueItemFigure[])].sort((a, b) => a.sequence - b.sequence)
    : [{ sequence: 1, dueDate: balance.dueDate, amountMinor: balance.totalMinor }];
  const remaining = new Map<number, bigint>();
  let settled = balance.settledMinor > 0n ? balance.settledMinor : 0n;
  for (const item of items) {
    const taken = min(item.amountMinor, settled);
    settled -= taken;
    remaining.set(item.sequence, item.amountMinor - taken);
  }
  // A split invoice's total may differ from its instalments after credit notes or debit notes: what is left over
  // beyond the instalments is not dunned here (the last instalment carries its own amount only).
  const take = (sequence: number, amount: bigint): bigint => {
    const left = remaining.get(sequence) ?? 0n;
    const taken = min(left, amount);
    remaining.set(sequence, left - taken);
    return amount - taken;
  };
  for (const dispute of balance.disputes) {
    if (dispute.sequence !== null && split) {
      take(dispute.sequence, dispute.amountMinor);
      continue;
    }
    let left = dispute.amountMinor;
    for (const item of items) {
      if (left <= 0n) break;
      left = take(item.sequence, left);
    }
  }
  return items
    .filter((item) => (remaining.get(item.sequence) ?? 0n) > 0n)
    .map((item) => ({
      invoiceId: balance.invoiceId,
      invoiceNumber: balance.invoiceNumber,
      dueDate: item.dueDate,
      open: money(remaining.get(item.sequence) ?? 0n, balance.currency),
      dueSequence: split ? item.sequence : null,
    }));
}
