import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { connectEventConsumers } from '@arc/platform';
import type { CreditConfig } from '../config';

/**
 * Subscribes the app's consumers to the invoicing, payments, calendar, collections and its own credit topics (creating them when
 * missing). Await before app.init(), then startAllMicroservices() and listen().
 */
export function connectCreditConsumers(app: INestApplication, config: CreditConfig): Promise<INestMicroservice> {
  return connectEventConsumers(app, {
    groupId: config.consumerGroup,
    // Its own topic too: the temporary-limits view follows approvals and expiries in the consumer's exactly-once batches.
    topics: [config.topics.invoicing, config.topics.payments, config.topics.calendar, config.topics.credit, config.topics.collections],
    brokers: config.kafkaBrokers,
    clientId: 'credit-consumer',
  });
}
