/**
 * Where the test infrastructure is. The Jest global setup (./jest/global-setup.js) fills these from
 * the environment or by starting Kafka and PostgreSQL locally, once per test run.
 */
export interface Endpoints {
  /** Comma-separated host:port list. */
  kafkaBrokers: string[];
  /** A PostgreSQL URL of a role that may create databases. */
  databaseUrl: string;
}

export function endpoints(): Endpoints {
  const brokers = process.env.ARC_KAFKA_BROKERS;
  const databaseUrl = process.env.ARC_DATABASE_URL;
  if (!brokers || !databaseUrl) {
    throw new Error(
      'ARC_KAFKA_BROKERS and ARC_DATABASE_URL are not set: run integration tests through Jest (its global ' +
        'setup starts the infrastructure) or set both to existing servers.',
    );
  }
  return { kafkaBrokers: brokers.split(',').map((b) => b.trim()), databaseUrl };
}
