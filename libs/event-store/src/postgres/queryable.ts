import type { QueryConfig, QueryResult, QueryResultRow } from 'pg';

/** A pg `Pool` (each call in autocommit) or a checked-out client (possibly inside the caller's transaction). */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(config: QueryConfig | string, values?: unknown[]): Promise<QueryResult<R>>;
}
