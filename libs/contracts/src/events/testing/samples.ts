import type { ArcEventData, ArcEventType } from '../registry';
import { creditManagementSamples } from './credit-samples';
import { invoicingSamples } from './invoicing-samples';

export const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';
export const INVOICE = '7f3c2a1e-4b5d-4c6e-8f90-123456789abc';
export const RESERVATION = 'a1b2c3d4-0000-4000-8000-000000000002';
export const PAYMENT = 'b1b2c3d4-0000-4000-8000-000000000003';
export const FAILED_CHECK = 'a1b2c3d4-0000-4000-8000-000000000005';

const eur = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

/** One valid payload per event type; the mapped type makes a new event type without a sample a compile error. */
export const samples: { [T in ArcEventType]: ArcEventData<T> } = {
  CustomerRegistered: {
    customerId: CUSTOMER,
    legalName: 'Acme Industrie GmbH',
    registrationNumber: 'HRB 12345',
    industry: 'machinery',
    country: 'DE',
    currency: 'EUR',
    businessUnit: 'EMEA',
  },
  CreditPolicySet: {
    customerId: CUSTOMER,
    creditClass: 'B',
    creditLimit: eur('10000000'),
    paymentTermDays: 30,
    acceptedPaymentMethods: ['bank-transfer', 'cheque'],
    earlyPaymentDiscount: { basisPoints: 200, withinDays: 10 },
    prepaymentBasisPoints: 0,
    insuredAmount: null,
    nextReviewDate: '2026-12-31',
  },
  CreditCheckPassed: {
    customerId: CUSTOMER,
    reservationId: RESERVATION,
    orderReference: 'SO-2026-0042',
    amount: eur('6000000'),
    exposureBefore: eur('4000000'),
    creditLimit: eur('10000000'),
    override: null,
  },
  CreditCheckFailed: {
    customerId: CUSTOMER,
    checkId: FAILED_CHECK,
    orderReference: 'SO-2026-0043',
    amount: eur('100'),
    reason: 'limit-exceeded',
    exposure: eur('10000000'),
    creditLimit: eur('10000000'),
  },
  CreditReservationReleased: {
    customerId: CUSTOMER,
    reservationId: RESERVATION,
    amount: eur('6000000'),
    reason: 'order cancelled',
  },
  CreditReservationConsumed: {
    customerId: CUSTOMER,
    reservationId: RESERVATION,
    invoiceId: INVOICE,
    amount: eur('6000000'),
  },
  CreditHoldPlaced: { customerId: CUSTOMER, source: 'collections', reason: '45 days past due' },
  CreditHoldReleased: { customerId: CUSTOMER, reason: 'overdue paid' },
  InvoiceIssued: {
    invoiceId: INVOICE,
    invoiceNumber: 'INV-2026-000123',
    customerId: CUSTOMER,
    currency: 'EUR',
    lines: [
      { description: 'Pump P-200 ×10', netAmount: eur('5000000'), taxAmount: eur('950000') },
      { description: 'Freight', netAmount: eur('50000'), taxAmount: eur('0') },
    ],
    total: eur('6000000'),
    issueDate: '2026-01-15',
    dueDate: '2026-02-14',
    earlyPaymentDiscount: { basisPoints: 200, payBy: '2026-01-25' },
    reservationId: RESERVATION,
  },
  CreditNoteIssued: {
    creditNoteId: 'd1b2c3d4-0000-4000-8000-000000000004',
    creditNoteNumber: 'CN-2026-000007',
    invoiceId: INVOICE,
    customerId: CUSTOMER,
    amount: eur('50000'),
    issueDate: '2026-01-20',
    reason: 'freight not delivered',
  },
  InvoiceOverpaid: { invoiceId: INVOICE, customerId: CUSTOMER, paymentId: PAYMENT, excess: eur('50000') },
  PaymentReceived: {
    paymentId: PAYMENT,
    customerId: CUSTOMER,
    bankReference: 'CAMT-20260125-0001',
    amount: eur('6500000'),
    receivedOn: '2026-01-25',
    method: 'bank-transfer',
    remittanceReferences: ['INV-2026-000123'],
  },
  PaymentAllocated: {
    paymentId: PAYMENT,
    customerId: CUSTOMER,
    invoiceId: INVOICE,
    amount: eur('5950000'),
    allocatedOn: '2026-01-25',
  },
  PaymentLeftUnapplied: { paymentId: PAYMENT, customerId: CUSTOMER, unapplied: eur('550000') },
  PaymentAllocationReduced: {
    paymentId: PAYMENT,
    customerId: CUSTOMER,
    invoiceId: INVOICE,
    amount: eur('50000'),
    reason: 'invoice-overpaid',
  },
  BusinessDayClosed: { date: '2026-02-14' },
  CustomerExposureChanged: {
    customerId: CUSTOMER,
    asOf: '2026-02-20',
    currency: 'EUR',
    creditLimit: eur('10000000'),
    openAr: eur('6000000'),
    overdue: eur('6000000'),
    disputed: eur('0'),
    reserved: eur('2000000'),
    unappliedCash: eur('0'),
    exposure: eur('8000000'),
    availableCredit: eur('2000000'),
    utilisationBasisPoints: 8000,
    creditClass: 'B',
    onHold: false,
  },
  CustomerAgingChanged: {
    customerId: CUSTOMER,
    asOf: '2026-04-20',
    currency: 'EUR',
    bucketSetId: 'standard',
    notYetDue: eur('1000000'),
    buckets: [
      { label: '1-30', amount: eur('0') },
      { label: '31-60', amount: eur('2000000') },
      { label: '61-90', amount: eur('4000000') },
      { label: '90+', amount: eur('0') },
    ],
    overdue: eur('6000000'),
    totalOpen: eur('7000000'),
    oldestDaysPastDue: 65,
  },
  PortfolioKpisChanged: {
    asOf: '2026-03-31',
    segment: { kind: 'portfolio', key: null },
    currency: 'EUR',
    periodDays: 90,
    totalAr: eur('30000000'),
    overdue: eur('7500000'),
    creditSales: eur('60000000'),
    overdueRatioBasisPoints: 2500,
    dsoDays: 45,
    arTurnoverBasisPoints: 20000,
    ceiBasisPoints: 8500,
  },
  AlertRaised: {
    alertId: 'e1b2c3d4-0000-4000-8000-000000000005',
    ruleId: 'utilisation-above-80',
    metric: 'utilisation',
    subject: { kind: 'customer', key: CUSTOMER },
    severity: 'warning',
    observedValue: '8000',
    thresholdValue: '8000',
    unit: 'basis-points',
    currency: null,
    businessDate: '2026-02-20',
    message: 'Credit utilisation 80 % reached the 80 % threshold',
  },
  AlertResolved: {
    alertId: 'e1b2c3d4-0000-4000-8000-000000000005',
    ruleId: 'utilisation-above-80',
    subject: { kind: 'customer', key: CUSTOMER },
    businessDate: '2026-02-25',
    resolution: 'condition-cleared',
  },
  CollectionCaseOpened: {
    caseId: 'f1b2c3d4-0000-4000-8000-000000000006',
    customerId: CUSTOMER,
    openedOn: '2026-02-15',
    overdueAmount: eur('6000000'),
    oldestDaysPastDue: 1,
  },
  CollectionCaseClosed: {
    caseId: 'f1b2c3d4-0000-4000-8000-000000000006',
    customerId: CUSTOMER,
    closedOn: '2026-03-01',
    reason: 'overdue-cleared',
  },
  DunningStepExecuted: {
    customerId: CUSTOMER,
    invoiceId: INVOICE,
    invoiceNumber: 'INV-2026-000042',
    stepId: 'friendly-reminder',
    action: 'friendly-reminder',
    channels: ['email'],
    template: 'friendly-reminder',
    dueDate: '2026-03-01',
    businessDate: '2026-03-02',
    scheduledOn: '2026-03-02',
    offsetDays: 1,
    openAmount: eur('6000000'),
  },
  CollectionsCreditHoldRequested: { customerId: CUSTOMER, requestedOn: '2026-04-15', reason: 'dunning step credit-hold' },
  CollectionsCreditHoldReleaseRequested: { customerId: CUSTOMER, requestedOn: '2026-04-20', reason: 'nothing overdue' },
  PaymentArrangementBroken: {
    customerId: CUSTOMER,
    arrangementId: 'f1b2c3d4-0000-4000-8000-000000000007',
    kind: 'promise',
    brokenOn: '2026-04-21',
    instalment: 1,
    expected: eur('500000'),
    paid: eur('400000'),
    partlyKept: true,
  },
  ...creditManagementSamples,
  ...invoicingSamples,
};

/** Deep copy of a sample with some fields replaced (or removed, with `undefined`), for one-problem tests. */
export function variant<T extends ArcEventType>(type: T, changes: Record<string, unknown>): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(samples[type])) as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete copy[key];
    else copy[key] = value;
  }
  return copy;
}
