import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CreditPolicySet, type EventEnvelope, dataOf } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { setPaymentTerms } from '../views/payment-terms.view';

/**
 * Keeps invoicing's view of the customers' payment terms from the credit service's CreditPolicySet events,
 * in the consumer's batch transaction (each policy counts once; an older policy never overwrites a newer one).
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
}
