import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { parseBusinessDate } from '@arc/clock';
import {
  dataOf,
  ShortPaymentRecorded,
  WriteOffRecommended,
  type DisputeReasonCode,
  type EventEnvelope,
  type ShortPaymentReasonCode,
} from '@arc/contracts';
import { eventIdFor } from '@arc/decider';
import type { ArcKafkaContext } from '@arc/messaging';
import { min, parseMoney } from '@arc/money';
import { freeBalance, invoiceStreamId } from '../domain/invoice.decider';
import { InvoiceCommands } from '../invoice-commands';
import { INVOICING_SYSTEM_ACTOR } from './invoice-cash.consumer';

/** A short payment's reason as a dispute reason. */
const DISPUTE_REASON: Record<ShortPaymentReasonCode, DisputeReasonCode> = {
  pricing: 'pricing',
  quantity: 'quantity',
  'damaged-goods': 'quality',
  'not-delivered': 'not-delivered',
  quality: 'quality',
  'discount-disallowed': 'terms',
  deduction: 'short-payment',
  other: 'short-payment',
};

/**
 * Other contexts' requests on an invoice, with no manual step:
 * - payments' ShortPaymentRecorded (a payment short of the open balance, with a reason) opens a dispute for the
 *   shortfall (at most what is open and not yet disputed; nothing when nothing is);
 * - collections' WriteOffRecommended (a legal case closed as written off) requests the write-off, which finance
 *   approves and legal signs off as any other.
 * Ids derive from the source event, so a redelivery asks again for the same dispute or write-off: a no-op.
 */
@Controller()
export class DisputesAndWriteOffsConsumer {
  constructor(@Inject(InvoiceCommands) private readonly invoices: InvoiceCommands) {}

  @EventPattern(ShortPaymentRecorded.type)
  async shortPaymentRecorded(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(ShortPaymentRecorded, envelope);
    const shortfall = parseMoney(data.shortfall, 'shortfall');
    if (ctx.replaying) return;
    const invoiceId = data.invoiceId.toLowerCase();
    const invoice = await this.invoices.state(invoiceId);
    if (invoice.status !== 'issued' || invoice.cancellation !== null || invoice.currency !== shortfall.currency) return;
    const free = freeBalance(invoice);
    if (free.amountMinor <= 0n) return;
    const disputeId = eventIdFor(`short-payment:${envelope.eventId}`, 0);
    await this.invoices.execute({
      streamId: invoiceStreamId(invoiceId),
      customerId: invoice.customerId,
      command: {
        type: 'RaiseDispute',
        data: {
          disputeId,
          amount: min(shortfall, free),
          reasonCode: DISPUTE_REASON[data.reasonCode],
          note: data.reason,
          evidenceRefs: [`payment:${data.paymentId}`],
          raisedOn: parseBusinessDate(data.recordedOn < invoice.issueDate ? invoice.issueDate : data.recordedOn),
          raisedByRole: 'system',
          source: `payment:${data.paymentId}`,
        },
      },
      commandId: `short-payment:${envelope.eventId}`,
      causationId: envelope.eventId,
      actor: INVOICING_SYSTEM_ACTOR,
      occurredAt: envelope.occurredAt,
    });
  }

  @EventPattern(WriteOffRecommended.type)
  async writeOffRecommended(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(WriteOffRecommended, envelope);
    const amount = parseMoney(data.amount, 'amount');
    if (ctx.replaying) return;
    const invoiceId = data.invoiceId.toLowerCase();
    const invoice = await this.invoices.state(invoiceId);
    if (invoice.status !== 'issued' || invoice.cancellation !== null || invoice.currency !== amount.currency) return;
    const writeOffId = data.writeOffId.toLowerCase();
    if (invoice.writeOffs.has(writeOffId)) return;
    const free = freeBalance(invoice);
    if (free.amountMinor <= 0n) return;
    await this.invoices.execute({
      streamId: invoiceStreamId(invoiceId),
      customerId: invoice.customerId,
      command: {
        type: 'RequestWriteOff',
        data: {
          writeOffId,
          amount: min(amount, free),
          reason: data.reason,
          requestedOn: parseBusinessDate(data.recommendedOn < invoice.issueDate ? invoice.issueDate : data.recommendedOn),
          requestedBy: data.recommendedBy,
        },
      },
      commandId: `write-off-recommended:${envelope.eventId}`,
      causationId: envelope.eventId,
      actor: INVOICING_SYSTEM_ACTOR,
      occurredAt: envelope.occurredAt,
    });
  }
}
