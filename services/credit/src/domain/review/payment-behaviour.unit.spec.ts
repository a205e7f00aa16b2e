import { paymentBehaviour } from './payment-behaviour';

describe('payment behaviour for a periodic review', () => {
  it('has no history (nulls, so the model treats the customer as new) before anything falls due', () => {
    expect(paymentBehaviour([{ issueDate: '2026-01-05', dueDate: '2026-02-04', settledOn: null }], '2026-02-04')).toEqual({
      invoicesCounted: 0,
      onTimePaymentBasisPoints: null,
      averageDaysLate: null,
      averageDaysToPay: null,
      brokenPromises: null,
    });
  });

  it('counts an invoice paid on its due date as on time and one paid after as late by the days past due', () => {
    const figures = paymentBehaviour(
      [
        { issueDate: '2026-01-05', dueDate: '2026-02-04', settledOn: '2026-02-04' },
        { issueDate: '2026-01-10', dueDate: '2026-02-09', settledOn: '2026-02-20' },
      ],
      '2026-03-31',
    );
    // on time 1 of 2 = 5000 bp; days late (0 + 11) / 2 = 5.5 → 6 (half up); days to pay (30 + 41) / 2 = 35.5 → 36
    expect(figures).toMatchObject({ invoicesCounted: 2, onTimePaymentBasisPoints: 5000, averageDaysLate: 6, averageDaysToPay: 36 });
  });

  it('counts an invoice still open past its due date as late so far, and a payment after the review date as not yet made', () => {
    const figures = paymentBehaviour(
      [
        { issueDate: '2026-01-05', dueDate: '2026-02-04', settledOn: null },
        { issueDate: '2026-01-05', dueDate: '2026-02-04', settledOn: '2026-04-15' },
      ],
      '2026-03-06',
    );
    expect(figures).toMatchObject({ invoicesCounted: 2, onTimePaymentBasisPoints: 0, averageDaysLate: 30, averageDaysToPay: null });
  });

  it('rounds the on-time share down, never in the customer’s favour', () => {
    const paid = (settledOn: string) => ({ issueDate: '2026-01-01', dueDate: '2026-01-31', settledOn });
    expect(paymentBehaviour([paid('2026-01-30'), paid('2026-01-30'), paid('2026-02-02')], '2026-03-01').onTimePaymentBasisPoints).toBe(
      6666,
    );
  });
});
