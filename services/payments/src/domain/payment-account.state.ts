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
  /** The instalments (InvoiceIssued.dueItems) in sequence; absent or null: one, the whole amount on dueDate. */
  dueItems?: ReadonlyArray<{ dueDate: BusinessDate; amount: Money }> | null;
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

/** An account whose maps the holder may change in place: a private copy (see `draftOf`), never a state others hold. */
export interface Draft {
  status: 'no-payments' | 'active';
  customerId: string;
  settings: PaymentSettings;
  payments: Map<string, RecordedPayment>;
  bankReferences: Map<string, string>;
  allocated: Map<string, Money>;
  discounts: Map<string, Money>;
}

/** A private copy of the account's maps (O(size) once), to apply many events in place (a statement's receipts). */
export function draftOf(account: PaymentAccount): Draft {
  if (account.status === 'no-payments') {
    return {
      status: 'no-payments',
      customerId: '',
      settings: account.settings,
      payments: new Map(),
      bankReferences: new Map(),
      allocated: new Map(),
      discounts: new Map(),
    };
  }
  return {
    status: 'active',
    customerId: account.customerId,
    settings: account.settings,
    payments: new Map(account.payments),
    bankReferences: new Map(account.bankReferences),
    allocated: new Map(account.allocated),
    discounts: new Map(account.discounts),
  };
}

/** The draft as an account (no copy: the draft must not be changed afterwards). */
export function accountOf(draft: Draft): PaymentAccount {
  return draft.status === 'no-payments' ? { status: 'no-payments', settings: draft.settings } : (draft as Active);
}

/** The empty map of amounts every new payment starts with (never changed: `applyInPlace` copies before it adds). */
const NO_AMOUNTS: ReadonlyMap<string, Money> = new Map();
const zeros = new Map<string, Money>();
/** Zero in the currency, one shared (frozen) value per currency. */
function zeroIn(currency: string): Money {
  let z = zeros.get(currency);
  if (z === undefined) zeros.set(currency, (z = zero(currency)));
  return z;
}

const plus = (map: Map<string, Money>, key: string, amount: Money): void => {
  const before = map.get(key);
  map.set(key, before === undefined ? amount : add(before, amount));
};

const negative = (m: Money): Money => subtract(zero(m.currency), m);

/** Replaces the payment's record (records themselves are never changed: a state sharing them stays as it was). */
function change(draft: Draft, paymentId: string, update: (p: RecordedPayment) => RecordedPayment): void {
  const payment = draft.payments.get(paymentId);
  if (payment !== undefined) draft.payments.set(paymentId, update(payment));
}

/** Applies one event to the draft, in place. */
export function applyInPlace(draft: Draft, event: PaymentsEvent): void {
  switch (event.type) {
    case 'PaymentReceived': {
      const d = event.data;
      const amount = parseMoney(d.amount, 'amount');
      if (draft.status === 'no-payments') {
        draft.status = 'active';
        draft.customerId = d.customerId;
      }
      // Shared empty maps and zeros: an account keeps every payment it ever received, most of them never refunded
      // and many never allocated, so these are most of its memory (the import of a large statement keeps it all).
      draft.payments.set(d.paymentId, {
        bankReference: d.bankReference,
        amount,
        receivedOn: d.receivedOn,
        unapplied: amount,
        allocations: NO_AMOUNTS,
        discounts: NO_AMOUNTS,
        refunded: zeroIn(amount.currency),
        reversed: false,
      });
      draft.bankReferences.set(d.bankReference, d.paymentId);
      return;
    }
    case 'PaymentAllocated':
    case 'PaymentAllocationReduced': {
      if (draft.status !== 'active') return;
      const d = event.data;
      const parsed = parseMoney(d.amount, 'amount');
      const amount = event.type === 'PaymentAllocated' ? parsed : negative(parsed);
      change(draft, d.paymentId, (p) => {
        const allocations = new Map(p.allocations);
        plus(allocations, d.invoiceId, amount);
        return { ...p, unapplied: subtract(p.unapplied, amount), allocations };
      });
      plus(draft.allocated, d.invoiceId, amount);
      return;
    }
    case 'PaymentDiscountTaken':
    case 'PaymentDiscountWithdrawn': {
      if (draft.status !== 'active') return;
      const d = event.data;
      const parsed = parseMoney(d.discount, 'discount');
      const amount = event.type === 'PaymentDiscountTaken' ? parsed : negative(parsed);
      change(draft, d.paymentId, (p) => {
        const discounts = new Map(p.discounts);
        plus(discounts, d.invoiceId, amount);
        return { ...p, discounts };
      });
      plus(draft.discounts, d.invoiceId, amount);
      return;
    }
    case 'PaymentRefunded': {
      const amount = parseMoney(event.data.amount, 'amount');
      change(draft, event.data.paymentId, (p) => ({ ...p, unapplied: subtract(p.unapplied, amount), refunded: add(p.refunded, amount) }));
      return;
    }
    case 'PaymentReversed': {
      const amount = parseMoney(event.data.amount, 'amount');
      change(draft, event.data.paymentId, (p) => ({ ...p, unapplied: subtract(p.unapplied, amount), reversed: true }));
      return;
    }
    case 'CustomerPaymentSettingsSet': {
      const d = event.data;
      draft.settings = {
        unmatchedCash: d.unmatchedCash,
        applyUnappliedToNewInvoices: d.applyUnappliedToNewInvoices,
        discountToleranceMinor: BigInt(d.discountToleranceMinor),
      };
      return;
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
      return;
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${(unknown as { type: string }).type}`);
    }
  }
}

/** Pure: the account after the event (copies the account's maps once; `evolveAll` for many events). */
export function evolve(account: PaymentAccount, event: PaymentsEvent): PaymentAccount {
  const draft = draftOf(account);
  applyInPlace(draft, event);
  return accountOf(draft);
}

/**
 * Pure: the account after the events, its maps copied once for all of them. A statement's command appends a few dozen
 * events to an account of thousands of payments: copied per event, that was most of the import's time and garbage.
 */
export function evolveAll(account: PaymentAccount, events: readonly PaymentsEvent[]): PaymentAccount {
  if (events.length === 0) return account;
  const draft = draftOf(account);
  for (const event of events) applyInPlace(draft, event);
  return accountOf(draft);
}
