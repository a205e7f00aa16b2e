import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { deletePlatformTopics } from '@arc/launcher';
import { endpoints, spawnTs, waitFor, type TsProcess } from '@arc/testing';

// `npm start`'s launcher as its own process (the production path), running one service: a service that
// is SIGKILLed is logged and started again, the launcher and the infrastructure it holds stay up, and
// SIGINT (Ctrl-C) stops everything it started.

jest.setTimeout(240_000);

const main = resolve(__dirname, '../../apps/launcher/src/main.ts');

describe('the launcher supervises the services it started', () => {
  const run = randomBytes(3).toString('hex');
  const prefix = `arc_sup_${run}`;
  let launcher: TsProcess | undefined;
  const output = (): string => (launcher ? readFileSync(launcher.logFile, 'utf8') : '');

  afterAll(async () => {
    await launcher?.kill('SIGTERM');
    const admin = new Pool({ connectionString: endpoints().databaseUrl, max: 1 });
    await admin.query(`DROP DATABASE IF EXISTS "${prefix}_credit" WITH (FORCE)`).finally(() => admin.end());
    await deletePlatformTopics(endpoints().kafkaBrokers, `sup-${run}`);
  }, 60_000);

  it('restarts a SIGKILLed service until it is ready again, keeps running, and stops it on Ctrl-C', async () => {
    const options = ['--no-demo', '--services', 'credit', '--database-prefix', prefix, '--kafka-namespace', `sup-${run}`, '--free-ports'];
    const process_ = spawnTs(main, {}, { args: options });
    launcher = process_;

    const started = await waitFor(() => /credit ready on (http:\/\/127\.0\.0\.1:\d+) \(pid (\d+)\)/.exec(output()) ?? undefined, {
      timeoutMs: 180_000,
      intervalMs: 200,
      description: `the launcher to report credit ready (log: ${process_.logFile})`,
    });
    const baseUrl = started[1] as string;
    const firstPid = Number(started[2]);

    const killedAt = Date.now();
    process.kill(firstPid, 'SIGKILL');
    const restarted = await waitFor(() => /credit restarted \(pid (\d+)\)/.exec(output()) ?? undefined, {
      timeoutMs: 30_000,
      intervalMs: 100,
      description: 'the launcher to restart credit',
    });
    const secondPid = Number(restarted[1]);
    expect(secondPid).not.toBe(firstPid);
    expect(output()).toMatch(new RegExp(`credit \\(pid ${firstPid}\\) exited \\(SIGKILL\\) after [\\d.]+ s; restart 1 in 500 ms`));
    await waitFor(async () => (await fetch(`${baseUrl}/health/ready`)).ok, {
      timeoutMs: 120_000,
      intervalMs: 200,
      description: 'credit ready again',
    });
    process.stdout.write(`credit answered /health/ready ${((Date.now() - killedAt) / 1000).toFixed(1)} s after SIGKILL\n`);

    // The exit and the restart are in the service's own log file too.
    const serviceLog = readFileSync(join(resolve(__dirname, '../..'), '.arc', 'logs', prefix, 'credit.log'), 'utf8');
    expect(serviceLog).toMatch(new RegExp(`"context":"launcher","msg":"credit \\(pid ${firstPid}\\) exited \\(SIGKILL\\)`));

    // The launcher (and so the infrastructure `arc-infra run` holds for it) stayed up.
    expect(process_.child.exitCode).toBeNull();
    expect(await kafkaAnswers()).toBe(true);
    const pool = new Pool({ connectionString: endpoints().databaseUrl, max: 1 });
    await expect(pool.query('SELECT 1').finally(() => pool.end())).resolves.toBeDefined();

    // Ctrl-C: the launcher stops the service it started and exits.
    expect(await process_.kill('SIGINT')).toBe(0);
    expect(output()).toMatch(/SIGINT: stopping the services\n\[arc\] stopped/);
    expect(() => process.kill(secondPid, 0)).toThrow();
  });
});

async function kafkaAnswers(): Promise<boolean> {
  const admin = new Kafka({ clientId: 'e2e-supervision', brokers: endpoints().kafkaBrokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).length >= 0;
  } finally {
    await admin.disconnect();
  }
}
