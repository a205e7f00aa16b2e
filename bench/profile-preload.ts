// Loaded into each service by `BENCH_PROFILE_DIR=<dir> npm run bench -- http` (NODE_OPTIONS=--require):
// SIGWINCH starts V8's CPU profiler in the process, the next SIGWINCH stops it and writes
// <dir>/<service>-<label>.cpuprofile, so a profile covers exactly one phase of the benchmark. (--cpu-prof
// writes only at a normal exit, and Nest's shutdown hooks end the process by re-raising SIGTERM; SIGUSR2
// is one of the signals Nest shuts down on, SIGUSR1 starts Node's inspector, SIGWINCH is ignored by default.)
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { basename, dirname, join } from 'node:path';

const dir = process.env.ARC_CPU_PROFILE_DIR;
if (dir) {
  const service = basename(dirname(dirname(process.argv[1] ?? 'unknown/dist/main.js')));
  const session = new Session();
  session.connect();
  let running = false;
  let count = 0;
  process.on('SIGWINCH', () => {
    if (!running) {
      running = true;
      session.post('Profiler.enable', () => session.post('Profiler.start'));
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      count += 1;
      const label = process.env.ARC_CPU_PROFILE_LABELS?.split(',')[count - 1] ?? String(count);
      writeFileSync(join(dir, `${service}-${label}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
}
