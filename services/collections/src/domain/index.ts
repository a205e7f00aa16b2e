export * from './collection-case.decider';
export * from './collections.errors';
export * from './dunning-strategy';
