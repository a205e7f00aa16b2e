import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { connectEventConsumers } from '@arc/platform';
import type { ProjectionsConfig } from '../config';

/**
 * Subscribes the app's ReadModelConsumer to the credit, invoicing, payments and calendar topics (creating
 * them when missing). Await before app.init(), then startAllMicroservices() and listen().
 */
export function connectProjectionsConsumers(app: INestApplication, config: ProjectionsConfig): Promise<INestMicroservice> {
  return connectEventConsumers(app, {
    groupId: config.consumerGroup,
    topics: [config.topics.credit, config.topics.invoicing, config.topics.payments, config.topics.calendar],
    brokers: config.kafkaBrokers,
    clientId: 'projections-consumer',
  });
}
