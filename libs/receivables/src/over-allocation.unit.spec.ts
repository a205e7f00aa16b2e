import fc from 'fast-check';
import { money, parseMajor, type Money } from '@arc/money';
import { awaitedReturns, excessReturns, type PaymentShare } from './over-allocation';

const eur = (major: string): Money => parseMajor(major, 'EUR');
const share = (paymentId: string, allocated: string, returnRequested = '0.00'): PaymentShare => ({
  paymentId,
  allocated: eur(allocated),
  returnRequested: eur(returnRequested),
});

describe('who gives an excess back', () => {
  it('asks the latest payment first, then earlier ones for what it cannot cover', () => {
    expect(excessReturns(eur('70.00'), [share('P1', '100.00'), share('P2', '50.00')])).toEqual([
      { paymentId: 'P2', amount: eur('50.00') },
      { paymentId: 'P1', amount: eur('20.00') },
    ]);
  });

  it('never asks a payment for more than it allocated and was not asked back already', () => {
    expect(excessReturns(eur('70.00'), [share('P1', '100.00'), share('P2', '50.00', '50.00')])).toEqual([
      { paymentId: 'P1', amount: eur('70.00') },
    ]);
  });

  it('asks nothing for no excess, and adds up what is awaited', () => {
    expect(excessReturns(eur('0.00'), [share('P1', '100.00')])).toEqual([]);
    expect(awaitedReturns([share('P1', '1.00', '0.40'), share('P2', '1.00', '0.60')], 'EUR')).toEqual(eur('1.00'));
  });

  it('asks back exactly the excess whenever the payments can cover it (generated shares)', () => {
    const shares = fc.array(fc.record({ allocated: fc.bigInt({ min: 0n, max: 10_000n }), asked: fc.bigInt({ min: 0n, max: 10_000n }) }), {
      maxLength: 6,
    });
    fc.assert(
      fc.property(shares, fc.bigInt({ min: 0n, max: 60_000n }), (list, excess) => {
        const given = list.map((s, i): PaymentShare => ({
          paymentId: `P${i}`,
          allocated: money(s.allocated, 'EUR'),
          returnRequested: money(s.asked < s.allocated ? s.asked : s.allocated, 'EUR'),
        }));
        const available = given.reduce((t, s) => t + s.allocated.amountMinor - s.returnRequested.amountMinor, 0n);
        const asked = excessReturns(money(excess, 'EUR'), given);
        const total = asked.reduce((t, r) => t + r.amount.amountMinor, 0n);
        const withinEach = asked.every((r) => {
          const s = given.find((g) => g.paymentId === r.paymentId)!;
          return r.amount.amountMinor > 0n && r.amount.amountMinor <= s.allocated.amountMinor - s.returnRequested.amountMinor;
        });
        return withinEach && total === (excess < available ? excess : available);
      }),
      { numRuns: 1_000 },
    );
  });
});
