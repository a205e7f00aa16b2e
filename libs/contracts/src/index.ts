export * from './envelope';
export * from './topics';
export * from './events';
export * from './contract-violation';
