import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { connectEventConsumers } from '@arc/platform';
import type { InvoicingConfig } from '../config';

/**
 * Subscribes the app's PaymentTermsConsumer to the credit topic and its InvoiceCashConsumer to the payments
 * topic (creating them when missing). Await before app.init(), then startAllMicroservices() and listen().
 */
export function connectInvoicingConsumers(app: INestApplication, config: InvoicingConfig): Promise<INestMicroservice> {
  return connectEventConsumers(app, {
    groupId: config.consumerGroup,
    topics: [config.topics.credit, config.topics.payments],
    brokers: config.kafkaBrokers,
    clientId: 'invoicing-consumer',
  });
}
