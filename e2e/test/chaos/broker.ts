import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ownKafkaPid, probeKafka, readAutoStarted, readConfig, startLocalKafka } from '@arc/local-infra';

/**
 * The broker the chaos test may SIGKILL and start again: only arc-infra's local broker of this checkout
 * (the one `deploy/local` started, on its data directory and port), and only when this run's harness
 * started it for tests (arc-infra's auto-started record) or the caller says so
 * (ARC_CHAOS_RESTART_BROKER=1, as `npm run chaos` does). Never a broker someone else runs.
 */
export interface BrokerControl {
  /** Why the broker will or will not be restarted. */
  reason: string;
  restartable: boolean;
  /** SIGKILL, then start again on the same data directory and port; resolves when it answers again (ms taken). */
  killAndRestart(): Promise<{ downMs: number }>;
}

export function brokerControl(brokers: string[], env: NodeJS.ProcessEnv = process.env): BrokerControl {
  const refuse = (reason: string): BrokerControl => ({
    reason,
    restartable: false,
    killAndRestart: () => Promise.reject(new Error(reason)),
  });
  const pid = ownKafkaPid();
  if (pid === undefined) return refuse("no broker started by this checkout's arc-infra is running");
  // The port it was started on, from the configuration arc-infra wrote for it (rewritten on every start).
  const port = listenerPort();
  const local = `127.0.0.1:${port ?? '?'}`;
  const config = readConfig({ ...env, ARC_KAFKA_BROKERS: '', ARC_KAFKA_PORT: String(port ?? ''), ARC_KAFKA_CONTROLLER_PORT: '' });
  const given = brokers.map((b) => b.replace('localhost', '127.0.0.1'));
  if (given.length !== 1 || given[0] !== local)
    return refuse(`the broker ${brokers.join(',')} is not this checkout's local broker (${local})`);
  const startedForTests = readAutoStarted().has('kafka');
  const told = env.ARC_CHAOS_RESTART_BROKER === '1';
  if (!startedForTests && !told)
    return refuse(`the broker on ${local} (pid ${pid}) was not started for this test run; ARC_CHAOS_RESTART_BROKER=1 allows it`);
  return {
    reason: `the local broker on ${local} (pid ${pid}), ${startedForTests ? 'started for this test run' : 'ARC_CHAOS_RESTART_BROKER=1'}`,
    restartable: true,
    async killAndRestart() {
      const current = ownKafkaPid();
      if (current === undefined) throw new Error('the local broker is not running');
      const killedAt = Date.now();
      process.kill(current, 'SIGKILL');
      while (alive(current)) await new Promise((resolve) => setTimeout(resolve, 50));
      // arc-infra gives a starting broker 120 s; recovering its logs after a SIGKILL on a busy machine can take
      // longer, so a broker that is still starting is waited for (up to 10 minutes in all) rather than given up.
      await startLocalKafka(config).catch(async (error: unknown) => {
        const restarted = ownKafkaPid();
        if (restarted === undefined) throw error;
        while (!(await probeKafka([local], 5_000))) {
          if (Date.now() - killedAt > 600_000 || !alive(restarted)) throw error;
          await new Promise((resolve) => setTimeout(resolve, 1_000));
        }
      });
      return { downMs: Date.now() - killedAt };
    },
  };
}

function listenerPort(): number | undefined {
  try {
    const properties = readFileSync(join(resolve(__dirname, '../../..'), '.arc', 'kafka', 'server.properties'), 'utf8');
    const match = /^listeners=PLAINTEXT:\/\/[^:]+:(\d+)/m.exec(properties);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
