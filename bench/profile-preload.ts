// Loaded into each service by `BENCH_PROFILE_DIR=<dir> npm run bench -- http` (NODE_OPTIONS=--require):
// SIGWINCH starts V8's CPU profiler in the process, the next SIGWINCH stops it and writes
// <dir>/<service>-<label>.cpuprofile, so a profile covers exactly one phase of the benchmark. (--cpu-prof
// writes only at a normal exit, and Nest's shutdown hooks end the process by re-raising SIGTERM; SIGUSR2
// is one of the signals Nest shuts down on, SIGUSR1 starts Node's inspector, SIGWINCH is ignored by default.)
// Over the same phase it counts the SQL statements the process sends (pg's Client.query), by statement,
// into <dir>/<service>-<label>.sql.json: round trips and commits per command without touching the server.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Session } from 'node:inspector';
import { basename, dirname, join } from 'node:path';

const dir = process.env.ARC_CPU_PROFILE_DIR;
if (dir) {
  const service = basename(dirname(dirname(process.argv[1] ?? 'unknown/dist/main.js')));
  const session = new Session();
  session.connect();
  let running = false;
  let count = 0;
  let statements: Map<string, number> | null = null;
  countStatements((text) => {
    if (statements) statements.set(text, (statements.get(text) ?? 0) + 1);
  });
  process.on('SIGWINCH', () => {
    if (!running) {
      running = true;
      statements = new Map();
      session.post('Profiler.enable', () => session.post('Profiler.start'));
      return;
    }
    running = false;
    const counted = [...(statements ?? new Map<string, number>())].sort((a, b) => b[1] - a[1]);
    statements = null;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      count += 1;
      const label = process.env.ARC_CPU_PROFILE_LABELS?.split(',')[count - 1] ?? String(count);
      writeFileSync(join(dir, `${service}-${label}.cpuprofile`), JSON.stringify(result.profile));
      writeFileSync(join(dir, `${service}-${label}.sql.json`), JSON.stringify(Object.fromEntries(counted), null, 1));
    });
  });
}

/** Wraps pg's Client.prototype.query (the service's own copy of pg, resolved from its main module). */
function countStatements(onStatement: (text: string) => void): void {
  let pg: { Client: { prototype: { query: (...args: unknown[]) => unknown } } };
  try {
    pg = createRequire(process.argv[1] ?? __filename)('pg') as typeof pg;
  } catch {
    return;
  }
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
    const config = args[0] as string | { text?: string; name?: string } | undefined;
    const text = typeof config === 'string' ? config : (config?.name ?? config?.text ?? '?');
    onStatement(text.replace(/\s+/g, ' ').trim().slice(0, 160));
    return original.apply(this, args);
  };
}
