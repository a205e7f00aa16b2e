import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { CustomerRegistered, type EventEnvelope, dataOf } from '@arc/contracts';
import type { ArcKafkaContext } from '@arc/messaging';
import { recordCustomer } from '../views/customers.view';

/** Keeps payments' list of registered customers from `arc.credit.events`; every other credit event is passed over. */
@Controller()
export class CreditConsumer {
  @EventPattern(CustomerRegistered.type)
  async customerRegistered(@Payload() envelope: EventEnvelope, @Ctx() ctx: ArcKafkaContext): Promise<void> {
    const data = dataOf(CustomerRegistered, envelope);
    await recordCustomer(ctx.tx, data.customerId.toLowerCase(), data.currency);
  }
}
