/* Event builders for the projections' unit tests: valid contract payloads with only the interesting fields to set. */
import type {
  CreditCheckPassedData,
  CreditNoteIssuedData,
  CreditPolicySetData,
  CreditReservationConsumedData,
  CreditReservationReleasedData,
  InvoiceIssuedData,
  MoneyJson,
  PaymentAllocatedData,
  PaymentAllocationReducedData,
  PaymentReceivedData,
} from '@arc/contracts';
import { parseMajor, toJson } from '@arc/money';

export const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';
export const OTHER_CUSTOMER = 'c0ffee00-0000-4000-8000-000000000002';
export const INVOICE = '7f3c2a1e-4b5d-4c6e-8f90-000000000001';
export const INVOICE_2 = '7f3c2a1e-4b5d-4c6e-8f90-000000000002';
export const RESERVATION = 'a1b2c3d4-0000-4000-8000-000000000001';
export const PAYMENT = 'b1b2c3d4-0000-4000-8000-000000000001';

export const eur = (major: string): MoneyJson => toJson(parseMajor(major, 'EUR'));

export function invoiceIssued(over: Partial<InvoiceIssuedData> & { amount?: string } = {}): {
  type: 'InvoiceIssued';
  data: InvoiceIssuedData;
} {
  const { amount = '60000.00', ...rest } = over;
  const total = eur(amount);
  return {
    type: 'InvoiceIssued',
    data: {
      invoiceId: INVOICE,
      invoiceNumber: 'INV-2026-0001',
      customerId: CUSTOMER,
      currency: 'EUR',
      lines: [{ description: 'machines', netAmount: total, taxAmount: eur('0') }],
      total,
      issueDate: '2026-01-01',
      dueDate: '2026-01-31',
      earlyPaymentDiscount: null,
      reservationId: null,
      ...rest,
    },
  };
}

export function paymentAllocated(
  amount: string,
  over: Partial<PaymentAllocatedData> = {},
): { type: 'PaymentAllocated'; data: PaymentAllocatedData } {
  return {
    type: 'PaymentAllocated',
    data: { paymentId: PAYMENT, customerId: CUSTOMER, invoiceId: INVOICE, amount: eur(amount), allocatedOn: '2026-01-20', ...over },
  };
}

export function paymentAllocationReduced(
  amount: string,
  over: Partial<PaymentAllocationReducedData> = {},
): { type: 'PaymentAllocationReduced'; data: PaymentAllocationReducedData } {
  return {
    type: 'PaymentAllocationReduced',
    data: { paymentId: PAYMENT, customerId: CUSTOMER, invoiceId: INVOICE, amount: eur(amount), reason: 'invoice-overpaid', ...over },
  };
}

export function paymentReceived(
  amount: string,
  over: Partial<PaymentReceivedData> = {},
): { type: 'PaymentReceived'; data: PaymentReceivedData } {
  return {
    type: 'PaymentReceived',
    data: {
      paymentId: PAYMENT,
      customerId: CUSTOMER,
      bankReference: 'BANK-1',
      amount: eur(amount),
      receivedOn: '2026-01-20',
      method: 'bank-transfer',
      remittanceReferences: [],
      ...over,
    },
  };
}

export function creditNoteIssued(
  amount: string,
  over: Partial<CreditNoteIssuedData> = {},
): { type: 'CreditNoteIssued'; data: CreditNoteIssuedData } {
  return {
    type: 'CreditNoteIssued',
    data: {
      creditNoteId: 'd1b2c3d4-0000-4000-8000-000000000001',
      creditNoteNumber: 'CN-2026-0001',
      invoiceId: INVOICE,
      customerId: CUSTOMER,
      amount: eur(amount),
      issueDate: '2026-01-10',
      reason: 'damaged goods',
      ...over,
    },
  };
}

export function creditPolicySet(
  limit: string,
  over: Partial<CreditPolicySetData> = {},
): { type: 'CreditPolicySet'; data: CreditPolicySetData } {
  return {
    type: 'CreditPolicySet',
    data: {
      customerId: CUSTOMER,
      creditClass: 'B',
      creditLimit: eur(limit),
      paymentTermDays: 30,
      acceptedPaymentMethods: ['bank-transfer'],
      earlyPaymentDiscount: null,
      prepaymentBasisPoints: 0,
      insuredAmount: null,
      nextReviewDate: '2026-12-31',
      ...over,
    },
  };
}

export function creditCheckPassed(
  amount: string,
  over: Partial<CreditCheckPassedData> = {},
): { type: 'CreditCheckPassed'; data: CreditCheckPassedData } {
  return {
    type: 'CreditCheckPassed',
    data: {
      customerId: CUSTOMER,
      reservationId: RESERVATION,
      orderReference: 'SO-1',
      amount: eur(amount),
      exposureBefore: eur('0'),
      creditLimit: eur('100000.00'),
      override: null,
      ...over,
    },
  };
}

export function reservationReleased(
  amount: string,
  over: Partial<CreditReservationReleasedData> = {},
): { type: 'CreditReservationReleased'; data: CreditReservationReleasedData } {
  return {
    type: 'CreditReservationReleased',
    data: { customerId: CUSTOMER, reservationId: RESERVATION, amount: eur(amount), reason: 'order cancelled', ...over },
  };
}

export function reservationConsumed(
  amount: string,
  over: Partial<CreditReservationConsumedData> = {},
): { type: 'CreditReservationConsumed'; data: CreditReservationConsumedData } {
  return {
    type: 'CreditReservationConsumed',
    data: { customerId: CUSTOMER, reservationId: RESERVATION, invoiceId: INVOICE, amount: eur(amount), ...over },
  };
}

/** Every ordering of a small list (n! of them; keep n ≤ 7). */
export function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  const result: T[][] = [];
  items.forEach((item, index) => {
    const rest = [...items.slice(0, index), ...items.slice(index + 1)];
    for (const tail of permutations(rest)) result.push([item, ...tail]);
  });
  return result;
}

/** A seeded shuffle (mulberry32), so a failing random order can be replayed from its seed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const result = [...items];
  for (let i = result.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [result[i], result[j]] = [result[j] as T, result[i] as T];
  }
  return result;
}
