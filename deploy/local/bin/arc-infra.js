#!/usr/bin/env node
// `arc-infra`: runs deploy/local/src/cli.ts from source. Re-executes Node with the workspace's
// `arc-source` export condition and @swc-node/register, forwards SIGINT/SIGTERM/SIGHUP to it and exits
// with its exit code.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const packageDir = path.resolve(__dirname, '..');
let register;
try {
  register = require.resolve('@swc-node/register', { paths: [packageDir] });
} catch {
  process.stderr.write('[arc-infra] @swc-node/register is not installed: run `npm install` at the repository root first.\n');
  process.exit(2);
}

const child = spawn(
  process.execPath,
  ['--conditions=arc-source', '-r', register, path.join(packageDir, 'src', 'cli.ts'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    // swc-node compiles with this tsconfig; cli.ts removes the variable again before it spawns anything.
    env: { ...process.env, SWC_NODE_PROJECT: path.join(packageDir, 'tsconfig.json') },
  },
);

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  });
}

child.on('error', (error) => {
  process.stderr.write(`[arc-infra] cannot start ${process.execPath}: ${error.message}\n`);
  process.exit(1);
});

child.on('exit', (code, signal) => {
  if (signal) {
    // Mirror the child's death by signal (exit status 128 + n) without killing ourselves with it.
    const numbers = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
    process.exit(128 + (numbers[signal] ?? 1));
  }
  process.exit(code ?? 1);
});
