export * from './endpoints';
export * from './kafka';
export * from './postgres';
