/*
 * The state of a customer's payment account and how its events change it (evolve). Pure.
 */
import type { BusinessDate } from '@arc/clock';
import type { PaymentsEvent, UnmatchedCashFallback } from '@arc/contracts';
import { add, parseMoney, subtract, sum, zero, type Money } from '@arc/money';
import { invoiceBalance, noFigures, type InvoiceFigures } from '@arc/receivables';

export const paymentAccountStreamId = (customerId: string): string => `payment-account-${customerId}`;

/** An open invoice of the customer as the payments service's view knows it from invoicing events. */
export interface OpenInvoice {
  invoiceId: string;
  /** Matched against the payer's remittance; optional. */
  invoiceNumber?: string;
  dueDate: BusinessDate;
  /**
   * What invoicing says is owed: total − credit notes (− write-offs + debit notes, once they exist).
   * NOT reduced by payments or discounts: this account's own allocations and discounts are its state and are
   * subtracted here, so a view that also subtracted them would count them twice.
   */
  openAmount: Money;
  /** The invoice total (what an early-payment discount is a percentage of); absent: openAmount. */
  total?: Money;
  /** InvoiceIssued.earlyPaymentDiscount; absent or null: none offered. */
  earlyPaymentDiscount?: { basisPoints: number; payBy: BusinessDate } | null;
}

export interface PaymentSettings {
  unmatchedCash: UnmatchedCashFallback;
  applyUnappliedToNewInvoices: boolean;
  discountToleranceMinor: bigint;
}

/** Before finance sets anything: the rule ARC always had (oldest due first), no automatic application, no tolerance. */
export const DEFAULT_PAYMENT_SETTINGS: PaymentSettings = {
  unmatchedCash: 'oldest-due-first',
  applyUnappliedToNewInvoices: false,
  discountToleranceMinor: 0n,
};

export interface RecordedPayment {
  bankReference: string;
  amount: Money;
  receivedOn: string;
  /** What is left of this payment after the cash applied from it, refunds and a reversal. */
  unapplied: Money;
  /** invoice id → Σ cash applied from this payment to it, net of reductions. */
  allocations: ReadonlyMap<string, Money>;
  /** invoice id → Σ early-payment discount this payment earned on it, net of withdrawals. */
  discounts: ReadonlyMap<string, Money>;
  /** Σ refunded out of it. */
  refunded: Money;
  reversed: boolean;
}

export type PaymentAccount =
  | { status: 'no-payments'; settings: PaymentSettings }
  | {
      status: 'active';
      customerId: string;
      settings: PaymentSettings;
      payments: ReadonlyMap<string, RecordedPayment>;
      /** bank reference → payment id */
      bankReferences: ReadonlyMap<string, string>;
      /** invoice id → Σ cash this account applied to it */
      allocated: ReadonlyMap<string, Money>;
      /** invoice id → Σ discounts taken on it */
      discounts: ReadonlyMap<string, Money>;
    };

export const initialState: PaymentAccount = { status: 'no-payments', settings: DEFAULT_PAYMENT_SETTINGS };

// ------------------------------------------------------------------------------------------ pure figures

/** Cash this account has applied to the invoice so far. */
export function allocatedTo(account: PaymentAccount, invoiceId: string, currency: string): Money {
  return (account.status === 'active' ? account.allocated.get(invoiceId) : undefined) ?? zero(currency);
}

/** Early-payment discounts this account has taken on the invoice. */
export function discountedOn(account: PaymentAccount, invoiceId: string, currency: string): Money {
  return (account.status === 'active' ? account.discounts.get(invoiceId) : undefined) ?? zero(currency);
}

/**
 * The invoice's figures for the one rule (@arc/receivables): what invoicing charged as the view knows it
 * (total − credit notes, carried as `openAmount`), this account's allocations, and its discounts, which lower the
 * balance like a credit note (no document, no cash).
 */
export function invoiceFigures(account: PaymentAccount, invoice: OpenInvoice): InvoiceFigures {
  const { currency } = invoice.openAmount;
  return {
    ...noFigures(currency, invoice.openAmount),
    allocated: allocatedTo(account, invoice.invoiceId, currency),
    credited: discountedOn(account, invoice.invoiceId, currency),
  };
}

/** The invoice's open balance once this account's allocations and discounts are taken off, by the one rule: never negative. */
export function openAfterAllocations(account: PaymentAccount, invoice: OpenInvoice): Money {
  return invoiceBalance(invoiceFigures(account, invoice)).open;
}

/** Unapplied cash on account in a currency: Σ over payments of what each has left. */
export function unappliedCash(account: PaymentAccount, currency: string): Money {
  if (account.status !== 'active') return zero(currency);
  return sum(
    [...account.payments.values()].map((p) => p.unapplied).filter((m) => m.currency === currency),
    currency,
  );
}

// ------------------------------------------------------------------------------------------------ evolve

type Active = Extract<PaymentAccount, { status: 'active' }>;

const plus = (map: ReadonlyMap<string, Money>, key: string, amount: Money): Map<string, Money> => {
  const next = new Map(map);
  const before = next.get(key);
  next.set(key, before === undefined ? amount : add(before, amount));
  return next;
};

function withPayment(account: Active, paymentId: string, change: (p: RecordedPayment) => RecordedPayment): Active {
  const payment = account.payments.get(paymentId);
  if (payment === undefined) return account;
  const payments = new Map(account.payments);
  payments.set(paymentId, change(payment));
  return { ...account, payments };
}

const negative = (m: Money): Money => subtract(zero(m.currency), m);

export function evolve(account: PaymentAccount, event: PaymentsEvent): PaymentAccount {
  switch (event.type) {
    case 'PaymentReceived': {
      const d = event.data;
      const amount = parseMoney(d.amount, 'amount');
      const base: Active =
        account.status === 'active'
          ? account
          : {
              status: 'active',
              customerId: d.customerId,
              settings: account.settings,
              payments: new Map(),
              bankReferences: new Map(),
              allocated: new Map(),
              discounts: new Map(),
            };
      const payments = new Map(base.payments);
      payments.set(d.paymentId, {
        bankReference: d.bankReference,
        amount,
        receivedOn: d.receivedOn,
        unapplied: amount,
        allocations: new Map(),
        discounts: new Map(),
        refunded: zero(amount.currency),
        reversed: false,
      });
      const bankReferences = new Map(base.bankReferences);
      bankReferences.set(d.bankReference, d.paymentId);
      return { ...base, payments, bankReferences };
    }
    case 'PaymentAllocated':
    case 'PaymentAllocationReduced': {
      if (account.status !== 'active') return account;
      const d = event.data;
      const parsed = parseMoney(d.amount, 'amount');
      const amount = event.type === 'PaymentAllocated' ? parsed : negative(parsed);
      const moved = withPayment(account, d.paymentId, (p) => ({
        ...p,
        unapplied: subtract(p.unapplied, amount),
        allocations: plus(p.allocations, d.invoiceId, amount),
      }));
      return { ...moved, allocated: plus(account.allocated, d.invoiceId, amount) };
    }
    case 'PaymentDiscountTaken':
    case 'PaymentDiscountWithdrawn': {
      if (account.status !== 'active') return account;
      const d = event.data;
      const parsed = parseMoney(d.discount, 'discount');
      const amount = event.type === 'PaymentDiscountTaken' ? parsed : negative(parsed);
      const moved = withPayment(account, d.paymentId, (p) => ({ ...p, discounts: plus(p.discounts, d.invoiceId, amount) }));
      return { ...moved, discounts: plus(account.discounts, d.invoiceId, amount) };
    }
    case 'PaymentRefunded': {
      if (account.status !== 'active') return account;
      const amount = parseMoney(event.data.amount, 'amount');
      return withPayment(account, event.data.paymentId, (p) => ({
        ...p,
        unapplied: subtract(p.unapplied, amount),
        refunded: add(p.refunded, amount),
      }));
    }
    case 'PaymentReversed': {
      if (account.status !== 'active') return account;
      const amount = parseMoney(event.data.amount, 'amount');
      return withPayment(account, event.data.paymentId, (p) => ({ ...p, unapplied: subtract(p.unapplied, amount), reversed: true }));
    }
    case 'CustomerPaymentSettingsSet': {
      const d = event.data;
      return {
        ...account,
        settings: {
          unmatchedCash: d.unmatchedCash,
          applyUnappliedToNewInvoices: d.applyUnappliedToNewInvoices,
          discountToleranceMinor: BigInt(d.discountToleranceMinor),
        },
      };
    }
    case 'PaymentLeftUnapplied':
    // It reports the payment's remainder, which the allocations already determine; it moves nothing.
    case 'ShortPaymentRecorded':
    // Information for invoicing (a dispute); the shortfall simply stays open.
    case 'PayerAccountMapped':
    case 'BankStatementImported':
    case 'SuspenseReceiptRecorded':
    case 'SuspenseReceiptAssigned':
      // Written on the bank-statement streams, never on a payment account.
      return account;
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${(unknown as { type: string }).type}`);
    }
  }
}
