import { parseBusinessDate } from '@arc/clock';
import { PortfolioKpisChanged } from '@arc/contracts';
import { parseMajor } from '@arc/money';
import { foldLedger } from './ar-ledger.projection';
import { kpisChangedData } from './changes';
import {
  arPosition,
  arTurnoverBasisPoints,
  ceiBasisPoints,
  creditSales,
  dsoCountbackDays,
  dsoDays,
  overdueRatioBasisPoints,
  periodEndingOn,
  portfolioKpis,
  segmentsOf,
} from './kpis';
import { INVOICE_2, invoiceIssued, paymentAllocated } from './testing/events';

const d = parseBusinessDate;
const eur = (major: string) => parseMajor(major, 'EUR');

describe('portfolio KPIs', () => {
  describe('overdue ratio = overdue / total open AR', () => {
    it('is undefined (null) without open AR', () => {
      expect(overdueRatioBasisPoints(eur('0'), eur('0'))).toBeNull();
    });

    it('is in basis points, half-up', () => {
      expect(overdueRatioBasisPoints(eur('50000.00'), eur('50000.00'))).toBe(10000);
      expect(overdueRatioBasisPoints(eur('1.00'), eur('3.00'))).toBe(3333);
      expect(overdueRatioBasisPoints(eur('2.00'), eur('3.00'))).toBe(6667);
      expect(overdueRatioBasisPoints(eur('0.01'), eur('200.00'))).toBe(1); // 0.5 bp, a tie, rounds away from zero
    });
  });

  describe('DSO (period of D days) = ending AR / credit sales in the period × D', () => {
    it('is in whole days, multiplied before dividing and rounded half-up', () => {
      expect(dsoDays(eur('50000.00'), eur('100000.00'), 90)).toBe(45);
      expect(dsoDays(eur('1.00'), eur('3.00'), 31)).toBe(10); // 10.33
      expect(dsoDays(eur('1.00'), eur('2.00'), 1)).toBe(1); // 0.5 rounds up
      expect(dsoDays(eur('1.00'), eur('6.00'), 2)).toBe(0); // 0.33
    });

    it('is undefined (null) without credit sales in the period', () => {
      expect(dsoDays(eur('1.00'), eur('0'), 30)).toBeNull();
    });

    it('refuses a period that is not a whole number of days ≥ 1', () => {
      expect(() => dsoDays(eur('1.00'), eur('1.00'), 0)).toThrow(RangeError);
      expect(() => dsoDays(eur('1.00'), eur('1.00'), 1.5)).toThrow(RangeError);
    });
  });

  describe('AR turnover = credit sales / average AR', () => {
    it('averages the AR samples without rounding the average', () => {
      expect(arTurnoverBasisPoints(eur('450000.00'), [eur('100000.00')])).toBe(45000);
      // average of 1.00 and 2.00 = 1.50; 1.00 / 1.50 = 0.6667
      expect(arTurnoverBasisPoints(eur('1.00'), [eur('1.00'), eur('2.00')])).toBe(6667);
      expect(arTurnoverBasisPoints(eur('1.00'), [])).toBeNull();
      expect(arTurnoverBasisPoints(eur('1.00'), [eur('0'), eur('0')])).toBeNull();
    });
  });

  describe('CEI = (opening AR + credit sales − closing total AR) / (opening AR + credit sales − closing current AR) × 100', () => {
    it('is in basis points of the percentage (10000 = 100 %)', () => {
      // (100 + 200 − 120) / (100 + 200 − 60) = 180 / 240 = 75 %
      expect(
        ceiBasisPoints({ openingAr: eur('100'), creditSales: eur('200'), closingTotalAr: eur('120'), closingCurrentAr: eur('60') }),
      ).toBe(7500);
      // everything collected that could be: 100 %
      expect(
        ceiBasisPoints({ openingAr: eur('100'), creditSales: eur('200'), closingTotalAr: eur('60'), closingCurrentAr: eur('60') }),
      ).toBe(10000);
    });

    it('is undefined (null) when nothing was collectible', () => {
      expect(
        ceiBasisPoints({ openingAr: eur('0'), creditSales: eur('100'), closingTotalAr: eur('100'), closingCurrentAr: eur('100') }),
      ).toBeNull();
    });
  });

  describe('credit sales in the period', () => {
    const rows = foldLedger([
      invoiceIssued({ issueDate: '2026-01-01', dueDate: '2026-01-31' }),
      invoiceIssued({ invoiceId: INVOICE_2, invoiceNumber: 'INV-2', amount: '100.00', issueDate: '2025-12-31', dueDate: '2026-01-30' }),
      paymentAllocated('1.00', { invoiceId: 'e0000000-0000-4000-8000-00000000000a' }), // not issued: no sale
    ]);

    it('counts the invoices issued within the D days ending on the as-of date, first day included', () => {
      expect(periodEndingOn(d('2026-01-31'), 31)).toEqual({ from: '2026-01-01', to: '2026-01-31' });
      expect(creditSales(rows.values(), periodEndingOn(d('2026-01-31'), 31), 'EUR')).toEqual(eur('60000.00'));
      expect(creditSales(rows.values(), periodEndingOn(d('2026-01-31'), 32), 'EUR')).toEqual(eur('60100.00'));
    });
  });

  describe('AR position and segments', () => {
    it('splits total open AR into overdue and current as of a date', () => {
      const rows = foldLedger([
        invoiceIssued({ dueDate: '2026-01-31' }),
        paymentAllocated('10000.00'),
        invoiceIssued({ invoiceId: INVOICE_2, invoiceNumber: 'INV-2', amount: '100.00', dueDate: '2026-03-31' }),
      ]);
      expect(arPosition(rows.values(), d('2026-02-15'), 'EUR')).toEqual({
        totalAr: eur('50100.00'),
        overdue: eur('50000.00'),
        currentAr: eur('100.00'),
      });
    });

    it('counts a customer in the portfolio, its business unit and its credit class', () => {
      expect(segmentsOf({ businessUnit: 'EMEA', creditClass: 'B' })).toEqual([
        { kind: 'portfolio', key: null },
        { kind: 'business-unit', key: 'EMEA' },
        { kind: 'credit-class', key: 'B' },
      ]);
      expect(segmentsOf({ businessUnit: null, creditClass: null })).toEqual([{ kind: 'portfolio', key: null }]);
    });
  });

  describe('countback DSO: the days of latest credit sales the closing AR absorbs', () => {
    it('counts whole days walked back and the fraction of the day that covers the rest, half-up', () => {
      // 50,000 against 10,000 (asOf), 0, 25,000, then 30,000: 3 whole days, then 15,000 / 30,000 = 3.5 → 4
      expect(dsoCountbackDays(eur('50000.00'), [eur('10000.00'), eur('0'), eur('25000.00'), eur('30000.00')])).toBe(4);
      // 34,000: 10,000 + 0 + 24,000 / 25,000 = 2.96 → 3
      expect(dsoCountbackDays(eur('34000.00'), [eur('10000.00'), eur('0'), eur('25000.00')])).toBe(3);
    });

    it('is 0 without AR and undefined (null) when the history cannot absorb the AR', () => {
      expect(dsoCountbackDays(eur('0'), [])).toBe(0);
      expect(dsoCountbackDays(eur('50000.00'), [eur('10000.00'), eur('0')])).toBeNull();
    });
  });

  describe('a segment’s KPIs (the hand-computed example of docs/kpis.md)', () => {
    const kpis = portfolioKpis({
      asOf: d('2026-03-31'),
      segment: { kind: 'portfolio', key: null },
      currency: 'EUR',
      periodDays: 90,
      openingAr: eur('40000.00'),
      totalAr: eur('50000.00'),
      overdue: eur('20000.00'),
      creditSales: eur('100000.00'),
      collected: eur('85000.00'),
      writtenOff: eur('2000.00'),
      disputed: eur('5000.00'),
      dailyCreditSales: [eur('10000.00'), eur('0'), eur('25000.00'), eur('30000.00')],
    });

    it('total and overdue AR, and current AR = total − overdue', () => {
      expect([kpis.totalAr, kpis.overdue, kpis.currentAr]).toEqual([eur('50000.00'), eur('20000.00'), eur('30000.00')]);
    });

    it('overdue ratio = 20,000 / 50,000 = 40.00 %', () => expect(kpis.overdueRatioBasisPoints).toBe(4000));
    it('DSO (period) = 50,000 / 100,000 × 90 = 45 days', () => expect(kpis.dsoDays).toBe(45));
    it('DSO (countback) = 3 days + 15,000 / 30,000 = 3.5 → 4 days', () => expect(kpis.dsoCountbackDays).toBe(4));
    it('best-possible DSO = 30,000 / 100,000 × 90 = 27 days', () => expect(kpis.bestPossibleDsoDays).toBe(27));
    it('average days delinquent = 20,000 / 100,000 × 90 = 18 days (= DSO − best-possible DSO)', () =>
      expect(kpis.averageDaysDelinquent).toBe(18));
    it('AR turnover = 100,000 / ((40,000 + 50,000) / 2) = 2.2222', () => expect(kpis.arTurnoverBasisPoints).toBe(22222));
    it('CEI = (40,000 + 100,000 − 50,000) / (40,000 + 100,000 − 30,000) = 81.82 %', () => expect(kpis.ceiBasisPoints).toBe(8182));
    it('bad-debt ratio = 2,000 / 100,000 = 2.00 %', () => expect(kpis.badDebtRatioBasisPoints).toBe(200));
    it('collection rate = 85,000 / (40,000 + 100,000) = 60.71 %', () => expect(kpis.collectionRateBasisPoints).toBe(6071));
    it('dispute rate = 5,000 / 50,000 = 10.00 %', () => expect(kpis.disputeRateBasisPoints).toBe(1000));

    it('every ratio is undefined (null) over a zero denominator', () => {
      const none = portfolioKpis({
        asOf: d('2026-03-31'),
        segment: { kind: 'business-unit', key: 'EMEA' },
        currency: 'EUR',
        periodDays: 30,
        openingAr: eur('0'),
        totalAr: eur('0'),
        overdue: eur('0'),
        creditSales: eur('0'),
        collected: eur('0'),
        writtenOff: eur('0'),
        disputed: eur('0'),
        dailyCreditSales: [],
      });
      expect(none).toMatchObject({
        overdueRatioBasisPoints: null,
        dsoDays: null,
        dsoCountbackDays: 0,
        bestPossibleDsoDays: null,
        averageDaysDelinquent: null,
        arTurnoverBasisPoints: null,
        ceiBasisPoints: null,
        badDebtRatioBasisPoints: null,
        collectionRateBasisPoints: null,
        disputeRateBasisPoints: null,
      });
    });

    it('produces data the PortfolioKpisChanged contract accepts', () => {
      const data = kpisChangedData(kpis);
      expect(PortfolioKpisChanged.validate(data)).toEqual({ ok: true, value: data });
    });

    it('refuses a business-unit segment without a key', () => {
      expect(() =>
        portfolioKpis({
          asOf: d('2026-03-31'),
          currency: 'EUR',
          periodDays: 1,
          openingAr: eur('0'),
          totalAr: eur('0'),
          overdue: eur('0'),
          creditSales: eur('0'),
          collected: eur('0'),
          writtenOff: eur('0'),
          disputed: eur('0'),
          dailyCreditSales: [],
          segment: { kind: 'business-unit', key: null },
        }),
      ).toThrow(RangeError);
    });
  });
});
