import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { connectEventConsumers } from '@arc/platform';
import type { CreditConfig } from '../config';

/**
 * Subscribes the app's ReceivablesConsumer to the invoicing and payments topics (creating them when
 * missing). Await before app.init(), then startAllMicroservices() and listen().
 */
export function connectCreditConsumers(app: INestApplication, config: CreditConfig): Promise<INestMicroservice> {
  return connectEventConsumers(app, {
    groupId: config.consumerGroup,
    topics: [config.topics.invoicing, config.topics.payments],
    brokers: config.kafkaBrokers,
    clientId: 'credit-consumer',
  });
}
