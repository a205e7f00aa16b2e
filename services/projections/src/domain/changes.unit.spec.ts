import { parseBusinessDate } from '@arc/clock';
import type { CustomerExposureChangedData } from '@arc/contracts';
import { parseMajor } from '@arc/money';
import { customerAging } from './aging';
import { MONTH_BUCKET_SET } from './aging-buckets';
import { foldLedger } from './ar-ledger.projection';
import {
  agingChangedData,
  agingKey,
  changedFields,
  changeKey,
  exposureChangedData,
  hasChanged,
  kpisChangedData,
  kpisKey,
  planChanges,
  type ProjectionChange,
} from './changes';
import { applyToExposure, customerExposure, type CustomerExposureState } from './exposure.projection';
import { portfolioKpis } from './kpis';
import { creditPolicySet, CUSTOMER, invoiceIssued, paymentAllocated } from './testing/events';

const d = parseBusinessDate;
const eur = (major: string) => parseMajor(major, 'EUR');

const state: CustomerExposureState = applyToExposure(undefined, creditPolicySet('100000.00'));
const rows = foldLedger([invoiceIssued()]);
const exposureOn = (asOf: string, r = rows): CustomerExposureChangedData => {
  const e = customerExposure(state, r.values(), d(asOf));
  if (e === null) throw new Error('no exposure');
  return exposureChangedData(e);
};

describe('change events', () => {
  it('publishes everything the first time a subject is seen', () => {
    const data = exposureOn('2026-01-10');
    expect(hasChanged(null, data)).toBe(true);
    expect(changedFields(undefined, data)).not.toContain('asOf');
  });

  it('publishes nothing when only the as-of date moved and no figure changed', () => {
    expect(changedFields(exposureOn('2026-01-10'), exposureOn('2026-01-20'))).toEqual([]);
    expect(hasChanged(exposureOn('2026-01-10'), exposureOn('2026-01-31'))).toBe(false);
  });

  it('publishes when the date alone makes an item overdue', () => {
    expect(changedFields(exposureOn('2026-01-31'), exposureOn('2026-02-01'))).toEqual(['overdue']);
  });

  it('publishes when a payment changes the figures, naming what changed', () => {
    const paid = foldLedger([paymentAllocated('10000.00')], rows);
    expect(changedFields(exposureOn('2026-01-20'), exposureOn('2026-01-20', paid))).toEqual([
      'openAr',
      'exposure',
      'availableCredit',
      'utilisationBasisPoints',
    ]);
  });

  it('sees a change inside the aging buckets', () => {
    const [before] = customerAging(CUSTOMER, rows.values(), d('2026-03-02'));
    const [after] = customerAging(CUSTOMER, rows.values(), d('2026-03-03'));
    if (before === undefined || after === undefined) throw new Error('no aging');
    expect(changedFields(agingChangedData(before), agingChangedData(after))).toEqual(['buckets', 'oldestDaysPastDue']);
  });

  it('keys a subject by customer for exposure, customer × currency × bucket set for aging, segment × currency × period for KPIs', () => {
    const [aging] = customerAging(CUSTOMER, rows.values(), d('2026-02-15'), MONTH_BUCKET_SET);
    if (aging === undefined) throw new Error('no aging');
    expect(agingKey(agingChangedData(aging))).toBe(`aging|${CUSTOMER}|EUR|months-1-3-6`);
    const kpis = kpisChangedData(
      portfolioKpis({
        asOf: d('2026-02-15'),
        segment: { kind: 'credit-class', key: 'B' },
        currency: 'EUR',
        periodDays: 30,
        openingAr: eur('0'),
        totalAr: eur('1.00'),
        overdue: eur('0'),
        creditSales: eur('1.00'),
        collected: eur('0'),
        writtenOff: eur('0'),
        disputed: eur('0'),
        dailyCreditSales: [],
      }),
    );
    expect(kpisKey(kpis)).toBe('kpis|credit-class|B|EUR|30');
    expect(changeKey({ type: 'CustomerExposureChanged', data: exposureOn('2026-01-10') })).toBe(`exposure|${CUSTOMER}`);
  });

  describe('planning a batch’s publications', () => {
    const first: ProjectionChange = { type: 'CustomerExposureChanged', data: exposureOn('2026-01-10') };

    it('publishes a new subject and remembers it', () => {
      const plan = planChanges(new Map(), [first]);
      expect(plan.publish).toEqual([first]);
      expect(plan.lastPublished.get(`exposure|${CUSTOMER}`)).toBe(first.data);
    });

    it('publishes nothing for a batch that changed no figure, and keeps the last published data', () => {
      const last = planChanges(new Map(), [first]).lastPublished;
      const plan = planChanges(last, [{ type: 'CustomerExposureChanged', data: exposureOn('2026-01-11') }]);
      expect(plan.publish).toEqual([]);
      expect(plan.lastPublished.get(`exposure|${CUSTOMER}`)).toBe(first.data);
    });

    it('publishes a subject once per batch, with its last figures', () => {
      const later: ProjectionChange = { type: 'CustomerExposureChanged', data: exposureOn('2026-02-01') };
      const plan = planChanges(new Map(), [first, later]);
      expect(plan.publish).toEqual([later]);
    });
  });
});
