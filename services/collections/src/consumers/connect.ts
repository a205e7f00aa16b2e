import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { connectEventConsumers } from '@arc/platform';
import type { CollectionsConfig } from '../config';

/**
 * Subscribes the app's consumers to the projections' changes (aging), invoicing, payments, credit (the open
 * items and customers dunned) and the calendar (the day's dunning run), creating them when missing.
 * Await before app.init(), then startAllMicroservices() and listen().
 */
export function connectCollectionsConsumers(app: INestApplication, config: CollectionsConfig): Promise<INestMicroservice> {
  const { projectionChanges, invoicing, payments, credit, calendar } = config.topics;
  return connectEventConsumers(app, {
    groupId: config.consumerGroup,
    topics: [projectionChanges, invoicing, payments, credit, calendar],
    brokers: config.kafkaBrokers,
    clientId: 'collections-consumer',
  });
}
