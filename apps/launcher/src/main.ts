// `npm start`: the six ARC services with a demo company, supervised until Ctrl-C. Run inside
// `arc-infra run`, which provides ARC_KAFKA_BROKERS and ARC_DATABASE_URL (starting Kafka and PostgreSQL
// when nothing answers) and keeps them up exactly as long as this process runs.
//
// Options (`npm start -- <options>`): --no-demo (services only), --services credit,payments (a subset),
// --database-prefix <p> and --kafka-namespace <ns> (a platform beside the demo's), --free-ports.
import { join } from 'node:path';
import { launchPlatform, type Platform } from './launcher';
import { startMailbox, type Mailbox } from './mailbox';
import { seedDemo } from './demo';
import { DemoClient } from './demo-client';
import { awaitSettled, summary } from './demo-summary';
import { isServiceName, SERVICES, type ServiceName } from './services';

const log = (line: string): void => {
  process.stdout.write(`[arc] ${line}\n`);
};

interface StartOptions {
  demo: boolean;
  services: ServiceName[] | undefined;
  databasePrefix: string;
  kafkaNamespace: string | undefined;
  freePorts: boolean;
}

export function parseArgs(args: readonly string[]): StartOptions {
  const options: StartOptions = { demo: true, services: undefined, databasePrefix: 'arc', kafkaNamespace: undefined, freePorts: false };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const value = (): string => {
      const next = args[++i];
      if (next === undefined || next.startsWith('--')) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === '--no-demo') options.demo = false;
    else if (arg === '--free-ports') options.freePorts = true;
    else if (arg === '--database-prefix') options.databasePrefix = value();
    else if (arg === '--kafka-namespace') options.kafkaNamespace = value();
    else if (arg === '--services') {
      const names = value().split(',');
      const unknown = names.filter((n) => !isServiceName(n));
      if (unknown.length > 0) throw new Error(`unknown services ${unknown.join(', ')}; known: ${SERVICES.map((s) => s.name).join(', ')}`);
      options.services = names as ServiceName[];
    } else throw new Error(`unknown option ${arg}`);
  }
  if (options.demo && options.services !== undefined) throw new Error('the demo needs all six services: add --no-demo to --services');
  if (!/^[a-z][a-z0-9_]*$/.test(options.databasePrefix))
    throw new Error(`--database-prefix ${options.databasePrefix}: lower-case letters, digits, _`);
  return options;
}

let platform: Platform | undefined;
let mailbox: Mailbox | undefined;

async function main(): Promise<void> {
  const brokers = process.env.ARC_KAFKA_BROKERS;
  const databaseUrl = process.env.ARC_DATABASE_URL;
  if (!brokers || !databaseUrl) {
    throw new Error('ARC_KAFKA_BROKERS and ARC_DATABASE_URL are not set: run through `npm start` (arc-infra run) or set both.');
  }
  const options = parseArgs(process.argv.slice(2));
  const kafkaBrokers = brokers.split(',').map((b) => b.trim());
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping the services`);
    if (platform) await platform.stop(10_000);
    await mailbox?.close();
    log('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));

  const started = Date.now();
  log(`fresh platform: dropping the ${options.databasePrefix}_* service databases and the topics of an earlier run`);
  // The local mailbox the collections service sends its dunning e-mails to (.arc/mailbox/, one .eml per mail).
  mailbox = await startMailbox(join(process.cwd(), '.arc', 'mailbox', options.databasePrefix), Number(process.env.ARC_MAILBOX_PORT ?? 0));
  log(`mailbox: ${mailbox.url}, messages written to ${mailbox.dir}/`);
  platform = await launchPlatform({
    env: { ARC_COLLECTIONS_SMTP_URL: mailbox.url },
    kafkaBrokers,
    databaseUrl,
    databasePrefix: options.databasePrefix,
    ...(options.kafkaNamespace ? { kafkaNamespace: options.kafkaNamespace } : {}),
    ...(options.services ? { services: options.services } : {}),
    recreateDatabases: true,
    resetTopics: true,
    ports: options.freePorts ? 'free' : 'default',
    log,
  });
  log(
    `${platform.services.length} services ready in ${((Date.now() - started) / 1000).toFixed(1)} s (logs in .arc/logs/${options.databasePrefix}/)`,
  );
  for (const s of platform.services) log(`${s.name} ready on ${s.baseUrl} (pid ${s.pid ?? '?'})`);
  if (stopping) return;
  if (options.demo) {
    const client = new DemoClient(platform);
    const seeded = await seedDemo(client, log);
    await awaitSettled(client);
    log(`demo seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    process.stdout.write(`${await summary(client, platform, seeded, { databaseUrl })}\n`);
    log(`mailbox: ${mailbox.received()} dunning e-mails so far in ${mailbox.dir}/ (one .eml per mail)`);
  }
  log('supervising: a service that exits is started again; Ctrl-C stops everything');
  // Runs until a signal. The supervisors' processes and restart timers keep the event loop alive; this
  // keeps it alive even if none were left, so the infrastructure arc-infra holds for us stays up.
  setInterval(() => undefined, 1 << 30);
}

if (require.main === module) {
  main().catch(async (error: unknown) => {
    console.error('[arc] start failed:', error instanceof Error ? error.message : error);
    process.exitCode = 1;
    await platform?.stop(10_000);
    process.exit(1);
  });
}
