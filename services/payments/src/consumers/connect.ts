import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { connectEventConsumers } from '@arc/platform';
import type { PaymentsConfig } from '../config';

/**
 * Subscribes the app's InvoicingConsumer, CalendarConsumer and CreditConsumer to their topics (creating them when missing). Await before
 * app.init(), then startAllMicroservices() and listen().
 */
export function connectPaymentsConsumers(app: INestApplication, config: PaymentsConfig): Promise<INestMicroservice> {
  return connectEventConsumers(app, {
    groupId: config.consumerGroup,
    topics: [config.topics.invoicing, config.topics.calendar, config.topics.credit],
    brokers: config.kafkaBrokers,
    clientId: 'payments-consumer',
  });
}
