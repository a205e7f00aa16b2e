import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  CreditFileContactsSet,
  CreditNoteIssued,
  CreditPolicySet,
  DebitNoteIssued,
  CustomerReclassified,
  CustomerRegistered,
  DisputeRaised,
  DisputeResolved,
  InvoiceCancelled,
  InvoiceIssued,
  InvoiceWrittenOff,
  WriteOffRecovered,
  WriteOffRejected,
  PaymentAllocated,
  PaymentAllocationReduced,
  PaymentDiscountTaken,
  PaymentDiscountWithdrawn,
  dataOf,
  type CreditFileContact,
  type EventEnvelope,
} from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { parseMoney } from '@arc/money';
import { Commands } from '@arc/platform';
import { customerDunningDecider, dunningStreamId } from '../domain';
import { CaseCloser } from '../dunning/case-closer';
import { recordMovement } from '../views/ledger.view';
import {
  invoiceOpenAmount,
  moveItem,
  recordDebitNoteIssued,
  recordCustomer,
  recordDisputeRaised,
  recordDisputeResolved,
  recordInvoiceCancelled,
  recordInvoiceIssued,
  ReceivablesView,
} from '../views/receivables.view';
import { COLLECTIONS_SYSTEM_ACTOR } from './aging.consumer';

/** The credit-file contact dunning writes to: one whose role names dunning, collections or accounts payable, else the first with an e-mail. */
export function dunningContactOf(contacts: readonly CreditFileContact[]): CreditFileContact | null {
  const withEmail = contacts.filter((c) => c.email !== null && c.email.trim() !== '');
  return withEmail.find((c) => /dunning|collection|accounts payable|payables|\bAP\b/i.test(c.role)) ?? withEmail[0] ?? null;
}

/**
 * Keeps the receivables view from other contexts' events (invoices and their instalments, credit notes,
 * cancellations, disputes, write-offs, allocations; customers, their class and dunning contact), in the batch's
 * transaction: each event counts once. Which figure of an invoice an event moves, and which way, is the shared
 * rule of `@arc/receivables` (`moveItem`), as in every context that counts open AR.
 */
@Controller()
export class ReceivablesConsumer {
  constructor(
    @Inject(CaseCloser) private readonly closer: CaseCloser,
    @Inject(ReceivablesView) private readonly receivables: ReceivablesView,
    @Inject(Commands) private readonly commands: Commands,
  ) {}

  @EventPattern(InvoiceIssued.type)
  async invoiceIssued(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(InvoiceIssued, envelope);
    await recordInvoiceIssued(ctx.tx, d);
    await recordMovement(ctx.tx, envelope.eventId, 'sale', { ...d, amount: d.total }, d.issueDate, 1);
  }

  @EventPattern(CreditNoteIssued.type)
  async creditNoteIssued(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(CreditNoteIssued, envelope);
    const moved = await moveItem(ctx.tx, 'CreditNoteIssued', d, d.amount);
    await recordMovement(ctx.tx, envelope.eventId, 'credit', d, d.issueDate, moved);
  }

  /**
   * A debit note (late interest, a fee) raises what the customer owes on the invoice and is dunned as an item of its
   * own from its due date; a receivable movement for the KPIs like an invoice issued.
   */
  @EventPattern(DebitNoteIssued.type)
  async debitNoteIssued(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(DebitNoteIssued, envelope);
    await recordDebitNoteIssued(ctx.tx, d);
    await recordMovement(ctx.tx, envelope.eventId, 'sale', d, d.issueDate, 1);
  }

  /** A cancelled invoice leaves the dunning whole (the case follows the aging: closed once nothing is overdue). */
  @EventPattern(InvoiceCancelled.type)
  async invoiceCancelled(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(InvoiceCancelled, envelope);
    await recordInvoiceCancelled(ctx.tx, d);
    await recordMovement(ctx.tx, envelope.eventId, 'cancel', d, d.cancelledOn, -1);
  }

  /** While open, the disputed amount is not dunned. */
  @EventPattern(DisputeRaised.type)
  async disputeRaised(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    await recordDisputeRaised(ctx.tx, dataOf(DisputeRaised, envelope));
  }

  /** Rejected: collectable again; accepted: the credit note (CreditNoteIssued, same append) settles the accepted part. */
  @EventPattern(DisputeResolved.type)
  async disputeResolved(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(DisputeResolved, envelope);
    await recordDisputeResolved(ctx.tx, d);
    // Collectable again: new overdue money for a case closed as written off (the aging counted it all along).
    if (!ctx.replaying && d.outcome === 'rejected' && BigInt(d.collectableAgain.amountMinor) > 0n) {
      await this.closer.restoreOverdue(ctx.tx, d.customerId, d.resolvedOn, parseMoney(d.collectableAgain, 'collectableAgain'), {
        causationId: envelope.eventId,
        actor: COLLECTIONS_SYSTEM_ACTOR,
        occurredAt: envelope.occurredAt,
      });
    }
  }

  /** The written-off amount leaves the dunning; the case closes (written off) when nothing else is overdue. */
  @EventPattern(InvoiceWrittenOff.type)
  async invoiceWrittenOff(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(InvoiceWrittenOff, envelope);
    const moved = await moveItem(ctx.tx, 'InvoiceWrittenOff', d, d.amount);
    await recordMovement(ctx.tx, envelope.eventId, 'write-off', d, d.writtenOffOn, moved);
    await this.closeIfCleared(envelope, ctx, d.customerId, d.writtenOffOn);
  }

  /** Cash on written-off debt: the allocation (PaymentAllocated) comes too; the written-off figure goes down by it. */
  @EventPattern(WriteOffRecovered.type)
  async writeOffRecovered(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(WriteOffRecovered, envelope);
    const moved = await moveItem(ctx.tx, 'WriteOffRecovered', d, d.amount);
    await recordMovement(ctx.tx, envelope.eventId, 'write-off', d, d.recoveredOn, moved);
  }

  /** Invoicing refused a write-off collections recommended (a written-off legal case): the invoice is dunned again. */
  @EventPattern(WriteOffRejected.type)
  async writeOffRejected(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    if (ctx.replaying) return;
    const d = dataOf(WriteOffRejected, envelope);
    await this.commands.execute(customerDunningDecider, {
      streamId: dunningStreamId(d.customerId),
      customerId: d.customerId,
      command: {
        type: 'WithdrawWriteOff',
        data: { customerId: d.customerId, writeOffId: d.writeOffId, on: d.rejectedOn, reason: `${d.step}: ${d.reason}` },
      },
      commandId: `withdraw-write-off:${envelope.eventId}`,
      causationId: envelope.eventId,
      actor: COLLECTIONS_SYSTEM_ACTOR,
      occurredAt: envelope.occurredAt,
    });
    // New overdue money for the case: reopens one closed as written off (the aging may still show the old figure).
    const open = await invoiceOpenAmount(ctx.tx, d.invoiceId);
    if (open !== null) {
      await this.closer.restoreOverdue(ctx.tx, d.customerId, d.rejectedOn, open, {
        causationId: envelope.eventId,
        actor: COLLECTIONS_SYSTEM_ACTOR,
        occurredAt: envelope.occurredAt,
      });
    }
  }

  /**
   * Closes the customer's open case when nothing of it is overdue any more on the later of `on` and the last
   * closed day. Not on a replay (a rebuild of the receivables view): the case streams already hold what was decided.
   */
  private async closeIfCleared(envelope: EventEnvelope, ctx: ArcKafkaContext, customerId: string, on: string): Promise<void> {
    if (ctx.replaying) return;
    const lastClosed = await this.receivables.lastClosedDay(ctx.tx);
    const day = lastClosed !== null && lastClosed > on ? lastClosed : on;
    await this.closer.closeIfNothingOverdue(ctx.tx, customerId, day, 'written-off', {
      causationId: envelope.eventId,
      actor: COLLECTIONS_SYSTEM_ACTOR,
      occurredAt: envelope.occurredAt,
    });
  }

  /** An early-payment discount the payer took lowers what is collectable like a credit note: the 2 % is never dunned. */
  @EventPattern(PaymentDiscountTaken.type)
  async paymentDiscountTaken(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(PaymentDiscountTaken, envelope);
    const moved = await moveItem(ctx.tx, 'PaymentDiscountTaken', d, d.discount);
    await recordMovement(ctx.tx, envelope.eventId, 'credit', { ...d, amount: d.discount }, d.takenOn, moved);
  }

  /**
   * The payment that earned the discount was reversed: the discount is collectable again. The event carries no
   * business date; it is booked on the last closed day (the reversal's own day is at most one day later).
   */
  @EventPattern(PaymentDiscountWithdrawn.type)
  async paymentDiscountWithdrawn(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(PaymentDiscountWithdrawn, envelope);
    const moved = await moveItem(ctx.tx, 'PaymentDiscountWithdrawn', d, d.discount);
    const bookedOn = (await this.receivables.lastClosedDay(ctx.tx)) ?? envelope.occurredAt.slice(0, 10);
    await recordMovement(ctx.tx, envelope.eventId, 'credit', { ...d, amount: d.discount }, bookedOn, moved);
  }

  @EventPattern(PaymentAllocated.type)
  async paymentAllocated(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(PaymentAllocated, envelope);
    const moved = await moveItem(ctx.tx, 'PaymentAllocated', d, d.amount);
    await recordMovement(ctx.tx, envelope.eventId, 'payment', d, d.allocatedOn, moved);
  }

  @EventPattern(PaymentAllocationReduced.type)
  async paymentAllocationReduced(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(PaymentAllocationReduced, envelope);
    const moved = await moveItem(ctx.tx, 'PaymentAllocationReduced', d, d.amount);
    // The event carries no business date: the day it was recorded.
    await recordMovement(ctx.tx, envelope.eventId, 'payment', d, envelope.occurredAt.slice(0, 10), moved);
  }

  @EventPattern(CustomerRegistered.type)
  async customerRegistered(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(CustomerRegistered, envelope);
    await recordCustomer(ctx.tx, d.customerId, { legal_name: d.legalName, business_unit: d.businessUnit });
  }

  @EventPattern(CreditPolicySet.type)
  async creditPolicySet(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(CreditPolicySet, envelope);
    await recordCustomer(ctx.tx, d.customerId, { credit_class: d.creditClass });
  }

  @EventPattern(CustomerReclassified.type)
  async customerReclassified(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(CustomerReclassified, envelope);
    await recordCustomer(ctx.tx, d.customerId, { credit_class: d.toClass });
  }

  @EventPattern(CreditFileContactsSet.type)
  async contactsSet(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const d = dataOf(CreditFileContactsSet, envelope);
    const contact = dunningContactOf(d.contacts);
    await recordCustomer(ctx.tx, d.customerId, { contact_name: contact?.name ?? null, contact_email: contact?.email ?? null });
  }
}
