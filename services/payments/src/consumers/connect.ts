import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { connectEventConsumers } from '@arc/platform';
import type { PaymentsConfig } from '../config';

/**
 * Subscribes the app's InvoicingConsumer to the invoicing topic (creating it when missing). Await before
 * app.init(), then startAllMicroservices() and listen().
 */
export function connectPaymentsConsumers(app: INestApplication, config: PaymentsConfig): Promise<INestMicroservice> {
  return connectEventConsumers(app, {
    groupId: config.consumerGroup,
    topics: [config.topics.invoicing],
    brokers: config.kafkaBrokers,
    clientId: 'payments-consumer',
  });
}
