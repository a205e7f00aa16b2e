import { Topics } from '../topics';
import {
  arrayOf,
  currency,
  date,
  defineEvent,
  minor,
  money,
  nullable,
  object,
  oneOf,
  requireCurrency,
  text,
  uuid,
  type IsoDate,
  type MoneyJson,
  type Uuid,
} from './validation';

/*
 * Invoicing context, topic arc.invoicing.events, stream `statement-<statementId>`: the customer's statement of
 * account for a period (at the close of each month's last day, or on demand), and the customer's answer.
 */

export const STATEMENT_ITEM_KINDS = [
  'invoice',
  'debit-note',
  'credit-note',
  'payment',
  'payment-reversal',
  'cancellation',
  'write-off',
  'recovery',
  // An early-payment discount taken (payments' PaymentDiscountTaken), and withdrawn with its reversed payment.
  'discount',
  'discount-withdrawn',
] as const;
export type StatementItemKind = (typeof STATEMENT_ITEM_KINDS)[number];

export interface StatementItem {
  kind: StatementItemKind;
  /** The business date of the movement. */
  date: IsoDate;
  invoiceId: Uuid;
  /** The document: invoice, debit or credit note number, payment id, write-off id. */
  reference: string;
  /** Signed: what the movement adds to the customer's balance (invoices +, payments −). */
  amount: MoneyJson;
}

export interface StatementIssuedData {
  statementId: Uuid;
  customerId: Uuid;
  currency: string;
  periodFrom: IsoDate;
  periodTo: IsoDate;
  /** Σ open balances at the end of the day before periodFrom. */
  openingBalance: MoneyJson;
  /** Every ledger movement of the period, in date order. */
  items: StatementItem[];
  /** opening + Σ items. */
  closingBalance: MoneyJson;
  issuedOn: IsoDate;
  trigger: 'month-end' | 'on-demand';
}

export const StatementIssued = defineEvent<StatementIssuedData>()({
  type: 'StatementIssued',
  topic: Topics.invoicing,
  schemaVersion: 1,
  shape: {
    statementId: uuid,
    customerId: uuid,
    currency,
    periodFrom: date,
    periodTo: date,
    openingBalance: money('any', 'figure'),
    items: arrayOf(
      object<StatementItem>({ kind: oneOf(STATEMENT_ITEM_KINDS), date, invoiceId: uuid, reference: text, amount: money('any') }),
    ),
    closingBalance: money('any', 'figure'),
    issuedOn: date,
    trigger: oneOf(['month-end', 'on-demand'] as const),
  },
  rules: (data, problems) => {
    const amounts: Record<string, MoneyJson> = { openingBalance: data.openingBalance, closingBalance: data.closingBalance };
    data.items.forEach((item, index) => {
      amounts[`items[${index}].amount`] = item.amount;
    });
    requireCurrency(problems, data.currency, amounts);
    if (data.periodTo < data.periodFrom) problems.push('periodTo must not be before periodFrom');
    if (problems.length > 0) return;
    const closing = data.items.reduce((total, item) => total + minor(item.amount), minor(data.openingBalance));
    if (closing !== minor(data.closingBalance)) problems.push(`closingBalance must be openingBalance + Σ items (${closing})`);
  },
});

export interface StatementConfirmedData {
  statementId: Uuid;
  customerId: Uuid;
  confirmedOn: IsoDate;
  /** Who confirmed for the customer (name or mail). */
  confirmedBy: string;
}

export const StatementConfirmed = defineEvent<StatementConfirmedData>()({
  type: 'StatementConfirmed',
  topic: Topics.invoicing,
  schemaVersion: 1,
  shape: { statementId: uuid, customerId: uuid, confirmedOn: date, confirmedBy: text },
});

export interface StatementObjectionItem {
  invoiceId: Uuid;
  /** The amount the customer contests on that invoice. */
  amount: MoneyJson;
  note: string;
  /** The dispute the objection opened on the invoice (DisputeRaised, reason 'statement-objection'); null if none could be opened. */
  disputeId: Uuid | null;
}

export interface StatementObjectedData {
  statementId: Uuid;
  customerId: Uuid;
  objectedOn: IsoDate;
  objectedBy: string;
  note: string;
  items: StatementObjectionItem[];
}

/** The customer objects to the statement; each contested item opens a dispute on its invoice. */
export const StatementObjected = defineEvent<StatementObjectedData>()({
  type: 'StatementObjected',
  topic: Topics.invoicing,
  schemaVersion: 1,
  shape: {
    statementId: uuid,
    customerId: uuid,
    objectedOn: date,
    objectedBy: text,
    note: text,
    items: arrayOf(object<StatementObjectionItem>({ invoiceId: uuid, amount: money('positive'), note: text, disputeId: nullable(uuid) }), {
      minItems: 1,
    }),
  },
});

export const INVOICING_STATEMENT_CONTRACTS = [StatementIssued, StatementConfirmed, StatementObjected] as const;
