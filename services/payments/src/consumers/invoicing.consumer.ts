import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  CreditNoteIssued,
  DebitNoteIssued,
  InvoiceCancelled,
  InvoiceIssued,
  InvoiceOverpaid,
  InvoiceWrittenOff,
  WriteOffRecovered,
  type EventEnvelope,
  dataOf,
} from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { parseBusinessDate } from '@arc/clock';
import { parseMoney } from '@arc/money';
import { Commands } from '@arc/platform';
import { paymentAccountDecider, paymentAccountStreamId } from '../domain/payment-account.decider';
import { recordChargeMovement, recordCreditNote, recordInvoice } from '../views/open-invoices.view';

/** The actor of commands the payments service issues itself, in reaction to other contexts' events. */
export const PAYMENTS_SYSTEM_ACTOR = 'system:payments';

/**
 * Keeps the open-invoices view from invoicing events (issues, credit notes, cancellations, debit notes,
 * write-offs and recoveries), in the batch's transaction (so each event counts once), and answers InvoiceOverpaid by putting the excess back on the payment's unapplied cash
 * (ReduceAllocation on the customer's payment account). Cash is applied when a payment is recorded.
 */
@Controller()
export class InvoicingConsumer {
  constructor(@Inject(Commands) private readonly commands: Commands) {}

  @EventPattern(InvoiceOverpaid.type)
  async invoiceOverpaid(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(InvoiceOverpaid, envelope);
    const excess = parseMoney(data.excess, 'excess');
    if (ctx.replaying) return; // validated as live; the account moved the cash the first time
    // Appended in the batch's transaction (see @arc/event-store), so each InvoiceOverpaid counts once; the
    // command id derived from the invoicing event makes a re-run a no-op.
    await this.commands.execute(paymentAccountDecider, {
      streamId: paymentAccountStreamId(data.customerId),
      customerId: data.customerId,
      command: {
        type: 'ReduceAllocation',
        data: {
          paymentId: data.paymentId,
          customerId: data.customerId,
          invoiceId: data.invoiceId,
          amount: excess,
          reason: 'invoice-overpaid',
        },
      },
      commandId: `reduce-allocation:${envelope.eventId}`,
      causationId: envelope.eventId,
      actor: PAYMENTS_SYSTEM_ACTOR,
      occurredAt: envelope.occurredAt,
    });
  }

  @EventPattern(InvoiceIssued.type)
  async invoiceIssued(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(InvoiceIssued, envelope);
    await recordInvoice(ctx.tx, {
      invoiceId: data.invoiceId,
      invoiceNumber: data.invoiceNumber,
      customerId: data.customerId,
      total: parseMoney(data.total, 'total'),
      dueDate: data.dueDate,
      earlyPaymentDiscount: data.earlyPaymentDiscount,
      dueItems: data.dueItems?.map((d) => ({ dueDate: d.dueDate, amount: parseMoney(d.amount, 'dueItems.amount') })) ?? null,
    });
    if (ctx.replaying) return; // the account applied its cash the first time
    // The customer's unapplied cash goes to the new invoice when the customer is set so (the account decides; for
    // everyone else it appends nothing). In the batch's transaction; the command id from the event makes a re-run a no-op.
    const total = parseMoney(data.total, 'total');
    await this.commands.execute(paymentAccountDecider, {
      streamId: paymentAccountStreamId(data.customerId),
      customerId: data.customerId,
      command: {
        type: 'ApplyUnappliedToNewInvoice',
        data: {
          customerId: data.customerId,
          invoice: {
            invoiceId: data.invoiceId,
            invoiceNumber: data.invoiceNumber,
            dueDate: parseBusinessDate(data.dueDate),
            openAmount: total,
            total,
            earlyPaymentDiscount: null,
          },
          appliedOn: parseBusinessDate(data.issueDate),
        },
      },
      commandId: `apply-unapplied:${envelope.eventId}`,
      causationId: envelope.eventId,
      actor: PAYMENTS_SYSTEM_ACTOR,
      occurredAt: envelope.occurredAt,
    });
  }

  @EventPattern(CreditNoteIssued.type)
  async creditNoteIssued(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(CreditNoteIssued, envelope);
    await recordCreditNote(ctx.tx, {
      creditNoteId: data.creditNoteId,
      invoiceId: data.invoiceId,
      customerId: data.customerId,
      amount: parseMoney(data.amount, 'amount'),
    });
  }

  /** A cancelled invoice charges nothing: no cash is applied to it any more. */
  @EventPattern(InvoiceCancelled.type)
  async invoiceCancelled(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(InvoiceCancelled, envelope);
    await recordChargeMovement(ctx.tx, {
      movementId: envelope.eventId,
      type: InvoiceCancelled.type,
      ...data,
      amount: parseMoney(data.amount, 'amount'),
    });
  }

  /** The invoice charges more (interest, compensation, adjustment): the customer can pay it, also on a paid invoice. */
  @EventPattern(DebitNoteIssued.type)
  async debitNoteIssued(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(DebitNoteIssued, envelope);
    await recordChargeMovement(ctx.tx, {
      movementId: envelope.eventId,
      type: DebitNoteIssued.type,
      ...data,
      amount: parseMoney(data.amount, 'amount'),
    });
  }

  /** Written-off debt is no longer collected: no cash is applied to it. */
  @EventPattern(InvoiceWrittenOff.type)
  async invoiceWrittenOff(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(InvoiceWrittenOff, envelope);
    await recordChargeMovement(ctx.tx, {
      movementId: envelope.eventId,
      type: InvoiceWrittenOff.type,
      ...data,
      amount: parseMoney(data.amount, 'amount'),
    });
  }

  /** Cash allocated on written-off debt recovered it: that debt counts again, and the cash already on it pays it. */
  @EventPattern(WriteOffRecovered.type)
  async writeOffRecovered(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(WriteOffRecovered, envelope);
    await recordChargeMovement(ctx.tx, {
      movementId: envelope.eventId,
      type: WriteOffRecovered.type,
      ...data,
      amount: parseMoney(data.amount, 'amount'),
    });
  }
}
