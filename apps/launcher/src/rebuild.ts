// `npm run rebuild -- [service ...]`: rebuilds the read models of running ARC services (all six when none
// is named) through their admin API, and waits until each has caught up with its source. The services
// are found at ARC_<SERVICE>_URL, else http://127.0.0.1:<ARC_<SERVICE>_PORT or the default port>; the
// caller's admin token is ARC_TOKEN, else a development token signed with ARC_JWT_SECRET (or the
// development default, outside production).
import { mintDevelopmentToken } from '@arc/auth';
import { until } from './poll';
import { SERVICES, type ServiceName } from './services';

export interface ReadModelStatus {
  name: string;
  source: 'topics' | 'store';
  tables: string[];
  lag: number;
  caughtUp: boolean;
}

export interface RebuildTarget {
  service: ServiceName;
  baseUrl: string;
}

async function readModels(target: RebuildTarget, token: string, method: 'GET' | 'POST'): Promise<ReadModelStatus[]> {
  const path = method === 'POST' ? '/v1/admin/read-models/rebuild' : '/v1/admin/read-models';
  const response = await fetch(`${target.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  const text = await response.text();
  if (response.status !== (method === 'POST' ? 202 : 200))
    throw new Error(`${method} ${target.service} ${path}: ${response.status} ${text}`);
  return (JSON.parse(text) as { readModels: ReadModelStatus[] }).readModels;
}

/** The read models of each target, as the service describes them. */
export async function readModelStatus(targets: readonly RebuildTarget[], token: string): Promise<Map<ServiceName, ReadModelStatus[]>> {
  return new Map(await Promise.all(targets.map(async (t) => [t.service, await readModels(t, token, 'GET')] as const)));
}

/** Asks every target to rebuild, then waits until every read model has caught up with its source. */
export async function rebuildReadModels(
  targets: readonly RebuildTarget[],
  token: string,
  options: { timeoutMs?: number; log?: (line: string) => void } = {},
): Promise<Map<ServiceName, ReadModelStatus[]>> {
  for (const target of targets) {
    const models = await readModels(target, token, 'POST');
    options.log?.(`${target.service}: rebuilding ${models.map((m) => `${m.name} (from ${m.source})`).join(', ') || 'nothing'}`);
  }
  let latest = new Map<ServiceName, ReadModelStatus[]>();
  await until(
    async () => {
      latest = await readModelStatus(targets, token);
      return [...latest.values()].every((models) => models.every((m) => m.caughtUp));
    },
    { timeoutMs: options.timeoutMs ?? 300_000, intervalMs: 200, description: 'every rebuilt read model to catch up' },
  );
  return latest;
}

function targetsFrom(names: readonly string[], env: NodeJS.ProcessEnv): RebuildTarget[] {
  const unknown = names.filter((n) => !SERVICES.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown services ${unknown.join(', ')}; known: ${SERVICES.map((s) => s.name).join(', ')}`);
  return SERVICES.filter((s) => names.length === 0 || names.includes(s.name)).map((s) => ({
    service: s.name,
    baseUrl: env[`${s.envPrefix}_URL`] ?? `http://127.0.0.1:${env[`${s.envPrefix}_PORT`] ?? s.defaultPort}`,
  }));
}

async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`[rebuild] ${line}\n`);
  const targets = targetsFrom(process.argv.slice(2), process.env);
  const token = process.env.ARC_TOKEN ?? mintDevelopmentToken({ sub: 'rebuild-cli', roles: ['admin'] });
  const started = Date.now();
  const done = await rebuildReadModels(targets, token, { log });
  for (const [service, models] of done) for (const m of models) log(`${service}/${m.name}: caught up (${m.tables.join(', ')})`);
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error('[rebuild] failed:', error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
