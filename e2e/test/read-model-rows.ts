import { Client } from 'pg';
import type { Platform, ReadModelStatus, ServiceName } from '@arc/launcher';

/**
 * Every row of every read-model table, per `service.table`, in a fixed order. `updated_at` is left out:
 * it says when a row was last written, not what it holds.
 */
export async function readModelRows(platform: Platform, models: Map<ServiceName, ReadModelStatus[]>): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [service, list] of models) {
    const client = new Client({ connectionString: platform.service(service).databaseUrl });
    await client.connect();
    try {
      for (const table of list.flatMap((m) => m.tables)) {
        const { rows } = await client.query<{ row: unknown }>(
          `SELECT to_jsonb(t) - 'updated_at' AS row FROM ${table} t ORDER BY (to_jsonb(t) - 'updated_at')::text`,
        );
        out[`${service}.${table}`] = rows.map((r) => r.row);
      }
    } finally {
      await client.end();
    }
  }
  return out;
}
