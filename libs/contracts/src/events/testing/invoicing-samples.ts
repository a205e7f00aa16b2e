import type { ArcEventData } from '../registry';

/* Samples of the invoicing events added with contracts, disputes, write-offs and statements, one valid payload each. */

const CUSTOMER = 'c0ffee00-0000-4000-8000-000000000001';
const INVOICE = '7f3c2a1e-4b5d-4c6e-8f90-123456789abc';
const PAYMENT = 'b1b2c3d4-0000-4000-8000-000000000003';
const DISPUTE = 'd15d15d1-0000-4000-8000-000000000001';
const CREDIT_NOTE = 'd1b2c3d4-0000-4000-8000-000000000004';
const WRITE_OFF = 'a0ff0ff0-0000-4000-8000-000000000001';
const STATEMENT = '57a7e000-0000-4000-8000-000000000001';

const eur = (amountMinor: string) => ({ amountMinor, currency: 'EUR' });

type InvoicingSamples = {
  [
    T in
      | 'InvoiceCancelled'
      | 'DebitNoteIssued'
      | 'DisputeRaised'
      | 'DisputeResolved'
      | 'WriteOffRequested'
      | 'WriteOffApproved'
      | 'WriteOffRejected'
      | 'InvoiceWrittenOff'
      | 'WriteOffRecovered'
      | 'StatementIssued'
      | 'StatementConfirmed'
      | 'StatementObjected'
  ]: ArcEventData<T>;
};

export const invoicingSamples: InvoicingSamples = {
  InvoiceCancelled: {
    invoiceId: INVOICE,
    customerId: CUSTOMER,
    amount: eur('6000000'),
    cancelledOn: '2026-01-16',
    reason: 'order cancelled',
  },
  DebitNoteIssued: {
    debitNoteId: 'deb17000-0000-4000-8000-000000000001',
    debitNoteNumber: 'DN-2026-000001',
    invoiceId: INVOICE,
    customerId: CUSTOMER,
    kind: 'late-interest',
    amount: eur('12345'),
    issueDate: '2026-03-31',
    dueDate: '2026-04-30',
    reason: 'late interest 2026-02-15..2026-03-31',
    lateInterest: { accruedFrom: '2026-02-15', accruedThrough: '2026-03-31', exactMinor: '12345.2871' },
  },
  DisputeRaised: {
    disputeId: DISPUTE,
    invoiceId: INVOICE,
    customerId: CUSTOMER,
    amount: eur('2400000'),
    wholeInvoice: false,
    dueSequence: null,
    reasonCode: 'quality',
    note: '4 of 10 pumps leak',
    evidenceRefs: ['mail:2026-01-20-claim'],
    raisedOn: '2026-01-21',
    raisedByRole: 'sales',
  },
  DisputeResolved: {
    disputeId: DISPUTE,
    invoiceId: INVOICE,
    customerId: CUSTOMER,
    outcome: 'accepted',
    disputedAmount: eur('2400000'),
    acceptedAmount: eur('2400000'),
    collectableAgain: eur('0'),
    creditNoteId: CREDIT_NOTE,
    resolvedOn: '2026-02-01',
    note: 'claim accepted after inspection',
    durationDays: 11,
    reasonCode: 'quality',
  },
  WriteOffRequested: {
    writeOffId: WRITE_OFF,
    invoiceId: INVOICE,
    customerId: CUSTOMER,
    amount: eur('6000000'),
    reason: 'customer insolvent, no dividend expected',
    requestedOn: '2026-06-01',
    requestedBy: 'user-collections-1',
  },
  WriteOffApproved: {
    writeOffId: WRITE_OFF,
    invoiceId: INVOICE,
    customerId: CUSTOMER,
    amount: eur('6000000'),
    approvedOn: '2026-06-02',
    approvedBy: 'user-finance-1',
  },
  WriteOffRejected: {
    writeOffId: WRITE_OFF,
    invoiceId: INVOICE,
    customerId: CUSTOMER,
    rejectedOn: '2026-06-03',
    rejectedBy: 'user-legal-1',
    step: 'legal-sign-off',
    reason: 'insolvency claim not yet filed',
  },
  InvoiceWrittenOff: {
    writeOffId: WRITE_OFF,
    invoiceId: INVOICE,
    customerId: CUSTOMER,
    amount: eur('6000000'),
    writtenOffOn: '2026-06-03',
    requestedBy: 'user-collections-1',
    approvedBy: 'user-finance-1',
    signedOffBy: 'user-legal-1',
    reason: 'customer insolvent, no dividend expected',
  },
  WriteOffRecovered: { invoiceId: INVOICE, customerId: CUSTOMER, paymentId: PAYMENT, amount: eur('100000'), recoveredOn: '2026-09-01' },
  StatementIssued: {
    statementId: STATEMENT,
    customerId: CUSTOMER,
    currency: 'EUR',
    periodFrom: '2026-01-01',
    periodTo: '2026-01-31',
    openingBalance: eur('0'),
    items: [
      { kind: 'invoice', date: '2026-01-15', invoiceId: INVOICE, reference: 'INV-2026-000123', amount: eur('6000000') },
      { kind: 'credit-note', date: '2026-01-20', invoiceId: INVOICE, reference: 'CN-2026-000007', amount: eur('-50000') },
      { kind: 'payment', date: '2026-01-25', invoiceId: INVOICE, reference: PAYMENT, amount: eur('-1000000') },
    ],
    closingBalance: eur('4950000'),
    issuedOn: '2026-01-31',
    trigger: 'month-end',
  },
  StatementConfirmed: { statementId: STATEMENT, customerId: CUSTOMER, confirmedOn: '2026-02-05', confirmedBy: 'ap@acme.example' },
  StatementObjected: {
    statementId: STATEMENT,
    customerId: CUSTOMER,
    objectedOn: '2026-02-05',
    objectedBy: 'ap@acme.example',
    note: 'freight was never delivered',
    items: [{ invoiceId: INVOICE, amount: eur('50000'), note: 'freight', disputeId: DISPUTE }],
  },
};
