import { FALLING_DUE_HORIZONS, observe } from './metrics';
import { daysPastDue, fallingDue, invoicesBehind, type OpenInvoice } from './invoices';

const invoice = (invoiceNumber: string, dueDate: string, open: bigint, currency = 'EUR'): OpenInvoice => ({
  invoiceId: `id-${invoiceNumber}`,
  invoiceNumber,
  currency,
  dueDate,
  open,
});

describe('the invoices behind an alert and the amount falling due', () => {
  const asOf = '2026-04-15';
  const open = [
    invoice('INV-3', '2026-04-20', 500n), // due in 5 days
    invoice('INV-1', '2026-01-10', 300n), // 95 days past due
    invoice('INV-2', '2026-04-01', 200n), // 14 days past due
    invoice('INV-4', '2026-05-15', 700n), // due in 30 days
    invoice('INV-5', '2026-04-01', 900n, 'USD'), // another currency: never listed with EUR figures
    invoice('INV-6', '2026-04-10', 0n), // paid: owes nothing
  ];

  it('counts days past due from the due date: positive after it, negative before', () => {
    expect(daysPastDue('2026-03-01', '2026-04-15')).toBe(45);
    expect(daysPastDue('2026-04-20', '2026-04-15')).toBe(-5);
    expect(daysPastDue('2026-04-15', '2026-04-15')).toBe(0);
  });

  it('lists the overdue invoices in the threshold currency behind an overdue amount, oldest due first', () => {
    expect(invoicesBehind('customer-overdue-amount', open, asOf, 'EUR')?.map((i) => [i.invoiceNumber, i.daysPastDue])).toEqual([
      ['INV-1', 95],
      ['INV-2', 14],
    ]);
  });

  it('lists only invoices more than 90 days past due behind the 90+ amount', () => {
    expect(invoicesBehind('customer-overdue-90-plus', open, asOf, 'EUR')?.map((i) => i.invoiceNumber)).toEqual(['INV-1']);
  });

  it('lists the invoices falling due within the horizon behind a falling-due amount, and sums them', () => {
    expect(invoicesBehind('customer-due-next-7-days', open, asOf, 'EUR')?.map((i) => i.invoiceNumber)).toEqual(['INV-3']);
    expect(invoicesBehind('customer-due-next-30-days', open, asOf, 'EUR')?.map((i) => i.invoiceNumber)).toEqual(['INV-3', 'INV-4']);
    expect(fallingDue(open, asOf, 'EUR')).toEqual({ 7: 500n, 14: 500n, 30: 1200n });
  });

  it('lists its own invoice behind an invoice-scope alert, and none behind a ratio', () => {
    expect(invoicesBehind('invoice-open-amount', open, asOf, 'EUR', 'id-INV-4')).toEqual([
      {
        invoiceId: 'id-INV-4',
        invoiceNumber: 'INV-4',
        dueDate: '2026-05-15',
        open: { amountMinor: '700', currency: 'EUR' },
        daysPastDue: -30,
      },
    ]);
    expect(invoicesBehind('customer-overdue-ratio', open, asOf, 'EUR')).toBeNull();
  });

  it('reads the invoice and falling-due figures only from their own figures', () => {
    const invoiceFigures = {
      type: 'InvoiceOpen' as const,
      data: { invoiceId: 'i', customerId: 'c', asOf, open: { amountMinor: '1500000', currency: 'EUR' } },
    };
    expect(observe('invoice-open-amount', invoiceFigures)).toEqual({
      unit: 'minor-units',
      amount: { amountMinor: 1_500_000n, currency: 'EUR' },
    });
    expect(observe('customer-due-next-7-days', invoiceFigures)).toBeUndefined();
    const dueWithin = {
      7: { amountMinor: '500', currency: 'EUR' },
      14: { amountMinor: '500', currency: 'EUR' },
      30: { amountMinor: '1200', currency: 'EUR' },
    };
    const due = { type: 'FallingDue' as const, data: { customerId: 'c', asOf, currency: 'EUR', dueWithin } };
    expect(observe('customer-due-next-30-days', due)).toEqual({ unit: 'minor-units', amount: { amountMinor: 1200n, currency: 'EUR' } });
    expect(Object.values(FALLING_DUE_HORIZONS)).toEqual([7, 14, 30]);
  });
});
