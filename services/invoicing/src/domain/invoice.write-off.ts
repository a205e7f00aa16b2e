/*
 * Write-off of bad debt on an invoice. Pure.
 * Requested (collections or finance) for the open balance or part of it, approved by finance, signed off by
 * legal: two different subjects, whatever roles each holds (the API checks the roles, this the people).
 * Signed off, InvoiceWrittenOff takes the amount off the open balance. Cash that arrives afterwards beyond
 * the balance is a recovery (WriteOffRecovered, see ./invoice.cash.ts), not an overpayment.
 */
import { isPositive, toJson, type Money } from '@arc/money';
import { invoiceBalance } from '@arc/receivables';
import type { InvoicingEvent } from '@arc/contracts';
import type { ApproveWriteOff, RejectWriteOff, RequestWriteOff, SignOffWriteOff } from './invoice.commands';
import { CurrencyMismatchError } from './invoice.errors';
import { freeBalance, inForce } from './invoice.dispute';
import { invoiceFigures, type Invoice, type Issued, type WriteOff } from './invoice.state';
import {
  AmountExceedsOpenError,
  AmountNotPositiveError,
  IdReusedError,
  SameApproverError,
  WriteOffStepError,
  WriteOffUnknownError,
} from './receivable.errors';

function writeOffOf(invoice: Issued, writeOffId: string): WriteOff {
  const writeOff = invoice.writeOffs.get(writeOffId);
  if (writeOff === undefined) throw new WriteOffUnknownError(writeOffId);
  return writeOff;
}

export function requestWriteOff(command: RequestWriteOff, state: Invoice): InvoicingEvent[] {
  const invoice = inForce(state, command.type);
  const d = command.data;
  const earlier = invoice.writeOffs.get(d.writeOffId);
  if (earlier !== undefined) {
    if (d.amount === null || earlier.amount.amountMinor === d.amount.amountMinor) return [];
    throw new IdReusedError('write-off', d.writeOffId);
  }
  const free = freeBalance(invoice);
  const amount: Money = d.amount ?? free;
  if (amount.currency !== invoice.currency)
    throw new CurrencyMismatchError(invoice.currency, amount.currency, 'amount', 'the invoice currency');
  if (!isPositive(amount)) throw new AmountNotPositiveError('the amount to write off');
  if (amount.amountMinor > free.amountMinor) throw new AmountExceedsOpenError('the write-off', amount.amountMinor, free.amountMinor);
  return [
    {
      type: 'WriteOffRequested',
      data: {
        writeOffId: d.writeOffId,
        invoiceId: invoice.invoiceId,
        customerId: invoice.customerId,
        amount: toJson(amount),
        reason: d.reason,
        requestedOn: d.requestedOn,
        requestedBy: d.requestedBy,
      },
    },
  ];
}

export function approveWriteOff(command: ApproveWriteOff, state: Invoice): InvoicingEvent[] {
  const invoice = inForce(state, command.type);
  const d = command.data;
  const writeOff = writeOffOf(invoice, d.writeOffId);
  if (writeOff.status === 'approved' && writeOff.approvedBy === d.approvedBy) return [];
  if (writeOff.status !== 'requested') throw new WriteOffStepError(d.writeOffId, writeOff.status, command.type);
  return [
    {
      type: 'WriteOffApproved',
      data: {
        writeOffId: d.writeOffId,
        invoiceId: invoice.invoiceId,
        customerId: invoice.customerId,
        amount: toJson(writeOff.amount),
        approvedOn: d.approvedOn,
        approvedBy: d.approvedBy,
      },
    },
  ];
}

export function signOffWriteOff(command: SignOffWriteOff, state: Invoice): InvoicingEvent[] {
  const invoice = inForce(state, command.type);
  const d = command.data;
  const writeOff = writeOffOf(invoice, d.writeOffId);
  if (writeOff.status === 'written-off' && writeOff.signedOffBy === d.signedOffBy) return [];
  if (writeOff.status !== 'approved' || writeOff.approvedBy === null)
    throw new WriteOffStepError(d.writeOffId, writeOff.status, command.type);
  if (writeOff.approvedBy === d.signedOffBy) throw new SameApproverError(d.signedOffBy);
  // Cash or credit notes may have come since the request: never write off more than is still open.
  const open = invoiceBalance(invoiceFigures(invoice)).open;
  if (writeOff.amount.amountMinor > open.amountMinor) {
    throw new AmountExceedsOpenError('the write-off', writeOff.amount.amountMinor, open.amountMinor);
  }
  return [
    {
      type: 'InvoiceWrittenOff',
      data: {
        writeOffId: d.writeOffId,
        invoiceId: invoice.invoiceId,
        customerId: invoice.customerId,
        amount: toJson(writeOff.amount),
        writtenOffOn: d.signedOffOn,
        requestedBy: writeOff.requestedBy,
        approvedBy: writeOff.approvedBy,
        signedOffBy: d.signedOffBy,
        reason: writeOff.reason,
      },
    },
  ];
}

export function rejectWriteOff(command: RejectWriteOff, state: Invoice): InvoicingEvent[] {
  const invoice = inForce(state, command.type);
  const d = command.data;
  const writeOff = writeOffOf(invoice, d.writeOffId);
  if (writeOff.status === 'rejected') return [];
  const expected = d.step === 'finance-approval' ? 'requested' : 'approved';
  if (writeOff.status !== expected) throw new WriteOffStepError(d.writeOffId, writeOff.status, command.type);
  return [
    {
      type: 'WriteOffRejected',
      data: {
        writeOffId: d.writeOffId,
        invoiceId: invoice.invoiceId,
        customerId: invoice.customerId,
        rejectedOn: d.rejectedOn,
        rejectedBy: d.rejectedBy,
        step: d.step,
        reason: d.reason,
      },
    },
  ];
}
