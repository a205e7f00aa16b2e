import { parseBusinessDate } from '@arc/clock';
import { CustomerExposureChanged } from '@arc/contracts';
import { money, parseMajor } from '@arc/money';
import { customerAging } from './aging';
import { applyToLedger, type ArLedgerRow, type LedgerEvent } from './ar-ledger.projection';
import { exposureChangedData } from './changes';
import {
  applyToExposure,
  customerExposure,
  initialExposureState,
  type CustomerExposure,
  type CustomerExposureState,
  type ExposureEvent,
} from './exposure.projection';
import { overdueRatioBasisPoints } from './kpis';
import {
  creditCheckPassed,
  creditPolicySet,
  CUSTOMER,
  INVOICE,
  invoiceIssued,
  OTHER_CUSTOMER,
  creditNoteIssued,
  paymentAllocated,
  paymentAllocationReduced,
  paymentReceived,
  permutations,
  RESERVATION,
  reservationConsumed,
  reservationReleased,
} from './testing/events';

const d = parseBusinessDate;
const eur = (major: string) => parseMajor(major, 'EUR');

type AnyEvent = ExposureEvent | LedgerEvent;
const LEDGER_TYPES = new Set(['InvoiceIssued', 'PaymentAllocated', 'PaymentAllocationReduced', 'CreditNoteIssued']);
const EXPOSURE_TYPES = new Set([
  'CustomerRegistered',
  'CreditPolicySet',
  'CreditCheckPassed',
  'CreditReservationReleased',
  'CreditReservationConsumed',
  'CreditHoldPlaced',
  'CreditHoldReleased',
  'InvoiceIssued',
  'PaymentReceived',
  'PaymentAllocated',
  'PaymentAllocationReduced',
]);

/** What a consumer does: each event goes to the ledger row and/or the customer's exposure state, in one transaction. */
class Customer {
  state: CustomerExposureState = initialExposureState(CUSTOMER);
  rows = new Map<string, ArLedgerRow>();

  apply(...events: AnyEvent[]): this {
    for (const event of events) {
      if (LEDGER_TYPES.has(event.type)) {
        const e = event as LedgerEvent;
        this.rows.set(e.data.invoiceId, applyToLedger(this.rows.get(e.data.invoiceId), e));
      }
      if (EXPOSURE_TYPES.has(event.type)) this.state = applyToExposure(this.state, event as ExposureEvent);
    }
    return this;
  }

  exposure(asOf: string): CustomerExposure {
    const e = customerExposure(this.state, this.rows.values(), d(asOf));
    if (e === null) throw new Error('no exposure');
    return e;
  }
}

describe('exposure per customer', () => {
  describe('acceptance: limit 100,000.00 EUR, one order invoiced and paid in three parts', () => {
    const c = new Customer();

    it('counts a passed check as reserved: exposure 60,000.00, utilisation 6000 bp', () => {
      c.apply(creditPolicySet('100000.00'), creditCheckPassed('60000.00'));
      const e = c.exposure('2026-01-01');
      expect(e.creditLimit).toEqual(eur('100000.00'));
      expect(e.reserved).toEqual(eur('60000.00'));
      expect(e.openAr).toEqual(eur('0'));
      expect(e.exposure).toEqual(eur('60000.00'));
      expect(e.availableCredit).toEqual(eur('40000.00'));
      expect(e.utilisationBasisPoints).toBe(6000);
    });

    it('moves the reservation into open AR when the invoice names it: open AR 60,000.00, reserved 0, exposure 60,000.00', () => {
      c.apply(invoiceIssued({ reservationId: RESERVATION, issueDate: '2026-01-01', dueDate: '2026-01-31' }));
      const e = c.exposure('2026-01-01');
      expect(e.openAr).toEqual(eur('60000.00'));
      expect(e.reserved).toEqual(eur('0'));
      expect(e.exposure).toEqual(eur('60000.00'));
      expect(e.utilisationBasisPoints).toBe(6000);
    });

    it('does not count the reservation again when credit confirms the consumption', () => {
      c.apply(reservationConsumed('60000.00'));
      expect(c.exposure('2026-01-01').exposure).toEqual(eur('60000.00'));
    });

    it('reduces open AR by an allocation of 10,000.00 on 2026-01-20, all of it not yet due that day', () => {
      c.apply(paymentReceived('10000.00'), paymentAllocated('10000.00', { allocatedOn: '2026-01-20' }));
      const e = c.exposure('2026-01-20');
      expect(e.openAr).toEqual(eur('50000.00'));
      expect(e.overdue).toEqual(eur('0'));
      expect(e.unappliedCash).toEqual(eur('0'));
      const [aging] = customerAging(CUSTOMER, c.rows.values(), d('2026-01-20'));
      expect(aging?.notYetDue).toEqual(eur('50000.00'));
      expect(aging?.overdue).toEqual(eur('0'));
    });

    it('ages the 50,000.00 into 1–30 as of 2026-02-15: overdue 50,000.00, overdue ratio 10000 bp', () => {
      const e = c.exposure('2026-02-15');
      const [aging] = customerAging(CUSTOMER, c.rows.values(), d('2026-02-15'));
      expect(aging?.buckets[0]).toEqual({ label: '1-30', amount: eur('50000.00') });
      expect(e.overdue).toEqual(eur('50000.00'));
      expect(overdueRatioBasisPoints(e.overdue, e.openAr)).toBe(10000);
    });

    it('leaves 20,000.00 overdue after an allocation of 30,000.00', () => {
      c.apply(paymentAllocated('30000.00', { allocatedOn: '2026-02-15' }));
      expect(c.exposure('2026-02-15').overdue).toEqual(eur('20000.00'));
    });

    it('clears open AR and exposure with the last 20,000.00', () => {
      c.apply(paymentAllocated('20000.00', { allocatedOn: '2026-02-15' }));
      const e = c.exposure('2026-02-15');
      expect(e.openAr).toEqual(eur('0'));
      expect(e.overdue).toEqual(eur('0'));
      expect(e.exposure).toEqual(eur('0'));
      expect(e.availableCredit).toEqual(eur('100000.00'));
      expect(e.utilisationBasisPoints).toBe(0);
    });
  });

  describe('reservations', () => {
    it('gives the same exposure whether the invoice or credit’s consumption arrives first, never counting it twice', () => {
      const events: AnyEvent[] = [
        creditCheckPassed('60000.00'),
        invoiceIssued({ reservationId: RESERVATION, amount: '55000.00' }),
        reservationConsumed('60000.00'),
        reservationReleased('5000.00', { reason: 'invoiced less than ordered' }),
        paymentAllocated('1000.00'),
      ];
      const figures = permutations(events).map((order) =>
        new Customer().apply(creditPolicySet('100000.00'), ...order).exposure('2026-01-10'),
      );
      expect(figures).toHaveLength(120);
      for (const f of figures) expect(f).toEqual(figures[0]);
      expect(figures[0]?.reserved).toEqual(eur('0'));
      expect(figures[0]?.openAr).toEqual(eur('54000.00'));
      expect(figures[0]?.exposure).toEqual(eur('54000.00'));
    });

    it('gives back what a release frees and never less than zero', () => {
      const c = new Customer().apply(creditPolicySet('100000.00'), creditCheckPassed('60000.00'), reservationReleased('20000.00'));
      expect(c.exposure('2026-01-10').reserved).toEqual(eur('40000.00'));
      c.apply(reservationReleased('50000.00'));
      expect(c.exposure('2026-01-10').reserved).toEqual(eur('0'));
    });

    it('counts a redelivered check once', () => {
      const c = new Customer().apply(creditPolicySet('100000.00'), creditCheckPassed('60000.00'), creditCheckPassed('60000.00'));
      expect(c.exposure('2026-01-10').reserved).toEqual(eur('60000.00'));
    });

    it('sums open reservations of several orders', () => {
      const c = new Customer().apply(
        creditPolicySet('100000.00'),
        creditCheckPassed('10000.00'),
        creditCheckPassed('15000.00', { reservationId: 'a1b2c3d4-0000-4000-8000-000000000009' }),
      );
      expect(c.exposure('2026-01-10').reserved).toEqual(eur('25000.00'));
    });
  });

  describe('limit, class and hold', () => {
    it('has no available credit and no utilisation without a limit, and measures in the first invoice’s currency', () => {
      const e = new Customer().apply(invoiceIssued()).exposure('2026-01-10');
      expect(e.currency).toBe('EUR');
      expect(e.creditLimit).toBeNull();
      expect(e.availableCredit).toBeNull();
      expect(e.utilisationBasisPoints).toBeNull();
      expect(e.exposure).toEqual(eur('60000.00'));
    });

    it('has null utilisation against a zero limit and a negative available credit when over the limit', () => {
      const e = new Customer().apply(creditPolicySet('0.00'), invoiceIssued({ amount: '10.00' })).exposure('2026-01-10');
      expect(e.utilisationBasisPoints).toBeNull();
      expect(e.availableCredit).toEqual(eur('-10.00'));
    });

    it('shows utilisation exactly, or null when it is too large for a JSON number to hold exactly (a one-cent limit, a huge exposure)', () => {
      // 9,000,000,000,000.00 EUR against a limit of 0.01 EUR: 9e18 bp, beyond 2^53; one cent less limit-wise is not possible.
      const huge = new Customer().apply(creditPolicySet('0.01'), invoiceIssued({ amount: '9000000000000.00' })).exposure('2026-01-10');
      expect(huge.utilisationBasisPoints).toBeNull();
      const data = exposureChangedData(huge);
      expect(CustomerExposureChanged.validate(data)).toEqual({ ok: true, value: data });
      // 9,007,199,254.74 EUR against 0.01 EUR: 9,007,199,254,740,000 bp, just below 2^53, shown exactly.
      const large = new Customer().apply(creditPolicySet('0.01'), invoiceIssued({ amount: '9007199254.74' })).exposure('2026-01-10');
      expect(large.utilisationBasisPoints).toBe(9_007_199_254_740_000);
      expect(CustomerExposureChanged.validate(exposureChangedData(large)).ok).toBe(true);
    });

    it('rounds utilisation half-up in basis points', () => {
      // 2/3 = 6666.67 bp → 6667; 1/8 = 1250 bp exactly
      expect(
        new Customer().apply(creditPolicySet('3.00'), invoiceIssued({ amount: '2.00' })).exposure('2026-01-10').utilisationBasisPoints,
      ).toBe(6667);
      expect(
        new Customer().apply(creditPolicySet('8.00'), invoiceIssued({ amount: '1.00' })).exposure('2026-01-10').utilisationBasisPoints,
      ).toBe(1250);
    });

    it('shows the hold until it is released and the latest class', () => {
      const c = new Customer().apply(creditPolicySet('100.00', { creditClass: 'A' }));
      c.state = applyToExposure(c.state, {
        type: 'CreditHoldPlaced',
        data: { customerId: CUSTOMER, source: 'collections', reason: 'overdue 45 days' },
      });
      expect(c.exposure('2026-01-10')).toMatchObject({ onHold: true, creditClass: 'A' });
      c.state = applyToExposure(c.state, { type: 'CreditHoldReleased', data: { customerId: CUSTOMER, reason: 'paid' } });
      c.apply(creditPolicySet('100.00', { creditClass: 'C' }));
      expect(c.exposure('2026-01-10')).toMatchObject({ onHold: false, creditClass: 'C' });
    });

    it('has nothing to report before any currency is known', () => {
      expect(customerExposure(initialExposureState(CUSTOMER), [], d('2026-01-10'))).toBeNull();
    });
  });

  describe('unapplied cash', () => {
    it('is what was received and not yet allocated, whatever the order', () => {
      const a = new Customer().apply(creditPolicySet('100.00'), paymentReceived('50.00'), paymentAllocated('30.00'));
      const b = new Customer().apply(paymentAllocated('30.00'), creditPolicySet('100.00'), paymentReceived('50.00'));
      expect(a.exposure('2026-01-10').unappliedCash).toEqual(eur('20.00'));
      expect(b.exposure('2026-01-10')).toEqual(a.exposure('2026-01-10'));
    });

    it('counts cash an invoice cannot absorb (paid on a stale view after a credit note) as unapplied, before and after it is given back', () => {
      const paid = new Customer().apply(
        creditPolicySet('1000.00'),
        invoiceIssued({ amount: '100.00' }),
        creditNoteIssued('100.00'),
        paymentReceived('70.00'),
        paymentAllocated('70.00'),
      );
      const before = paid.exposure('2026-01-10');
      expect([before.openAr, before.unappliedCash, before.exposure]).toEqual([eur('0.00'), eur('70.00'), eur('0.00')]);
      expect(paid.apply(paymentAllocationReduced('70.00')).exposure('2026-01-10')).toEqual(before);
    });

    it('does not reduce exposure (exposure = open AR + open reservations)', () => {
      const e = new Customer()
        .apply(creditPolicySet('100.00'), invoiceIssued({ amount: '40.00' }), paymentReceived('50.00'))
        .exposure('2026-01-10');
      expect(e.exposure).toEqual(eur('40.00'));
      expect(e.unappliedCash).toEqual(eur('50.00'));
    });
  });

  it('ignores other customers’ rows and refuses their events', () => {
    const c = new Customer().apply(creditPolicySet('100.00'));
    const other = applyToLedger(undefined, invoiceIssued({ customerId: OTHER_CUSTOMER, invoiceId: INVOICE }));
    expect(customerExposure(c.state, [other], d('2026-01-10'))?.openAr).toEqual(eur('0'));
    expect(() => applyToExposure(c.state, creditCheckPassed('1.00', { customerId: OTHER_CUSTOMER }))).toThrow(/customer/);
  });

  it('refuses to add amounts in another currency without an FX conversion, and uses the one it is given', () => {
    const c = new Customer().apply(creditPolicySet('100.00'));
    const usdRow = applyToLedger(undefined, {
      ...invoiceIssued(),
      data: {
        ...invoiceIssued().data,
        currency: 'USD',
        total: { amountMinor: '1000', currency: 'USD' },
        lines: [
          { description: 'x', netAmount: { amountMinor: '1000', currency: 'USD' }, taxAmount: { amountMinor: '0', currency: 'USD' } },
        ],
      },
    });
    expect(() => customerExposure(c.state, [usdRow], d('2026-01-10'))).toThrow(/USD/);
    const halve = (m: { amountMinor: bigint }, to: 'EUR' | string) => money(m.amountMinor / 2n, to);
    expect(customerExposure(c.state, [usdRow], d('2026-01-10'), halve)?.openAr).toEqual(eur('5.00'));
  });

  it('produces data the CustomerExposureChanged contract accepts', () => {
    const cases = [
      new Customer().apply(creditPolicySet('3.00'), invoiceIssued({ amount: '2.00' }), creditCheckPassed('0.50')),
      new Customer().apply(invoiceIssued()),
      new Customer().apply(creditPolicySet('0.00'), invoiceIssued({ amount: '10.00' })),
    ];
    for (const c of cases) {
      const data = exposureChangedData(c.exposure('2026-02-15'));
      expect(CustomerExposureChanged.validate(data)).toEqual({ ok: true, value: data });
    }
  });
});
