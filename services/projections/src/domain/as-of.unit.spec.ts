import { parseBusinessDate } from '@arc/clock';
import { parseMajor, toJson } from '@arc/money';
import { customerAging } from './aging';
import type { AgingBucketSet } from './aging-buckets';
import { foldLedger, openBalance, type LedgerEvent } from './ar-ledger.projection';
import { ledgerAsOf, movementOf, resolveReductionDates, type LedgerMovement } from './as-of';
import {
  CUSTOMER,
  INVOICE,
  INVOICE_2,
  PAYMENT,
  creditNoteIssued,
  invoiceIssued,
  paymentAllocated,
  paymentAllocationReduced,
} from './testing/events';

const d = parseBusinessDate;
const eur = (major: string) => parseMajor(major, 'EUR');
const eurJson = (major: string) => toJson(eur(major));

/** The live rows and the dated movements of a list of events, each event id its index. */
function history(events: LedgerEvent[]): { rows: ReturnType<typeof foldLedger>; movements: LedgerMovement[] } {
  const movements = events.map((e, i) => movementOf(`e${i}`, e)).filter((m): m is LedgerMovement => m !== null);
  return { rows: foldLedger(events), movements };
}

describe('ledger as of a past business date', () => {
  const events: LedgerEvent[] = [
    invoiceIssued({ amount: '1000.00', issueDate: '2026-01-01', dueDate: '2026-01-31' }),
    paymentAllocated('400.00', { allocatedOn: '2026-02-10' }),
    creditNoteIssued('100.00', { issueDate: '2026-02-20' }),
    invoiceIssued({ invoiceId: INVOICE_2, invoiceNumber: 'INV-2', amount: '500.00', issueDate: '2026-02-15', dueDate: '2026-03-17' }),
  ];
  const { rows, movements } = history(events);

  it('leaves out payments and credit notes dated after the date: an invoice paid later is still open that day', () => {
    const [row] = ledgerAsOf(rows.values(), movements, d('2026-02-09'));
    expect(row === undefined ? null : openBalance(row)).toEqual(eur('1000.00'));
    const [later] = ledgerAsOf(rows.values(), movements, d('2026-02-10'));
    expect(later === undefined ? null : openBalance(later)).toEqual(eur('600.00'));
  });

  it('leaves out invoices issued after the date', () => {
    expect(ledgerAsOf(rows.values(), movements, d('2026-02-14')).map((r) => r.invoiceId)).toEqual([INVOICE]);
    expect(ledgerAsOf(rows.values(), movements, d('2026-02-15')).map((r) => r.invoiceId)).toEqual([INVOICE, INVOICE_2]);
  });

  it('equals the live rows once every movement is dated on or before the date', () => {
    expect(ledgerAsOf(rows.values(), movements, d('2026-12-31'))).toEqual([...rows.values()]);
  });

  it('ages a past date from the balances of that date: 9 days past due and paid in part the next day shows in full in 1-30 that day', () => {
    const [aging] = customerAging(CUSTOMER, ledgerAsOf(rows.values(), movements, d('2026-02-09')), d('2026-02-09'));
    expect(aging?.buckets.map((b) => [b.label, b.amount.amountMinor])).toEqual([
      ['1-30', 100000n],
      ['31-60', 0n],
      ['61-90', 0n],
      ['90+', 0n],
    ]);
  });

  it('dates a reduction with its allocation, whichever arrives first', () => {
    const reduction = movementOf('r', paymentAllocationReduced('50.00'));
    const allocation = movementOf('a', paymentAllocated('450.00', { allocatedOn: '2026-02-10', paymentId: PAYMENT }));
    if (reduction === null || allocation === null) throw new Error('no movement');
    expect(resolveReductionDates([reduction, allocation]).map((m) => m.effectiveOn)).toEqual(['2026-02-10', '2026-02-10']);
    expect(resolveReductionDates([reduction]).map((m) => m.effectiveOn)).toEqual([null]);
  });
});

describe('aging bucket sets by invoice date', () => {
  const byInvoiceDate: AgingBucketSet = {
    id: 'invoice-age',
    basis: 'invoice-date',
    buckets: [
      { label: '0-60', upTo: { days: 60 } },
      { label: '61+', upTo: null },
    ],
  };

  it('keeps items not yet due apart and ages overdue items from their invoice date, so the open total is the same', () => {
    const rows = foldLedger([
      invoiceIssued({ amount: '1000.00', issueDate: '2026-01-01', dueDate: '2026-01-31' }),
      invoiceIssued({ invoiceId: INVOICE_2, invoiceNumber: 'INV-2', amount: '500.00', issueDate: '2026-03-01', dueDate: '2026-03-31' }),
    ]);
    const [byDue] = customerAging(CUSTOMER, rows.values(), d('2026-03-10'));
    const [byIssue] = customerAging(CUSTOMER, rows.values(), d('2026-03-10'), byInvoiceDate);
    // 2026-03-10 − 2026-01-01 = 68 days since the invoice (38 past due)
    expect(byIssue?.buckets.map((b) => [b.label, b.amount.amountMinor])).toEqual([
      ['0-60', 0n],
      ['61+', 100000n],
    ]);
    expect(byIssue?.notYetDue).toEqual(eur('500.00'));
    expect(byIssue?.totalOpen).toEqual(byDue?.totalOpen);
  });
});

describe('the invoicing and payments events of issue 14 in the dated ledger', () => {
  const CN = 'd1b2c3d4-0000-4000-8000-0000000000aa';
  const dated = (events: { id: string; event: Parameters<typeof movementOf>[1] }[]) =>
    events.map(({ id, event }) => movementOf(id, event)).filter((m): m is LedgerMovement => m !== null);
  const issued = invoiceIssued({ amount: '1000.00', issueDate: '2026-01-01', dueDate: '2026-01-31' });
  const rows = foldLedger([issued]);
  const data = { customerId: CUSTOMER, invoiceId: INVOICE };

  it('reopens an invoice from the day its payment was reversed, not before: paid in between', () => {
    const movements = dated([
      { id: 'a', event: paymentAllocated('1000.00', { allocatedOn: '2026-02-01' }) },
      { id: 'r', event: paymentAllocationReduced('1000.00', { reason: 'payment-reversed' }) },
      {
        id: 'x',
        event: {
          type: 'PaymentReversed',
          data: {
            paymentId: PAYMENT,
            customerId: CUSTOMER,
            amount: eurJson('1000.00'),
            reversedOn: '2026-02-20',
            reason: 'cheque-bounced',
            note: null,
          },
        } as Parameters<typeof movementOf>[1],
      },
    ]);
    const open = (day: string) => ledgerAsOf(rows.values(), movements, d(day)).map((r) => openBalance(r).amountMinor);
    expect([open('2026-01-31'), open('2026-02-01'), open('2026-02-19'), open('2026-02-20')]).toEqual([[100000n], [0n], [0n], [100000n]]);
  });

  it('takes write-offs, recoveries, debit notes, discounts, cancellations and disputes at their dates', () => {
    const movements = dated([
      {
        id: 'd',
        event: {
          type: 'DebitNoteIssued',
          data: {
            ...data,
            debitNoteId: CN,
            debitNoteNumber: 'DN-1',
            kind: 'late-interest',
            amount: eurJson('50.00'),
            issueDate: '2026-03-01',
            dueDate: '2026-03-31',
            reason: 'interest',
            lateInterest: null,
          },
        } as never,
      },
      {
        id: 'p',
        event: {
          type: 'DisputeRaised',
          data: {
            ...data,
            disputeId: CN,
            amount: eurJson('200.00'),
            wholeInvoice: false,
            dueSequence: null,
            reasonCode: 'pricing',
            note: 'n',
            evidenceRefs: [],
            raisedOn: '2026-03-05',
          },
        } as never,
      },
      {
        id: 'w',
        event: {
          type: 'InvoiceWrittenOff',
          data: {
            ...data,
            writeOffId: CN,
            amount: eurJson('300.00'),
            writtenOffOn: '2026-03-10',
            requestedBy: 'a',
            approvedBy: 'b',
            signedOffBy: 'c',
            reason: 'insolvent',
          },
        } as never,
      },
      {
        id: 'v',
        event: {
          type: 'WriteOffRecovered',
          data: { ...data, paymentId: PAYMENT, amount: eurJson('100.00'), recoveredOn: '2026-03-20' },
        } as never,
      },
    ]);
    const at = (day: string) => {
      const [row] = ledgerAsOf(rows.values(), movements, d(day));
      if (row === undefined) throw new Error('no row');
      return [openBalance(row).amountMinor, row.disputed.amountMinor, row.writtenOff.amountMinor, row.debitNoted.amountMinor];
    };
    expect(at('2026-02-28')).toEqual([100000n, 0n, 0n, 0n]);
    expect(at('2026-03-01')).toEqual([105000n, 0n, 0n, 5000n]);
    expect(at('2026-03-05')).toEqual([105000n, 20000n, 0n, 5000n]);
    expect(at('2026-03-10')).toEqual([75000n, 20000n, 30000n, 5000n]);
    expect(at('2026-03-20')).toEqual([85000n, 20000n, 20000n, 5000n]);
  });

  it('a discount taken lowers the balance like a credit note, a cancellation voids it', () => {
    const discount = dated([
      {
        id: 't',
        event: {
          type: 'PaymentDiscountTaken',
          data: { ...data, paymentId: PAYMENT, discount: eurJson('20.00'), basisPoints: 200, payBy: '2026-01-10', takenOn: '2026-01-09' },
        } as never,
      },
      {
        id: 'c',
        event: {
          type: 'InvoiceCancelled',
          data: { ...data, amount: eurJson('1000.00'), cancelledOn: '2026-01-15', reason: 'duplicate' },
        } as never,
      },
    ]);
    const open = (day: string) => ledgerAsOf(rows.values(), discount, d(day)).map((r) => openBalance(r).amountMinor);
    expect([open('2026-01-08'), open('2026-01-09'), open('2026-01-15')]).toEqual([[100000n], [98000n], [0n]]);
  });
});
