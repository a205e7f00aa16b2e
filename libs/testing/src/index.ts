export * from './endpoints';
export * from './kafka';
export * from './postgres';
export * from './processes';
export * from './wait-for';
