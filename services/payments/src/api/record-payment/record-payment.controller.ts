import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Actor, Roles, type AuthenticatedActor } from '@arc/auth';
import { Commands, IdempotencyKey, Idempotent, RequiresReadModel, toBusinessDate, toMoney } from '@arc/platform';
import { paymentAccountDecider, paymentAccountStreamId } from '../../domain/payment-account.decider';
import { BankReferences } from '../../views/bank-references';
import { BUSINESS_CALENDAR_READ_MODEL, BusinessCalendarView } from '../../views/business-calendar.view';
import { CUSTOMERS_READ_MODEL, CustomersView } from '../../views/customers.view';
import { OPEN_INVOICES_READ_MODEL, OpenInvoicesView } from '../../views/open-invoices.view';
import { PaymentHistory } from '../payment-history';
import { ROLE_MATRIX } from '../role-matrix';
import { RecordPaymentDto, type RecordPaymentResponse } from './record-payment.dto';

@ApiTags('payments')
@Controller('payments')
export class RecordPaymentController {
  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(OpenInvoicesView) private readonly openInvoicesView: OpenInvoicesView,
    @Inject(PaymentHistory) private readonly history: PaymentHistory,
    @Inject(BankReferences) private readonly bankReferences: BankReferences,
    @Inject(BusinessCalendarView) private readonly calendar: BusinessCalendarView,
    @Inject(CustomersView) private readonly customers: CustomersView,
  ) {}

  /**
   * 201 with the payment, the cash applied from it and what is left unapplied. The same bank reference
   * (same amount) again appends nothing and answers the recorded payment (`alreadyRecorded: true`); with another
   * amount 409 `BANK_REFERENCE_CONFLICT`. A bank reference another customer's receipt holds: 409
   * `bank-reference-used` naming that receipt (`existingPaymentId`), nothing appended. A receipt dated more than a
   * week after the open day (422 `RECEIVED_ON_TOO_FAR_AHEAD`) or on a closed day without a `backdatingReason`
   * (422 `BACKDATING_REASON_MISSING`). A customer credit never registered: 422 `CUSTOMER_UNKNOWN`.
   */
  @Post()
  @HttpCode(201)
  @Roles(ROLE_MATRIX.recordPayment)
  @RequiresReadModel(OPEN_INVOICES_READ_MODEL, BUSINESS_CALENDAR_READ_MODEL, CUSTOMERS_READ_MODEL)
  @Idempotent()
  async record(
    @Body() dto: RecordPaymentDto,
    @Actor() actor: AuthenticatedActor,
    @IdempotencyKey() key: string | undefined,
  ): Promise<RecordPaymentResponse> {
    const amount = toMoney(dto.amount, 'amount');
    // Only invoices in the payment's currency: cash is never applied across currencies.
    const openInvoices = await this.openInvoicesView.openInvoices(dto.customerId, amount.currency);
    const paymentId = dto.paymentId ?? randomUUID();
    // As current as the calendar consumer: a day closed a moment ago may still read as open (see the README).
    const openDay = await this.calendar.openDay();
    const customerKnown = await this.customers.isKnown(dto.customerId);
    // The company-wide rule (one bank reference, one receipt) before the customer's own account decides; in the
    // command's transaction, so a refusal below releases the reference with everything else.
    await this.bankReferences.claim(dto.bankReference, dto.customerId, paymentId);
    const result = await this.commands.execute(paymentAccountDecider, {
      streamId: paymentAccountStreamId(dto.customerId),
      customerId: dto.customerId,
      // The key as the command id: a retried request derives the same event ids and appends nothing.
      commandId: key ?? randomUUID(),
      actor: actor.id,
      occurredAt: new Date().toISOString(),
      command: {
        type: 'RecordPayment',
        data: {
          paymentId,
          bankReference: dto.bankReference,
          customerId: dto.customerId,
          amount,
          receivedOn: toBusinessDate(dto.receivedOn),
          method: dto.method,
          remittanceReferences: dto.remittanceReferences ?? [],
          openInvoices,
          openDay,
          backdatingReason: dto.backdatingReason ?? null,
          customerKnown,
          shortPaymentReason:
            dto.shortPaymentReason === undefined ? null : { code: dto.shortPaymentReason.code, text: dto.shortPaymentReason.text },
        },
      },
    });
    const account = result.newState;
    const recordedId = account.status === 'active' ? (account.bankReferences.get(dto.bankReference) ?? paymentId) : paymentId;
    const { payments } = await this.history.of(dto.customerId);
    const payment = payments.find((p) => p.paymentId === recordedId);
    if (payment === undefined) throw new Error(`payment ${recordedId} is not on the payment account of customer ${dto.customerId}`);
    // A replay of this same command (same command id) answers its own events, so it is not "already recorded".
    const appendedNow = result.events.some((event) => event.eventType === 'PaymentReceived');
    return { ...payment, alreadyRecorded: !appendedNow };
  }
}
