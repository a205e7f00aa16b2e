import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CreditNoteIssued, InvoiceIssued, type EventEnvelope, dataOf } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { parseMoney } from '@arc/money';
import { recordCreditNote, recordInvoice } from '../views/open-invoices.view';

/**
 * Keeps the open-invoices view from invoicing events, in the batch's transaction (so each event counts
 * once). It issues no commands: cash is applied when a payment is recorded.
 */
@Controller()
export class InvoicingConsumer {
  @EventPattern(InvoiceIssued.type)
  async invoiceIssued(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(InvoiceIssued, envelope);
    await recordInvoice(ctx.tx, {
      invoiceId: data.invoiceId,
      invoiceNumber: data.invoiceNumber,
      customerId: data.customerId,
      total: parseMoney(data.total, 'total'),
      dueDate: data.dueDate,
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
}
