import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { Topics, deadLetterTopic } from '@arc/contracts';
import { until } from './poll';
import { SERVICES, type ServiceName } from './services';
import { Supervisor, type Backoff, type ExitStatus } from './supervisor';

export { SERVICES, type ServiceName } from './services';

const repoRoot = resolve(__dirname, '../../..');

export interface LaunchOptions {
  kafkaBrokers: string[];
  /** A PostgreSQL URL of a role that may create databases. */
  databaseUrl: string;
  /** Only these services (default: all six, in SERVICES order). */
  services?: readonly ServiceName[];
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
   * `compiled`: each service's build output (`services/<name>/dist/main.js`), as production runs it;
   * `source`: the TypeScript sources compiled on load by swc, for tests and development. Default: the way
   * this launcher itself runs.
   */
  runtime?: Runtime;
  /** Extra environment for every service. */
  env?: Record<string, string>;
  /** The supervisor's notes (a service exited, restarted); default: none. Also written to the service's log. */
  log?: (line: string) => void;
  /** Restart delays after a crash (default: 0.5 s doubling to 30 s). */
  backoff?: Backoff;
}

export interface RunningService {
  name: ServiceName;
  port: number;
  baseUrl: string;
  databaseName: string;
  databaseUrl: string;
  logFile: string;
  /** The current process, undefined between a crash and its restart. */
  readonly pid: number | undefined;
  /** How often the supervisor started it again after a crash. */
  readonly restarts: number;
  /** Signals the current process (e.g. SIGKILL, a crash); the supervisor starts it again. Resolves when it exited. */
  kill(signal: NodeJS.Signals): Promise<ExitStatus>;
  /** Resolves once GET /health/ready answers 200. */
  ready(timeoutMs?: number): Promise<void>;
}

export interface Platform {
  services: RunningService[];
  /** A launched service (throws for one that was not launched). */
  service(name: ServiceName): RunningService;
  /** `http://127.0.0.1:<port>` of a service. */
  url(service: ServiceName): string;
  biRole: string;
  biPassword: string;
  /** Stops supervising and stops every service: SIGTERM, SIGKILL after `timeoutMs`; resolves when all have exited. */
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
  // As KafkaNames (@arc/platform) names them; the launcher starts services and imports none of their libs.
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
    await until(async () => (await admin.listTopics()).every((t) => !wanted.has(t)), {
      timeoutMs: 30_000,
      intervalMs: 200,
      description: "the platform's topics to be deleted",
    });
  } finally {
    await admin.disconnect();
  }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
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

export type Runtime = 'compiled' | 'source';

/** How this module itself runs: from its build output (`.js`) or from source through a loader (`.ts`). */
export const ownRuntime = (): Runtime => (__filename.endsWith('.ts') ? 'source' : 'compiled');

/** How a service is run (see LaunchOptions.runtime). */
function serviceCommand(name: ServiceName, runtime: Runtime): { command: string; args: string[] } {
  if (runtime === 'source') {
    return {
      command: process.execPath,
      args: ['--conditions=arc-source', '-r', '@swc-node/register', join(repoRoot, 'services', name, 'src', 'main.ts')],
    };
  }
  const entry = join(repoRoot, 'services', name, 'dist', 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} does not exist: build first (npx nx run-many -t build)`);
  return { command: process.execPath, args: [entry] };
}

async function answersReady(baseUrl: string): Promise<boolean> {
  return (await fetch(`${baseUrl}/health/ready`)).ok;
}

/**
 * Starts ARC's services as separate Node processes (see LaunchOptions.runtime), each on a database of its own and under a
 * Supervisor (a crashed process is logged and started again with backoff), and waits until every one
 * answers GET /health/ready. A service that exits before it was ready once fails the launch instead:
 * that is a broken build or configuration, which restarting would only hide.
 */
export async function launchPlatform(options: LaunchOptions): Promise<Platform> {
  const prefix = options.databasePrefix ?? 'arc';
  const biPassword = options.biPassword ?? 'arc_bi_dev';
  const logDir = options.logDir ?? join(repoRoot, '.arc', 'logs', prefix);
  mkdirSync(logDir, { recursive: true });
  const specs = SERVICES.filter((s) => options.services === undefined || options.services.includes(s.name));
  const databaseNameOf = (name: ServiceName): string => `${prefix}_${name.replace(/-/g, '_')}`;

  if (options.resetTopics) await deletePlatformTopics(options.kafkaBrokers, options.kafkaNamespace);
  await createDatabases(
    options.databaseUrl,
    specs.map((s) => databaseNameOf(s.name)),
    options.recreateDatabases ?? false,
  );

  const readyTimeoutMs = options.readyTimeoutMs ?? 120_000;
  const runtime = options.runtime ?? ownRuntime();
  const ports = options.ports === 'free' ? await freePorts(specs.length) : specs.map((s) => s.defaultPort);
  const started: { service: RunningService; supervisor: Supervisor }[] = specs.map((spec, index) => {
    const port = ports[index] as number;
    const databaseName = databaseNameOf(spec.name);
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
    const supervisor = new Supervisor({
      name: spec.name,
      ...serviceCommand(spec.name, runtime),
      cwd: repoRoot,
      env,
      logFile,
      log: options.log ?? (() => undefined),
      ...(options.backoff ? { backoff: options.backoff } : {}),
    });
    const baseUrl = `http://127.0.0.1:${port}`;
    const service: RunningService = {
      name: spec.name,
      port,
      baseUrl,
      databaseName,
      databaseUrl,
      logFile,
      get pid() {
        return supervisor.pid;
      },
      get restarts() {
        return supervisor.restarts;
      },
      kill: (signal) => supervisor.kill(signal),
      ready: (timeoutMs = readyTimeoutMs) =>
        until(() => answersReady(baseUrl), { timeoutMs, intervalMs: 200, description: `${spec.name} to be ready (log: ${logFile})` }),
    };
    return { service, supervisor };
  });
  const stop = async (timeoutMs = 10_000): Promise<void> => {
    await Promise.all(started.map(({ supervisor }) => supervisor.stop(timeoutMs)));
  };

  try {
    for (const { supervisor } of started) supervisor.start();
    const firstExit = Promise.race(
      started.map(({ service, supervisor }) =>
        supervisor.currentExit.then((status) =>
          Promise.reject(new Error(`${service.name} exited before it was ready (${String(status)}); see ${service.logFile}`)),
        ),
      ),
    );
    firstExit.catch(() => undefined);
    const allReady = Promise.all(started.map(({ service }) => service.ready()));
    allReady.catch(() => undefined);
    await Promise.race([allReady, firstExit]);
  } catch (error) {
    await stop(5_000);
    throw error;
  }

  const services = started.map(({ service }) => service);
  const service = (name: ServiceName): RunningService => {
    const found = services.find((s) => s.name === name);
    if (!found) throw new Error(`${name} was not launched`);
    return found;
  };
  return {
    services,
    service,
    url: (name) => service(name).baseUrl,
    biRole: 'arc_bi',
    biPassword,
    stop,
    async dropDatabases() {
      const admin = new Pool({ connectionString: options.databaseUrl, max: 1 });
      try {
        for (const s of services) await admin.query(`DROP DATABASE IF EXISTS "${s.databaseName}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
}
