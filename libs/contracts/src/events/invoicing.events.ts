import { Topics } from '../topics';
import { INVOICING_RESOLUTION_CONTRACTS } from './invoicing-resolution.events';
import { INVOICING_STATEMENT_CONTRACTS } from './invoicing-statements.events';
import {
  arrayOf,
  byType,
  currency,
  date,
  defineEvent,
  integer,
  minor,
  money,
  nullable,
  object,
  oneOf,
  optional,
  requireCurrency,
  text,
  uuid,
  type EventUnion,
  type IsoDate,
  type MoneyJson,
  type Uuid,
} from './validation';

/* Invoicing context, topic arc.invoicing.events, stream `invoice-<invoiceId>` (credit notes live on their invoice's stream). */

export interface InvoiceLine {
  description: string;
  /** May be negative for a discount line; the invoice total may not. */
  netAmount: MoneyJson;
  taxAmount: MoneyJson;
}

export interface EarlyPaymentDiscountOffer {
  /** 200 = 2 % of the total. */
  basisPoints: number;
  /** Last business date a payment still earns the discount (the "discount-until" date). */
  payBy: IsoDate;
  /**
   * What settles the invoice when paid by `payBy`: total − the discount, the discount being
   * total × basisPoints / 10 000 rounded half up to the minor unit. Added later without a new version:
   * absent (events written before it) means "compute it by that rule".
   */
  discountedAmount?: MoneyJson;
}

/**
 * One instalment of an invoice: it ages, is dunned and is paid on its own. Payments settle the due items
 * oldest first (lowest sequence first).
 */
export interface InvoiceDueItem {
  /** 1, 2, 3 … in due-date order. */
  sequence: number;
  dueDate: IsoDate;
  amount: MoneyJson;
}

export interface InvoiceIssuedData {
  invoiceId: Uuid;
  invoiceNumber: string;
  customerId: Uuid;
  currency: string;
  lines: InvoiceLine[];
  /** Σ (netAmount + taxAmount) of the lines: the amount the customer owes. */
  total: MoneyJson;
  issueDate: IsoDate;
  dueDate: IsoDate;
  earlyPaymentDiscount: EarlyPaymentDiscountOffer | null;
  /** The credit reservation this invoice consumes, when the order went through a credit check. */
  reservationId: Uuid | null;
  /**
   * Why the invoice was dated on a business day already closed (back-dated by finance). Added later without a
   * new version: absent (events written before it) means null, "not back-dated".
   */
  backdatingReason?: string | null;
  /**
   * The instalments, when the terms split the invoice. Added later without a new version: absent or null means
   * one due item, `{ sequence: 1, dueDate, amount: total }`. Present, the amounts add up to the total, the
   * sequences run 1..n, the due dates do not go backwards and the last one is `dueDate`.
   */
  dueItems?: InvoiceDueItem[] | null;
  /** The customer contract the terms were taken from; absent or null: the credit policy's terms. */
  contractId?: Uuid | null;
}

export const InvoiceIssued = defineEvent<InvoiceIssuedData>()({
  type: 'InvoiceIssued',
  topic: Topics.invoicing,
  schemaVersion: 1,
  shape: {
    invoiceId: uuid,
    invoiceNumber: text,
    customerId: uuid,
    currency,
    lines: arrayOf(object<InvoiceLine>({ description: text, netAmount: money(), taxAmount: money() }), { minItems: 1 }),
    total: money('positive'),
    issueDate: date,
    dueDate: date,
    earlyPaymentDiscount: nullable(
      object<EarlyPaymentDiscountOffer>({ basisPoints: integer(1, 10_000), payBy: date, discountedAmount: optional(money('positive')) }),
    ),
    reservationId: nullable(uuid),
    backdatingReason: optional(nullable(text)),
    dueItems: optional(
      nullable(arrayOf(object<InvoiceDueItem>({ sequence: integer(1), dueDate: date, amount: money('positive') }), { minItems: 1 })),
    ),
    contractId: optional(nullable(uuid)),
  },
  rules: (data, problems) => {
    const amounts: Record<string, MoneyJson> = { total: data.total };
    data.lines.forEach((line, index) => {
      amounts[`lines[${index}].netAmount`] = line.netAmount;
      amounts[`lines[${index}].taxAmount`] = line.taxAmount;
    });
    if (data.earlyPaymentDiscount?.discountedAmount !== undefined) {
      amounts['earlyPaymentDiscount.discountedAmount'] = data.earlyPaymentDiscount.discountedAmount;
    }
    (data.dueItems ?? []).forEach((item, index) => {
      amounts[`dueItems[${index}].amount`] = item.amount;
    });
    requireCurrency(problems, data.currency, amounts);
    if (problems.length === 0) {
      const linesTotal = data.lines.reduce((sum, line) => sum + minor(line.netAmount) + minor(line.taxAmount), 0n);
      if (linesTotal !== minor(data.total)) {
        problems.push(`total must equal the lines' net plus tax (${linesTotal}), not ${data.total.amountMinor}`);
      }
    }
    if (data.dueDate < data.issueDate) problems.push('dueDate must not be before issueDate');
    const discount = data.earlyPaymentDiscount;
    if (discount !== null && (discount.payBy < data.issueDate || discount.payBy > data.dueDate)) {
      problems.push('earlyPaymentDiscount.payBy must be between issueDate and dueDate');
    }
    if (problems.length === 0 && discount?.discountedAmount !== undefined) {
      const expected = discountedTotal(minor(data.total), discount.basisPoints);
      if (minor(discount.discountedAmount) !== expected) {
        problems.push(`earlyPaymentDiscount.discountedAmount must be the total less the discount rounded half up (${expected})`);
      }
    }
    if (problems.length === 0 && data.dueItems !== undefined && data.dueItems !== null) dueItemRules(data, data.dueItems, problems);
  },
});

/** total − round-half-up(total × basisPoints / 10 000): what settles an invoice paid within its discount window. */
export function discountedTotal(totalMinor: bigint, basisPoints: number): bigint {
  const discount = (totalMinor * BigInt(basisPoints) * 2n + 10_000n) / 20_000n;
  return totalMinor - discount;
}

function dueItemRules(data: InvoiceIssuedData, items: InvoiceDueItem[], problems: string[]): void {
  const sum = items.reduce((total, item) => total + minor(item.amount), 0n);
  if (sum !== minor(data.total)) problems.push(`dueItems must add up to the total (${data.total.amountMinor}), not ${sum}`);
  items.forEach((item, index) => {
    if (item.sequence !== index + 1) problems.push(`dueItems[${index}].sequence must be ${index + 1}`);
    const previous = items[index - 1];
    if (previous !== undefined && item.dueDate < previous.dueDate)
      problems.push(`dueItems[${index}].dueDate must not be before the one before it`);
    if (item.dueDate < data.issueDate) problems.push(`dueItems[${index}].dueDate must not be before issueDate`);
  });
  if (items[items.length - 1]?.dueDate !== data.dueDate) problems.push("the last due item's dueDate must be the invoice's dueDate");
}

/** The due items of an invoice, the single implicit one when it names none. */
export function dueItemsOf(data: InvoiceIssuedData): InvoiceDueItem[] {
  return data.dueItems ?? [{ sequence: 1, dueDate: data.dueDate, amount: data.total }];
}

export interface CreditNoteIssuedData {
  creditNoteId: Uuid;
  creditNoteNumber: string;
  /** The invoice whose open balance it reduces; in that invoice's currency. */
  invoiceId: Uuid;
  customerId: Uuid;
  amount: MoneyJson;
  issueDate: IsoDate;
  reason: string;
}

export const CreditNoteIssued = defineEvent<CreditNoteIssuedData>()({
  type: 'CreditNoteIssued',
  topic: Topics.invoicing,
  schemaVersion: 1,
  shape: {
    creditNoteId: uuid,
    creditNoteNumber: text,
    invoiceId: uuid,
    customerId: uuid,
    amount: money('positive'),
    issueDate: date,
    reason: text,
  },
});

export interface InvoiceOverpaidData {
  invoiceId: Uuid;
  customerId: Uuid;
  /** The payment whose allocation the invoice could not absorb (the latest allocations give back first). */
  paymentId: Uuid;
  /**
   * Cash allocated from that payment beyond what the invoice was charged: it belongs on account as
   * unapplied cash. The payments service answers with PaymentAllocationReduced for this amount.
   */
  excess: MoneyJson;
}

/**
 * Invoicing, the owner of the invoice balance, learned of allocations beyond the invoice's open balance
 * (a payment applied on a stale view while a credit note was in flight, or any later change to the invoice).
 * Recorded once per payment and excess; the open balance stays at zero, never below.
 */
export const InvoiceOverpaid = defineEvent<InvoiceOverpaidData>()({
  type: 'InvoiceOverpaid',
  topic: Topics.invoicing,
  schemaVersion: 1,
  shape: { invoiceId: uuid, customerId: uuid, paymentId: uuid, excess: money('positive') },
});

export interface InvoiceCancelledData {
  invoiceId: Uuid;
  customerId: Uuid;
  /** The invoice total that leaves open AR (nothing was allocated, credited or disputed). */
  amount: MoneyJson;
  cancelledOn: IsoDate;
  reason: string;
}

/** The invoice is void: it leaves open AR whole. Only while nothing was allocated, credited, debited or disputed. */
export const InvoiceCancelled = defineEvent<InvoiceCancelledData>()({
  type: 'InvoiceCancelled',
  topic: Topics.invoicing,
  schemaVersion: 1,
  shape: { invoiceId: uuid, customerId: uuid, amount: money('positive'), cancelledOn: date, reason: text },
});

export const DEBIT_NOTE_KINDS = ['late-interest', 'fixed-compensation', 'adjustment'] as const;
export type DebitNoteKind = (typeof DEBIT_NOTE_KINDS)[number];

/** The interest a late-interest debit note charges: accrued per overdue day by the contract's rule. */
export interface LateInterestCharge {
  /** First and last day of lateness the charge covers (inclusive). */
  accruedFrom: IsoDate;
  accruedThrough: IsoDate;
  /** The exact interest accrued in that period, in minor units as a decimal string ("123.4567…"), before rounding. */
  exactMinor: string;
}

export interface DebitNoteIssuedData {
  debitNoteId: Uuid;
  debitNoteNumber: string;
  /** The invoice whose balance it raises; in that invoice's currency. */
  invoiceId: Uuid;
  customerId: Uuid;
  kind: DebitNoteKind;
  amount: MoneyJson;
  issueDate: IsoDate;
  /** When the debit note's amount falls due (it ages as its own item). */
  dueDate: IsoDate;
  reason: string;
  /** Set on kind 'late-interest' only. */
  lateInterest: LateInterestCharge | null;
}

/** Raises the invoice's open balance by `amount` (late interest, the fixed compensation, an adjustment). */
export const DebitNoteIssued = defineEvent<DebitNoteIssuedData>()({
  type: 'DebitNoteIssued',
  topic: Topics.invoicing,
  schemaVersion: 1,
  shape: {
    debitNoteId: uuid,
    debitNoteNumber: text,
    invoiceId: uuid,
    customerId: uuid,
    kind: oneOf(DEBIT_NOTE_KINDS),
    amount: money('positive'),
    issueDate: date,
    dueDate: date,
    reason: text,
    lateInterest: nullable(
      object<LateInterestCharge>({
        accruedFrom: date,
        accruedThrough: date,
        exactMinor: (value, path, problems) => {
          if (typeof value !== 'string' || !/^(0|[1-9]\d*)(\.\d+)?$/.test(value)) {
            problems.push(`${path} must be a non-negative decimal string of minor units (got ${JSON.stringify(value)})`);
          }
        },
      }),
    ),
  },
  rules: (data, problems) => {
    if (data.dueDate < data.issueDate) problems.push('dueDate must not be before issueDate');
    if ((data.kind === 'late-interest') !== (data.lateInterest !== null)) {
      problems.push("lateInterest must be set on kind 'late-interest' and only there");
    }
    if (data.lateInterest !== null && data.lateInterest.accruedThrough < data.lateInterest.accruedFrom) {
      problems.push('lateInterest.accruedThrough must not be before accruedFrom');
    }
  },
});

export const InvoicingEvents = byType([
  InvoiceIssued,
  CreditNoteIssued,
  InvoiceOverpaid,
  InvoiceCancelled,
  DebitNoteIssued,
  ...INVOICING_RESOLUTION_CONTRACTS,
  ...INVOICING_STATEMENT_CONTRACTS,
]);
export type InvoicingEvent = EventUnion<typeof InvoicingEvents>;
export type InvoicingEventType = InvoicingEvent['type'];
