import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { mintDevelopmentToken } from '@arc/auth';
import { ensureTopics } from '@arc/messaging';
import { createTestDatabase, endpoints, spawnTs, testKafka, waitFor, type TestDatabase, type TsProcess } from '@arc/testing';
import { loadCollectionsConfig, type CollectionsConfig } from './config';
import { STANDARD_DUNNING_STRATEGY } from './domain';
import { messageIdOf } from './channels/outbox-dispatcher';
import { startSmtpSink, type SmtpSink } from './testing/smtp-sink';
import { World } from './testing/world';

const CUSTOMERS = 40;
/** Through 2026-03-31 each invoice due 2026-03-01 gets −5, +1, +15 (a call task) and +30 (a letter too). */
const STEPS_PER_CUSTOMER = 4;
const MAILS_PER_CUSTOMER = 3;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/**
 * The service as its own process (src/main.ts, as `npm start` runs it), killed with SIGKILL in the middle of the
 * day closes' dunning runs and started again, then its read models rebuilt: every step is recorded once, every
 * e-mail reaches the real SMTP server, and nothing is sent twice — except what SMTP itself cannot tell apart.
 */
describe('collections killed (SIGKILL) mid-dunning-run and restarted (own process, real Kafka, PostgreSQL, SMTP)', () => {
  jest.setTimeout(300_000);
  let db: TestDatabase;
  let smtp: SmtpSink;
  let config: CollectionsConfig;
  let env: Record<string, string>;
  let service: TsProcess | undefined;
  let baseUrl = '';
  const kafka = testKafka('collections-crash-test');
  const producer = kafka.producer();
  const token = mintDevelopmentToken({ sub: 'crash-test', roles: ['admin'] });
  const http = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const count = async (sql: string): Promise<number> => Number((await db.pool.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
  const start = async () => {
    service = spawnTs(join(__dirname, 'main.ts'), env);
    await waitFor(async () => (await fetch(`${baseUrl}/health/ready`).catch(() => null))?.ok === true, {
      description: `collections ready (log: ${service.logFile})`,
      timeoutMs: 120_000,
    });
  };
  const settled = async (lastDay: string) => {
    await waitFor(
      async () =>
        (await count(`SELECT count(*) AS n FROM collections_calendar WHERE last_closed_day = '${lastDay}'`)) === 1 &&
        (await count(`SELECT count(*) AS n FROM collections_outbox WHERE status IN ('pending', 'sending')`)) === 0,
      { description: `every day to ${lastDay} run and its mails sent`, timeoutMs: 180_000 },
    );
  };

  beforeAll(async () => {
    db = await createTestDatabase('collections_crash');
    smtp = await startSmtpSink();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    env = {
      ARC_COLLECTIONS_DATABASE_URL: db.url,
      ARC_KAFKA_BROKERS: endpoints().kafkaBrokers.join(','),
      ARC_KAFKA_NAMESPACE: `crash-${randomUUID().slice(0, 8)}`,
      ARC_COLLECTIONS_PORT: String(port),
      ARC_COLLECTIONS_SMTP_URL: smtp.url,
      ARC_COLLECTIONS_OUTBOX_POLL_MS: '50',
      ARC_COLLECTIONS_OUTBOX_BACKOFF_SECONDS: '1',
      // The rows in doubt at the kill are sent again once their lease runs out.
      ARC_COLLECTIONS_OUTBOX_LEASE_SECONDS: '6',
      ARC_LOG_LEVEL: 'warn',
    };
    config = loadCollectionsConfig({ ...process.env, ...env });
    await ensureTopics(
      kafka,
      Object.values(config.topics).map((topic) => ({ topic, partitions: 1 })),
    );
    await producer.connect();
    await start();
  });

  afterAll(async () => {
    await service?.kill('SIGTERM');
    await producer.disconnect();
    await smtp?.close();
    await db?.drop();
  });

  it('records each step once and hands each e-mail to SMTP once per delivery, across a SIGKILL mid-run, a restart and a rebuild', async () => {
    const world = new World(producer, config);
    const steps = STANDARD_DUNNING_STRATEGY.steps.map(({ stepId, offsetDays, action, channels, template, skippable }) => ({
      stepId,
      offsetDays,
      action,
      channels,
      template,
      skippable,
    }));
    expect((await http('PUT', '/v1/strategies/classes/C', { name: 'C', steps })).status).toBe(200);
    for (let i = 0; i < CUSTOMERS; i++) {
      const customerId = randomUUID();
      await world.customer(customerId, 'C', `ap-${i}@crash.example`);
      await world.invoice(customerId, randomUUID(), `INV-CRASH-${String(i).padStart(3, '0')}`, '1000000', '2026-03-01');
    }
    await waitFor(async () => (await count('SELECT count(*) AS n FROM collections_open_items WHERE due_date IS NOT NULL')) === CUSTOMERS, {
      description: 'the invoices in the receivables view',
      timeoutMs: 60_000,
    });
    await world.closeDays('2026-02-19', '2026-02-19');
    await settled('2026-02-19');

    // The days to 2026-03-31 closed one by one, each once the service has recorded the one before (a consumer batch
    // runs every day it holds in one transaction); SIGKILL once some runs are committed and others are still to
    // come, while the outbox is sending. After the kill the remaining days are published at once.
    const expectedSteps = CUSTOMERS * STEPS_PER_CUSTOMER;
    let killed = false;
    const closing = (async () => {
      for (let d = new Date('2026-02-20T00:00:00Z'); d.toISOString().slice(0, 10) <= '2026-03-31'; d.setUTCDate(d.getUTCDate() + 1)) {
        const day = d.toISOString().slice(0, 10);
        await world.closeDays(day, day);
        await waitFor(
          async () => killed || (await count(`SELECT count(*) AS n FROM collections_calendar WHERE last_closed_day >= '${day}'`)) === 1,
          { description: `${day} recorded`, timeoutMs: 120_000, intervalMs: 10 },
        );
      }
    })();
    await waitFor(
      async () => {
        const done = await count(`SELECT count(*) AS n FROM events WHERE event_type = 'DunningStepExecuted'`);
        return done >= CUSTOMERS && smtp.received.length > 0 && done < expectedSteps;
      },
      { description: 'the dunning runs under way', timeoutMs: 120_000, intervalMs: 5 },
    );
    expect(await service?.kill('SIGKILL')).toBe('SIGKILL');
    killed = true;
    // What the dead process left: the outcomes it committed (recorded sent) and its claims without an outcome (in
    // doubt: handed to SMTP or about to be, the server's answer unknown).
    const atKill = {
      steps: await count(`SELECT count(*) AS n FROM events WHERE event_type = 'DunningStepExecuted'`),
      mails: smtp.received.length,
      recordedSent: new Set(
        (await db.pool.query<{ id: string }>(`SELECT delivery_id AS id FROM collections_outbox WHERE status = 'sent'`)).rows.map(
          (r) => r.id,
        ),
      ),
      inDoubt: new Set(
        (await db.pool.query<{ id: string }>(`SELECT delivery_id AS id FROM collections_outbox WHERE status = 'sending'`)).rows.map(
          (r) => r.id,
        ),
      ),
    };
    process.stdout.write(
      `SIGKILL after ${atKill.steps} of ${expectedSteps} steps, ${atKill.mails} mails received, ${atKill.recordedSent.size} recorded sent, ${atKill.inDoubt.size} in doubt\n`,
    );
    expect(atKill.steps).toBeLessThan(expectedSteps);
    expect(atKill.mails).toBeLessThan(CUSTOMERS * MAILS_PER_CUSTOMER);
    await closing;

    await start();
    await settled('2026-03-31');
    const rebuild = await http('POST', '/v1/admin/read-models/rebuild');
    expect(rebuild.status).toBeLessThan(300);
    await waitFor(
      async () => ((await http('GET', '/v1/admin/read-models')).body.readModels as { caughtUp: boolean }[]).every((m) => m.caughtUp),
      {
        description: 'the read models rebuilt',
        timeoutMs: 120_000,
      },
    );
    await world.closeDays('2026-04-01', '2026-04-01');
    await settled('2026-04-01');

    // Each step of each invoice once, in the store and in the rebuilt view.
    expect(await count(`SELECT count(*) AS n FROM events WHERE event_type = 'DunningStepExecuted'`)).toBe(expectedSteps);
    expect(
      await count(
        `SELECT count(DISTINCT (data->>'invoiceId') || ':' || (data->>'stepId')) AS n FROM events WHERE event_type = 'DunningStepExecuted'`,
      ),
    ).toBe(expectedSteps);
    expect(await count('SELECT count(*) AS n FROM collections_dunning_steps')).toBe(expectedSteps);
    expect(await count('SELECT count(*) AS n FROM collections_letters')).toBe(CUSTOMERS);

    // Each e-mail queued once and sent; received by the SMTP server once per delivery.
    const expectedMails = CUSTOMERS * MAILS_PER_CUSTOMER;
    expect(await count(`SELECT count(*) AS n FROM collections_outbox WHERE status = 'sent' AND channel = 'email'`)).toBe(expectedMails);
    expect(await count('SELECT count(*) AS n FROM collections_outbox')).toBe(expectedMails);
    const byMessageId = new Map<string, number>();
    for (const mail of smtp.received) byMessageId.set(mail.messageId, (byMessageId.get(mail.messageId) ?? 0) + 1);
    // Never lost: every delivery reached the server.
    const deliveries = (
      await db.pool.query<{ id: string; resends: number }>(`SELECT delivery_id AS id, in_doubt_resends AS resends FROM collections_outbox`)
    ).rows;
    expect(deliveries.every((d) => byMessageId.has(messageIdOf(d.id)))).toBe(true);
    expect(byMessageId.size).toBe(expectedMails);
    // Never twice what was recorded sent: the restart resends nothing whose outcome had been committed.
    const repeated = deliveries.filter((d) => (byMessageId.get(messageIdOf(d.id)) ?? 0) > 1);
    process.stdout.write(`mails received ${smtp.received.length}, distinct ${byMessageId.size}, repeated ${repeated.length}\n`);
    expect(repeated.filter((d) => atKill.recordedSent.has(d.id))).toEqual([]);
    // A repeat only of a mail in doubt at the kill (claimed, no outcome committed: the server may have said 250 just
    // before the kill), at most once, with the same Message-ID, and counted on its row.
    expect(repeated.every((d) => atKill.inDoubt.has(d.id) && d.resends >= 1 && byMessageId.get(messageIdOf(d.id)) === 2)).toBe(true);
    expect(deliveries.filter((d) => d.resends > 0).every((d) => atKill.inDoubt.has(d.id))).toBe(true);
  });
});
