import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import {
  CreditCheckPassed,
  CreditPolicySet,
  CreditReservationConsumed,
  CreditReservationReleased,
  CustomerRegistered,
  type EventEnvelope,
  dataOf,
} from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { recordReservation } from '../views/credit-reservations.view';
import { recordCustomerName } from '../views/customer-names.view';
import { setPaymentTerms } from '../views/payment-terms.view';

/**
 * Keeps invoicing's views of the credit service's facts, in the consumer's batch transaction: the customers'
 * payment terms (CreditPolicySet; each policy counts once, an older one never overwrites a newer one) and the
 * credit reservations an invoice may name (CreditCheckPassed, CreditReservationReleased / Consumed), and the
 * customers' legal names for the statements (CustomerRegistered).
 * Every other credit event is passed over.
 */
@Controller()
export class PaymentTermsConsumer {
  @EventPattern(CreditPolicySet.type)
  async creditPolicySet(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(CreditPolicySet, envelope);
    // Lower-cased as the API does, so a UUID written in capitals names the same customer.
    await setPaymentTerms(ctx.tx, data.customerId.toLowerCase(), {
      netDays: data.paymentTermDays,
      earlyPaymentDiscount: data.earlyPaymentDiscount,
      streamVersion: envelope.streamVersion,
      eventId: envelope.eventId,
      occurredAt: envelope.occurredAt,
    });
  }

  @EventPattern(CustomerRegistered.type)
  async customerRegistered(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(CustomerRegistered, envelope);
    await recordCustomerName(ctx.tx, { ...data, customerId: data.customerId.toLowerCase() });
  }

  @EventPattern(CreditCheckPassed.type)
  async creditCheckPassed(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(CreditCheckPassed, envelope);
    await recordReservation(ctx.tx, data.reservationId.toLowerCase(), data.customerId.toLowerCase(), 'open');
  }

  @EventPattern(CreditReservationReleased.type)
  async creditReservationReleased(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(CreditReservationReleased, envelope);
    await recordReservation(ctx.tx, data.reservationId.toLowerCase(), data.customerId.toLowerCase(), 'released');
  }

  @EventPattern(CreditReservationConsumed.type)
  async creditReservationConsumed(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(CreditReservationConsumed, envelope);
    await recordReservation(
      ctx.tx,
      data.reservationId.toLowerCase(),
      data.customerId.toLowerCase(),
      'consumed',
      data.invoiceId.toLowerCase(),
    );
  }
}
