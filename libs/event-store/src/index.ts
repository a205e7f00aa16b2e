export * from './event-store.port';
export * from './tail-all';
export { createPostgresEventStore, PostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export type { Queryable } from './postgres/queryable';
export { readAllWith, readCommittedWith, readStreamsWith, readStreamWith } from './postgres/read';
export type { StreamAppend } from './postgres/append-many';
export { APPENDS_CHANNEL, EVENTS_TABLE, migrateEventStore } from './postgres/schema';
export {
  currentTransaction,
  isTransientConflict,
  joinTransaction,
  StoreTransaction,
  transactional,
  queriesJoinTheOpenTransaction,
  outsideAnyTransaction,
  withTransaction,
  type WithTransactionOptions,
} from './postgres/transaction';
