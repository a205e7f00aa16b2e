/** Kafka topics, one per bounded context; every service publishes only to its own. */
export const Topics = {
  credit: 'arc.credit.events',
  invoicing: 'arc.invoicing.events',
  payments: 'arc.payments.events',
  collections: 'arc.collections.events',
  risk: 'arc.risk.events',
  projectionChanges: 'arc.projections.changes',
  calendar: 'arc.calendar',
} as const;

export type Topic = (typeof Topics)[keyof typeof Topics];

/** Where a message that keeps failing is parked, with its error, so its partition can move on. */
export function deadLetterTopic(topic: string): string {
  return `${topic}.dlq`;
}
