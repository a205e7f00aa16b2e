import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { connectEventConsumers } from '@arc/platform';
import type { CollectionsConfig } from '../config';

/**
 * Subscribes the app's AgingConsumer to the projections' change topic (creating it when missing).
 * Await before app.init(), then startAllMicroservices() and listen().
 */
export function connectCollectionsConsumers(app: INestApplication, config: CollectionsConfig): Promise<INestMicroservice> {
  return connectEventConsumers(app, {
    groupId: config.consumerGroup,
    topics: [config.topics.projectionChanges],
    brokers: config.kafkaBrokers,
    clientId: 'collections-consumer',
  });
}
