/* Folds the events of the receivable's later life (cancellation, debit notes, interest, disputes, write-offs). Pure. */
import { add, parseMoney, subtract } from '@arc/money';
import type { InvoiceTermsEvent } from './invoice-terms.events';
import type { Issued, InvoiceStreamEvent } from './invoice.state';

type ReceivableEvent = Extract<
  InvoiceStreamEvent,
  {
    type:
      | 'InvoiceCancelled'
      | 'DebitNoteIssued'
      | 'DisputeRaised'
      | 'DisputeResolved'
      | 'WriteOffRequested'
      | 'WriteOffApproved'
      | 'WriteOffRejected'
      | 'InvoiceWrittenOff'
      | 'WriteOffRecovered';
  }
>;

export function evolveReceivable(invoice: Issued, event: ReceivableEvent | InvoiceTermsEvent): Issued {
  switch (event.type) {
    case 'InvoiceCancelled':
      return { ...invoice, cancellation: { cancelledOn: event.data.cancelledOn, reason: event.data.reason } };
    case 'DebitNoteIssued': {
      const d = event.data;
      const amount = parseMoney(d.amount, 'amount');
      const debitNotes = new Map(invoice.debitNotes);
      debitNotes.set(d.debitNoteId, {
        debitNoteNumber: d.debitNoteNumber,
        kind: d.kind,
        amount,
        issueDate: d.issueDate,
        dueDate: d.dueDate,
        reason: d.reason,
      });
      const interest =
        d.kind === 'late-interest'
          ? {
              ...invoice.interest,
              chargedMinor: invoice.interest.chargedMinor + amount.amountMinor,
              chargedNumerator: invoice.interest.accruedNumerator,
              unchargedFrom: null,
            }
          : d.kind === 'fixed-compensation'
            ? { ...invoice.interest, compensationCharged: true }
            : invoice.interest;
      return { ...invoice, debitNoted: add(invoice.debitNoted, amount), debitNotes, interest };
    }
    case 'DisputeRaised': {
      const d = event.data;
      const disputes = new Map(invoice.disputes);
      disputes.set(d.disputeId, {
        amount: parseMoney(d.amount, 'amount'),
        wholeInvoice: d.wholeInvoice,
        reasonCode: d.reasonCode,
        note: d.note,
        raisedOn: d.raisedOn,
        status: 'open',
        acceptedAmount: null,
        creditNoteId: null,
        resolvedOn: null,
      });
      return { ...invoice, disputes };
    }
    case 'DisputeResolved': {
      const d = event.data;
      const dispute = invoice.disputes.get(d.disputeId);
      if (dispute === undefined) return invoice;
      const disputes = new Map(invoice.disputes);
      disputes.set(d.disputeId, {
        ...dispute,
        status: d.outcome,
        acceptedAmount: parseMoney(d.acceptedAmount, 'acceptedAmount'),
        creditNoteId: d.creditNoteId,
        resolvedOn: d.resolvedOn,
      });
      return { ...invoice, disputes };
    }
    case 'WriteOffRequested': {
      const d = event.data;
      const writeOffs = new Map(invoice.writeOffs);
      writeOffs.set(d.writeOffId, {
        amount: parseMoney(d.amount, 'amount'),
        reason: d.reason,
        requestedOn: d.requestedOn,
        requestedBy: d.requestedBy,
        status: 'requested',
        approvedBy: null,
        signedOffBy: null,
      });
      return { ...invoice, writeOffs };
    }
    case 'WriteOffApproved':
    case 'WriteOffRejected':
    case 'InvoiceWrittenOff': {
      const d = event.data;
      const writeOff = invoice.writeOffs.get(d.writeOffId);
      if (writeOff === undefined) return invoice;
      const writeOffs = new Map(invoice.writeOffs);
      if (event.type === 'WriteOffApproved')
        writeOffs.set(d.writeOffId, { ...writeOff, status: 'approved', approvedBy: event.data.approvedBy });
      else if (event.type === 'WriteOffRejected') writeOffs.set(d.writeOffId, { ...writeOff, status: 'rejected' });
      else {
        writeOffs.set(d.writeOffId, { ...writeOff, status: 'written-off', signedOffBy: event.data.signedOffBy });
        return { ...invoice, writeOffs, writtenOff: add(invoice.writtenOff, parseMoney(event.data.amount, 'amount')) };
      }
      return { ...invoice, writeOffs };
    }
    case 'WriteOffRecovered': {
      const amount = parseMoney(event.data.amount, 'amount');
      return { ...invoice, writtenOff: subtract(invoice.writtenOff, amount), recovered: add(invoice.recovered, amount) };
    }
    case 'InvoiceTermsRecorded': {
      const d = event.data;
      return {
        ...invoice,
        interest: {
          ...invoice.interest,
          rule: d.lateInterest,
          fixedCompensation: d.fixedCompensation === null ? null : parseMoney(d.fixedCompensation, 'fixedCompensation'),
          charging: d.interestCharging,
        },
      };
    }
    case 'LateInterestAccrued': {
      const d = event.data;
      return {
        ...invoice,
        interest: {
          ...invoice.interest,
          lastAccruedDay: d.day,
          accruedNumerator: invoice.interest.accruedNumerator + BigInt(d.numerator),
          unchargedFrom: invoice.interest.unchargedFrom ?? d.day,
        },
      };
    }
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${(unknown as { type: string }).type}`);
    }
  }
}
