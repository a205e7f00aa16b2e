import { Inject, Injectable } from '@nestjs/common';
import type { AllocationReductionReason, PaymentAllocatedData, PaymentReceivedData, PaymentsEvent } from '@arc/contracts';
import { toJson, type MoneyJson } from '@arc/money';
import { Commands } from '@arc/platform';
import {
  evolveAll,
  paymentAccountDecider,
  paymentAccountStreamId,
  unappliedCash,
  type PaymentAccount,
} from '../domain/payment-account.decider';

export interface AllocationView {
  invoiceId: string;
  amount: MoneyJson;
  allocatedOn: string;
  /** The matching step that chose the invoice; null for allocations written before steps were named. */
  matchedBy: string | null;
  matchExplanation: string | null;
}

export interface PaymentView {
  paymentId: string;
  customerId: string;
  bankReference: string;
  amount: MoneyJson;
  receivedOn: string;
  method: string;
  remittanceReferences: string[];
  /** Why it was dated on a business day already closed; null when it was not back-dated. */
  backdatingReason: string | null;
  /** Cash applied from this payment, in the order it was applied. */
  allocations: AllocationView[];
  /** Cash taken back off an allocation onto the account (an invoice overpaid), in order. */
  reductions: Array<{ invoiceId: string; amount: MoneyJson; reason: AllocationReductionReason }>;
  /** Early-payment discounts this payment earned. */
  discounts: Array<{ invoiceId: string; discount: MoneyJson; withdrawn: boolean }>;
  /** Short payments recorded against it (each opened a dispute in invoicing). */
  shortPayments: Array<{ invoiceId: string; shortfall: MoneyJson; reasonCode: string; reason: string; source: string }>;
  refunds: Array<{ refundId: string; amount: MoneyJson; refundedOn: string; reason: string }>;
  /** Set once the payment was reversed (bounced cheque, chargeback). */
  reversal: { reason: string; note: string | null; reversedOn: string } | null;
  statementId: string | null;
  /** What is left of this payment on account. */
  unapplied: MoneyJson;
}

/** One customer's payment account: the decider's state and each payment with its allocations. */
export interface PaymentAccountHistory {
  account: PaymentAccount;
  /** In the order they were recorded. */
  payments: PaymentView[];
  /** Σ unapplied cash per currency (only currencies the customer paid in). */
  unappliedCash: MoneyJson[];
  version: number;
}

/**
 * Reads a customer's payment-account stream (through Commands: upcast, and inside a command's transaction
 * it sees that command's events) and folds it twice: through the decider (the account's own figures) and
 * into payments with their allocations (which the decider's state does not keep per payment).
 */
@Injectable()
export class PaymentHistory {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  async of(customerId: string): Promise<PaymentAccountHistory> {
    const { events, version } = await this.commands.load(paymentAccountDecider, paymentAccountStreamId(customerId));
    return foldHistory(events, version);
  }
}

export function foldHistory(events: readonly PaymentsEvent[], version: number): PaymentAccountHistory {
  const account = evolveAll(paymentAccountDecider.initialState, events);
  const payments = new Map<string, PaymentView>();
  for (const event of events) {
    if (event.type === 'PaymentReceived') {
      const d: PaymentReceivedData = event.data;
      payments.set(d.paymentId, {
        paymentId: d.paymentId,
        customerId: d.customerId,
        bankReference: d.bankReference,
        amount: d.amount,
        receivedOn: d.receivedOn,
        method: d.method,
        remittanceReferences: [...d.remittanceReferences],
        backdatingReason: d.backdatingReason ?? null,
        allocations: [],
        reductions: [],
        discounts: [],
        shortPayments: [],
        refunds: [],
        reversal: null,
        statementId: d.statementId ?? null,
        unapplied: d.amount,
      });
    } else if (event.type === 'PaymentAllocated') {
      const d: PaymentAllocatedData = event.data;
      payments.get(d.paymentId)?.allocations.push({
        invoiceId: d.invoiceId,
        amount: d.amount,
        allocatedOn: d.allocatedOn,
        matchedBy: d.matchedBy ?? null,
        matchExplanation: d.matchExplanation ?? null,
      });
    } else if (event.type === 'PaymentAllocationReduced') {
      const d = event.data;
      payments.get(d.paymentId)?.reductions.push({ invoiceId: d.invoiceId, amount: d.amount, reason: d.reason });
    } else if (event.type === 'PaymentDiscountTaken') {
      const d = event.data;
      payments.get(d.paymentId)?.discounts.push({ invoiceId: d.invoiceId, discount: d.discount, withdrawn: false });
    } else if (event.type === 'PaymentDiscountWithdrawn') {
      const d = event.data;
      const taken = payments.get(d.paymentId)?.discounts.find((x) => x.invoiceId === d.invoiceId && !x.withdrawn);
      if (taken) taken.withdrawn = true;
    } else if (event.type === 'ShortPaymentRecorded') {
      const d = event.data;
      payments.get(d.paymentId)?.shortPayments.push({
        invoiceId: d.invoiceId,
        shortfall: d.shortfall,
        reasonCode: d.reasonCode,
        reason: d.reason,
        source: d.source,
      });
    } else if (event.type === 'PaymentRefunded') {
      const d = event.data;
      payments.get(d.paymentId)?.refunds.push({ refundId: d.refundId, amount: d.amount, refundedOn: d.refundedOn, reason: d.reason });
    } else if (event.type === 'PaymentReversed') {
      const d = event.data;
      const payment = payments.get(d.paymentId);
      if (payment) payment.reversal = { reason: d.reason, note: d.note, reversedOn: d.reversedOn };
    }
  }
  if (account.status === 'active') {
    for (const [paymentId, recorded] of account.payments) {
      const view = payments.get(paymentId);
      if (view !== undefined) view.unapplied = toJson(recorded.unapplied);
    }
  }
  const currencies = [...new Set([...payments.values()].map((p) => p.amount.currency))].sort();
  return {
    account,
    payments: [...payments.values()],
    unappliedCash: currencies.map((currency) => toJson(unappliedCash(account, currency))),
    version,
  };
}
