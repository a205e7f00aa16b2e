import { formatMajor } from '@arc/money';
import type { RecordDiscount } from './invoice.commands';
import { overduePrincipal, type InvoiceStreamEvent, type Issued } from './invoice.decider';
import {
  CUSTOMER,
  INVOICE,
  PAYMENT_1,
  allocate,
  allocationRecorded,
  eur,
  eurJson,
  given_,
  issued,
  openBalance,
  overpaid,
  reductionRecorded,
  sourceId,
  stateAfter,
  valid,
} from './invoice.fixtures';

const discount = (n: number, major: string, movement: 'taken' | 'withdrawn' = 'taken'): RecordDiscount => ({
  type: 'RecordDiscount',
  data: { sourceEventId: sourceId(n), paymentId: PAYMENT_1, customerId: CUSTOMER, discount: eur(major), movement },
});
const discountRecorded = (n: number, major: string, movement: 'taken' | 'withdrawn' = 'taken'): InvoiceStreamEvent => ({
  type: movement === 'taken' ? 'DiscountTakenRecorded' : 'DiscountWithdrawalRecorded',
  data: { invoiceId: INVOICE, sourceEventId: sourceId(n), paymentId: PAYMENT_1, discount: eurJson(major) },
});

describe('an early-payment discount taken on the invoice (payments’ PaymentDiscountTaken)', () => {
  const paidWithDiscount = [issued(), allocationRecorded(1, PAYMENT_1, '58800.00')];

  it('closes the invoice: the balance falls by the discount, so nothing is left to accrue interest on or to dun', () => {
    given_(paidWithDiscount)
      .when(discount(2, '1200.00'))
      .then(valid([discountRecorded(2, '1200.00')]));
    const history = [...paidWithDiscount, discountRecorded(2, '1200.00')];
    expect(openBalance(history)).toBe('0.00');
    expect(formatMajor(overduePrincipal(stateAfter(history) as Issued, '2026-03-01'))).toBe('0.00');
  });

  it('counts a redelivered discount once', () => {
    given_([...paidWithDiscount, discountRecorded(2, '1200.00')])
      .when(discount(2, '1200.00'))
      .then([]);
  });

  it('is owed again when withdrawn with the reversed payment that earned it', () => {
    const reversed = [...paidWithDiscount, discountRecorded(2, '1200.00'), reductionRecorded(3, PAYMENT_1, '58800.00')];
    given_(reversed)
      .when(discount(4, '1200.00', 'withdrawn'))
      .then(valid([discountRecorded(4, '1200.00', 'withdrawn')]));
    expect(openBalance([...reversed, discountRecorded(4, '1200.00', 'withdrawn')])).toBe('60000.00');
  });

  it('makes cash beyond the discounted charge an overpayment, as a credit note would', () => {
    given_([issued(), discountRecorded(1, '1200.00')])
      .when(allocate(2, PAYMENT_1, '60000.00'))
      .then(valid([allocationRecorded(2, PAYMENT_1, '60000.00'), overpaid(PAYMENT_1, '1200.00')]));
  });
});
