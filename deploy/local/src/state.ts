import fs from 'node:fs';
import path from 'node:path';
import { log } from './log';
import { arcDir, paths } from './paths';
import { isAlive, sleep } from './processes';

export type Component = 'kafka' | 'postgres';
export const COMPONENTS: readonly Component[] = ['kafka', 'postgres'];

const LOCK_TIMEOUT_MS = 20 * 60_000;

/**
 * One arc-infra at a time changes the servers (Nx runs several Jest processes at once, and each one's
 * global setup calls `arc-infra start`). A directory is the lock; a lock whose owner died is broken.
 */
export async function withLock<T>(action: () => Promise<T>): Promise<T> {
  fs.mkdirSync(arcDir, { recursive: true });
  const ownerFile = path.join(paths.lockDir, 'owner');
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(paths.lockDir);
      fs.writeFileSync(ownerFile, `${process.pid}\n`);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(ownerFile);
    if (owner === undefined ? lockAgeMs() > 5_000 : !isAlive(owner)) {
      fs.rmSync(paths.lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`another arc-infra (pid ${owner}) has held ${paths.lockDir} for too long`);
    if (!announced) {
      log(`waiting for another arc-infra (pid ${owner ?? '?'}) to finish starting or stopping`);
      announced = true;
    }
    await sleep(200);
  }
  try {
    return await action();
  } finally {
    fs.rmSync(paths.lockDir, { recursive: true, force: true });
  }
}

function readOwner(file: string): number | undefined {
  try {
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function lockAgeMs(): number {
  try {
    return Date.now() - fs.statSync(paths.lockDir).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/*
 * Leases: `arc-infra run` and the Jest global setup hold a lease (their pid) while they use the servers.
 * What a lease holder had to start is remembered as "auto-started"; when the last live lease is released,
 * the auto-started servers are stopped. Servers someone started by hand (`arc-infra start`) are never
 * stopped by a lease, and two test runs that overlap do not pull the servers from under each other.
 */

export function readAutoStarted(): Set<Component> {
  try {
    const list = JSON.parse(fs.readFileSync(paths.autoStartedFile, 'utf8')) as unknown;
    return new Set(Array.isArray(list) ? list.filter((c): c is Component => COMPONENTS.includes(c as Component)) : []);
  } catch {
    return new Set();
  }
}

export function writeAutoStarted(components: Set<Component>): void {
  if (components.size === 0) fs.rmSync(paths.autoStartedFile, { force: true });
  else fs.writeFileSync(paths.autoStartedFile, `${JSON.stringify([...components].sort())}\n`);
}

export function addLease(pid: number): void {
  fs.mkdirSync(paths.leasesDir, { recursive: true });
  fs.writeFileSync(path.join(paths.leasesDir, String(pid)), `${new Date().toISOString()}\n`);
}

export function removeLease(pid: number): void {
  fs.rmSync(path.join(paths.leasesDir, String(pid)), { force: true });
}

/** Live lease holders; leases of dead processes (a killed Jest) are dropped on the way. */
export function liveLeases(): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(paths.leasesDir);
  } catch {
    return [];
  }
  const live: number[] = [];
  for (const entry of entries) {
    const pid = Number.parseInt(entry, 10);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) live.push(pid);
    else fs.rmSync(path.join(paths.leasesDir, entry), { force: true });
  }
  return live;
}
