import type { CustomerAgingChangedData, CustomerExposureChangedData } from '@arc/contracts';
import { parseMajor, toJson } from '@arc/money';
import { alertMessage } from './alert-message';
import {
  conditionOutcome,
  MAX_THRESHOLD_BASIS_POINTS,
  MAX_THRESHOLD_DAYS,
  observe,
  subjectOf,
  thresholdProblems,
  type Observation,
  type Threshold,
} from './metrics';

const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';
const eur = (major: string) => parseMajor(major, 'EUR');
const j = (major: string) => toJson(eur(major));

const exposure = (
  changes: Partial<CustomerExposureChangedData> = {},
): { type: 'CustomerExposureChanged'; data: CustomerExposureChangedData } => ({
  type: 'CustomerExposureChanged',
  data: {
    customerId: CUSTOMER,
    asOf: '2026-02-15',
    currency: 'EUR',
    creditLimit: j('100000.00'),
    openAr: j('80000.00'),
    overdue: j('50000.00'),
    disputed: j('0.00'),
    reserved: j('10000.00'),
    unappliedCash: j('0.00'),
    exposure: j('90000.00'),
    availableCredit: j('10000.00'),
    utilisationBasisPoints: 9000,
    creditClass: 'B',
    onHold: false,
    ...changes,
  },
});
const aging = (changes: Partial<CustomerAgingChangedData> = {}): { type: 'CustomerAgingChanged'; data: CustomerAgingChangedData } => ({
  type: 'CustomerAgingChanged',
  data: {
    customerId: CUSTOMER,
    asOf: '2026-02-15',
    currency: 'EUR',
    bucketSetId: 'standard',
    notYetDue: j('30000.00'),
    buckets: [
      { label: '1-30', amount: j('10000.00') },
      { label: '31-60', amount: j('0.00') },
      { label: '61-90', amount: j('0.00') },
      { label: '90+', amount: j('40000.00') },
    ],
    overdue: j('50000.00'),
    totalOpen: j('80000.00'),
    oldestDaysPastDue: 120,
    ...changes,
  },
});

describe('metrics read from the projection change events', () => {
  it('reads the overdue amount, overdue ratio and utilisation from exposure, as exact amounts', () => {
    expect(observe('customer-overdue-amount', exposure())).toEqual({ unit: 'minor-units', amount: eur('50000.00') });
    expect(observe('customer-overdue-ratio', exposure())).toEqual({ unit: 'basis-points', part: eur('50000.00'), whole: eur('80000.00') });
    expect(observe('customer-utilisation', exposure())).toEqual({ unit: 'basis-points', part: eur('90000.00'), whole: eur('100000.00') });
  });

  it('reads days past due and the 90+ bucket from aging', () => {
    expect(observe('customer-oldest-days-past-due', aging())).toEqual({ unit: 'days', days: 120 });
    expect(observe('customer-oldest-days-past-due', aging({ oldestDaysPastDue: null }))).toEqual({ unit: 'days', days: 0 });
    expect(observe('customer-overdue-90-plus', aging())).toEqual({ unit: 'minor-units', amount: eur('40000.00') });
  });

  it('does not evaluate a metric on an event that does not carry it, nor the 90+ metric on a bucket set without a 90+ bucket', () => {
    expect(observe('customer-overdue-amount', aging())).toBeUndefined();
    expect(observe('customer-oldest-days-past-due', exposure())).toBeUndefined();
    expect(observe('customer-overdue-90-plus', aging({ buckets: [{ label: '6m+', amount: j('50000.00') }] }))).toBeUndefined();
  });

  it('alerts about the customer the change event is about', () => {
    expect(subjectOf(exposure())).toEqual({ kind: 'customer', key: CUSTOMER });
    expect(subjectOf(aging())).toEqual({ kind: 'customer', key: CUSTOMER });
  });

  it('has no ratio without a denominator: no open AR, no limit or a zero limit', () => {
    expect(observe('customer-overdue-ratio', exposure({ openAr: j('0.00') }))).toBeNull();
    expect(
      observe('customer-utilisation', exposure({ creditLimit: null, availableCredit: null, utilisationBasisPoints: null })),
    ).toBeNull();
    expect(observe('customer-utilisation', exposure({ creditLimit: j('0.00') }))).toBeNull();
  });
});

describe('the condition of a rule', () => {
  const money: Threshold = { unit: 'minor-units', amount: eur('25000.00') };
  const amount = (major: string): Observation => ({ unit: 'minor-units', amount: eur(major) });

  it.each([
    ['>', '25000.01', 'holds'],
    ['>', '25000.00', 'clear'],
    ['>=', '25000.00', 'holds'],
    ['<', '24999.99', 'holds'],
    ['<', '25000.00', 'clear'],
    ['<=', '25000.00', 'holds'],
    ['<=', '25000.01', 'clear'],
  ] as const)('observed %s threshold with %s is %s', (comparison, major, outcome) => {
    expect(conditionOutcome(comparison, amount(major), money)).toBe(outcome);
  });

  it('holds below a target too, for rules like "on-time ratio below 50 %", comparing ratios exactly', () => {
    const ratio: Threshold = { unit: 'basis-points', basisPoints: 5000 };
    expect(conditionOutcome('<', { unit: 'basis-points', part: eur('49999.99'), whole: eur('100000.00') }, ratio)).toBe('holds');
    expect(conditionOutcome('<', { unit: 'basis-points', part: eur('50000.00'), whole: eur('100000.00') }, ratio)).toBe('clear');
  });

  it('is clear when the figure does not exist, and not comparable across units or currencies', () => {
    expect(conditionOutcome('>', null, money)).toBe('clear');
    expect(conditionOutcome('>', { unit: 'days', days: 400 }, money)).toBe('not-comparable');
    expect(conditionOutcome('>', { unit: 'minor-units', amount: parseMajor('30000.00', 'USD') }, money)).toBe('not-comparable');
  });

  it('writes a message a person can read', () => {
    const rule = {
      name: 'Utilisation above 80 %',
      metric: 'customer-utilisation' as const,
      comparison: '>' as const,
      threshold: { unit: 'basis-points' as const, basisPoints: 8000 },
    };
    expect(alertMessage(rule, { unit: 'basis-points', part: eur('90000.00'), whole: eur('100000.00') })).toBe(
      'credit utilisation 90.00 % > 80.00 % (Utilisation above 80 %)',
    );
  });
});

describe('threshold bounds', () => {
  it('takes a ratio threshold from 0 to 10,000 % (utilisation may pass 100 %), and no more', () => {
    expect(thresholdProblems('customer-utilisation', { unit: 'basis-points', basisPoints: 15_000 })).toEqual([]);
    expect(thresholdProblems('customer-utilisation', { unit: 'basis-points', basisPoints: MAX_THRESHOLD_BASIS_POINTS })).toEqual([]);
    expect(thresholdProblems('customer-utilisation', { unit: 'basis-points', basisPoints: MAX_THRESHOLD_BASIS_POINTS + 1 })).toEqual([
      `a ratio threshold must be whole basis points from 0 to ${MAX_THRESHOLD_BASIS_POINTS} (8000 = 80 %), not ${MAX_THRESHOLD_BASIS_POINTS + 1}`,
    ]);
  });

  it('takes a day threshold from 0 to a century, and no more', () => {
    expect(thresholdProblems('customer-oldest-days-past-due', { unit: 'days', days: MAX_THRESHOLD_DAYS })).toEqual([]);
    expect(thresholdProblems('customer-oldest-days-past-due', { unit: 'days', days: MAX_THRESHOLD_DAYS + 1 })).toHaveLength(1);
    expect(thresholdProblems('customer-oldest-days-past-due', { unit: 'days', days: Number.MAX_SAFE_INTEGER })).toHaveLength(1);
  });

  it('reads a downward reclassification as the class rank (A = 1 … D = 4): "C or worse" holds for C and D, not for B', () => {
    const cOrWorse: Threshold = { unit: 'count', count: 3 };
    const rank = (creditClass: 'A' | 'B' | 'C' | 'D' | null) => observe('customer-credit-class', exposure({ creditClass }));
    expect(rank('C')).toEqual({ unit: 'count', count: 3 });
    expect(conditionOutcome('>=', rank('C') as Observation, cOrWorse)).toBe('holds');
    expect(conditionOutcome('>=', rank('D') as Observation, cOrWorse)).toBe('holds');
    expect(conditionOutcome('>=', rank('B') as Observation, cOrWorse)).toBe('clear');
    expect(rank(null)).toBeNull();
    expect(thresholdProblems('customer-credit-class', { unit: 'days', days: 3 })).toEqual([
      'customer-credit-class takes a threshold in count, not days',
    ]);
  });
});
