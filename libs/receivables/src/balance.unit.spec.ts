import fc from 'fast-check';
import { money, parseMajor, type Money } from '@arc/money';
import {
  excessAllocations,
  exposure,
  invoiceBalance,
  invoiceStatus,
  noFigures,
  openAr,
  openArDelta,
  openBalance,
  unappliedCash,
  type InvoiceFigures,
} from './balance';

const eur = (major: string): Money => parseMajor(major, 'EUR');
const figures = (
  amount: string | null,
  changes: Partial<Record<'allocated' | 'credited' | 'writtenOff' | 'debitNoted', string>> = {},
): InvoiceFigures => ({
  ...noFigures('EUR', amount === null ? null : eur(amount)),
  ...Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, eur(v)])),
});

describe('the open balance of an invoice', () => {
  it('is amount − allocations − credit notes − write-offs + debit notes', () => {
    expect(openBalance(figures('100.00', { allocated: '30.00', credited: '20.00', writtenOff: '5.00', debitNoted: '7.00' }))).toEqual(
      eur('52.00'),
    );
  });

  it('never goes below zero: allocations beyond the balance are excess (cash on account), and the invoice is paid', () => {
    const overpaid = figures('100.00', { credited: '100.00', allocated: '40.00' });
    expect(invoiceBalance(overpaid)).toEqual({ charged: eur('0.00'), applied: eur('0.00'), excess: eur('40.00'), open: eur('0.00') });
    expect(invoiceStatus(overpaid)).toBe('paid');
  });

  it('owes nothing while its amount has not arrived, and absorbs early allocations whole', () => {
    expect(invoiceBalance(figures(null, { allocated: '10.00' }))).toEqual({
      charged: eur('0.00'),
      applied: eur('10.00'),
      excess: eur('0.00'),
      open: eur('0.00'),
    });
    expect(invoiceStatus(figures(null))).toBe('not-issued');
  });

  it('is open, partially paid or paid by what is applied and what is left', () => {
    expect(invoiceStatus(figures('100.00'))).toBe('open');
    expect(invoiceStatus(figures('100.00', { credited: '10.00' }))).toBe('open');
    expect(invoiceStatus(figures('100.00', { allocated: '10.00' }))).toBe('partially-paid');
    expect(invoiceStatus(figures('100.00', { allocated: '100.00' }))).toBe('paid');
  });
});

describe('open AR, unapplied cash and exposure', () => {
  it('adds open balances per currency, an overpaid invoice counting as nothing rather than less', () => {
    const invoices = [
      figures('300.00'),
      figures('100.00', { credited: '100.00', allocated: '40.00' }),
      { ...noFigures('USD', money(500n, 'USD')) },
    ];
    expect(openAr(invoices, 'EUR')).toEqual(eur('300.00'));
    expect(excessAllocations(invoices, 'EUR')).toEqual(eur('40.00'));
  });

  it('counts unapplied cash as what payments left on account plus excess allocations, never below zero', () => {
    expect(unappliedCash(eur('10.00'), eur('40.00'))).toEqual(eur('50.00'));
    expect(unappliedCash(eur('-30.00'), eur('0.00'))).toEqual(eur('0.00'));
  });

  it('is exposure = open AR + open reservations', () => {
    expect(exposure(eur('300.00'), eur('50.00'))).toEqual(eur('350.00'));
  });

  it('moves a running total by the delta of one invoice, from nothing for a new one', () => {
    expect(openArDelta(null, figures('100.00'))).toEqual(eur('100.00'));
    expect(openArDelta(figures('100.00', { credited: '80.00' }), figures('100.00', { credited: '80.00', allocated: '50.00' }))).toEqual(
      eur('-20.00'),
    );
  });
});

// -------------------------------------------------------------------------------------- generated figures

const amount = fc.bigInt({ min: 0n, max: 999_999_999_999_999n });
const arbitraryFigures = fc
  .record({
    amount: fc.option(amount, { nil: null }),
    allocated: fc.bigInt({ min: -1_000n, max: 999_999_999_999_999n }),
    credited: amount,
    writtenOff: amount,
    debitNoted: amount,
  })
  .map((f): InvoiceFigures => ({
    amount: f.amount === null ? null : money(f.amount, 'EUR'),
    allocated: money(f.allocated, 'EUR'),
    credited: money(f.credited, 'EUR'),
    writtenOff: money(f.writtenOff, 'EUR'),
    debitNoted: money(f.debitNoted, 'EUR'),
  }));

/** The oracle: the brief's definition written out with plain bigints, clamped at zero as the rule says. */
function oracle(f: InvoiceFigures): { open: bigint; excess: bigint } {
  if (f.amount === null) return { open: 0n, excess: 0n };
  const allocated = f.allocated.amountMinor < 0n ? 0n : f.allocated.amountMinor;
  const raw = f.amount.amountMinor + f.debitNoted.amountMinor - f.credited.amountMinor - f.writtenOff.amountMinor;
  const charged = raw < 0n ? 0n : raw;
  return { open: charged > allocated ? charged - allocated : 0n, excess: allocated > charged ? allocated - charged : 0n };
}

describe('the rule on generated figures', () => {
  it('never gives a negative open balance, and agrees with the definition written out', () => {
    fc.assert(
      fc.property(arbitraryFigures, (f) => {
        const balance = invoiceBalance(f);
        const expected = oracle(f);
        return (
          balance.open.amountMinor >= 0n && balance.open.amountMinor === expected.open && balance.excess.amountMinor === expected.excess
        );
      }),
      { numRuns: 2_000 },
    );
  });

  it('splits every allocation of an issued invoice into applied + excess, and its charge into applied + open', () => {
    fc.assert(
      fc.property(
        arbitraryFigures.filter((f) => f.amount !== null),
        (f) => {
          const b = invoiceBalance(f);
          const allocated = f.allocated.amountMinor < 0n ? 0n : f.allocated.amountMinor;
          return (
            b.applied.amountMinor + b.excess.amountMinor === allocated &&
            b.applied.amountMinor + b.open.amountMinor === b.charged.amountMinor
          );
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('keeps a running total equal to open AR over the invoices, whatever the order of changes', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(4), arbitraryFigures), { maxLength: 40 }), (changes) => {
        const current = new Map<number, InvoiceFigures>();
        let running = 0n;
        for (const [invoice, next] of changes) {
          running += openArDelta(current.get(invoice) ?? null, next).amountMinor;
          current.set(invoice, next);
        }
        return running === openAr(current.values(), 'EUR').amountMinor;
      }),
      { numRuns: 500 },
    );
  });
});
