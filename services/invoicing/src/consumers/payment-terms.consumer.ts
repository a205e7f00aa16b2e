import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CreditPolicySet, type EventContract, type EventEnvelope } from '@arc/contracts';
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

/** The event's data checked against its contract; a message that breaks it is dead-lettered with the problems. */
function dataOf<T>(contract: EventContract<string, T>, envelope: EventEnvelope): T {
  if (envelope.schemaVersion !== contract.schemaVersion) {
    throw new Error(`${envelope.eventType} schema version ${envelope.schemaVersion} is not supported (expected ${contract.schemaVersion})`);
  }
  const result = contract.validate(envelope.data);
  if (!result.ok) throw new Error(`${envelope.eventType} ${envelope.eventId} breaks its contract: ${result.problems.join('; ')}`);
  return result.value;
}
