export * from './decider';
export * from './event-ids';
export * from './handle-command';
export * from './domain-error';
