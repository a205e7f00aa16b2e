import { Topics } from '../topics';
import {
  arrayOf,
  byType,
  date,
  defineEvent,
  money,
  nullable,
  oneOf,
  optional,
  text,
  uuid,
  type EventUnion,
  type IsoDate,
  type MoneyJson,
  type Uuid,
} from './validation';

/*
 * Payments context, topic arc.payments.events, one stream per customer, `payment-account-<customerId>`.
 * A customer's unapplied cash is Σ PaymentReceived.amount − Σ PaymentAllocated.amount (minus refunds, when
 * they exist); PaymentLeftUnapplied reports that state, it is not a further movement to add.
 */

export const PAYMENT_METHODS = ['bank-transfer', 'cheque', 'cash', 'card', 'e-payment'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface PaymentReceivedData {
  paymentId: Uuid;
  customerId: Uuid;
  /** The bank's reference: recording the same reference twice is the same receipt. */
  bankReference: string;
  amount: MoneyJson;
  receivedOn: IsoDate;
  method: PaymentMethod;
  /** Invoice numbers or other references the payer quoted; cash application matches on them first. */
  remittanceReferences: string[];
  /**
   * Why the receipt was dated on a business day already closed (back-dated by finance). Added later without a
   * new version: absent (events written before it) means null, "not back-dated".
   */
  backdatingReason?: string | null;
}

export const PaymentReceived = defineEvent<PaymentReceivedData>()({
  type: 'PaymentReceived',
  topic: Topics.payments,
  schemaVersion: 1,
  shape: {
    paymentId: uuid,
    customerId: uuid,
    bankReference: text,
    amount: money('positive'),
    receivedOn: date,
    method: oneOf(PAYMENT_METHODS),
    remittanceReferences: arrayOf(text),
    backdatingReason: optional(nullable(text)),
  },
});

export interface PaymentAllocatedData {
  paymentId: Uuid;
  customerId: Uuid;
  invoiceId: Uuid;
  /** Cash applied to the invoice, in the payment's currency (which must be the invoice's). */
  amount: MoneyJson;
  allocatedOn: IsoDate;
}

export const PaymentAllocated = defineEvent<PaymentAllocatedData>()({
  type: 'PaymentAllocated',
  topic: Topics.payments,
  schemaVersion: 1,
  shape: {
    paymentId: uuid,
    customerId: uuid,
    invoiceId: uuid,
    amount: money('positive'),
    allocatedOn: date,
  },
});

export interface PaymentLeftUnappliedData {
  paymentId: Uuid;
  customerId: Uuid;
  /** What remains of this payment on account after cash application; stays until allocated or refunded. */
  unapplied: MoneyJson;
}

/**
 * Read by no other context today (projections and credit count unapplied cash from received − allocated):
 * kept as the per-payment record of what stays on account, which issue 12 applies later to chosen invoices.
 */
export const PaymentLeftUnapplied = defineEvent<PaymentLeftUnappliedData>()({
  type: 'PaymentLeftUnapplied',
  topic: Topics.payments,
  schemaVersion: 1,
  shape: { paymentId: uuid, customerId: uuid, unapplied: money('positive') },
});

export const PaymentsEvents = byType([PaymentReceived, PaymentAllocated, PaymentLeftUnapplied]);
export type PaymentsEvent = EventUnion<typeof PaymentsEvents>;
export type PaymentsEventType = PaymentsEvent['type'];
