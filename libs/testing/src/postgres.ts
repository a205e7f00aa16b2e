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
  const name = `${prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_')}_${randomBytes(4).toString('hex')}`;
  const adminUrl = endpoints().databaseUrl;
  const admin = new Pool({ connectionString: adminUrl, max: 1 });
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const pool = new Pool({ connectionString: url, max: 20, ...poolConfig });
  // drop() ends connections with DROP DATABASE ... WITH (FORCE); an idle client dying then must not
  // surface as an unhandled 'error' event in a later test. Failures that matter reach the test through its queries.
  pool.on('error', () => undefined);
  return {
    name,
    url,
    pool,
    async drop() {
      await pool.end();
      const dropper = new Pool({ connectionString: adminUrl, max: 1 });
      try {
        await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
    },
  };
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
