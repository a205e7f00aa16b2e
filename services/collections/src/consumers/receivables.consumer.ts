import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  CreditFileContactsSet,
  CreditNoteIssued,
  CreditPolicySet,
  CustomerReclassified,
  CustomerRegistered,
  InvoiceIssued,
  PaymentAllocated,
  PaymentAllocationReduced,
  dataOf,
  type CreditFileContact,
  type EventEnvelope,
} from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { addToItem, recordCustomer, recordInvoiceIssued } from '../views/receivables.view';

/** The credit-file contact dunning writes to: one whose role names dunning, collections or accounts payable, else the first with an e-mail. */
export function dunningContactOf(contacts: readonly CreditFileContact[]): CreditFileContact | null {
  const withEmail = contacts.filter((c) => c.email !== null && c.email.trim() !== '');
  return withEmail.find((c) => /dunning|collection|accounts payable|payables|\bAP\b/i.test(c.role)) ?? withEmail[0] ?? null;
}

/**
 * Keeps the receivables view from other contexts' events (invoices, credit notes, allocations; customers,
 * their class and dunning contact), in the batch's transaction: each event counts once.
 */
@Controller()
export class ReceivablesConsumer {
  @EventPattern(InvoiceIssued.type)
  async invoiceIssued(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    await recordInvoiceIssued(ctx.tx, dataOf(InvoiceIssued, envelope));
  }

  @EventPattern(CreditNoteIssued.type)
  async creditNoteIssued(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    await addToItem(ctx.tx, 'credited_minor', dataOf(CreditNoteIssued, envelope), 1);
  }

  @EventPattern(PaymentAllocated.type)
  async paymentAllocated(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    await addToItem(ctx.tx, 'allocated_minor', dataOf(PaymentAllocated, envelope), 1);
  }

  @EventPattern(PaymentAllocationReduced.type)
  async paymentAllocationReduced(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    await addToItem(ctx.tx, 'allocated_minor', dataOf(PaymentAllocationReduced, envelope), -1);
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
