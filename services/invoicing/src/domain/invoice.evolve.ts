/* Folds the invoice stream's events into its state. Pure. */
import type { BusinessDate } from '@arc/clock';
import { discountedTotal, dueItemsOf } from '@arc/contracts';
import { add, max, money, parseMoney, subtract, zero, type CurrencyCode } from '@arc/money';
import type { PaymentShare } from '@arc/receivables';
import type { Invoice, InvoiceStreamEvent, Issued } from './invoice.state';
import { evolveReceivable } from './invoice.evolve-receivable';

function withShare(invoice: Issued, paymentId: string, update: (share: PaymentShare) => PaymentShare): ReadonlyMap<string, PaymentShare> {
  const nothing = zero(invoice.currency);
  const payments = new Map(invoice.payments);
  payments.set(paymentId, update(payments.get(paymentId) ?? { paymentId, allocated: nothing, returnRequested: nothing }));
  return payments;
}

export function evolve(invoice: Invoice, event: InvoiceStreamEvent): Invoice {
  switch (event.type) {
    case 'InvoiceIssued': {
      const d = event.data;
      const currency = d.currency as CurrencyCode;
      return {
        status: 'issued',
        invoiceId: d.invoiceId,
        invoiceNumber: d.invoiceNumber,
        customerId: d.customerId,
        currency,
        lines: d.lines.map((line, i) => ({
          description: line.description,
          netAmount: parseMoney(line.netAmount, `lines[${i}].netAmount`),
          taxAmount: parseMoney(line.taxAmount, `lines[${i}].taxAmount`),
        })),
        total: parseMoney(d.total, 'total'),
        issueDate: d.issueDate,
        dueDate: d.dueDate,
        earlyPaymentDiscount:
          d.earlyPaymentDiscount === null
            ? null
            : {
                basisPoints: d.earlyPaymentDiscount.basisPoints,
                payBy: d.earlyPaymentDiscount.payBy,
                // Events written before the field: the same rule the producer applies now.
                discountedAmount:
                  d.earlyPaymentDiscount.discountedAmount === undefined
                    ? money(discountedTotal(BigInt(d.total.amountMinor), d.earlyPaymentDiscount.basisPoints), currency)
                    : parseMoney(d.earlyPaymentDiscount.discountedAmount, 'discountedAmount'),
              },
        reservationId: d.reservationId,
        backdatingReason: d.backdatingReason ?? null,
        credited: zero(currency),
        creditNotes: new Map(),
        discounted: zero(currency),
        allocated: zero(currency),
        payments: new Map(),
        cashEventsSeen: new Set(),
        dueItems: dueItemsOf(d).map((item) => ({
          sequence: item.sequence,
          dueDate: item.dueDate as BusinessDate,
          amount: parseMoney(item.amount, 'dueItems.amount'),
        })),
        contractId: d.contractId ?? null,
        cancellation: null,
        debitNoted: zero(currency),
        debitNotes: new Map(),
        disputes: new Map(),
        writtenOff: zero(currency),
        recovered: zero(currency),
        writeOffs: new Map(),
        interest: {
          rule: null,
          fixedCompensation: null,
          charging: 'month-end',
          lastAccruedDay: null,
          accruedNumerator: 0n,
          chargedMinor: 0n,
          chargedNumerator: 0n,
          unchargedFrom: null,
          compensationCharged: false,
        },
      };
    }
    case 'CreditNoteIssued': {
      if (invoice.status !== 'issued') return invoice;
      const d = event.data;
      const amount = parseMoney(d.amount, 'amount');
      const creditNotes = new Map(invoice.creditNotes);
      creditNotes.set(d.creditNoteId, { creditNoteNumber: d.creditNoteNumber, amount, issueDate: d.issueDate, reason: d.reason });
      return { ...invoice, credited: add(invoice.credited, amount), creditNotes };
    }
    case 'PaymentAllocationRecorded': {
      if (invoice.status !== 'issued') return invoice;
      const d = event.data;
      const amount = parseMoney(d.amount, 'amount');
      return {
        ...invoice,
        allocated: add(invoice.allocated, amount),
        payments: withShare(invoice, d.paymentId, (share) => ({ ...share, allocated: add(share.allocated, amount) })),
        cashEventsSeen: new Set(invoice.cashEventsSeen).add(d.sourceEventId),
      };
    }
    case 'AllocationReductionRecorded': {
      if (invoice.status !== 'issued') return invoice;
      const d = event.data;
      const amount = parseMoney(d.amount, 'amount');
      const nothing = zero(invoice.currency);
      return {
        ...invoice,
        allocated: subtract(invoice.allocated, amount),
        // A reduction answers what was asked back first; what it gives back beyond that lowers nothing else.
        payments: withShare(invoice, d.paymentId, (share) => ({
          ...share,
          allocated: subtract(share.allocated, amount),
          returnRequested: max(subtract(share.returnRequested, amount), nothing),
        })),
        cashEventsSeen: new Set(invoice.cashEventsSeen).add(d.sourceEventId),
      };
    }
    case 'DiscountTakenRecorded':
    case 'DiscountWithdrawalRecorded': {
      if (invoice.status !== 'issued') return invoice;
      const discount = parseMoney(event.data.discount, 'discount');
      const discounted =
        event.type === 'DiscountTakenRecorded' ? add(invoice.discounted, discount) : subtract(invoice.discounted, discount);
      return { ...invoice, discounted, cashEventsSeen: new Set(invoice.cashEventsSeen).add(event.data.sourceEventId) };
    }
    case 'InvoiceOverpaid': {
      if (invoice.status !== 'issued') return invoice;
      const d = event.data;
      const excess = parseMoney(d.excess, 'excess');
      return {
        ...invoice,
        payments: withShare(invoice, d.paymentId, (share) => ({ ...share, returnRequested: add(share.returnRequested, excess) })),
      };
    }
    case 'InvoiceCancelled':
    case 'DebitNoteIssued':
    case 'DisputeRaised':
    case 'DisputeResolved':
    case 'WriteOffRequested':
    case 'WriteOffApproved':
    case 'WriteOffRejected':
    case 'InvoiceWrittenOff':
    case 'WriteOffRecovered':
    case 'InvoiceTermsRecorded':
    case 'LateInterestAccrued':
      return invoice.status === 'issued' ? evolveReceivable(invoice, event) : invoice;
    // Statements live on their own streams, never on an invoice's.
    case 'StatementIssued':
    case 'StatementConfirmed':
    case 'StatementObjected':
      return invoice;
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${(unknown as { type: string }).type}`);
    }
  }
}
