// `npm start`: the six ARC services with a demo company. Run inside `arc-infra run`, which provides
// ARC_KAFKA_BROKERS and ARC_DATABASE_URL (starting Kafka and PostgreSQL when nothing answers).
import { launchPlatform, type Platform } from './launcher';
import { DemoClient, awaitSettled, seedDemo, summary } from './demo';

const log = (line: string): void => {
  process.stdout.write(`[arc] ${line}\n`);
};

let platform: Platform | undefined;

async function main(): Promise<void> {
  const brokers = process.env.ARC_KAFKA_BROKERS;
  const databaseUrl = process.env.ARC_DATABASE_URL;
  if (!brokers || !databaseUrl) {
    throw new Error('ARC_KAFKA_BROKERS and ARC_DATABASE_URL are not set: run through `npm start` (arc-infra run) or set both.');
  }
  const kafkaBrokers = brokers.split(',').map((b) => b.trim());
  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping the services`);
    if (platform) await platform.stop(10_000);
    log('stopped');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(signal));

  const started = Date.now();
  log('fresh demo: dropping the arc_* service databases and the arc.* topics of an earlier run');
  platform = await launchPlatform({ kafkaBrokers, databaseUrl, databasePrefix: 'arc', recreateDatabases: true, resetTopics: true, ports: 'default' });
  log(`six services ready in ${((Date.now() - started) / 1000).toFixed(1)} s (logs in .arc/logs/arc/)`);
  if (stopping) return;
  const client = new DemoClient(platform);
  const seeded = await seedDemo(client, log);
  await awaitSettled(client);
  log(`demo seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.stdout.write(`${await summary(client, platform, seeded, { databaseUrl })}\n`);
  // Runs until Ctrl-C: the child processes keep the event loop alive.
}

main().catch(async (error: unknown) => {
  console.error('[arc] start failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
  await platform?.stop(10_000);
  process.exit(1);
});
