import { problemsOf } from './testing/problems';
import { samples, variant } from './testing/samples';

const eur = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

describe('projection change events', () => {
  describe('CustomerExposureChanged', () => {
    it('refuses an exposure that is not open AR plus reservations', () => {
      expect(problemsOf('CustomerExposureChanged', variant('CustomerExposureChanged', { exposure: eur('6000000') }))).toEqual([
        'exposure must equal openAr + reserved',
        'availableCredit must equal creditLimit − exposure',
        'utilisationBasisPoints must be 6000 (half-up), not 8000',
      ]);
    });

    it('refuses a utilisation that was not rounded half-up', () => {
      // 2/3 of the limit: 6666.67 bp
      const data = variant('CustomerExposureChanged', {
        creditLimit: eur('3'),
        openAr: eur('2'),
        reserved: eur('0'),
        overdue: eur('0'),
        exposure: eur('2'),
        availableCredit: eur('1'),
        utilisationBasisPoints: 6666,
      });
      expect(problemsOf('CustomerExposureChanged', data)).toEqual(['utilisationBasisPoints must be 6667 (half-up), not 6666']);
      expect(problemsOf('CustomerExposureChanged', { ...data, utilisationBasisPoints: 6667 })).toEqual([]);
    });

    it('rounds a utilisation tie (0.5 bp) up, away from zero', () => {
      const data = variant('CustomerExposureChanged', {
        creditLimit: eur('20000'),
        openAr: eur('1'),
        reserved: eur('0'),
        overdue: eur('0'),
        exposure: eur('1'),
        availableCredit: eur('19999'),
        utilisationBasisPoints: 1,
      });
      expect(problemsOf('CustomerExposureChanged', data)).toEqual([]);
      expect(problemsOf('CustomerExposureChanged', { ...data, utilisationBasisPoints: 0 })).toEqual([
        'utilisationBasisPoints must be 1 (half-up), not 0',
      ]);
    });

    it('accepts a breached limit with negative available credit', () => {
      const data = variant('CustomerExposureChanged', {
        openAr: eur('11000000'),
        exposure: eur('13000000'),
        availableCredit: eur('-3000000'),
        utilisationBasisPoints: 13000,
      });
      expect(problemsOf('CustomerExposureChanged', data)).toEqual([]);
    });

    it('has no utilisation against a zero limit', () => {
      const data = variant('CustomerExposureChanged', {
        creditLimit: eur('0'),
        availableCredit: eur('-8000000'),
        utilisationBasisPoints: null,
      });
      expect(problemsOf('CustomerExposureChanged', data)).toEqual([]);
      expect(problemsOf('CustomerExposureChanged', { ...data, utilisationBasisPoints: 0 })).toEqual([
        'utilisationBasisPoints must be null when its denominator is zero',
      ]);
    });

    it('publishes a utilisation too large for a JSON number as null, never as a rounded number', () => {
      // 9e18 exposure (open AR + the sample's 2,000,000 reserved) against a limit of 1 minor unit: 9e22 bp, beyond 2^53.
      const huge = variant('CustomerExposureChanged', {
        creditLimit: eur('1'),
        openAr: eur('8999999999998000000'),
        exposure: eur('9000000000000000000'),
        availableCredit: eur('-8999999999999999999'),
        utilisationBasisPoints: null,
      });
      expect(problemsOf('CustomerExposureChanged', huge)).toEqual([]);
      expect(problemsOf('CustomerExposureChanged', { ...huge, utilisationBasisPoints: Number.MAX_SAFE_INTEGER })).toEqual([
        'utilisationBasisPoints must be null beyond ±(2^53 − 1) (got 9007199254740991)',
      ]);
      expect(problemsOf('CustomerExposureChanged', { ...huge, utilisationBasisPoints: 9e22 })).toHaveLength(1);
    });

    it('refuses available credit or utilisation for a customer without a limit', () => {
      expect(problemsOf('CustomerExposureChanged', variant('CustomerExposureChanged', { creditLimit: null }))).toEqual([
        'availableCredit must be null without a creditLimit',
        'utilisationBasisPoints must be null without a creditLimit',
      ]);
    });

    it('refuses mixing currencies, and a fractional utilisation', () => {
      expect(
        problemsOf('CustomerExposureChanged', variant('CustomerExposureChanged', { disputed: { amountMinor: '0', currency: 'USD' } })),
      ).toEqual(['disputed.currency must be EUR like the rest of the event (got "USD")']);
      expect(problemsOf('CustomerExposureChanged', variant('CustomerExposureChanged', { utilisationBasisPoints: 80.5 }))).toEqual([
        `utilisationBasisPoints must be an integer >= ${Number.MIN_SAFE_INTEGER} (got 80.5)`,
      ]);
    });
  });

  describe('CustomerAgingChanged', () => {
    it('refuses buckets that do not add up to the overdue amount', () => {
      const buckets = samples.CustomerAgingChanged.buckets.map((b) => (b.label === '90+' ? { ...b, amount: eur('1') } : b));
      expect(problemsOf('CustomerAgingChanged', variant('CustomerAgingChanged', { buckets }))).toEqual([
        'the buckets must add up to overdue',
      ]);
    });

    it('refuses a total that is not not-yet-due plus overdue', () => {
      expect(problemsOf('CustomerAgingChanged', variant('CustomerAgingChanged', { totalOpen: eur('6000000') }))).toEqual([
        'totalOpen must equal notYetDue + overdue',
      ]);
    });

    it('refuses a repeated bucket label and zero days past due for the oldest overdue item', () => {
      const buckets = [
        { label: '1-30', amount: eur('6000000') },
        { label: '1-30', amount: eur('0') },
      ];
      expect(problemsOf('CustomerAgingChanged', variant('CustomerAgingChanged', { buckets, oldestDaysPastDue: 0 }))).toEqual([
        'oldestDaysPastDue must be an integer >= 1 (got 0)',
      ]);
      expect(problemsOf('CustomerAgingChanged', variant('CustomerAgingChanged', { buckets }))).toEqual(['buckets must not repeat a label']);
    });
  });

  describe('PortfolioKpisChanged', () => {
    it('refuses an overdue ratio or DSO that does not follow from the amounts', () => {
      expect(problemsOf('PortfolioKpisChanged', variant('PortfolioKpisChanged', { overdueRatioBasisPoints: 2400, dsoDays: 44 }))).toEqual([
        'overdueRatioBasisPoints must be 2500 (half-up), not 2400',
        'dsoDays must be 45 (half-up), not 44',
      ]);
    });

    it('has no overdue ratio without AR and no DSO without credit sales', () => {
      const data = variant('PortfolioKpisChanged', {
        totalAr: eur('0'),
        overdue: eur('0'),
        currentAr: eur('0'),
        creditSales: eur('0'),
        disputed: eur('0'),
        overdueRatioBasisPoints: null,
        dsoDays: null,
        bestPossibleDsoDays: null,
        averageDaysDelinquent: null,
        badDebtRatioBasisPoints: null,
        disputeRateBasisPoints: null,
      });
      expect(problemsOf('PortfolioKpisChanged', data)).toEqual([]);
      expect(problemsOf('PortfolioKpisChanged', { ...data, dsoDays: 0 })).toEqual(['dsoDays must be null when its denominator is zero']);
    });

    it('requires a key for a business unit or class segment and none for the portfolio', () => {
      expect(
        problemsOf('PortfolioKpisChanged', variant('PortfolioKpisChanged', { segment: { kind: 'business-unit', key: null } })),
      ).toEqual(['segment.key must be null for the portfolio and set for a business unit or credit class']);
      expect(problemsOf('PortfolioKpisChanged', variant('PortfolioKpisChanged', { segment: { kind: 'portfolio', key: 'EMEA' } }))).toEqual([
        'segment.key must be null for the portfolio and set for a business unit or credit class',
      ]);
      expect(problemsOf('PortfolioKpisChanged', variant('PortfolioKpisChanged', { segment: { kind: 'credit-class', key: 'Z' } }))).toEqual([
        'segment.key must be one of A, B, C, D for a credit class',
      ]);
      expect(
        problemsOf('PortfolioKpisChanged', variant('PortfolioKpisChanged', { segment: { kind: 'business-unit', key: 'EMEA' } })),
      ).toEqual([]);
    });

    it('refuses a period of zero days', () => {
      expect(problemsOf('PortfolioKpisChanged', variant('PortfolioKpisChanged', { periodDays: 0 }))).toEqual([
        'periodDays must be an integer from 1 to 3660 (got 0)',
      ]);
    });
    it('refuses a current AR that is not total AR less overdue, and period ratios that do not follow from the amounts', () => {
      expect(problemsOf('PortfolioKpisChanged', variant('PortfolioKpisChanged', { currentAr: eur('22500001') }))).toEqual([
        'currentAr must equal totalAr − overdue',
      ]);
      expect(
        problemsOf(
          'PortfolioKpisChanged',
          variant('PortfolioKpisChanged', {
            bestPossibleDsoDays: 33,
            averageDaysDelinquent: 12,
            badDebtRatioBasisPoints: 99,
            disputeRateBasisPoints: 501,
          }),
        ),
      ).toEqual([
        'bestPossibleDsoDays must be 34 (half-up), not 33',
        'averageDaysDelinquent must be 11 (half-up), not 12',
        'badDebtRatioBasisPoints must be 100 (half-up), not 99',
        'disputeRateBasisPoints must be 500 (half-up), not 501',
      ]);
    });
  });

  describe('CustomerPaymentBehaviourChanged', () => {
    it('accepts the sample: 3, 6 and 12 month windows in order', () => {
      expect(problemsOf('CustomerPaymentBehaviourChanged', variant('CustomerPaymentBehaviourChanged', {}))).toEqual([]);
    });

    it('refuses windows out of order, more settled than counted, and an on-time ratio over nothing', () => {
      const sample = variant('CustomerPaymentBehaviourChanged', {});
      const [w3, w6, w12] = sample.windows as Record<string, unknown>[];
      expect(problemsOf('CustomerPaymentBehaviourChanged', { ...sample, windows: [w6, w3, w12] })).toEqual([
        'windows must be for 3, 6, 12 months, in that order',
      ]);
      expect(
        problemsOf('CustomerPaymentBehaviourChanged', {
          ...sample,
          windows: [{ ...w3, invoicesSettled: 5 }, w6, { ...w12, invoicesCounted: 0, invoicesSettled: 0 }],
        }),
      ).toEqual([
        'windows[3m].invoicesSettled must not exceed invoicesCounted',
        'windows[12m].onTimeRatioBasisPoints must be null exactly when nothing is counted',
      ]);
    });
  });
});
