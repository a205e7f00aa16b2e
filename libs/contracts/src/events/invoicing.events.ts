import { Topics } from '../topics';
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
  /** Last business date a payment still earns the discount. */
  payBy: IsoDate;
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
    earlyPaymentDiscount: nullable(object<EarlyPaymentDiscountOffer>({ basisPoints: integer(1, 10_000), payBy: date })),
    reservationId: nullable(uuid),
    backdatingReason: optional(nullable(text)),
  },
  rules: (data, problems) => {
    const amounts: Record<string, MoneyJson> = { total: data.total };
    data.lines.forEach((line, index) => {
      amounts[`lines[${index}].netAmount`] = line.netAmount;
      amounts[`lines[${index}].taxAmount`] = line.taxAmount;
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
  },
});

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

export const InvoicingEvents = byType([InvoiceIssued, CreditNoteIssued]);
export type InvoicingEvent = EventUnion<typeof InvoicingEvents>;
export type InvoicingEventType = InvoicingEvent['type'];
