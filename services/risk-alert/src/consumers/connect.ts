import type { INestApplication, INestMicroservice } from '@nestjs/common';
import { connectEventConsumers } from '@arc/platform';
import type { RiskAlertConfig } from '../config';

/**
 * Subscribes the app's ProjectionChangesConsumer to arc.projections.changes (creating it when missing).
 * Await before app.init(), then startAllMicroservices() and listen().
 */
export function connectRiskAlertConsumers(app: INestApplication, config: RiskAlertConfig): Promise<INestMicroservice> {
  return connectEventConsumers(app, {
    groupId: config.consumerGroup,
    topics: [config.topics.projectionChanges],
    brokers: config.kafkaBrokers,
    clientId: 'risk-alert-consumer',
  });
}
