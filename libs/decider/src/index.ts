export * from './decider';
export * from './event-ids';
export * from './domain-error';
