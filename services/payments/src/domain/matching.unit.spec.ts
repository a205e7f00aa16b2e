import fc from 'fast-check';
import type { BusinessDate } from '@arc/clock';
import { formatMajor, money, parseMajor } from '@arc/money';
import {
  planCashApplication,
  referencedNumbers,
  shortPaymentReasonIn,
  uniqueCombination,
  type MatchCandidate,
  type MatchInput,
} from './matching';

const eur = (major: string) => parseMajor(major, 'EUR');
const day = (text: string) => text as BusinessDate;
const item = (id: string, due: string, major: string, invoiceNumber?: string, discount?: MatchCandidate['discount']): MatchCandidate => ({
  invoiceId: id,
  dueDate: day(due),
  open: eur(major),
  ...(invoiceNumber === undefined ? {} : { invoiceNumber }),
  ...(discount === undefined ? {} : { discount }),
});
const input = (major: string, candidates: MatchCandidate[], changes: Partial<MatchInput> = {}): MatchInput => ({
  amount: eur(major),
  receivedOn: day('2026-03-01'),
  remittance: [],
  candidates,
  settings: { unmatchedCash: 'oldest-due-first', discountToleranceMinor: 0n },
  ...changes,
});
const summary = (plan: ReturnType<typeof planCashApplication>) =>
  plan.allocations.map((a) => `${a.invoiceId}:${formatMajor(a.cash)}:${a.step}${a.discount ? `:-${formatMajor(a.discount.amount)}` : ''}`);

describe('reading a remittance like a person', () => {
  it('expands shorthand after an invoice number: "/124" and ", 124" replace the last digits', () => {
    expect(referencedNumbers(['INV-2026-000123/124 less 2%'])).toEqual(expect.arrayContaining(['INV2026000123', 'INV2026000124']));
    expect(referencedNumbers(['paying INV-2026-000123, 124 and 125'])).toEqual(
      expect.arrayContaining(['INV2026000123', 'INV2026000124', 'INV2026000125']),
    );
  });

  it('expands shorthand after numbers of any shape, and never matches part of a longer number', () => {
    expect(referencedNumbers(['payment INV-9FB681-000123/124 thanks'])).toEqual(
      expect.arrayContaining(['INV9FB681000123', 'INV9FB681000124']),
    );
    expect(referencedNumbers(['INV-2026-000123'])).not.toContain('INV20260001');
  });

  it('finds the reason a payer gives for paying less', () => {
    expect(shortPaymentReasonIn(['INV-1 less 2 pumps damaged in transit'])?.code).toBe('damaged-goods');
    expect(shortPaymentReasonIn(['INV-2026-000123/124 less 2%'])?.code).toBe('discount-disallowed');
    expect(shortPaymentReasonIn(['INV-2026-000123'])).toBeNull();
  });
});

describe('cash application, step by step', () => {
  const A = item('a', '2026-01-10', '100.00', 'INV-2026-000123');
  const B = item('b', '2026-01-20', '250.00', 'INV-2026-000124');
  const C = item('c', '2026-02-01', '400.00', 'INV-2026-000125');

  it('step 1: invoice numbers in free remittance text pay those invoices, not the oldest', () => {
    const plan = planCashApplication(input('650.00', [A, B, C], { remittance: ['INV-2026-000124/125'] }));
    expect(summary(plan)).toEqual(['b:250.00:remittance-reference', 'c:400.00:remittance-reference']);
    expect(plan.allocations[0]?.explanation).toContain("INV-2026-000124 found in remittance 'INV-2026-000124/125'");
  });

  it('step 2: an amount equal to one open item pays that item even though it is not the oldest', () => {
    expect(summary(planCashApplication(input('250.00', [A, B, C])))).toEqual(['b:250.00:exact-amount']);
  });

  it('step 2 skips an amount two open items share: ambiguous, so the fallback decides', () => {
    const twin = item('d', '2026-03-01', '250.00');
    expect(summary(planCashApplication(input('250.00', [A, B, twin])))).toEqual(['a:100.00:oldest-due-first', 'b:150.00:oldest-due-first']);
  });

  it('step 3: the one combination of open items that sums exactly pays them', () => {
    expect(summary(planCashApplication(input('500.00', [A, B, C])))).toEqual([
      'a:100.00:amount-combination',
      'c:400.00:amount-combination',
    ]);
  });

  it('step 3 leaves an ambiguous combination to the fallback', () => {
    const D = item('d', '2026-02-10', '300.00');
    // 100 + 400 and 250 + ... no: 100 + 400 = 500 and 200 + 300 = 500 are two sets.
    const E = item('e', '2026-02-20', '200.00');
    const plan = planCashApplication(input('500.00', [A, C, D, E]));
    expect(plan.allocations.every((a) => a.step === 'oldest-due-first')).toBe(true);
    expect(summary(plan)).toEqual(['a:100.00:oldest-due-first', 'c:400.00:oldest-due-first']);
  });

  it('step 4: a customer set to leave unmatched cash unapplied keeps it on account', () => {
    const plan = planCashApplication(
      input('120.00', [A, B], { settings: { unmatchedCash: 'leave-unapplied', discountToleranceMinor: 0n } }),
    );
    expect(plan.allocations).toEqual([]);
    expect(formatMajor(plan.unapplied)).toBe('120.00');
  });

  it('a short payment against quoted invoices with a reason in the remittance is recorded for each invoice left short', () => {
    const plan = planCashApplication(input('300.00', [A, B], { remittance: ['INV-2026-000123/124 less damaged goods'] }));
    expect(summary(plan)).toEqual(['a:100.00:remittance-reference', 'b:200.00:remittance-reference']);
    expect(plan.shortPayments).toEqual([
      {
        invoiceId: 'b',
        shortfall: eur('50.00'),
        reasonCode: 'damaged-goods',
        reason: 'INV-2026-000123/124 less damaged goods',
        source: 'remittance',
      },
    ]);
  });

  it('a short payment without any reason stays a partial payment, no dispute', () => {
    expect(planCashApplication(input('300.00', [A, B], { remittance: ['INV-2026-000123/124'] })).shortPayments).toEqual([]);
  });
});

describe('early-payment discount (2/10 net 30 on 60,000.00 issued 2026-01-01)', () => {
  const offer = { total: eur('60000.00'), basisPoints: 200, payBy: day('2026-01-11') };
  const invoice = item('inv', '2026-01-31', '60000.00', 'INV-2026-000200', offer);

  it('paid on day 9 at 98 % closes the invoice with a 2 % discount', () => {
    const plan = planCashApplication(input('58800.00', [invoice], { receivedOn: day('2026-01-10'), remittance: ['INV-2026-000200'] }));
    expect(summary(plan)).toEqual(['inv:58800.00:remittance-reference:-1200.00']);
  });

  it('paid on day 11+1 at 98 % leaves 2 % open', () => {
    const plan = planCashApplication(input('58800.00', [invoice], { receivedOn: day('2026-01-12'), remittance: ['INV-2026-000200'] }));
    expect(summary(plan)).toEqual(['inv:58800.00:remittance-reference']);
  });

  it('a payment a little below the discounted amount earns it only within the tolerance', () => {
    const within = planCashApplication(
      input('58799.50', [invoice], {
        receivedOn: day('2026-01-10'),
        settings: { unmatchedCash: 'oldest-due-first', discountToleranceMinor: 100n },
      }),
    );
    expect(summary(within)).toEqual(['inv:58799.50:exact-amount:-1200.50']);
    const beyond = planCashApplication(input('58799.50', [invoice], { receivedOn: day('2026-01-10') }));
    expect(summary(beyond)).toEqual(['inv:58799.50:oldest-due-first']);
  });
});

describe('cash application never invents or loses money (properties)', () => {
  const candidates = fc
    .uniqueArray(
      fc.record({
        id: fc.integer({ min: 1, max: 500 }),
        due: fc.integer({ min: 1, max: 28 }),
        minor: fc.bigInt({ min: 1n, max: 50_000n }),
      }),
      { selector: (c) => c.id, maxLength: 30 },
    )
    .map((list) => list.map((c) => item(`i${c.id}`, `2026-02-${String(c.due).padStart(2, '0')}`, formatMajor(money(c.minor, 'EUR')))));

  it('allocates at most what is open on each item, and allocations + unapplied = the amount', () => {
    fc.assert(
      fc.property(candidates, fc.bigInt({ min: 1n, max: 500_000n }), fc.boolean(), (list, amountMinor, leave) => {
        const plan = planCashApplication({
          ...input('0.01', list),
          amount: money(amountMinor, 'EUR'),
          settings: { unmatchedCash: leave ? 'leave-unapplied' : 'oldest-due-first', discountToleranceMinor: 0n },
        });
        const applied = plan.allocations.reduce((s, a) => s + a.cash.amountMinor, 0n);
        expect(applied + plan.unapplied.amountMinor).toBe(amountMinor);
        expect(plan.unapplied.amountMinor >= 0n).toBe(true);
        const seen = new Set<string>();
        for (const a of plan.allocations) {
          expect(seen.has(a.invoiceId)).toBe(false);
          seen.add(a.invoiceId);
          const open = list.find((c) => c.invoiceId === a.invoiceId)?.open.amountMinor ?? 0n;
          expect(a.cash.amountMinor > 0n && a.cash.amountMinor <= open).toBe(true);
        }
      }),
    );
  });

  it('finds a combination exactly when one set of 2–4 items sums to the target (brute force oracle on small lists)', () => {
    const small = fc
      .uniqueArray(fc.record({ id: fc.integer({ min: 1, max: 99 }), minor: fc.bigInt({ min: 1n, max: 40n }) }), {
        selector: (c) => c.id,
        maxLength: 9,
      })
      .map((list) => list.map((c) => item(`i${c.id}`, '2026-02-01', formatMajor(money(c.minor, 'EUR')))));
    fc.assert(
      fc.property(small, fc.bigInt({ min: 2n, max: 120n }), (list, target) => {
        let sets = 0;
        for (let mask = 0; mask < 1 << list.length; mask++) {
          const chosen = list.filter((_, i) => (mask >> i) & 1);
          if (chosen.length >= 2 && chosen.length <= 4 && chosen.reduce((s, c) => s + c.open.amountMinor, 0n) === target) sets += 1;
        }
        expect(uniqueCombination(list, target) !== null).toBe(sets === 1);
      }),
    );
  });

  it('a unique combination it reports does sum to the target', () => {
    fc.assert(
      fc.property(candidates, fc.bigInt({ min: 2n, max: 100_000n }), (list, target) => {
        const found = uniqueCombination(list, target);
        if (found !== null) expect(found.reduce((s, c) => s + c.open.amountMinor, 0n)).toBe(target);
      }),
    );
  });
});

describe('matching against a customer with 10,000 open items', () => {
  it('stays bounded: one receipt is matched in well under a second (the benchmark measures it exactly)', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      item(
        `x${i}`,
        `2026-02-${String((i % 28) + 1).padStart(2, '0')}`,
        formatMajor(money(BigInt(1000 + (i % 997) * 13), 'EUR')),
        `INV-2026-${String(i).padStart(6, '0')}`,
      ),
    );
    const started = performance.now();
    const plan = planCashApplication(input('123456.78', many));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(plan.allocations.length).toBeGreaterThan(0);
  });
});
