import { randomBytes } from 'node:crypto';
import { Pool, type PoolConfig } from 'pg';
import { endpoints } from './endpoints';

export interface TestDatabase {
  name: string;
  url: string;
  /** A pool on the new database; closed by `drop()`. */
  pool: Pool;
  drop(): Promise<void>;
}

/** A fresh, empty database of its own for one suite, so suites never see each other's rows. */
export async function createTestDatabase(prefix: string, poolConfig: PoolConfig = {}): Promise<TestDatabase> {
  const db = reserveTestDatabase(prefix, poolConfig);
  await db.create();
  return db;
}

/**
 * A suite's database named and pooled up front, created by `create()`: for a suite that must know its
 * URL while it is being declared (the pool connects on its first query).
 */
export function reserveTestDatabase(prefix: string, poolConfig: PoolConfig = {}): TestDatabase & { create(): Promise<void> } {
  const name = `${prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`;
  const adminUrl = endpoints().databaseUrl;
  const url = withDatabase(adminUrl, name);
  const pool = new Pool({ connectionString: url, max: 20, ...poolConfig });
  // drop() ends connections with DROP DATABASE ... WITH (FORCE); an idle client dying then must not
  // surface as an unhandled 'error' event in a later test. Failures that matter reach the test through its queries.
  pool.on('error', () => undefined);
  const onAdmin = async (sql: string): Promise<void> => {
    const admin = new Pool({ connectionString: adminUrl, max: 1 });
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  };
  return {
    name,
    url,
    pool,
    create: () => onAdmin(`CREATE DATABASE "${name}"`),
    async drop() {
      await pool.end();
      await onAdmin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
