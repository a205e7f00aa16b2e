import path from 'node:path';

/** The repository root: deploy/local/{src,dist} are two levels below it. */
export const repoRoot = path.resolve(__dirname, '..', '..', '..');

/** The package directory (deploy/local). */
export const packageDir = path.resolve(__dirname, '..');

/** Local state: jars, broker data, PostgreSQL data, logs, pid files, leases. Git-ignored. */
export const arcDir = path.join(repoRoot, '.arc');

export const paths = {
  lockDir: path.join(arcDir, 'lock'),
  leasesDir: path.join(arcDir, 'leases'),
  autoStartedFile: path.join(arcDir, 'auto-started.json'),
  testcontainersDir: path.join(arcDir, 'testcontainers'),
  kafka: {
    pom: path.join(packageDir, 'kafka', 'pom.xml'),
    log4jConfig: path.join(packageDir, 'kafka', 'log4j2.properties'),
    home: path.join(arcDir, 'kafka'),
    libs: path.join(arcDir, 'kafka', 'libs'),
    data: path.join(arcDir, 'kafka', 'data'),
    logs: path.join(arcDir, 'kafka', 'logs'),
    serverProperties: path.join(arcDir, 'kafka', 'server.properties'),
    pidFile: path.join(arcDir, 'kafka', 'kafka.pid'),
  },
  postgres: {
    home: path.join(arcDir, 'postgres'),
    /** Written once: where the data directory really is (see postgres.ts about unreachable paths). */
    locationFile: path.join(arcDir, 'postgres', 'location.json'),
  },
};
