import { parseBusinessDate } from '@arc/clock';
import { parseMajor } from '@arc/money';
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
