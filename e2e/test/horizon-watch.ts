import { Client } from 'pg';
import { endpoints } from '@arc/testing';

// Every reader of an events table waits for the oldest transaction holding a transaction id in its database
// (docs/operations.md; until the end-to-end stall was explained, in any database of the server). This watch
// samples the server once a second while a suite runs and reports the longest holder anywhere, so a stall
// names its cause.

const SAMPLE_MS = 1_000;
const REPORT_FROM_MS = 5_000;

interface Holder {
  heldMs: number;
  database: string;
  pid: number;
  state: string;
  application: string;
  query: string;
}

let client: Client | undefined;
let timer: NodeJS.Timeout | undefined;
let longest: Holder | undefined;

async function sample(): Promise<void> {
  if (!client) return;
  const { rows } = await client.query<{
    held_ms: string;
    datname: string;
    pid: number;
    state: string;
    application_name: string;
    query: string;
  }>(
    `SELECT (extract(epoch FROM clock_timestamp() - xact_start) * 1000)::bigint::text AS held_ms, datname, pid, state, application_name, left(query, 160) AS query
       FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid() ORDER BY xact_start LIMIT 1`,
  );
  const row = rows[0];
  if (!row) return;
  const heldMs = Number(row.held_ms);
  if (!longest || heldMs > longest.heldMs) {
    longest = { heldMs, database: row.datname, pid: row.pid, state: row.state, application: row.application_name, query: row.query };
  }
}

beforeAll(async () => {
  client = new Client({ connectionString: endpoints().databaseUrl, application_name: 'arc-e2e-horizon-watch' });
  client.on('error', () => undefined);
  await client.connect();
  timer = setInterval(() => void sample().catch(() => undefined), SAMPLE_MS);
});

afterAll(async () => {
  if (timer) clearInterval(timer);
  await client?.end().catch(() => undefined);
  client = undefined;
  if (longest && longest.heldMs >= REPORT_FROM_MS) {
    process.stdout.write(
      `[horizon] the longest transaction holding an id on the server held it ${(longest.heldMs / 1000).toFixed(1)} s ` +
        `by pid ${longest.pid} in database ${longest.database} (${longest.state}, ${longest.application || 'no application name'}): ${longest.query}\n`,
    );
  }
});
