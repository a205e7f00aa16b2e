import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { Commands, IdempotencyKey, Idempotent, RequiresReadModel, toBusinessDate, toMoney } from '@arc/platform';
import { paymentAccountDecider, paymentAccountStreamId, type PaymentAccountCommand } from '../../domain/payment-account.decider';
import { OPEN_INVOICES_READ_MODEL, OpenInvoicesView } from '../../views/open-invoices.view';
import { PaymentAccountReader, type PaymentAccountResponse } from '../payment-account/payment-account.controller';
import { ROLE_MATRIX } from '../role-matrix';
import { ApplyUnappliedCashDto, PaymentSettingsDto, RefundDto, ReversalDto, ShortPaymentDto } from './payment-actions.dto';

/**
 * Finance's actions on a customer's payment account after receipts are recorded. Each answers the account as
 * GET /customers/:customerId/payment-account does; each takes an Idempotency-Key (the command id).
 * Refusals: 409 `PAYMENT_REVERSED`, `PAYMENT_REFUNDED`, `INSUFFICIENT_UNAPPLIED_CASH`, `INVOICE_NOT_OPEN_ENOUGH`;
 * 422 `PAYMENT_NOT_FOUND`, `INVOICE_NOT_OPEN`, `PAYMENT_AMOUNT_NOT_POSITIVE`, `CURRENCY_MISMATCH`.
 */
@ApiTags('payment accounts')
@Controller('customers/:customerId')
export class PaymentActionsController {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(OpenInvoicesView) private readonly openInvoicesView: OpenInvoicesView,
    @Inject(PaymentAccountReader) private readonly reader: PaymentAccountReader,
  ) {}

  private async run(
    customerId: string,
    command: PaymentAccountCommand,
    actor: AuthenticatedActor,
    key: string | undefined,
  ): Promise<PaymentAccountResponse> {
    await this.commands.execute(paymentAccountDecider, {
      streamId: paymentAccountStreamId(customerId),
      customerId,
      commandId: key ?? randomUUID(),
      actor: actor.id,
      occurredAt: new Date().toISOString(),
      command,
    });
    return this.reader.view(customerId);
  }

  /** How the customer's cash is applied: the fallback for unmatched cash, automatic application to new invoices, the discount tolerance. */
  @Put('payment-settings')
  @HttpCode(200)
  @Roles(ROLE_MATRIX.recordPayment)
  @Idempotent()
  async settings(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: PaymentSettingsDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<PaymentAccountResponse> {
    return this.run(
      customerId,
      {
        type: 'SetPaymentSettings',
        data: {
          customerId,
          unmatchedCash: dto.unmatchedCash,
          applyUnappliedToNewInvoices: dto.applyUnappliedToNewInvoices,
          discountToleranceMinor: BigInt(dto.discountToleranceMinor),
        },
      },
      actor,
      key,
    );
  }

  /** Applies unapplied cash to invoices finance chose (each at most what is open on it). */
  @Post('unapplied-cash/applications')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.applyCash)
  @RequiresReadModel(OPEN_INVOICES_READ_MODEL)
  @Idempotent()
  async apply(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: ApplyUnappliedCashDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<PaymentAccountResponse> {
    const allocations = dto.allocations.map((a, i) => ({ invoiceId: a.invoiceId, amount: toMoney(a.amount, `allocations[${i}].amount`) }));
    const currency = allocations[0]?.amount.currency ?? 'EUR';
    const openInvoices = await this.openInvoicesView.openInvoices(customerId, currency);
    return this.run(
      customerId,
      {
        type: 'ApplyUnappliedCash',
        data: { customerId, paymentId: dto.paymentId ?? null, allocations, openInvoices, appliedOn: toBusinessDate(dto.appliedOn) },
      },
      actor,
      key,
    );
  }

  /** Pays unapplied cash back to the customer (PaymentRefunded, one per payment it draws on). */
  @Post('refunds')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.refund)
  @Idempotent()
  async refund(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Body() dto: RefundDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<PaymentAccountResponse> {
    return this.run(
      customerId,
      {
        type: 'RefundUnappliedCash',
        data: {
          customerId,
          refundId: dto.refundId ?? randomUUID(),
          paymentId: dto.paymentId ?? null,
          amount: toMoney(dto.amount, 'amount'),
          refundedOn: toBusinessDate(dto.refundedOn),
          reason: dto.reason,
        },
      },
      actor,
      key,
    );
  }

  /** A bounced cheque or chargeback: its allocations and discounts are reversed (the invoices reopen), its amount leaves the account. */
  @Post('payments/:paymentId/reversal')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.reverse)
  @Idempotent()
  async reverse(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Param('paymentId', ParseUUIDPipe) paymentId: string,
    @Body() dto: ReversalDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<PaymentAccountResponse> {
    return this.run(
      customerId,
      {
        type: 'ReversePayment',
        data: { customerId, paymentId, reason: dto.reason, note: dto.note ?? null, reversedOn: toBusinessDate(dto.reversedOn) },
      },
      actor,
      key,
    );
  }

  /** Finance explains why a payment left an invoice short: ShortPaymentRecorded, on which invoicing opens a dispute. */
  @Post('payments/:paymentId/short-payments')
  @HttpCode(201)
  @Roles(ROLE_MATRIX.applyCash)
  @RequiresReadModel(OPEN_INVOICES_READ_MODEL)
  @Idempotent()
  async shortPayment(
    @Param('customerId', ParseUUIDPipe) customerId: string,
    @Param('paymentId', ParseUUIDPipe) paymentId: string,
    @Body() dto: ShortPaymentDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<PaymentAccountResponse> {
    const known = await this.openInvoicesView.invoices(customerId);
    return this.run(
      customerId,
      {
        type: 'RecordShortPayment',
        data: {
          customerId,
          paymentId,
          invoiceId: dto.invoiceId,
          reasonCode: dto.reasonCode,
          reason: dto.reason,
          openInvoices: known,
          recordedOn: toBusinessDate(dto.recordedOn),
        },
      },
      actor,
      key,
    );
  }
}
