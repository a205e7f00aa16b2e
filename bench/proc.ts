// What the HTTP benchmark reads about processes from /proc (Linux only): CPU time (utime + stime of every
// thread, in clock ticks), resident memory, process trees, and which process listens on a TCP port.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ, 100 on every Linux this runs on). */
const TICKS_PER_SECOND = 100;

interface Stat {
  ppid: number;
  /** utime + stime in milliseconds. */
  cpuMs: number;
}

function readStat(pid: number): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: the fields after it follow the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ppid = Number(fields[1]);
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { ppid, cpuMs: (ticks * 1000) / TICKS_PER_SECOND };
  } catch {
    return null; // exited meanwhile
  }
}

/** Milliseconds since the process started (10 ms resolution), or NaN if it is gone. */
export function processAgeMs(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const startTicks = Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[19]);
    const uptimeSeconds = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    return (uptimeSeconds - startTicks / TICKS_PER_SECOND) * 1000;
  } catch {
    return Number.NaN;
  }
}

export function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
  } catch {
    return '';
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** `root` and every process below it. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const pid of allPids()) {
    const stat = readStat(pid);
    if (!stat) continue;
    const siblings = children.get(stat.ppid) ?? [];
    siblings.push(pid);
    children.set(stat.ppid, siblings);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift() as number;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** Resident set size in MB, or NaN if the process is gone. */
export function rssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** The process holding the listening TCP socket on `port` (IPv4 or IPv6), or null. */
export function pidListeningOn(port: number): number | null {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is ADDR:PORT; state 0A is LISTEN.
      if (cols[1]?.endsWith(`:${hexPort}`) && cols[3] === '0A' && cols[9]) inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) return null;
  for (const pid of allPids()) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
        if (inode && inodes.has(inode)) return pid;
      } catch {
        // closed meanwhile
      }
    }
  }
  return null;
}

/**
 * CPU milliseconds of named groups of processes between `start()` and the last `sample()`. A group is a
 * function listing its pids at each sample, so processes that appear later (a pool's new PostgreSQL
 * backend) are counted from zero; a process that exits keeps what it had used at the last sample before
 * its exit (sample often: the benchmark samples twice a second).
 */
export class CpuMeter {
  private readonly first = new Map<string, Map<number, number>>();
  private readonly last = new Map<string, Map<number, number>>();
  private startedAt = 0;
  private sampledAt = 0;

  constructor(private readonly groups: ReadonlyMap<string, () => number[]>) {}

  start(): void {
    this.first.clear();
    this.last.clear();
    for (const [name, pids] of this.groups) {
      const values = new Map<number, number>();
      for (const pid of pids()) {
        const stat = readStat(pid);
        if (stat) values.set(pid, stat.cpuMs);
      }
      this.first.set(name, values);
      this.last.set(name, new Map(values));
    }
    this.startedAt = this.sampledAt = performance.now();
  }

  sample(): void {
    for (const [name, pids] of this.groups) {
      const first = this.first.get(name) as Map<number, number>;
      const last = this.last.get(name) as Map<number, number>;
      for (const pid of pids()) {
        const stat = readStat(pid);
        if (!stat) continue;
        if (!first.has(pid)) first.set(pid, 0);
        last.set(pid, stat.cpuMs);
      }
    }
    this.sampledAt = performance.now();
  }

  /** Per group, CPU milliseconds used since start(), and the wall-clock milliseconds measured. */
  read(): { wallMs: number; cpuMs: Map<string, number> } {
    const cpuMs = new Map<string, number>();
    for (const [name, first] of this.first) {
      const last = this.last.get(name) as Map<number, number>;
      let sum = 0;
      for (const [pid, value] of last) sum += value - (first.get(pid) ?? 0);
      cpuMs.set(name, sum);
    }
    return { wallMs: this.sampledAt - this.startedAt, cpuMs };
  }
}
