export * from './collection-case.decider';
export * from './collections.errors';
export * from './dunning-strategy';
export * from './customer-dunning.events';
export * from './customer-dunning.decider';
export * from './arrangements';
export * from './legal';
export * from './strategy-config.decider';
