import fs from 'node:fs';
import path from 'node:path';
import { log } from './log';
import { paths } from './paths';
import type { Component } from './state';

/*
 * The container path, for machines with a Docker engine: only with ARC_TESTCONTAINERS=1, and only when
 * an engine answers. testcontainers is loaded lazily, so a default run never touches it.
 *
 * `arc-infra start` returns while the containers must live on, so the Ryuk reaper (which removes a
 * session's containers when the process that started them exits) is disabled for them; `arc-infra stop`
 * removes them by id (kept in .arc/testcontainers/<component>.json).
 *
 * NOTE: testcontainers, @testcontainers/kafka and @testcontainers/postgresql are dependencies of
 * @arc/testing, reached here through the workspace's hoisted node_modules.
 */

interface ContainerRecord {
  containerId: string;
  image: string;
  endpoint: string;
}

const KAFKA_IMAGE = 'confluentinc/cp-kafka:8.0.0';
const POSTGRES_IMAGE = 'postgres:17-alpine';
const DOCKER_PROBE_TIMEOUT_MS = 15_000;

function recordFile(component: Component): string {
  return path.join(paths.testcontainersDir, `${component}.json`);
}

/** The endpoint of a container arc-infra started for `component`, if any. */
export function containerEndpoint(component: Component): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(recordFile(component), 'utf8')) as ContainerRecord).endpoint;
  } catch {
    return undefined;
  }
}

async function loadTestcontainers() {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  return import('testcontainers');
}

/** Whether a Docker (or compatible) engine answers. */
export async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await loadTestcontainers();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), DOCKER_PROBE_TIMEOUT_MS);
    });
    try {
      await Promise.race([getContainerRuntimeClient(), timeout]);
    } finally {
      clearTimeout(timer);
    }
    return true;
  } catch (error) {
    log(`ARC_TESTCONTAINERS=1, but no container engine answers (${(error as Error).message.split('\n')[0]}); using local processes`);
    return false;
  }
}

export async function startContainer(component: Component): Promise<string> {
  await loadTestcontainers();
  let record: ContainerRecord;
  if (component === 'kafka') {
    const image = process.env.ARC_TESTCONTAINERS_KAFKA_IMAGE ?? KAFKA_IMAGE;
    log(`starting Kafka in a container (${image})`);
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const container = await new KafkaContainer(image)
      .withKraft()
      .withEnvironment({ KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false', KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0' })
      .start();
    record = { containerId: container.getId(), image, endpoint: `${container.getHost()}:${container.getMappedPort(9093)}` };
  } else {
    const image = process.env.ARC_TESTCONTAINERS_POSTGRES_IMAGE ?? POSTGRES_IMAGE;
    log(`starting PostgreSQL in a container (${image})`);
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer(image)
      .withUsername('postgres')
      .withPassword('postgres')
      .withDatabase('postgres')
      .withCommand(['postgres', '-c', 'max_connections=300', '-c', 'idle_in_transaction_session_timeout=60s'])
      .start();
    record = { containerId: container.getId(), image, endpoint: container.getConnectionUri() };
  }
  fs.mkdirSync(paths.testcontainersDir, { recursive: true });
  fs.writeFileSync(recordFile(component), `${JSON.stringify(record, null, 2)}\n`);
  return record.endpoint;
}

/** Removes the container arc-infra started for `component`. Returns false when there was none. */
export async function stopContainer(component: Component): Promise<boolean> {
  let record: ContainerRecord;
  try {
    record = JSON.parse(fs.readFileSync(recordFile(component), 'utf8')) as ContainerRecord;
  } catch {
    return false;
  }
  const { getContainerRuntimeClient } = await loadTestcontainers();
  const client = await getContainerRuntimeClient();
  const container = client.container.getById(record.containerId);
  log(`removing the ${component} container ${record.containerId.slice(0, 12)}`);
  await client.container.stop(container, { timeout: 10 }).catch(() => undefined);
  await client.container.remove(container, { removeVolumes: true }).catch(() => undefined);
  fs.rmSync(recordFile(component), { force: true });
  return true;
}
