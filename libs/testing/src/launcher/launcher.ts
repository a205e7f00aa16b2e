import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { Topics, deadLetterTopic } from '@arc/contracts';
import { withDatabase } from '../postgres';
import { waitFor } from '../wait-for';

const repoRoot = resolve(__dirname, '../../../..');

/** The six services, in start order, with their default ports and environment prefix. */
export const SERVICES = [
  { name: 'credit', envPrefix: 'ARC_CREDIT', defaultPort: 3001 },
  { name: 'invoicing', envPrefix: 'ARC_INVOICING', defaultPort: 3002 },
  { name: 'payments', envPrefix: 'ARC_PAYMENTS', defaultPort: 3003 },
  { name: 'collections', envPrefix: 'ARC_COLLECTIONS', defaultPort: 3004 },
  { name: 'risk-alert', envPrefix: 'ARC_RISK_ALERT', defaultPort: 3005 },
  { name: 'projections', envPrefix: 'ARC_PROJECTIONS', defaultPort: 3006 },
] as const;

export type ServiceName = (typeof SERVICES)[number]['name'];

export interface LaunchOptions {
  kafkaBrokers: string[];
  /** A PostgreSQL URL of a role that may create databases. */
  databaseUrl: string;
  /** Database names are `<databasePrefix>_<service>` (dashes become underscores). Default `arc`. */
  databasePrefix?: string;
  /** Drop the service databases first if they exist (a fresh platform). Default false. */
  recreateDatabases?: boolean;
  /**
   * Prefixes the services' topics and consumer groups (ARC_KAFKA_NAMESPACE): `<namespace>.arc.credit.events`.
   * Default none: the `arc.*` topics.
   */
  kafkaNamespace?: string;
  /**
   * Delete the platform's topics (of its namespace) first. A fresh database replays its topics from the
   * beginning: without this, a projections database would take the business date of an earlier run's
   * calendar. Default false.
   */
  resetTopics?: boolean;
  /** `default`: 3001–3006; `free`: ports the OS hands out. */
  ports?: 'default' | 'free';
  /** Password of the read-only BI role projections creates. */
  biPassword?: string;
  /** Where each service's log goes (`<logDir>/<service>.log`). Default `.arc/logs/<databasePrefix>`. */
  logDir?: string;
  readyTimeoutMs?: number;
  /**
   * `compiled`: each service's build output (`services/<name>/dist/main.js`, workspace packages from their
   * `dist/`), as production runs it; `source`: the TypeScript sources compiled on load by swc (about 77 MB
   * more per process and a slower start), for tests and development. Default: the way this launcher runs.
   */
  runtime?: Runtime;
  /** Extra environment for every service. */
  env?: Record<string, string>;
}

export interface RunningService {
  name: ServiceName;
  port: number;
  baseUrl: string;
  databaseName: string;
  databaseUrl: string;
  logFile: string;
  child: ChildProcess;
  exited: Promise<number | string>;
  /** Milliseconds from the spawn to the first 200 of /health/ready (polled every 100 ms). */
  readyAfterMs: number;
}

export type Runtime = 'compiled' | 'source';

/** How this module itself runs: from its build output (`.js`) or from source through a loader (`.ts`). */
export const ownRuntime = (): Runtime => (__filename.endsWith('.ts') ? 'source' : 'compiled');

export interface Platform {
  services: Record<ServiceName, RunningService>;
  /** `http://127.0.0.1:<port>` of a service. */
  url(service: ServiceName): string;
  biRole: string;
  biPassword: string;
  /** SIGTERM to every service, SIGKILL after `timeoutMs`; resolves when all have exited. */
  stop(timeoutMs?: number): Promise<void>;
  /** Drop the service databases (after stop). */
  dropDatabases(): Promise<void>;
}

/** `count` distinct free ports: every listener stays open until all are taken, so none repeats. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolveServer, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => resolveServer(server));
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    return typeof address === 'object' && address !== null ? address.port : 0;
  });
  await Promise.all(servers.map((server) => new Promise<void>((r) => server.close(() => r()))));
  return ports;
}

function platformTopics(kafkaNamespace: string): string[] {
  // As KafkaNames (@arc/platform) names them; that lib's tests depend on this one, so it is not imported.
  const topics = (Object.values(Topics) as string[]).map((t) => (kafkaNamespace === '' ? t : `${kafkaNamespace}.${t}`));
  return [...topics, ...topics.map((t) => deadLetterTopic(t))];
}

/** Deletes the platform's topics (those of `kafkaNamespace`, see ARC_KAFKA_NAMESPACE) and waits until they are gone. */
export async function deletePlatformTopics(brokers: string[], kafkaNamespace = ''): Promise<void> {
  const kafka = new Kafka({ clientId: 'arc-launcher', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const wanted = new Set(platformTopics(kafkaNamespace));
    const existing = (await admin.listTopics()).filter((t) => wanted.has(t));
    if (existing.length === 0) return;
    await admin.deleteTopics({ topics: existing, timeout: 30_000 });
    await waitFor(
      async () => {
        const left = (await admin.listTopics()).filter((t) => wanted.has(t));
        return left.length === 0;
      },
      { timeoutMs: 30_000, intervalMs: 200, description: "the platform's topics to be deleted" },
    );
  } finally {
    await admin.disconnect();
  }
}

async function createDatabases(adminUrl: string, names: string[], recreate: boolean): Promise<void> {
  const admin = new Pool({ connectionString: adminUrl, max: 1 });
  try {
    for (const name of names) {
      if (recreate) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount === 0) await admin.query(`CREATE DATABASE "${name}"`);
    }
  } finally {
    await admin.end();
  }
}

/** The entry point of a service and the Node arguments that run it. */
function serviceCommand(service: ServiceName, runtime: Runtime): string[] {
  if (runtime === 'source') return ['--conditions=arc-source', '-r', '@swc-node/register', join(repoRoot, 'services', service, 'src', 'main.ts')];
  const entry = join(repoRoot, 'services', service, 'dist', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} does not exist: build first (npx nx run-many -t build)`);
  return [entry];
}

function startService(args: string[], env: NodeJS.ProcessEnv, logFile: string): { child: ChildProcess; exited: Promise<number | string> } {
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | string>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit(code ?? signal ?? 'unknown'));
  });
  return { child, exited };
}

async function stopChild(service: RunningService, timeoutMs: number): Promise<void> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((r) => {
    timer = setTimeout(() => r('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([service.exited, timedOut]);
  if (timer) clearTimeout(timer);
  if (outcome === 'timeout') {
    child.kill('SIGKILL');
    await service.exited;
  }
}

/**
 * Starts the six ARC services as separate Node processes (see LaunchOptions.runtime), each on a
 * database of its own, and waits until every one answers GET /health/ready.
 */
export async function launchPlatform(options: LaunchOptions): Promise<Platform> {
  const prefix = options.databasePrefix ?? 'arc';
  const biPassword = options.biPassword ?? 'arc_bi_dev';
  const logDir = options.logDir ?? join(repoRoot, '.arc', 'logs', prefix);
  mkdirSync(logDir, { recursive: true });

  if (options.resetTopics) await deletePlatformTopics(options.kafkaBrokers, options.kafkaNamespace);
  const databaseNames = SERVICES.map((s) => `${prefix}_${s.name.replace(/-/g, '_')}`);
  await createDatabases(options.databaseUrl, databaseNames, options.recreateDatabases ?? false);

  const runtime = options.runtime ?? ownRuntime();
  const started: RunningService[] = [];
  const readySince = new Map<RunningService, number>();
  const spawnOne = (spec: (typeof SERVICES)[number], port: number, databaseName: string): RunningService => {
    const databaseUrl = withDatabase(options.databaseUrl, databaseName);
    const logFile = join(logDir, `${spec.name}.log`);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...(runtime === 'source' ? { SWC_NODE_PROJECT: join(repoRoot, 'tsconfig.base.json') } : {}),
      ARC_KAFKA_BROKERS: options.kafkaBrokers.join(','),
      ...(options.kafkaNamespace ? { ARC_KAFKA_NAMESPACE: options.kafkaNamespace } : {}),
      [`${spec.envPrefix}_PORT`]: String(port),
      [`${spec.envPrefix}_DATABASE_URL`]: databaseUrl,
      ...(spec.name === 'projections' ? { ARC_PROJECTIONS_BI_PASSWORD: biPassword } : {}),
      ...options.env,
    };
    const spawnedAt = performance.now();
    const { child, exited } = startService(serviceCommand(spec.name, runtime), env, logFile);
    const service = { name: spec.name, port, baseUrl: `http://127.0.0.1:${port}`, databaseName, databaseUrl, logFile, child, exited, readyAfterMs: Number.NaN };
    readySince.set(service, spawnedAt);
    return service;
  };
  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
  const awaitReady = (s: RunningService): Promise<boolean> =>
    waitFor(
      async () => {
        if (s.child.exitCode !== null || s.child.signalCode !== null) return Promise.reject(new Error('exited'));
        const ready = (await fetch(`${s.baseUrl}/health/ready`)).ok;
        if (ready) s.readyAfterMs = performance.now() - (readySince.get(s) ?? Number.NaN);
        return ready;
      },
      { timeoutMs: readyTimeoutMs, intervalMs: 100, description: `${s.name} to be ready (log: ${s.logFile})` },
    );
  const stop = async (timeoutMs = 10_000): Promise<void> => {
    await Promise.all(started.map((s) => stopChild(s, timeoutMs)));
  };
  const ports = options.ports === 'free' ? await freePorts(SERVICES.length) : SERVICES.map((s) => s.defaultPort);
  try {
    for (const [index, spec] of SERVICES.entries()) {
      started.push(spawnOne(spec, ports[index] as number, databaseNames[index] as string));
    }
    // A service that exits before it is ready fails the launch at once (its log says why).
    const firstExit = Promise.race(
      started.map((s) => s.exited.then((code) => Promise.reject(new Error(`${s.name} exited before it was ready (${String(code)}); see ${s.logFile}`)))),
    );
    firstExit.catch(() => undefined);
    const allReady = Promise.all(started.map(awaitReady));
    allReady.catch(() => undefined);
    await Promise.race([allReady, firstExit]);
  } catch (error) {
    await stop(5_000);
    throw error;
  }

  const services = Object.fromEntries(started.map((s) => [s.name, s])) as Record<ServiceName, RunningService>;
  return {
    services,
    url: (name) => services[name].baseUrl,
    biRole: 'arc_bi',
    biPassword,
    stop,
    async dropDatabases() {
      const admin = new Pool({ connectionString: options.databaseUrl, max: 1 });
      try {
        for (const name of databaseNames) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
