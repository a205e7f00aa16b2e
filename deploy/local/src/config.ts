/** Settings read from the environment (all optional). */
export interface InfraConfig {
  /** ARC_KAFKA_BROKERS: use this Kafka, start none. */
  externalKafkaBrokers: string | undefined;
  /** ARC_DATABASE_URL: use this PostgreSQL, start none. */
  externalDatabaseUrl: string | undefined;
  /** ARC_KAFKA_PORT: the PLAINTEXT listener of the local broker. */
  kafkaPort: number;
  /** ARC_KAFKA_CONTROLLER_PORT: the KRaft controller listener (default: Kafka port + 1). */
  kafkaControllerPort: number;
  /** ARC_KAFKA_HEAP: the broker's -Xmx. */
  kafkaHeap: string;
  /** ARC_PG_PORT: the local PostgreSQL port. */
  postgresPort: number;
  /** ARC_TESTCONTAINERS=1: prefer containers when a Docker engine answers. */
  testcontainers: boolean;
}

export const DEFAULT_KAFKA_PORT = 19092;
export const DEFAULT_PG_PORT = 54329;

export function readConfig(env: NodeJS.ProcessEnv = process.env): InfraConfig {
  const kafkaPort = port(env, 'ARC_KAFKA_PORT', DEFAULT_KAFKA_PORT);
  return {
    externalKafkaBrokers: nonEmpty(env.ARC_KAFKA_BROKERS),
    externalDatabaseUrl: nonEmpty(env.ARC_DATABASE_URL),
    kafkaPort,
    kafkaControllerPort: port(env, 'ARC_KAFKA_CONTROLLER_PORT', kafkaPort + 1),
    kafkaHeap: nonEmpty(env.ARC_KAFKA_HEAP) ?? '512m',
    postgresPort: port(env, 'ARC_PG_PORT', DEFAULT_PG_PORT),
    testcontainers: env.ARC_TESTCONTAINERS === '1' || env.ARC_TESTCONTAINERS === 'true',
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name}=${raw} is not a TCP port`);
  }
  return value;
}
