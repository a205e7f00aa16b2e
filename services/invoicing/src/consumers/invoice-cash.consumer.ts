import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  PaymentAllocated,
  PaymentAllocationReduced,
  PaymentDiscountTaken,
  PaymentDiscountWithdrawn,
  type EventEnvelope,
  dataOf,
} from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { parseMoney } from '@arc/money';
import { eventIdFor } from '@arc/decider';
import { invoiceStreamId, type InvoiceCommand } from '../domain/invoice.decider';
import { InvoiceCommands } from '../invoice-commands';

/** The actor of commands the invoicing service issues itself, in reaction to other contexts' events. */
export const INVOICING_SYSTEM_ACTOR = 'system:invoicing';

/**
 * Copies the cash the payments service applies to invoices (PaymentAllocated) and takes back onto the
 * account (PaymentAllocationReduced) into each invoice's own stream, where the invoice decides on it: its
 * open balance then counts payments, and allocations beyond it are recorded as InvoiceOverpaid.
 */
@Controller()
export class InvoiceCashConsumer {
  constructor(@Inject(InvoiceCommands) private readonly invoices: InvoiceCommands) {}

  @EventPattern(PaymentAllocated.type)
  async paymentAllocated(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(PaymentAllocated, envelope);
    const amount = parseMoney(data.amount, 'amount');
    if (ctx.replaying) return; // validated as live, but the invoice recorded it the first time
    await this.record(envelope, data.invoiceId, data.customerId, {
      type: 'RecordPaymentAllocation',
      data: {
        sourceEventId: envelope.eventId,
        paymentId: data.paymentId,
        customerId: data.customerId,
        amount,
        allocatedOn: data.allocatedOn,
        // Should this payment settle the principal of an invoice charging interest on settlement: its debit notes' ids.
        interestDebitNoteIds: {
          debitNoteId: eventIdFor(`settlement-interest:${envelope.eventId}`, 0),
          compensationDebitNoteId: eventIdFor(`settlement-interest:${envelope.eventId}`, 1),
        },
      },
    });
  }

  @EventPattern(PaymentAllocationReduced.type)
  async paymentAllocationReduced(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(PaymentAllocationReduced, envelope);
    const amount = parseMoney(data.amount, 'amount');
    if (ctx.replaying) return;
    await this.record(envelope, data.invoiceId, data.customerId, {
      type: 'RecordAllocationReduction',
      data: { sourceEventId: envelope.eventId, paymentId: data.paymentId, customerId: data.customerId, amount },
    });
  }

  /** A discount taken closes the rest of the invoice: it is no longer open, so it accrues no interest and is not dunned. */
  @EventPattern(PaymentDiscountTaken.type)
  async paymentDiscountTaken(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(PaymentDiscountTaken, envelope);
    const discount = parseMoney(data.discount, 'discount');
    if (ctx.replaying) return;
    await this.record(envelope, data.invoiceId, data.customerId, {
      type: 'RecordDiscount',
      data: { sourceEventId: envelope.eventId, paymentId: data.paymentId, customerId: data.customerId, discount, movement: 'taken' },
    });
  }

  /** The payment that earned the discount was reversed: the discount is owed again. */
  @EventPattern(PaymentDiscountWithdrawn.type)
  async paymentDiscountWithdrawn(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(PaymentDiscountWithdrawn, envelope);
    const discount = parseMoney(data.discount, 'discount');
    if (ctx.replaying) return;
    await this.record(envelope, data.invoiceId, data.customerId, {
      type: 'RecordDiscount',
      data: { sourceEventId: envelope.eventId, paymentId: data.paymentId, customerId: data.customerId, discount, movement: 'withdrawn' },
    });
  }

  /**
   * Appended in the batch's transaction (see @arc/event-store), so each payments event counts once; the
   * command id derived from the payments event makes a re-run a no-op. A
   * refusal (cash for an invoice never issued, another customer or currency) is a producer bug: it
   * throws, and the message is dead-lettered with the reason.
   */
  private async record(envelope: EventEnvelope, invoiceId: string, customerId: string, command: InvoiceCommand): Promise<void> {
    await this.invoices.execute({
      streamId: invoiceStreamId(invoiceId.toLowerCase()),
      customerId,
      command,
      commandId: `invoice-cash:${envelope.eventId}`,
      causationId: envelope.eventId,
      actor: INVOICING_SYSTEM_ACTOR,
      occurredAt: envelope.occurredAt,
    });
  }
}
