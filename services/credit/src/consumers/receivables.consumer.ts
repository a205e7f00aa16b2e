import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  CreditNoteIssued,
  DebitNoteIssued,
  InvoiceCancelled,
  InvoiceIssued,
  InvoiceWrittenOff,
  PaymentAllocated,
  PaymentAllocationReduced,
  PaymentDiscountTaken,
  PaymentDiscountWithdrawn,
  WriteOffRecovered,
  type EventEnvelope,
  dataOf,
} from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { parseMoney, type MoneyJson } from '@arc/money';
import type { ReceivableEventType } from '@arc/receivables';
import { Commands } from '@arc/platform';
import { customerCreditAccountDecider, customerCreditAccountStreamId } from '../domain/customer-credit-account.decider';
import { CreditDomainError } from '../domain/customer-credit-account.errors';
import { applyToReceivables } from '../views/open-ar.view';
import { GroupAwareCheck } from '../commands/group-aware-check';
import { CREDIT_SYSTEM_ACTOR } from '../commands/system-actor';

/**
 * Keeps the open-AR view from invoicing and payments events and consumes the credit reservation an issued
 * invoice names, both in the batch's transaction, so each event counts once.
 */
@Controller()
export class ReceivablesConsumer {
  private readonly logger = new Logger('ReceivablesConsumer');

  constructor(
    @Inject(Commands) private readonly commands: Commands,
    @Inject(GroupAwareCheck) private readonly groupAwareCheck: GroupAwareCheck,
  ) {}

  @EventPattern(InvoiceIssued.type)
  async invoiceIssued(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(InvoiceIssued, envelope);
    await applyToReceivables(ctx.tx, data.customerId, data.invoiceId, {
      kind: 'issued',
      amount: parseMoney(data.total, 'total'),
      on: data.issueDate,
      dueDate: data.dueDate,
    });
    // A rebuild replaying the topic re-counts open AR; the reservation was consumed the first time.
    if (data.reservationId === null || ctx.replaying) return;
    // Appended in the batch's transaction, with the open-AR change above: both or neither.
    try {
      const { newState } = await this.commands.execute(customerCreditAccountDecider, {
        streamId: customerCreditAccountStreamId(data.customerId),
        customerId: data.customerId,
        command: { type: 'ConsumeReservation', data: { reservationId: data.reservationId, invoiceId: data.invoiceId } },
        commandId: `consume-reservation:${envelope.eventId}`,
        causationId: envelope.eventId,
        actor: CREDIT_SYSTEM_ACTOR,
        occurredAt: envelope.occurredAt,
      });
      // The invoice now counts in the members' open AR: the group's reservation for the order stops counting.
      if (newState.status === 'registered' && newState.groupId !== null) {
        const commandId = `group-release:consumed:${envelope.eventId}`;
        await this.groupAwareCheck.releaseOnGroup(
          newState.groupId,
          data.reservationId,
          `invoiced as ${data.invoiceId}`,
          commandId,
          CREDIT_SYSTEM_ACTOR,
        );
      }
    } catch (error) {
      // The invoice counts in open AR whatever happened to its reservation; a reservation the account does
      // not know, or released before, stays as it is (exposure errs on the high side) and is logged.
      if (!(error instanceof CreditDomainError)) throw error;
      this.logger.warn(`invoice ${data.invoiceId} names reservation ${data.reservationId}, not consumed: ${error.message}`);
    }
  }

  @EventPattern(CreditNoteIssued.type)
  async creditNoteIssued(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(CreditNoteIssued, envelope);
    await this.move(ctx, CreditNoteIssued.type, data, data.amount, data.issueDate);
  }

  /** A cancelled invoice leaves open AR whole. */
  @EventPattern(InvoiceCancelled.type)
  async invoiceCancelled(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(InvoiceCancelled, envelope);
    await this.move(ctx, InvoiceCancelled.type, data, data.amount, data.cancelledOn);
  }

  /** Late interest, compensation or an adjustment: the invoice owes more (no settlement day). */
  @EventPattern(DebitNoteIssued.type)
  async debitNoteIssued(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(DebitNoteIssued, envelope);
    await this.move(ctx, DebitNoteIssued.type, data, data.amount, null);
  }

  @EventPattern(InvoiceWrittenOff.type)
  async invoiceWrittenOff(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(InvoiceWrittenOff, envelope);
    await this.move(ctx, InvoiceWrittenOff.type, data, data.amount, data.writtenOffOn);
  }

  @EventPattern(WriteOffRecovered.type)
  async writeOffRecovered(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(WriteOffRecovered, envelope);
    await this.move(ctx, WriteOffRecovered.type, data, data.amount, data.recoveredOn);
  }

  @EventPattern(PaymentAllocated.type)
  async paymentAllocated(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(PaymentAllocated, envelope);
    await this.move(ctx, PaymentAllocated.type, data, data.amount, data.allocatedOn);
  }

  /** Cash back on account (an overpaid invoice's excess, or a reversed payment's allocation): no settlement day. */
  @EventPattern(PaymentAllocationReduced.type)
  async paymentAllocationReduced(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(PaymentAllocationReduced, envelope);
    await this.move(ctx, PaymentAllocationReduced.type, data, data.amount, null);
  }

  @EventPattern(PaymentDiscountTaken.type)
  async paymentDiscountTaken(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(PaymentDiscountTaken, envelope);
    await this.move(ctx, PaymentDiscountTaken.type, data, data.discount, data.takenOn);
  }

  /** The payment that earned the discount was reversed: the discount is owed again. */
  @EventPattern(PaymentDiscountWithdrawn.type)
  async paymentDiscountWithdrawn(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(PaymentDiscountWithdrawn, envelope);
    await this.move(ctx, PaymentDiscountWithdrawn.type, data, data.discount, null);
  }

  /** Moves the invoice's figure the event moves by the one rule (@arc/receivables), in the batch's transaction. */
  private async move(
    ctx: ArcKafkaContext,
    type: ReceivableEventType,
    data: { customerId: string; invoiceId: string },
    amount: MoneyJson,
    on: string | null,
  ): Promise<void> {
    await applyToReceivables(ctx.tx, data.customerId, data.invoiceId, { kind: 'moved', type, amount: parseMoney(amount, 'amount'), on });
  }
}
