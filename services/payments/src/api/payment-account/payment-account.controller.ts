import { Controller, Get, Inject, Injectable, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '@arc/auth';
import { money, toJson, type MoneyJson } from '@arc/money';
import { invoiceBalance, unappliedCash } from '@arc/receivables';
import { allocatedTo, discountedOn, invoiceFigures, unappliedCash as cashLeftOnAccount } from '../../domain/payment-account.decider';
import { OpenInvoicesView } from '../../views/open-invoices.view';
import { PaymentHistory, type PaymentView } from '../payment-history';
import { ROLE_MATRIX } from '../role-matrix';

export interface InvoiceAllocationView {
  invoiceId: string;
  /** null for an invoice this service's view has not seen (yet). */
  invoiceNumber: string | null;
  dueDate: string | null;
  /** Total − credit notes, from the view; null when the view does not know the invoice. */
  openBeforePayments: MoneyJson | null;
  /** Σ cash this account applied to the invoice, net of what went back on account. */
  allocated: MoneyJson;
  /** Σ early-payment discounts taken on it, net of withdrawals. */
  discounted: MoneyJson;
  /**
   * The open balance by the one rule (@arc/receivables): openBeforePayments − allocated, never below zero
   * (cash beyond it counts as unapplied cash until invoicing's InvoiceOverpaid moves it there); null when
   * the view does not know the invoice.
   */
  outstanding: MoneyJson | null;
}

export interface PaymentAccountResponse {
  customerId: string;
  payments: PaymentView[];
  /** Every invoice of the customer the view knows, and any invoice cash was applied to; oldest due date first. */
  invoices: InvoiceAllocationView[];
  /** Σ unapplied cash per currency the customer paid in: left on account + allocations beyond an invoice's balance. */
  unappliedCash: MoneyJson[];
  /** How the customer's cash is applied (CustomerPaymentSettingsSet; defaults before finance set any). */
  settings: { unmatchedCash: string; applyUnappliedToNewInvoices: boolean; discountToleranceMinor: string };
}

/** Builds the account as GET answers it (also the answer of every command route on the account). */
@Injectable()
export class PaymentAccountReader {
  constructor(
    @Inject(PaymentHistory) private readonly history: PaymentHistory,
    @Inject(OpenInvoicesView) private readonly openInvoicesView: OpenInvoicesView,
  ) {}

  async view(customerId: string): Promise<PaymentAccountResponse> {
    const [history, known] = await Promise.all([this.history.of(customerId), this.openInvoicesView.invoices(customerId)]);
    const { account } = history;
    const excess = new Map<string, bigint>();
    const invoices: InvoiceAllocationView[] = known.map((invoice) => {
      const allocated = allocatedTo(account, invoice.invoiceId, invoice.openAmount.currency);
      const balance = invoiceBalance(invoiceFigures(account, invoice));
      const { currency } = invoice.openAmount;
      excess.set(currency, (excess.get(currency) ?? 0n) + balance.excess.amountMinor);
      return {
        invoiceId: invoice.invoiceId,
        invoiceNumber: invoice.invoiceNumber,
        dueDate: invoice.dueDate,
        openBeforePayments: toJson(invoice.openAmount),
        allocated: toJson(allocated),
        discounted: toJson(discountedOn(account, invoice.invoiceId, currency)),
        outstanding: toJson(balance.open),
      };
    });
    if (account.status === 'active') {
      const seen = new Set(known.map((invoice) => invoice.invoiceId));
      for (const [invoiceId, allocated] of account.allocated) {
        if (seen.has(invoiceId)) continue;
        invoices.push({
          invoiceId,
          invoiceNumber: null,
          dueDate: null,
          openBeforePayments: null,
          allocated: toJson(allocated),
          discounted: toJson(discountedOn(account, invoiceId, allocated.currency)),
          outstanding: null,
        });
      }
    }
    const cash = history.unappliedCash.map(({ currency }) => {
      const over = excess.get(currency) ?? 0n;
      return toJson(unappliedCash(cashLeftOnAccount(account, currency), money(over, currency)));
    });
    const { settings } = account;
    return {
      customerId,
      payments: history.payments,
      invoices,
      unappliedCash: cash,
      settings: {
        unmatchedCash: settings.unmatchedCash,
        applyUnappliedToNewInvoices: settings.applyUnappliedToNewInvoices,
        discountToleranceMinor: settings.discountToleranceMinor.toString(),
      },
    };
  }
}

@ApiTags('payment accounts')
@Controller('customers/:customerId/payment-account')
export class PaymentAccountController {
  constructor(@Inject(PaymentAccountReader) private readonly reader: PaymentAccountReader) {}

  /** The customer's payments, the cash applied per invoice and the unapplied cash (empty for a customer without payments). */
  @Get()
  @Roles(ROLE_MATRIX.readPaymentAccount)
  async account(@Param('customerId', ParseUUIDPipe) customerId: string): Promise<PaymentAccountResponse> {
    return this.reader.view(customerId);
  }
}
