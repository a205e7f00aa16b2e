// Jest global teardown of the integration project: releases the lease the global setup took, if it
// took one (and only in the process that took it). arc-infra stops what it started for tests once no
// other test run holds a lease; servers started by hand (`arc-infra start`) stay up.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const cli = path.resolve(__dirname, '../../../../deploy/local/bin/arc-infra.js');

module.exports = async () => {
  if (process.env.ARC_INFRA_LEASE !== String(process.pid)) return;
  const result = spawnSync(process.execPath, [cli, 'release', '--lease', String(process.pid)], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: process.env,
  });
  delete process.env.ARC_INFRA_LEASE;
  delete process.env.ARC_KAFKA_BROKERS;
  delete process.env.ARC_DATABASE_URL;
  if (result.status !== 0) {
    process.stderr.write(`[arc-infra] releasing the test infrastructure failed (exit ${result.status ?? result.signal})\n`);
  }
};
