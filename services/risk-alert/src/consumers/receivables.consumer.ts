import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CreditNoteIssued, InvoiceIssued, PaymentAllocated, PaymentAllocationReduced, dataOf, type EventEnvelope } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { parseMoney } from '@arc/money';
import { InvoicesView, type InvoiceMovement } from '../views/invoices.view';
import { InvoiceAlerts } from './invoice-alerts';

/**
 * Keeps risk-alert's per-invoice view from invoicing's and payments' events (as credit and collections keep
 * theirs) and evaluates the invoice metrics on each movement, in the batch's transaction.
 */
@Controller()
export class ReceivablesConsumer {
  constructor(
    @Inject(InvoicesView) private readonly invoices: InvoicesView,
    @Inject(InvoiceAlerts) private readonly invoiceAlerts: InvoiceAlerts,
  ) {}

  @EventPattern(InvoiceIssued.type)
  async invoiceIssued(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(InvoiceIssued, envelope);
    const total = parseMoney(d.total, 'total');
    const movement = { kind: 'issued' as const, amountMinor: total.amountMinor, currency: total.currency, invoiceNumber: d.invoiceNumber };
    await this.move(envelope, d.customerId, d.invoiceId, { ...movement, dueDate: d.dueDate }, d.issueDate, ctx);
  }

  @EventPattern(CreditNoteIssued.type)
  async creditNoteIssued(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(CreditNoteIssued, envelope);
    const amount = parseMoney(d.amount, 'amount');
    await this.move(envelope, d.customerId, d.invoiceId, { kind: 'credited', ...amount }, d.issueDate, ctx);
  }

  @EventPattern(PaymentAllocated.type)
  async paymentAllocated(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(PaymentAllocated, envelope);
    const amount = parseMoney(d.amount, 'amount');
    await this.move(envelope, d.customerId, d.invoiceId, { kind: 'allocated', ...amount }, d.allocatedOn, ctx);
  }

  /** No business date of its own: the day it was recorded. */
  @EventPattern(PaymentAllocationReduced.type)
  async paymentAllocationReduced(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(PaymentAllocationReduced, envelope);
    const amount = parseMoney(d.amount, 'amount');
    await this.move(envelope, d.customerId, d.invoiceId, { kind: 'allocation-reduced', ...amount }, envelope.occurredAt.slice(0, 10), ctx);
  }

  private async move(
    envelope: EventEnvelope,
    customerId: string,
    invoiceId: string,
    movement: InvoiceMovement,
    asOf: string,
    ctx: ArcKafkaContext,
  ): Promise<void> {
    const invoice = await this.invoices.apply(customerId, invoiceId, movement);
    await this.invoiceAlerts.moved(envelope, customerId, invoice, asOf, ctx);
  }
}
