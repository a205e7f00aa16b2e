import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import type { InfraConfig } from './config';
import { InfraError } from './errors';
import { javaExecutable, requireTools } from './java';
import { log } from './log';
import { paths } from './paths';
import { commandLine, isAlive, portAnswers, readPidFile, run, tail, terminate, waitFor } from './processes';
import { renderProperties } from './properties';

const START_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 60_000;

/** `<kafka.version>` of deploy/local/kafka/pom.xml. */
export function kafkaVersionFromPom(pom: string): string {
  const match = /<kafka\.version>\s*([^<\s]+)\s*<\/kafka\.version>/.exec(pom);
  if (!match?.[1]) throw new Error('deploy/local/kafka/pom.xml has no <kafka.version> property');
  return match[1];
}

export interface BrokerLayout {
  port: number;
  controllerPort: number;
  dataDir: string;
}

/** server.properties of a single-node KRaft broker+controller that listens on 127.0.0.1 only. */
export function kafkaServerProperties({ port, controllerPort, dataDir }: BrokerLayout): Record<string, string | number | boolean> {
  return {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': dataDir,
    'num.partitions': 1,
    'default.replication.factor': 1,
    // ARC creates its topics itself; a typo must fail, not create a topic.
    'auto.create.topics.enable': false,
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'transaction.state.log.num.partitions': 10,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    // Tests join consumer groups all the time; do not wait 3 s for more members.
    'group.initial.rebalance.delay.ms': 0,
  };
}

/** A KRaft cluster id: 16 random bytes, URL-safe base64 (Kafka's Uuid), never starting with '-'. */
export function randomClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

function classpath(): string {
  return `${paths.kafka.libs}${path.sep}*`;
}

function pomHash(): string {
  return createHash('sha256').update(fs.readFileSync(paths.kafka.pom)).digest('hex');
}

const LIBS_MARKER = '.arc-pom.sha256';

function libsUpToDate(): boolean {
  try {
    return fs.readFileSync(path.join(paths.kafka.libs, LIBS_MARKER), 'utf8').trim() === pomHash();
  } catch {
    return false;
  }
}

/** Resolves the broker's classpath from Maven Central into .arc/kafka/libs, unless it is already there. */
export async function ensureKafkaLibs(): Promise<void> {
  if (libsUpToDate()) return;
  const version = kafkaVersionFromPom(fs.readFileSync(paths.kafka.pom, 'utf8'));
  log(`fetching Apache Kafka ${version} from Maven Central (once) into ${paths.kafka.libs}`);
  const staging = `${paths.kafka.libs}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(staging), { recursive: true });
  const started = Date.now();
  const result = await run('mvn', [
    '-q',
    '-B',
    '-Dstyle.color=never',
    '-f',
    paths.kafka.pom,
    'dependency:copy-dependencies',
    '-DincludeScope=runtime',
    `-DoutputDirectory=${staging}`,
  ]);
  if (result.code !== 0) {
    const output = `${result.stdout}\n${result.stderr}`
      .replace(/\x1b\[[0-9;]*m/g, '') // Maven colours even in batch mode
      .trim()
      .split('\n')
      .slice(-25)
      .join('\n');
    throw new InfraError(
      `Maven could not fetch Apache Kafka ${version} (mvn exited with ${result.code ?? result.signal}). ` +
        `Check that Maven Central is reachable, or point Maven at your mirror or proxy in ~/.m2/settings.xml.\n${output}`,
    );
  }
  fs.writeFileSync(path.join(staging, LIBS_MARKER), `${pomHash()}\n`);
  fs.rmSync(paths.kafka.libs, { recursive: true, force: true });
  fs.renameSync(staging, paths.kafka.libs);
  log(`fetched ${fs.readdirSync(paths.kafka.libs).length - 1} jars in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function jvmSystemProperties(): string[] {
  return [`-Dlog4j2.configurationFile=${paths.kafka.log4jConfig}`, `-Dkafka.logs.dir=${paths.kafka.logs}`];
}

function writeServerProperties(config: InfraConfig): void {
  const version = kafkaVersionFromPom(fs.readFileSync(paths.kafka.pom, 'utf8'));
  const properties = kafkaServerProperties({
    port: config.kafkaPort,
    controllerPort: config.kafkaControllerPort,
    dataDir: paths.kafka.data,
  });
  fs.writeFileSync(
    paths.kafka.serverProperties,
    renderProperties(properties, `Apache Kafka ${version}, written by arc-infra on every start: edit deploy/local/src/kafka.ts instead.`),
  );
}

/** Formats the KRaft storage once, with the broker's own StorageTool (same version as the broker). */
async function formatStorage(): Promise<void> {
  if (fs.existsSync(path.join(paths.kafka.data, 'meta.properties'))) return;
  const clusterId = randomClusterId();
  log(`formatting the KRaft storage in ${paths.kafka.data} (cluster id ${clusterId})`);
  const result = await run(javaExecutable(), [
    ...jvmSystemProperties(),
    '-cp',
    classpath(),
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId,
    '-c',
    paths.kafka.serverProperties,
    '--ignore-formatted',
  ]);
  if (result.code !== 0) {
    throw new InfraError(`kafka.tools.StorageTool format failed (exit ${result.code ?? result.signal}):\n${result.stdout}${result.stderr}`);
  }
}

/** The pid of the broker arc-infra started, if that process still runs. */
export function ownKafkaPid(): number | undefined {
  const pid = readPidFile(paths.kafka.pidFile);
  if (pid === undefined || !isAlive(pid)) return undefined;
  const cmdline = commandLine(pid);
  // Guard against pid reuse: it must be a broker started on our server.properties.
  if (cmdline !== undefined && !(cmdline.includes('kafka.Kafka') && cmdline.includes(paths.kafka.serverProperties))) {
    return undefined;
  }
  return pid;
}

/** Whether a Kafka at `brokers` answers: a kafkajs admin can describe the cluster and list topics. */
export async function probeKafka(brokers: string[], timeoutMs = 3000): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'arc-infra-probe',
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(timeoutMs, 2000),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    await admin.listTopics();
    return cluster.brokers.length > 0;
  } catch {
    return false;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export function localKafkaBrokers(config: InfraConfig): string {
  return `127.0.0.1:${config.kafkaPort}`;
}

/** Starts the local broker (detached: it outlives this process) and returns once it answers. */
export async function startLocalKafka(config: InfraConfig): Promise<void> {
  const brokers = localKafkaBrokers(config);
  const running = ownKafkaPid();
  if (running === undefined) {
    for (const port of [config.kafkaPort, config.kafkaControllerPort]) {
      if (await portAnswers(port)) {
        throw new InfraError(
          `port ${port} is taken by another process, so the local Kafka cannot listen on it: ` +
            'free it, or choose other ports with ARC_KAFKA_PORT / ARC_KAFKA_CONTROLLER_PORT.',
        );
      }
    }
    await requireTools({ needMaven: !libsUpToDate() });
    for (const dir of [paths.kafka.home, paths.kafka.data, paths.kafka.logs]) fs.mkdirSync(dir, { recursive: true });
    await ensureKafkaLibs();
    writeServerProperties(config);
    await formatStorage();
    launch(config);
  } else {
    log(`Kafka (pid ${running}) is starting; waiting for it`);
  }
  const pid = ownKafkaPid();
  const started = Date.now();
  const answered = await waitFor(() => probeKafka([brokers]), {
    timeoutMs: START_TIMEOUT_MS,
    intervalMs: 500,
    abort: () => pid === undefined || !isAlive(pid),
  });
  if (!answered) {
    const alive = pid !== undefined && isAlive(pid);
    throw new InfraError(
      `Kafka ${alive ? `did not answer on ${brokers} within ${START_TIMEOUT_MS / 1000} s` : 'exited during startup'}. ` +
        `Logs: ${path.join(paths.kafka.logs, 'server.log')}, ${path.join(paths.kafka.logs, 'kafka.out')}\n` +
        tail(path.join(paths.kafka.logs, 'kafka.out'), 15) +
        '\n' +
        tail(path.join(paths.kafka.logs, 'server.log'), 15),
    );
  }
  log(`Kafka answers on ${brokers} (${((Date.now() - started) / 1000).toFixed(1)} s after launch)`);
}

function launch(config: InfraConfig): void {
  const out = fs.openSync(path.join(paths.kafka.logs, 'kafka.out'), 'a');
  try {
    const child = spawn(
      javaExecutable(),
      [
        `-Xmx${config.kafkaHeap}`,
        '-XX:+UseG1GC',
        '-XX:MaxGCPauseMillis=20',
        '-XX:+ExitOnOutOfMemoryError',
        '-Djava.awt.headless=true',
        ...jvmSystemProperties(),
        '-cp',
        classpath(),
        'kafka.Kafka',
        paths.kafka.serverProperties,
      ],
      // Its own session: a Ctrl-C in the terminal that started it does not reach the broker.
      { cwd: paths.kafka.home, detached: true, stdio: ['ignore', out, out] },
    );
    if (child.pid === undefined) throw new InfraError(`cannot run ${javaExecutable()}`);
    fs.writeFileSync(paths.kafka.pidFile, `${child.pid}\n`);
    child.unref();
    log(`launched Kafka (pid ${child.pid}, -Xmx${config.kafkaHeap}); logs in ${paths.kafka.logs}`);
  } finally {
    fs.closeSync(out);
  }
}

/** Stops the broker arc-infra started. Returns false when there was none. */
export async function stopLocalKafka(): Promise<boolean> {
  const pid = ownKafkaPid();
  if (pid === undefined) {
    fs.rmSync(paths.kafka.pidFile, { force: true });
    return false;
  }
  log(`stopping Kafka (pid ${pid})`);
  await terminate(pid, STOP_GRACE_MS);
  fs.rmSync(paths.kafka.pidFile, { force: true });
  return true;
}
