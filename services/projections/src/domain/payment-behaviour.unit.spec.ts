import { parseBusinessDate } from '@arc/clock';
import { CustomerPaymentBehaviourChanged } from '@arc/contracts';
import { paymentBehaviour, trendOf, type InvoicePayment } from './payment-behaviour';
import { CUSTOMER } from './testing/events';

const d = parseBusinessDate;
const invoice = (issueDate: string, dueDate: string, amountMinor: bigint, settledOn: string | null): InvoicePayment => ({
  issueDate: d(issueDate),
  dueDate: d(dueDate),
  amountMinor,
  settledOn: settledOn === null ? null : d(settledOn),
});

describe('payment behaviour per customer (the hand-computed example of docs/kpis.md)', () => {
  const invoices = [
    invoice('2026-04-01', '2026-05-01', 100000n, '2026-05-01'), // on time, 30 days to pay
    invoice('2026-04-15', '2026-05-15', 300000n, '2026-06-04'), // 20 days late, 50 days to pay
    invoice('2026-05-01', '2026-05-31', 200000n, null), // open, 30 days late so far
    invoice('2026-01-05', '2026-02-04', 400000n, '2026-02-04'), // on time, 30 days; not in the last 3 months
    invoice('2025-09-01', '2025-10-01', 100000n, '2025-11-30'), // 60 days late, 90 days; only in the last 12 months
    invoice('2025-01-01', '2025-01-31', 900000n, '2025-03-01'), // settled more than 12 months ago: nowhere
  ];
  const figures = paymentBehaviour(CUSTOMER, invoices, d('2026-06-30'));

  it('3 months: 3 counted, 2 settled; (30 + 50) / 2 = 40 days to pay; (20 × 3,000 + 30 × 2,000) / 6,000 = 20 days late; 1 / 3 on time', () => {
    expect(figures.windows[0]).toEqual({
      months: 3,
      invoicesCounted: 3,
      invoicesSettled: 2,
      averageDaysToPay: 40,
      weightedDaysLate: 20,
      onTimeRatioBasisPoints: 3333,
    });
  });

  it('6 months: 110 / 3 = 36.67 → 37 days to pay; 120,000 / 10,000 = 12 days late; 2 / 4 on time', () => {
    expect(figures.windows[1]).toEqual({
      months: 6,
      invoicesCounted: 4,
      invoicesSettled: 3,
      averageDaysToPay: 37,
      weightedDaysLate: 12,
      onTimeRatioBasisPoints: 5000,
    });
  });

  it('12 months: 200 / 4 = 50 days to pay; 180,000 / 11,000 = 16.36 → 16 days late; 2 / 5 on time; trend stable (20 vs 16)', () => {
    expect(figures.windows[2]).toEqual({
      months: 12,
      invoicesCounted: 5,
      invoicesSettled: 4,
      averageDaysToPay: 50,
      weightedDaysLate: 16,
      onTimeRatioBasisPoints: 4000,
    });
    expect(figures.trend).toBe('stable');
  });

  it('is what the CustomerPaymentBehaviourChanged contract accepts', () => {
    expect(CustomerPaymentBehaviourChanged.validate(figures)).toEqual({ ok: true, value: figures });
  });

  it('worsens when the last 3 months are more than 5 days later than the year, improves when more than 5 earlier', () => {
    const w = (months: 3 | 6 | 12, weightedDaysLate: number | null) => ({
      months,
      invoicesCounted: 1,
      invoicesSettled: 1,
      averageDaysToPay: 30,
      weightedDaysLate,
      onTimeRatioBasisPoints: 0,
    });
    expect(trendOf([w(3, 22), w(6, 0), w(12, 16)])).toBe('worsening');
    expect(trendOf([w(3, 21), w(6, 0), w(12, 16)])).toBe('stable');
    expect(trendOf([w(3, 10), w(6, 0), w(12, 16)])).toBe('improving');
    expect(trendOf([w(3, null), w(6, 0), w(12, 16)])).toBe('unknown');
  });

  it('has nothing to say about a customer without a counted invoice', () => {
    expect(paymentBehaviour(CUSTOMER, [], d('2026-06-30'))).toMatchObject({
      windows: [
        { months: 3, invoicesCounted: 0, averageDaysToPay: null, weightedDaysLate: null, onTimeRatioBasisPoints: null },
        { months: 6, invoicesCounted: 0 },
        { months: 12, invoicesCounted: 0 },
      ],
      trend: 'unknown',
    });
  });
});
