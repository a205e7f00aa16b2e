import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CreditNoteIssued, InvoiceIssued, PaymentAllocated, PaymentAllocationReduced, type EventEnvelope, dataOf } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { parseMoney } from '@arc/money';
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
    await applyToReceivables(ctx.tx, data.customerId, data.invoiceId, {
      kind: 'credited',
      amount: parseMoney(data.amount, 'amount'),
      on: data.issueDate,
    });
  }

  @EventPattern(PaymentAllocated.type)
  async paymentAllocated(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(PaymentAllocated, envelope);
    await applyToReceivables(ctx.tx, data.customerId, data.invoiceId, {
      kind: 'allocated',
      amount: parseMoney(data.amount, 'amount'),
      on: data.allocatedOn,
    });
  }

  @EventPattern(PaymentAllocationReduced.type)
  async paymentAllocationReduced(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(PaymentAllocationReduced, envelope);
    await applyToReceivables(ctx.tx, data.customerId, data.invoiceId, {
      kind: 'allocation-reduced',
      amount: parseMoney(data.amount, 'amount'),
      on: null,
    });
  }
}
