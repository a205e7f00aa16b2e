// `npm run bench -- collections` (issue 13): one day close's dunning run over BENCH_COLLECTIONS_ITEMS overdue
// invoices (default 10,000) of BENCH_COLLECTIONS_CUSTOMERS customers (default 2,000), each invoice due the day
// before: one friendly-reminder step and one e-mail per invoice, through the outbox to a real SMTP server (the
// `smtp-server` package, counting in memory). Measures steps recorded per second (the run) and e-mails handed to
// SMTP per second, from the BusinessDayClosed published to the last step / the last e-mail received.
// The collections service runs alone (compiled, as production runs it) on its own database and topics.
// BENCH_PROFILE_DIR=<dir>: a CPU profile of the service and the SQL statements it sent, from the close to the last
// e-mail (<dir>/collections-close.cpuprofile and .sql.json; `node bench/dist/cpuprofile-top.js <file>`).
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';
import { SMTPServer } from 'smtp-server';
import { mintDevelopmentToken } from '@arc/auth';
import { contractOf, Topics, type EventEnvelope } from '@arc/contracts';
import { deletePlatformTopics, launchPlatform } from '@arc/launcher';
import { endpoints } from '@arc/testing';

const ITEMS = Number(process.env.BENCH_COLLECTIONS_ITEMS ?? 10_000);
const CUSTOMERS = Number(process.env.BENCH_COLLECTIONS_CUSTOMERS ?? 2_000);
const RUN_DAY = '2026-03-02';
const DUE = '2026-03-01';

const progress = (line: string): void => {
  process.stderr.write(`[bench collections] ${line}\n`);
};
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const load = (): string =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`;

/** A real SMTP server counting what it accepts, with the time of the last message. */
async function smtpSink(): Promise<{ url: string; received: () => number; lastAt: () => number; close: () => Promise<void> }> {
  let count = 0;
  let lastAt = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    maxClients: 1000,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        count += 1;
        lastAt = performance.now();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received: () => count,
    lastAt: () => lastAt,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function envelope(eventType: string, customerId: string, data: Record<string, unknown>, on: string): EventEnvelope {
  const contract = contractOf(eventType);
  const valid = contract?.validate(data);
  if (!valid?.ok) throw new Error(`bench data breaks the ${eventType} contract: ${valid ? valid.problems.join('; ') : 'unknown type'}`);
  const eventId = randomUUID();
  return {
    eventId,
    eventType,
    schemaVersion: contract?.schemaVersion ?? 1,
    streamId: `bench-${eventId}`,
    streamVersion: 1,
    customerId,
    occurredAt: `${on}T12:00:00.000Z`,
    recordedAt: `${on}T12:00:00.000Z`,
    correlationId: randomUUID(),
    causationId: null,
    actor: 'bench',
    data,
  };
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs: number, intervalMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export async function runCollections(): Promise<void> {
  const { kafkaBrokers, databaseUrl } = endpoints();
  progress(`start (${load()}): ${fmt(ITEMS)} invoices of ${fmt(CUSTOMERS)} customers, all due ${DUE}, day ${RUN_DAY} closed`);
  const sink = await smtpSink();
  const run = randomUUID().slice(0, 8);
  const namespace = `bench-collections-${run}`;
  const profileDir = process.env.BENCH_PROFILE_DIR ? resolve(process.env.BENCH_PROFILE_DIR) : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const topic = (name: string) => `${namespace}.${name}`;
  const platform = await launchPlatform({
    kafkaBrokers,
    databaseUrl,
    services: ['collections'],
    databasePrefix: `bench_collections_${run}`,
    kafkaNamespace: namespace,
    ports: 'free',
    recreateDatabases: true,
    runtime: 'compiled',
    env: {
      ARC_COLLECTIONS_SMTP_URL: sink.url,
      ARC_COLLECTIONS_OUTBOX_POLL_MS: '50',
      ARC_LOG_LEVEL: 'warn',
      ...(profileDir
        ? {
            NODE_OPTIONS: `--require ${join(__dirname, 'profile-preload.js')}`,
            ARC_CPU_PROFILE_DIR: profileDir,
            ARC_CPU_PROFILE_LABELS: 'close',
          }
        : {}),
    },
  });
  // Starts, then stops and writes, the service's CPU profile (profile-preload.ts).
  const toggleProfiler = () => {
    const pid = platform.service('collections').pid;
    if (profileDir && pid !== undefined) process.kill(pid, 'SIGWINCH');
  };
  const kafka = new Kafka({ clientId: 'bench-collections', brokers: kafkaBrokers, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  const db = new Pool({ connectionString: platform.service('collections').databaseUrl, max: 2 });
  const count = async (sql: string): Promise<number> => Number((await db.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
  const lines: string[] = ['collections (issue 13):'];
  try {
    await producer.connect();
    const token = mintDevelopmentToken({ sub: 'bench', roles: ['admin'], name: 'Bench' });
    const friendly = {
      stepId: 'friendly-reminder',
      offsetDays: 1,
      action: 'friendly-reminder',
      channels: ['email'],
      template: 'friendly-reminder',
    };
    const strategy = await fetch(`${platform.url('collections')}/v1/strategies/classes/C`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench', steps: [friendly] }),
    });
    if (strategy.status !== 200) throw new Error(`setting the strategy answered ${strategy.status}`);

    progress('publishing customers and invoices');
    const customers = Array.from({ length: CUSTOMERS }, () => randomUUID());
    const credit: EventEnvelope[] = [];
    for (const [i, customerId] of customers.entries()) {
      credit.push(
        envelope(
          'CustomerRegistered',
          customerId,
          {
            customerId,
            legalName: `Bench customer ${i}`,
            registrationNumber: `HRB ${i}`,
            industry: 'machinery',
            country: 'DE',
            currency: 'EUR',
            businessUnit: 'EU',
          },
          '2026-01-02',
        ),
        envelope(
          'CreditPolicySet',
          customerId,
          {
            customerId,
            creditClass: 'C',
            creditLimit: { amountMinor: '100000000', currency: 'EUR' },
            paymentTermDays: 30,
            acceptedPaymentMethods: ['bank-transfer'],
            earlyPaymentDiscount: null,
            prepaymentBasisPoints: 0,
            insuredAmount: null,
            nextReviewDate: '2026-12-31',
          },
          '2026-01-02',
        ),
        envelope(
          'CreditFileContactsSet',
          customerId,
          { customerId, contacts: [{ name: 'Accounts Payable', role: 'accounts payable', email: `ap-${i}@bench.example`, phone: null }] },
          '2026-01-02',
        ),
      );
    }
    const invoices: EventEnvelope[] = [];
    for (let n = 0; n < ITEMS; n += 1) {
      const customerId = customers[n % CUSTOMERS] as string;
      const total = { amountMinor: String(100_000 + n), currency: 'EUR' };
      invoices.push(
        envelope(
          'InvoiceIssued',
          customerId,
          {
            invoiceId: randomUUID(),
            invoiceNumber: `INV-B-${String(n).padStart(6, '0')}`,
            customerId,
            currency: 'EUR',
            lines: [{ description: 'goods', netAmount: total, taxAmount: { amountMinor: '0', currency: 'EUR' } }],
            total,
            issueDate: '2026-01-30',
            dueDate: DUE,
            earlyPaymentDiscount: null,
            reservationId: null,
          },
          '2026-01-30',
        ),
      );
    }
    const send = async (name: string, envelopes: EventEnvelope[]) => {
      for (let i = 0; i < envelopes.length; i += 500) {
        await producer.send({
          topic: topic(name),
          messages: envelopes.slice(i, i + 500).map((e) => ({ key: e.customerId, value: JSON.stringify(e) })),
        });
      }
    };
    await send(Topics.credit, credit);
    await send(Topics.invoicing, invoices);
    await until(
      async () =>
        (await count('SELECT count(*) AS n FROM collections_open_items WHERE due_date IS NOT NULL')) === ITEMS &&
        (await count('SELECT count(*) AS n FROM collections_customers WHERE contact_email IS NOT NULL AND credit_class IS NOT NULL')) ===
          CUSTOMERS,
      'the receivables view to hold every invoice and customer',
      3_600_000,
      250,
    );

    progress(`closing ${RUN_DAY} (${load()})`);
    toggleProfiler();
    const started = performance.now();
    await send(Topics.calendar, [envelope('BusinessDayClosed', '00000000-0000-0000-0000-000000000000', { date: RUN_DAY }, RUN_DAY)]);
    let stepsAt = 0;
    await until(
      async () => {
        // The day is recorded in the transaction of its run: a cheap look, not a count over the growing events table.
        const done = (await count(`SELECT count(*) AS n FROM collections_calendar WHERE last_closed_day = '${RUN_DAY}'`)) === 1;
        if (done) stepsAt = performance.now();
        return done;
      },
      'every step recorded',
      1_800_000,
      50,
    );
    progress(
      `run committed ${fmt((stepsAt - started) / 1000, 1)} s after the close; ${fmt(sink.received())} e-mails received so far (${load()})`,
    );
    await until(async () => sink.received() >= ITEMS, 'every e-mail handed to SMTP', 3_600_000, 50);
    toggleProfiler();
    if (profileDir) {
      const written = join(profileDir, 'collections-close.sql.json');
      await until(async () => existsSync(written), 'the CPU profile written', 60_000);
      progress(`CPU profile and SQL statements in ${profileDir}/collections-close.*`);
    }
    const runSeconds = (stepsAt - started) / 1000;
    const mailSeconds = (sink.lastAt() - started) / 1000;
    const steps = await count(`SELECT count(*) AS n FROM events WHERE event_type = 'DunningStepExecuted'`);
    const failed = await count(`SELECT count(*) AS n FROM collections_outbox WHERE status = 'failed'`);
    lines.push(
      `  one day close, ${fmt(ITEMS)} overdue invoices of ${fmt(CUSTOMERS)} customers (one step and one e-mail each):`,
      `  steps recorded: ${fmt(steps)} in ${fmt(runSeconds, 1)} s = ${fmt(steps / runSeconds)} steps/s (with their outbox rows, in the day close's transaction)`,
      `  e-mails handed to SMTP: ${fmt(sink.received())} in ${fmt(mailSeconds, 1)} s from the close = ${fmt(sink.received() / mailSeconds)} e-mails/s; ${fmt(failed)} failed`,
      `  time to the last e-mail: ${fmt(mailSeconds, 1)} s (issue 13's target for 100,000 items: the whole run ≤ 60 s)`,
      `  ${load()} at the end`,
    );
  } finally {
    progress('stopping the collections service');
    await producer.disconnect().catch(() => undefined);
    await db.end().catch(() => undefined);
    await platform.stop(10_000);
    await platform.dropDatabases().catch(() => undefined);
    await deletePlatformTopics(kafkaBrokers, namespace).catch(() => undefined);
    await sink.close();
  }
  console.log(`\n${lines.join('\n')}`);
}
