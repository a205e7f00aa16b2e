// Jest global setup of the integration project (see jest.preset.js). Plain CommonJS: Jest's main
// process loads it without the `arc-source` condition, so it drives the arc-infra CLI as a child process.
//
// - ARC_KAFKA_BROKERS and ARC_DATABASE_URL both set (e.g. under `arc-infra run`, or servers of your
//   own): nothing to do.
// - Otherwise: `arc-infra start --json --lease <jest pid>` starts what is not running and returns the
//   endpoints, which go into process.env (Jest's workers inherit them). The global teardown releases the
//   lease; arc-infra then stops what it started for tests, once no other test run holds a lease.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const cli = path.resolve(__dirname, '../../../../deploy/local/bin/arc-infra.js');

module.exports = async () => {
  if (process.env.ARC_KAFKA_BROKERS && process.env.ARC_DATABASE_URL) return;
  const result = spawnSync(process.execPath, [cli, 'start', '--json', '--lease', String(process.pid)], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    env: process.env,
  });
  if (result.error) throw new Error(`cannot run ${cli}: ${result.error.message}`);
  if (result.status !== 0) {
    // arc-infra has already said why on stderr; keep Jest's own report short.
    const error = new Error(`arc-infra start failed (exit ${result.status ?? result.signal}): see its message above`);
    error.stack = error.message;
    throw error;
  }
  const lines = result.stdout.trim().split('\n');
  const endpoints = JSON.parse(lines[lines.length - 1]);
  process.env.ARC_KAFKA_BROKERS = endpoints.kafkaBrokers;
  process.env.ARC_DATABASE_URL = endpoints.databaseUrl;
  process.env.ARC_INFRA_LEASE = String(process.pid);
};
