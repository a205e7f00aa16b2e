import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';

/** Restart delays: `initialMs`, doubled after each crash in a row, at most `maxMs`. */
export interface Backoff {
  initialMs: number;
  maxMs: number;
  /** A process that ran at least this long before it crashed starts the doubling over. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 30_000, resetAfterMs: 30_000 };

/** The delay before restart number `crashesInARow` (1-based). */
export function restartDelayMs(crashesInARow: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  const doubled = backoff.initialMs * 2 ** Math.max(0, crashesInARow - 1);
  return Math.min(backoff.maxMs, doubled);
}

export interface SupervisedCommand {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** stdout, stderr and the supervisor's own notes about the process go here (truncated at the first start). */
  logFile: string;
  /** The supervisor's notes (exits, restarts), for the console. */
  log: (line: string) => void;
  backoff?: Backoff;
}

/** How one run of the process ended: its exit code, or the signal that ended it. */
export type ExitStatus = number | NodeJS.Signals;

/**
 * One service process, kept running: when it exits without being asked to, the exit is logged and the
 * process is started again after an exponential backoff, until stop(). It runs in a process group of
 * its own, so a Ctrl-C in the terminal reaches the launcher only, which then stops it in order.
 */
export class Supervisor {
  private child: ChildProcess | undefined;
  private exited: Promise<ExitStatus> = Promise.resolve(0);
  private startedAt = 0;
  private crashesInARow = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private readonly logStream: WriteStream;
  private readonly backoff: Backoff;
  /** Times the process was started again after a crash. */
  restarts = 0;

  constructor(private readonly spec: SupervisedCommand) {
    this.backoff = spec.backoff ?? DEFAULT_BACKOFF;
    this.logStream = createWriteStream(spec.logFile, { flags: 'w' });
  }

  get name(): string {
    return this.spec.name;
  }

  /** The pid of the current process, undefined while it is down. */
  get pid(): number | undefined {
    return this.running() ? this.child?.pid : undefined;
  }

  /** Resolves when the current run of the process ends. */
  get currentExit(): Promise<ExitStatus> {
    return this.exited;
  }

  start(): void {
    if (this.stopping) return;
    this.restartTimer = undefined;
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: this.spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.child = child;
    this.startedAt = Date.now();
    // A crashed run's pipes end, the log file stays open for the next run.
    child.stdout?.pipe(this.logStream, { end: false });
    child.stderr?.pipe(this.logStream, { end: false });
    this.exited = new Promise<ExitStatus>((resolveExit) => {
      child.once('exit', (code, signal) => {
        const status: ExitStatus = signal ?? code ?? 1;
        resolveExit(status);
        this.onExit(status);
      });
      child.once('error', (error) => {
        this.note('error', `${this.spec.name} could not be started: ${error.message}`);
      });
    });
  }

  /** Sends `signal` to the current process (a test's crash) and resolves when it has exited. */
  async kill(signal: NodeJS.Signals): Promise<ExitStatus> {
    const exited = this.exited;
    if (this.running()) this.child?.kill(signal);
    return exited;
  }

  /** Stops supervising: SIGTERM, then SIGKILL after `timeoutMs`; resolves once the process has exited. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    if (this.running()) {
      this.child?.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((r) => {
        timer = setTimeout(() => r('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([this.exited, timedOut]);
      if (timer) clearTimeout(timer);
      if (outcome === 'timeout') {
        this.note('warn', `${this.spec.name} did not stop within ${timeoutMs} ms: SIGKILL`);
        this.child?.kill('SIGKILL');
        await this.exited;
      }
    }
    await new Promise<void>((r) => this.logStream.end(() => r()));
  }

  private running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  private onExit(status: ExitStatus): void {
    if (this.stopping) return;
    const ranMs = Date.now() - this.startedAt;
    this.crashesInARow = ranMs >= this.backoff.resetAfterMs ? 1 : this.crashesInARow + 1;
    const delay = restartDelayMs(this.crashesInARow, this.backoff);
    this.restarts += 1;
    this.note(
      'warn',
      `${this.spec.name} (pid ${this.child?.pid ?? '?'}) exited (${String(status)}) after ${(ranMs / 1000).toFixed(1)} s; ` +
        `restart ${this.restarts} in ${delay} ms`,
    );
    this.restartTimer = setTimeout(() => {
      this.start();
      this.note('info', `${this.spec.name} restarted (pid ${this.child?.pid ?? '?'})`);
    }, delay);
  }

  /** A line for the console and the same note, as a JSON log line, in the service's log file. */
  private note(level: 'info' | 'warn' | 'error', message: string): void {
    this.spec.log(message);
    if (!this.logStream.writableEnded) {
      this.logStream.write(`${JSON.stringify({ time: new Date().toISOString(), level, context: 'launcher', msg: message })}\n`);
    }
  }
}
