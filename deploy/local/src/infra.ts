import { readConfig, type InfraConfig } from './config';
import { PrerequisiteError } from './errors';
import { localKafkaBrokers, ownKafkaPid, probeKafka, startLocalKafka, stopLocalKafka } from './kafka';
import { log } from './log';
import { databaseUrl, ownPostgresPid, probePostgres, startLocalPostgres, stopLocalPostgres } from './postgres';
import { addLease, COMPONENTS, liveLeases, readAutoStarted, removeLease, withLock, writeAutoStarted, type Component } from './state';
import { containerEndpoint, dockerAnswers, startContainer, stopContainer } from './testcontainers';

export type { Component } from './state';

/** Where Kafka and PostgreSQL are; the values of ARC_KAFKA_BROKERS and ARC_DATABASE_URL. */
export interface InfraEndpoints {
  kafkaBrokers: string;
  databaseUrl: string;
}

export interface StartResult extends InfraEndpoints {
  /** What this call started (the rest was running already or given in the environment). */
  started: Component[];
}

/** env: given in ARC_KAFKA_BROKERS / ARC_DATABASE_URL; container: testcontainers; local: a process here. */
export type Source = 'env' | 'container' | 'local';

export interface ComponentStatus {
  component: Component;
  source: Source;
  endpoint: string;
  answers: boolean;
  pid: number | undefined;
}

export const ENV_VARIABLE: Record<Component, string> = { kafka: 'ARC_KAFKA_BROKERS', postgres: 'ARC_DATABASE_URL' };
const LABEL: Record<Component, string> = { kafka: 'Kafka', postgres: 'PostgreSQL' };

function locate(component: Component, config: InfraConfig): { source: Source; endpoint: string } {
  const external = component === 'kafka' ? config.externalKafkaBrokers : config.externalDatabaseUrl;
  if (external) return { source: 'env', endpoint: external };
  const container = containerEndpoint(component);
  if (container) return { source: 'container', endpoint: container };
  return { source: 'local', endpoint: component === 'kafka' ? localKafkaBrokers(config) : databaseUrl(config.postgresPort) };
}

function probe(component: Component, endpoint: string): Promise<boolean> {
  return component === 'kafka' ? probeKafka(endpoint.split(',').map((broker) => broker.trim())) : probePostgres(endpoint);
}

function localPid(component: Component): number | undefined {
  return component === 'kafka' ? ownKafkaPid() : ownPostgresPid();
}

export async function status(config: InfraConfig = readConfig()): Promise<ComponentStatus[]> {
  return Promise.all(
    COMPONENTS.map(async (component) => {
      const { source, endpoint } = locate(component, config);
      return {
        component,
        source,
        endpoint,
        answers: await probe(component, endpoint),
        pid: source === 'local' ? localPid(component) : undefined,
      };
    }),
  );
}

/** Makes one component answer; returns its endpoint and whether this call started it. */
async function ensure(component: Component, config: InfraConfig, onStarting: () => void): Promise<{ endpoint: string; started: boolean }> {
  const located = locate(component, config);
  if (located.source === 'env') {
    if (!(await probe(component, located.endpoint))) {
      throw new Error(`${ENV_VARIABLE[component]}=${located.endpoint} does not answer`);
    }
    log(`${LABEL[component]}: using ${ENV_VARIABLE[component]}=${located.endpoint}`);
    return { endpoint: located.endpoint, started: false };
  }
  if (located.source === 'container') {
    if (await probe(component, located.endpoint)) return { endpoint: located.endpoint, started: false };
    await stopContainer(component).catch(() => undefined); // gone or broken: forget it
  }
  const local = locate(component, config);
  if (await probe(component, local.endpoint)) return { endpoint: local.endpoint, started: false };
  onStarting();
  if (config.testcontainers && (await dockerAnswers())) {
    return { endpoint: await startContainer(component), started: true };
  }
  if (component === 'kafka') await startLocalKafka(config);
  else await startLocalPostgres(config);
  return { endpoint: local.endpoint, started: true };
}

async function stopComponent(component: Component): Promise<boolean> {
  if (await stopContainer(component)) return true;
  return component === 'kafka' ? stopLocalKafka() : stopLocalPostgres();
}

export interface StartOptions {
  /**
   * Start on behalf of a lease holder (a test run, by pid): what this call starts is stopped again when
   * the last lease is released. Without a lease, the servers are the user's and stay up.
   */
  lease?: number;
  /** Only these (default: both). */
  components?: readonly Component[];
}

/** Starts what is not running (idempotent) and returns once each answers. */
export async function start(options: StartOptions = {}): Promise<StartResult> {
  const config = readConfig();
  const components = options.components ?? COMPONENTS;
  return withLock(async () => {
    const autoStarted = readAutoStarted();
    const started: Component[] = [];
    const endpoints: Partial<Record<Component, string>> = {};
    const results = await Promise.allSettled(
      components.map(async (component) => {
        const result = await ensure(component, config, () => {
          // Remembered before the launch, so that an interrupted start is still cleaned up.
          if (options.lease !== undefined) {
            autoStarted.add(component);
            writeAutoStarted(autoStarted);
          }
        });
        endpoints[component] = result.endpoint;
        if (result.started) started.push(component);
        if (options.lease === undefined) autoStarted.delete(component); // started or adopted by hand: stays up
      }),
    );
    const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as Error] : []));
    if (failures.length > 0) {
      if (options.lease !== undefined) {
        for (const component of started) {
          await stopComponent(component).catch(() => undefined);
          autoStarted.delete(component);
        }
      }
      writeAutoStarted(autoStarted);
      throw failures.find((failure) => failure instanceof PrerequisiteError) ?? failures[0];
    }
    writeAutoStarted(autoStarted);
    if (options.lease !== undefined) addLease(options.lease);
    return {
      kafkaBrokers: endpoints.kafka ?? locate('kafka', config).endpoint,
      databaseUrl: endpoints.postgres ?? locate('postgres', config).endpoint,
      started: COMPONENTS.filter((component) => started.includes(component)),
    };
  });
}

/** Ends a lease; when no live lease is left, stops what lease holders started. Returns what it stopped. */
export async function release(lease: number): Promise<Component[]> {
  return withLock(async () => {
    removeLease(lease);
    const others = liveLeases();
    const autoStarted = readAutoStarted();
    if (others.length > 0) {
      if (autoStarted.size > 0) log(`still in use by pid ${others.join(', ')}: leaving ${[...autoStarted].join(' and ')} running`);
      return [];
    }
    const stopped: Component[] = [];
    await Promise.all(
      [...autoStarted].map(async (component) => {
        if (await stopComponent(component)) stopped.push(component);
      }),
    );
    writeAutoStarted(new Set());
    return COMPONENTS.filter((component) => stopped.includes(component));
  });
}

/** Stops the servers arc-infra started (by hand or for tests). Returns what it stopped. */
export async function stop(components: readonly Component[] = COMPONENTS): Promise<Component[]> {
  return withLock(async () => {
    const stopped: Component[] = [];
    await Promise.all(
      components.map(async (component) => {
        if (await stopComponent(component)) stopped.push(component);
      }),
    );
    const autoStarted = readAutoStarted();
    for (const component of components) autoStarted.delete(component);
    writeAutoStarted(autoStarted);
    return COMPONENTS.filter((component) => stopped.includes(component));
  });
}
