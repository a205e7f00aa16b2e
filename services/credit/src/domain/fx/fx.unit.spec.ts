import { given } from '@arc/decider/testing';
import { parseMajor } from '@arc/money';
import { convert, parseRate, sumInCurrency, type FxRate } from './fx';
import { fxRateDecider } from './fx-rate.decider';
import { FxRateAlreadyRecordedError, MissingFxRateError } from './fx.errors';

const rates: FxRate[] = [
  { base: 'USD', quote: 'EUR', rateDate: '2026-01-15', rate: '0.9234' },
  { base: 'EUR', quote: 'JPY', rateDate: '2026-01-15', rate: '160.5' },
];
const lookup = (base: string, quote: string, date: string) =>
  rates.find((r) => r.base === base && r.quote === quote && r.rateDate === date);
const money = (major: string, currency: string) => parseMajor(major, currency);

describe('FX conversion', () => {
  it('converts at the recorded rate of the date, exactly, rounding half-up once', () => {
    // 1,000.00 USD × 0.9234 = 923.40 EUR; 0.05 USD × 0.9234 = 0.04617 → 0.05 EUR (half-up)
    expect(convert(money('1000.00', 'USD'), 'EUR', '2026-01-15', lookup)).toEqual(money('923.40', 'EUR'));
    expect(convert(money('0.05', 'USD'), 'EUR', '2026-01-15', lookup)).toEqual(money('0.05', 'EUR'));
  });

  it('uses a rate recorded the other way round, inverted, and handles currencies without minor units', () => {
    // 923.40 EUR from USD with only USD→EUR recorded: 923.40 / 0.9234 = 1,000.00 USD
    expect(convert(money('923.40', 'EUR'), 'USD', '2026-01-15', lookup)).toEqual(money('1000.00', 'USD'));
    expect(convert(money('10.00', 'EUR'), 'JPY', '2026-01-15', lookup)).toEqual(money('1605', 'JPY'));
  });

  it('never guesses a missing rate from another day', () => {
    expect(() => convert(money('1.00', 'USD'), 'EUR', '2026-01-16', lookup)).toThrow(new MissingFxRateError('USD', 'EUR', '2026-01-16'));
  });

  it("sums open items at each one's issue-date rate, naming every missing rate at once", () => {
    const items = [
      { amount: money('1000.00', 'USD'), issueDate: '2026-01-15' },
      { amount: money('50.00', 'EUR'), issueDate: '2026-01-20' },
    ];
    expect(sumInCurrency(items, 'EUR', lookup)).toEqual(money('973.40', 'EUR'));
    const error = (() => {
      try {
        sumInCurrency(
          [...items, { amount: money('1.00', 'USD'), issueDate: '2026-02-01' }, { amount: money('1.00', 'GBP'), issueDate: '2026-02-02' }],
          'EUR',
          lookup,
        );
      } catch (e) {
        return e as MissingFxRateError;
      }
      throw new Error('expected a MissingFxRateError');
    })();
    expect(error.missing).toEqual([
      { base: 'USD', quote: 'EUR', rateDate: '2026-02-01' },
      { base: 'GBP', quote: 'EUR', rateDate: '2026-02-02' },
    ]);
  });

  it('reads a rate as an exact fraction', () => {
    expect(parseRate('1.0845')).toEqual({ numerator: 10845n, denominator: 10000n });
    expect(parseRate('160')).toEqual({ numerator: 160n, denominator: 1n });
  });
});

describe('FX rate of a currency pair', () => {
  const recorded = {
    type: 'FxRateRecorded' as const,
    data: { base: 'USD', quote: 'EUR', rateDate: '2026-01-15', rate: '0.9234', source: 'manual' as const },
  };
  it('records a rate for a business date', () => {
    given(fxRateDecider).when({ type: 'RecordFxRate', data: recorded.data }).then([recorded]);
  });
  it('treats the same rate again (written another way) as a repeat, and refuses rewriting it', () => {
    given(fxRateDecider, [recorded])
      .when({ type: 'RecordFxRate', data: { ...recorded.data, rate: '0.92340' } })
      .thenNothingHappens();
    given(fxRateDecider, [recorded])
      .when({ type: 'RecordFxRate', data: { ...recorded.data, rate: '0.93' } })
      .thenThrows(FxRateAlreadyRecordedError);
  });
});
