import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const repoRoot = resolve(__dirname, '../../..');

export interface TsProcess {
  child: ChildProcess;
  /** Where its stdout and stderr go, for the test's failure message. */
  logFile: string;
  /** Resolves with the exit code, or the signal name. */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/**
 * Runs a TypeScript entry point as a separate Node process, the way ARC runs its services in
 * development: workspace packages resolved to their sources, compiled on load by swc.
 */
export function spawnTs(entry: string, env: Record<string, string>, options: { tsconfig?: string; args?: string[] } = {}): TsProcess {
  const logDir = join(repoRoot, '.arc', 'test-logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${basename(entry, '.ts')}-${process.pid}-${Date.now()}.log`);
  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, ['--conditions=arc-source', '-r', '@swc-node/register', entry, ...(options.args ?? [])], {
    cwd: dirname(entry),
    env: {
      ...process.env,
      SWC_NODE_PROJECT: options.tsconfig ?? join(repoRoot, 'tsconfig.base.json'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const exited = new Promise<number | string>((resolveExit) => {
    child.once('exit', (code, signal) => resolveExit(code ?? signal ?? 'unknown'));
  });
  return {
    child,
    logFile,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
