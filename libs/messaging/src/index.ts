export * from './kafka';
export * from './read-topic';
export * from './relay/envelope-mapping';
export * from './relay/relay';
export * from './transport/arc-kafka.transport';
export * from './transport/exactly-once-consumer';
