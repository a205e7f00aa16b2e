import { parseBusinessDate } from '@arc/clock';
import { CustomerAgingChanged } from '@arc/contracts';
import { parseMajor } from '@arc/money';
import { customerAging, ledgerRowAsOf, overdueAmount } from './aging';
import {
  bucketOf,
  daysPastDue,
  DEFAULT_BUCKET_SET,
  InvalidBucketSetError,
  isOverdue,
  MONTH_BUCKET_SET,
  NOT_YET_DUE,
  validateBucketSet,
} from './aging-buckets';
import { foldLedger, type ArLedgerRow } from './ar-ledger.projection';
import { agingChangedData } from './changes';
import { CUSTOMER, INVOICE_2, invoiceIssued, OTHER_CUSTOMER, paymentAllocated } from './testing/events';

const d = parseBusinessDate;
const eur = (major: string) => parseMajor(major, 'EUR');
const DUE = d('2026-01-31');

describe('as-of-date figures', () => {
  it('counts days past due as as-of date − due date, negative before the due date', () => {
    expect(daysPastDue(DUE, d('2026-02-15'))).toBe(15);
    expect(daysPastDue(DUE, d('2026-01-31'))).toBe(0);
    expect(daysPastDue(DUE, d('2026-01-20'))).toBe(-11);
  });

  it('is overdue only when the due date is before the as-of date (due today is not overdue)', () => {
    expect(isOverdue(DUE, d('2026-01-31'))).toBe(false);
    expect(isOverdue(DUE, d('2026-02-01'))).toBe(true);
  });

  it.each([
    ['2026-01-31', NOT_YET_DUE],
    ['2026-02-01', '1-30'],
    ['2026-03-02', '1-30'], // 30 days
    ['2026-03-03', '31-60'], // 31 days
    ['2026-04-01', '31-60'], // 60 days
    ['2026-04-02', '61-90'],
    ['2026-05-01', '61-90'], // 90 days
    ['2026-05-02', '90+'], // 91 days
    ['2030-01-01', '90+'],
  ])('puts an item due 2026-01-31 as of %s in the default bucket %s (1–30, 31–60, 61–90, 90+)', (asOf, bucket) => {
    expect(bucketOf(DUE, d(asOf), DEFAULT_BUCKET_SET)).toBe(bucket);
  });

  it.each([
    ['2026-01-31', NOT_YET_DUE],
    ['2026-02-01', '0-1m'],
    ['2026-02-28', '0-1m'], // 31 Jan + 1 month = 28 Feb (clamped)
    ['2026-03-01', '1-3m'],
    ['2026-04-30', '1-3m'], // + 3 months clamps to 30 Apr
    ['2026-05-01', '3-6m'],
    ['2026-07-31', '3-6m'],
    ['2026-08-01', '6m+'],
  ])('puts an item due 2026-01-31 as of %s in the month bucket %s (calendar months)', (asOf, bucket) => {
    expect(bucketOf(DUE, d(asOf), MONTH_BUCKET_SET)).toBe(bucket);
  });

  it('accepts the shipped bucket sets and refuses sets that leave an item without a bucket or in two', () => {
    expect(validateBucketSet(DEFAULT_BUCKET_SET)).toBe(DEFAULT_BUCKET_SET);
    expect(validateBucketSet(MONTH_BUCKET_SET)).toBe(MONTH_BUCKET_SET);
    const bad = [
      { id: 'x', buckets: [] },
      { id: 'x', buckets: [{ label: '1-30', upTo: { days: 30 } }] },
      {
        id: 'x',
        buckets: [
          { label: 'a', upTo: null },
          { label: 'b', upTo: null },
        ],
      },
      {
        id: 'x',
        buckets: [
          { label: 'a', upTo: { days: 30 } },
          { label: 'b', upTo: { days: 30 } },
          { label: 'c', upTo: null },
        ],
      },
      {
        id: 'x',
        buckets: [
          { label: 'a', upTo: { days: 30 } },
          { label: 'a', upTo: null },
        ],
      },
      {
        id: 'x',
        buckets: [
          { label: 'a', upTo: { days: 30 } },
          { label: 'b', upTo: { months: 3 } },
          { label: 'c', upTo: null },
        ],
      },
      { id: 'x', buckets: [{ label: NOT_YET_DUE, upTo: null }] },
    ];
    for (const set of bad) expect(() => validateBucketSet(set)).toThrow(InvalidBucketSetError);
  });

  it('gives a ledger row its open balance, status, days past due and bucket as of a date', () => {
    const rows = foldLedger([invoiceIssued(), paymentAllocated('10000.00')]);
    const row = rows.values().next().value as ArLedgerRow;
    expect(ledgerRowAsOf(row, d('2026-02-15'))).toEqual({
      openBalance: eur('50000.00'),
      status: 'partially-paid',
      daysPastDue: 15,
      overdue: true,
      bucket: '1-30',
    });
    expect(ledgerRowAsOf(row, d('2026-01-20'))).toMatchObject({ daysPastDue: -11, overdue: false, bucket: NOT_YET_DUE });
  });

  it('gives a paid row no bucket and does not call it overdue', () => {
    const row = foldLedger([invoiceIssued(), paymentAllocated('60000.00')])
      .values()
      .next().value as ArLedgerRow;
    expect(ledgerRowAsOf(row, d('2026-03-15'))).toMatchObject({ status: 'paid', overdue: false, bucket: null, daysPastDue: 43 });
  });
});

describe('aging per customer', () => {
  const rows = foldLedger([
    invoiceIssued(), // 60,000 due 2026-01-31
    paymentAllocated('10000.00'),
    invoiceIssued({ invoiceId: INVOICE_2, invoiceNumber: 'INV-2', amount: '700.00', dueDate: '2026-03-31' }),
    invoiceIssued({ invoiceId: 'e0000000-0000-4000-8000-000000000003', invoiceNumber: 'INV-3', amount: '5.00', dueDate: '2025-10-01' }),
    invoiceIssued({ invoiceId: 'e0000000-0000-4000-8000-000000000004', invoiceNumber: 'INV-4', amount: '5.00', dueDate: '2025-10-01' }),
    paymentAllocated('5.00', { invoiceId: 'e0000000-0000-4000-8000-000000000004' }), // paid: must not count
    invoiceIssued({ invoiceId: 'e0000000-0000-4000-8000-000000000005', customerId: OTHER_CUSTOMER, amount: '999.00' }),
  ]);

  it('totals the open balances > 0 per bucket, with every bucket present in the set order', () => {
    const [aging, ...others] = customerAging(CUSTOMER, rows.values(), d('2026-02-15'));
    expect(others).toHaveLength(0);
    expect(aging).toEqual({
      customerId: CUSTOMER,
      asOf: '2026-02-15',
      currency: 'EUR',
      bucketSetId: DEFAULT_BUCKET_SET.id,
      notYetDue: eur('700.00'),
      buckets: [
        { label: '1-30', amount: eur('50000.00') },
        { label: '31-60', amount: eur('0') },
        { label: '61-90', amount: eur('0') },
        { label: '90+', amount: eur('5.00') },
      ],
      overdue: eur('50005.00'),
      totalOpen: eur('50705.00'),
      oldestDaysPastDue: 137,
    });
  });

  it('sums overdue over whatever rows it is given (the portfolio here, other customer included)', () => {
    expect(overdueAmount(rows.values(), d('2026-02-15'), 'EUR')).toEqual(eur('51004.00'));
  });

  it('ages in the month set as well', () => {
    const [aging] = customerAging(CUSTOMER, rows.values(), d('2026-02-15'), MONTH_BUCKET_SET);
    expect(aging?.buckets).toEqual([
      { label: '0-1m', amount: eur('50000.00') },
      { label: '1-3m', amount: eur('0') },
      { label: '3-6m', amount: eur('5.00') },
      { label: '6m+', amount: eur('0') },
    ]);
  });

  it('moves with the business date alone, without any new transaction', () => {
    const [before] = customerAging(CUSTOMER, rows.values(), d('2026-01-20'));
    expect(before?.overdue).toEqual(eur('5.00'));
    expect(before?.notYetDue).toEqual(eur('50700.00'));
    const [after] = customerAging(CUSTOMER, rows.values(), d('2026-03-10'));
    expect(after?.buckets[1]).toEqual({ label: '31-60', amount: eur('50000.00') });
  });

  it('reports nothing for a customer never invoiced', () => {
    expect(customerAging('c0ffee00-0000-4000-8000-00000000ffff', rows.values(), d('2026-02-15'))).toEqual([]);
  });

  it('ages a fully paid customer to zeros rather than to nothing, so the change to zero is published', () => {
    const paid = foldLedger([invoiceIssued(), paymentAllocated('60000.00')]);
    const [aging, ...others] = customerAging(CUSTOMER, paid.values(), d('2026-02-15'));
    expect(others).toHaveLength(0);
    expect(aging).toMatchObject({ notYetDue: eur('0'), overdue: eur('0'), totalOpen: eur('0'), oldestDaysPastDue: null });
    expect(aging?.buckets.every((b) => b.amount.amountMinor === 0n)).toBe(true);
  });

  it('produces data the CustomerAgingChanged contract accepts', () => {
    for (const set of [DEFAULT_BUCKET_SET, MONTH_BUCKET_SET]) {
      const [aging] = customerAging(CUSTOMER, rows.values(), d('2026-02-15'), set);
      if (aging === undefined) throw new Error('no aging');
      expect(CustomerAgingChanged.validate(agingChangedData(aging))).toEqual({ ok: true, value: agingChangedData(aging) });
    }
  });
});
