import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from './poll';
import { Supervisor } from './supervisor';

// Real processes (no infrastructure): what the launcher does when a service dies.

const dir = mkdtempSync(join(tmpdir(), 'arc-supervisor-'));
const backoff = { initialMs: 50, maxMs: 200, resetAfterMs: 60_000 };

function supervise(name: string, script: string, lines: string[]): Supervisor {
  return new Supervisor({
    name,
    command: process.execPath,
    args: ['-e', script],
    cwd: dir,
    env: process.env,
    logFile: join(dir, `${name}.log`),
    log: (l) => lines.push(l),
    backoff,
  });
}

describe('Supervisor', () => {
  it('starts a crashed process again, after a delay that doubles while it keeps crashing, and logs each exit', async () => {
    const lines: string[] = [];
    const crasher = supervise('crasher', 'console.log("starting"); process.exit(3)', lines);
    crasher.start();
    await until(async () => crasher.restarts >= 4, { timeoutMs: 20_000, intervalMs: 20, description: 'four restarts' });
    await crasher.stop();
    const exits = lines.filter((l) => l.includes('exited'));
    expect(exits.slice(0, 4).map((l) => /exited \((\d+)\).*restart (\d+) in (\d+) ms/.exec(l)?.slice(1))).toEqual([
      ['3', '1', '50'],
      ['3', '2', '100'],
      ['3', '3', '200'],
      ['3', '4', '200'],
    ]);
    const log = readFileSync(join(dir, 'crasher.log'), 'utf8');
    expect(log.match(/^starting$/gm)?.length).toBeGreaterThanOrEqual(4);
    expect(log).toMatch(/"context":"launcher","msg":"crasher \(pid \d+\) exited \(3\)/);
  });

  it('restarts a process killed by SIGKILL, and stop() ends it for good', async () => {
    const lines: string[] = [];
    const server = supervise('server', 'setInterval(() => undefined, 1000)', lines);
    server.start();
    const first = server.pid;
    expect(first).toBeDefined();
    expect(await server.kill('SIGKILL')).toBe('SIGKILL');
    await until(async () => server.pid !== undefined && server.pid !== first, {
      timeoutMs: 10_000,
      intervalMs: 20,
      description: 'a new process',
    });
    const second = server.pid as number;
    await server.stop(5_000);
    expect(server.pid).toBeUndefined();
    expect(() => process.kill(second, 0)).toThrow();
    expect(server.restarts).toBe(1);
    expect(lines.some((l) => /server \(pid \d+\) exited \(SIGKILL\)/.test(l))).toBe(true);
  });
});
