// `npm run bench -- projections` (issue 14): a generated portfolio (default 100,000 customers and 1,000,000
// invoices over 120 business days, a day closed every 30 days) fed through Kafka into the projections service
// (compiled, alone, on its own database and topics), then:
//   - the BI aging query per business unit (reporting.segment_aging_daily; target ≤ 50 ms), against the same figure
//     computed from the ledger rows at query time (target ≥ 100× faster);
//   - an as-of aging query for a past closed day per business unit (target ≤ 200 ms), and per customer over the API;
//   - the rebuild rate of all projections (POST /v1/admin/read-models/rebuild; target ≥ 50,000 events/s);
//   - the projection lag (produced → applied) p50/p99 while 1,000 events/s flow.
// BENCH_PROJ_CUSTOMERS, BENCH_PROJ_INVOICES, BENCH_PROJ_LAG_SECONDS set the size (a smoke run: 1000, 10000, 10).
// BENCH_PROJ_LOAD says how the portfolio gets into the read model: `live` (consumed as it is produced, then rebuilt:
// both rates measured) or `replay` (bulk load: every event produced straight to the topics first, then the read model
// built by one rebuild, whose rate is the rebuild rate; live ingestion is not measured). Default: `replay` above
// 100,000 invoices, `live` otherwise. Either way the events are generated here and produced to Kafka as the other
// services publish them (envelopes of the contracts), not sent through the services' HTTP APIs.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { Pool } from 'pg';
import { mintDevelopmentToken } from '@arc/auth';
import { Topics } from '@arc/contracts';
import { launchPlatform, type Platform } from '@arc/launcher';
import { createKafka } from '@arc/messaging';
import { endpoints } from '@arc/testing';

const CUSTOMERS = Number(process.env.BENCH_PROJ_CUSTOMERS ?? 100_000);
const INVOICES = Number(process.env.BENCH_PROJ_INVOICES ?? 1_000_000);
const LAG_SECONDS = Number(process.env.BENCH_PROJ_LAG_SECONDS ?? 30);
const LOAD = process.env.BENCH_PROJ_LOAD ?? (INVOICES > 100_000 ? 'replay' : 'live');
const LAG_RATE = 1_000;
/** Runs of the queries that fold the whole ledger (seconds each at full size). */
const SLOW_QUERY_RUNS = INVOICES > 100_000 ? 2 : 5;
const DAYS = 120;
const CLOSE_EVERY = 30;
const BUSINESS_UNITS = ['EMEA', 'APAC', 'AMER', 'NORDICS', 'DACH', 'IBERIA', 'UKI', 'BENELUX', 'CEE', 'MEA'];
const CLASSES = ['A', 'B', 'C', 'D'];
// A produce request stays under the broker's 1 MB message limit (an event is 600–800 bytes of JSON).
const SEND_BATCH = 1_000;

const progress = (line: string): void => {
  process.stderr.write(`[bench projections] ${line}\n`);
};
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const load = (): string =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`;
const dayMs = 86_400_000;
const dateOf = (n: number): string => new Date(Date.parse('2026-01-01T00:00:00Z') + n * dayMs).toISOString().slice(0, 10);
const EUR = (minor: number | bigint) => ({ amountMinor: String(minor), currency: 'EUR' });
const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

// Every generated stream is new (version 1) but the customer's (2 events) and the calendar's: the versions are passed,
// so a million streams need no map.
function envelope(
  eventType: string,
  streamId: string,
  customerId: string,
  data: unknown,
  streamVersion = 1,
  at = '2026-01-01T10:00:00.000Z',
) {
  return {
    eventId: randomUUID(),
    eventType,
    schemaVersion: 1,
    streamId,
    streamVersion,
    customerId,
    occurredAt: at,
    recordedAt: at,
    correlationId: randomUUID(),
    causationId: null,
    actor: 'user:bench',
    data,
  };
}

function invoiceData(invoiceId: string, customerId: string, amountMinor: number, issueDay: number) {
  const total = EUR(amountMinor);
  return {
    invoiceId,
    invoiceNumber: `B-${invoiceId.slice(0, 13)}`,
    customerId,
    currency: 'EUR',
    lines: [{ description: 'goods', netAmount: total, taxAmount: EUR(0) }],
    total,
    issueDate: dateOf(issueDay),
    dueDate: dateOf(issueDay + 30),
    earlyPaymentDiscount: null,
    reservationId: null,
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (NaN where there is none). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Median wall time of `runs` runs of a query, in ms (one warm-up run first). */
async function timeQuery(pool: Pool, sql: string, values: unknown[], runs: number): Promise<{ ms: number; rows: number }> {
  await pool.query(sql, values);
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    rows = (await pool.query(sql, values)).rowCount ?? 0;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { ms: percentile(times, 50), rows };
}

export async function runProjections(): Promise<void> {
  const { kafkaBrokers, databaseUrl } = endpoints();
  progress(`start (${load()}); ${fmt(CUSTOMERS)} customers, ${fmt(INVOICES)} invoices over ${DAYS} days`);
  const lines: string[] = ['projections (issue 14):'];
  const run = randomUUID().slice(0, 8);
  const namespace = `bench-projections-${run}`;
  const databasePrefix = `bench_proj_${run}`;
  // BENCH_PROFILE_DIR=<dir>: a V8 CPU profile of the projections process over the rebuild (profile-preload.ts),
  // <dir>/projections-rebuild.cpuprofile (`node bench/dist/cpuprofile-top.js <file>` lists the hottest frames).
  const profileDir = process.env.BENCH_PROFILE_DIR ? resolve(process.env.BENCH_PROFILE_DIR) : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  let launched: Platform | undefined;
  const launch = async () => {
    launched = await launchPlatform({
      kafkaBrokers,
      databaseUrl,
      services: ['projections'],
      databasePrefix,
      kafkaNamespace: namespace,
      ports: 'free',
      recreateDatabases: true,
      runtime: 'compiled',
      ...(profileDir
        ? {
            env: {
              NODE_OPTIONS: `--require ${join(__dirname, 'profile-preload.js')}`,
              ARC_CPU_PROFILE_DIR: profileDir,
              ARC_CPU_PROFILE_LABELS: 'rebuild',
            },
          }
        : {}),
    });
  };
  const platform = (): Platform => {
    if (!launched) throw new Error('the projections service is not launched');
    return launched;
  };
  const toggleProfiler = () => {
    if (profileDir) for (const { pid } of platform().services) if (pid !== undefined) process.kill(pid, 'SIGWINCH');
  };
  const serviceDb = new URL(databaseUrl);
  serviceDb.pathname = `/${databasePrefix}_projections`;
  const pool = new Pool({ connectionString: serviceDb.toString(), max: 4 });
  const kafka = createKafka({ brokers: kafkaBrokers, clientId: `bench-projections-${run}` });
  const producer = kafka.producer();
  await producer.connect();
  const token = mintDevelopmentToken({ sub: 'bench', roles: ['admin'], name: 'Bench' });
  const api = async (method: string, path: string) => {
    const response = await fetch(`${platform().url('projections')}/v1${path}`, { method, headers: { authorization: `Bearer ${token}` } });
    const json = (await response.json()) as Record<string, unknown>;
    if (response.status >= 300) throw new Error(`${method} ${path} answered ${response.status}: ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
  const topic = (name: string) => `${namespace}.${name}`;
  let sent = 0;
  const pending: Record<string, { key: string; value: string }[]> = {};
  const queue = async (name: string, key: string, value: unknown, flush = false) => {
    const list = (pending[name] ??= []);
    list.push({ key, value: JSON.stringify(value) });
    sent += 1;
    if (flush || list.length >= SEND_BATCH) {
      await producer.send({ topic: topic(name), messages: list.splice(0) });
    }
  };
  const flushAll = async () => {
    for (const [name, list] of Object.entries(pending))
      if (list.length > 0) await producer.send({ topic: topic(name), messages: list.splice(0) });
  };
  const caughtUp = async (description: string, timeoutMs = 3_600_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { readModels } = (await api('GET', '/admin/read-models')) as { readModels: { lag: number; caughtUp: boolean }[] };
      if (readModels.every((m) => m.caughtUp && m.lag === 0)) return;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  try {
    if (LOAD === 'replay') {
      // The topics as the service would create them; the service starts once they are full, so producing does not
      // compete with a live consumer for the CPU.
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({
        topics: [Topics.credit, Topics.invoicing, Topics.payments, Topics.calendar, Topics.collections].map((t) => ({
          topic: topic(t),
          numPartitions: 3,
        })),
        waitForLeaders: true,
      });
      await admin.disconnect();
    } else {
      await launch();
    }
    // 1. The portfolio, as credit, invoicing, payments and the calendar publish it.
    const customers = Array.from({ length: CUSTOMERS }, () => randomUUID());
    const started = performance.now();
    for (const [i, customerId] of customers.entries()) {
      const stream = `customer-${customerId}`;
      await queue(
        Topics.credit,
        customerId,
        envelope('CustomerRegistered', stream, customerId, {
          customerId,
          legalName: `Bench ${i}`,
          registrationNumber: `HRB ${i}`,
          industry: 'machinery',
          country: 'DE',
          currency: 'EUR',
          businessUnit: BUSINESS_UNITS[i % BUSINESS_UNITS.length],
        }),
      );
      await queue(
        Topics.credit,
        customerId,
        envelope(
          'CreditPolicySet',
          stream,
          customerId,
          {
            customerId,
            creditClass: CLASSES[i % CLASSES.length],
            creditLimit: EUR(100_000_000),
            paymentTermDays: 30,
            acceptedPaymentMethods: ['bank-transfer'],
            earlyPaymentDiscount: null,
            prepaymentBasisPoints: 0,
            insuredAmount: null,
            nextReviewDate: '2026-12-31',
          },
          2,
        ),
      );
    }
    progress(`${fmt(sent)} credit events queued; invoices and payments`);
    for (let n = 0; n < INVOICES; n++) {
      const customerId = customers[n % CUSTOMERS] as string;
      const invoiceId = randomUUID();
      const issueDay = Math.floor((n / INVOICES) * DAYS);
      const amount = 10_000 + ((n * 7919) % 2_000_000);
      await queue(
        Topics.invoicing,
        customerId,
        envelope('InvoiceIssued', `invoice-${invoiceId}`, customerId, invoiceData(invoiceId, customerId, amount, issueDay)),
      );
      // 60 % paid, from 10 days early to 30 days late; some in two parts.
      if (n % 5 < 3) {
        const payDay = issueDay + 20 + ((n * 31) % 40);
        if (payDay < DAYS) {
          const paymentId = randomUUID();
          const first = n % 2 === 0 ? amount : Math.floor(amount / 2);
          await queue(
            Topics.payments,
            customerId,
            envelope('PaymentAllocated', `payment-${paymentId}`, customerId, {
              paymentId,
              customerId,
              invoiceId,
              amount: EUR(first),
              allocatedOn: dateOf(payDay),
            }),
          );
        }
      }
      if (n % 100_000 === 0) progress(`  ${fmt(n)} invoices queued (${fmt(sent)} events)`);
    }
    await flushAll();
    const arEvents = sent;
    const closes = async () => {
      for (let day = CLOSE_EVERY - 1, version = 1; day < DAYS; day += CLOSE_EVERY, version += 1) {
        await queue(
          Topics.calendar,
          'calendar',
          envelope('BusinessDayClosed', 'calendar', '00000000-0000-4000-8000-000000000000', { date: dateOf(day) }, version),
          true,
        );
      }
    };
    const rebuild = async (): Promise<number> => {
      const rebuildStarted = performance.now();
      const pid = platform().service('projections').pid;
      const cpuBefore = cpuSeconds(pid);
      toggleProfiler();
      await api('POST', '/admin/read-models/rebuild');
      await caughtUp('the rebuild');
      toggleProfiler();
      rebuildCpu = cpuSeconds(pid) - cpuBefore;
      return (performance.now() - rebuildStarted) / 1000;
    };
    let rebuilt: number | null = null;
    let rebuildCpu = NaN;
    if (LOAD === 'replay') {
      await closes();
      const produced = (performance.now() - started) / 1000;
      progress(`${fmt(sent)} events produced in ${fmt(produced, 1)} s (${load()}); bulk load by a rebuild`);
      lines.push(`  generated and produced to the topics: ${fmt(sent)} events in ${fmt(produced, 1)} s = ${fmt(sent / produced)} events/s`);
      await launch();
      rebuilt = await rebuild();
    } else {
      progress(`${fmt(arEvents)} events sent; waiting for the consumer`);
      await caughtUp('the portfolio to be consumed');
      await closes();
      await caughtUp('the day closes');
      const ingested = (performance.now() - started) / 1000;
      lines.push(
        `  live ingestion of ${fmt(sent)} events (${fmt(CUSTOMERS)} customers, ${fmt(INVOICES)} invoices, ${DAYS / CLOSE_EVERY} day closes with snapshots, KPIs and payment behaviour): ${fmt(ingested, 1)} s = ${fmt(sent / ingested)} events/s`,
      );
    }
    const events = sent;

    // 2. The BI aging query per business unit, from the snapshot and from the ledger rows at query time.
    const lastClose = dateOf(DAYS - 1);
    const pastClose = dateOf(2 * CLOSE_EVERY - 1);
    const perUnit = await timeQuery(
      pool,
      `SELECT segment_key, currency, not_yet_due_minor, bucket_1_30_minor, bucket_31_60_minor, bucket_61_90_minor, bucket_90_plus_minor, total_open_minor
         FROM reporting.segment_aging_daily WHERE segment_kind = 'business-unit' AND day = $1`,
      [lastClose],
      50,
    );
    const fromRows = await timeQuery(
      pool,
      `SELECT e.business_unit, l.currency,
              sum(l.open_balance_minor) FILTER (WHERE l.bucket = 'not-yet-due') AS not_yet_due,
              sum(l.open_balance_minor) FILTER (WHERE l.bucket = '1-30') AS b1, sum(l.open_balance_minor) FILTER (WHERE l.bucket = '31-60') AS b2,
              sum(l.open_balance_minor) FILTER (WHERE l.bucket = '61-90') AS b3, sum(l.open_balance_minor) FILTER (WHERE l.bucket = '90+') AS b4,
              sum(l.open_balance_minor) AS total
         FROM reporting.ar_ledger l JOIN projections_customer_exposure e ON e.customer_id = l.customer_id
        GROUP BY e.business_unit, l.currency`,
      [],
      SLOW_QUERY_RUNS,
    );
    lines.push(
      `  BI aging per business unit (reporting.segment_aging_daily, ${perUnit.rows} rows): ${fmt(perUnit.ms, 2)} ms median (target ≤ 50 ms); from the ledger rows at query time: ${fmt(fromRows.ms, 1)} ms = ${fmt(fromRows.ms / perUnit.ms)}× (target ≥ 100×)`,
    );

    // 3. As-of aging for a past closed day: per business unit from the snapshot, from the dated ledger, per customer over the API.
    const asOfUnit = await timeQuery(
      pool,
      `SELECT segment_key, total_open_minor, overdue_minor FROM reporting.segment_aging_daily WHERE segment_kind = 'business-unit' AND day = $1`,
      [pastClose],
      50,
    );
    const asOfFold = await timeQuery(
      pool,
      `SELECT e.business_unit, sum(a.open_balance_minor) AS total, sum(a.open_balance_minor) FILTER (WHERE a.overdue) AS overdue
         FROM reporting.ar_ledger_as_of($1) a JOIN projections_customer_exposure e ON e.customer_id = a.customer_id GROUP BY 1`,
      [pastClose],
      SLOW_QUERY_RUNS,
    );
    const customerTimes: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      await api('GET', `/customers/${customers[(i * 7919) % CUSTOMERS] as string}/aging?asOf=${pastClose}`);
      customerTimes.push(performance.now() - t);
    }
    customerTimes.sort((x, y) => x - y);
    lines.push(
      `  as-of aging for ${pastClose} per business unit (snapshot of that close): ${fmt(asOfUnit.ms, 2)} ms median (target ≤ 200 ms); folded from the dated ledger at query time (reporting.ar_ledger_as_of): ${fmt(asOfFold.ms, 0)} ms; one customer over the API: p50 ${fmt(percentile(customerTimes, 50), 1)} ms, p99 ${fmt(percentile(customerTimes, 99), 1)} ms`,
    );

    // 4. Rebuild of every projection from the topics (done already when it was the bulk load): from the request until
    //    the read model is caught up, its derived figures (exposure, snapshots, KPIs, payment behaviour) settled.
    if (rebuilt === null) {
      progress(`rebuild (${load()})`);
      rebuilt = await rebuild();
    }
    const check = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM projections_ar_ledger`);
    lines.push(
      `  rebuild of all projections from the topics${LOAD === 'replay' ? ' (the bulk load)' : ''}: ${fmt(events)} events in ${fmt(rebuilt, 1)} s = ${fmt(events / rebuilt)} events/s (target ≥ 50,000); ${fmt(Number(check.rows[0]?.n))} ledger rows after it; the projections process used ${fmt(rebuildCpu, 1)} CPU s = ${fmt(events / rebuildCpu)} events per CPU second of its own (PostgreSQL's not counted); ${load()}`,
    );

    // 5. Projection lag while 1,000 events/s flow: produced → the consumer's committed offset past it.
    progress(`lag at ${fmt(LAG_RATE)} events/s for ${LAG_SECONDS} s`);
    const producedAt = new Map<string, number>();
    const applied: number[] = [];
    let stop = false;
    let stoppedAt = Infinity;
    const watcher = (async () => {
      while (!stop || (producedAt.size > 0 && performance.now() - stoppedAt < 60_000)) {
        const { rows } = await pool.query<{ partition: number; next_offset: string }>(
          `SELECT partition, next_offset::text FROM consumer_offsets WHERE topic = $1`,
          [topic(Topics.invoicing)],
        );
        const now = performance.now();
        for (const [key, at] of producedAt) {
          const [partition, offset] = key.split(':').map(Number) as [number, number];
          const done = rows.find((r) => r.partition === partition);
          if (done !== undefined && Number(done.next_offset) > offset) {
            applied.push(now - at);
            producedAt.delete(key);
          }
        }
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const tick = 50;
    const perTick = (LAG_RATE * tick) / 1000;
    const lagStarted = performance.now();
    for (let t = 0; performance.now() - lagStarted < LAG_SECONDS * 1000; t++) {
      const due = lagStarted + t * tick;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const messages = Array.from({ length: perTick }, (_, k) => {
        const customerId = customers[(t * perTick + k) % CUSTOMERS] as string;
        const invoiceId = randomUUID();
        return {
          key: customerId,
          value: JSON.stringify(
            envelope('InvoiceIssued', `invoice-${invoiceId}`, customerId, invoiceData(invoiceId, customerId, 50_000, DAYS)),
          ),
        };
      });
      const sentAt = performance.now();
      const metadata = await producer.send({ topic: topic(Topics.invoicing), messages });
      // One base offset per partition the batch went to: timed from the send until the consumer commits past it.
      for (const record of metadata) {
        const base = Number(record.baseOffset ?? record.offset ?? 0);
        producedAt.set(`${record.partition}:${base}`, sentAt);
      }
    }
    stop = true;
    stoppedAt = performance.now();
    await watcher;
    applied.sort((x, y) => x - y);
    lines.push(
      `  projection lag at ${fmt(LAG_RATE)} events/s (${LAG_SECONDS} s in batches of ${perTick} every ${tick} ms, ${fmt(applied.length)} batches timed from the send to the consumer's commit past them): p50 ${fmt(percentile(applied, 50))} ms, p99 ${fmt(percentile(applied, 99))} ms`,
      `  ${load()} at the end`,
    );
  } finally {
    await producer.disconnect();
    await pool.end();
    await launched?.stop();
    await launched?.dropDatabases();
  }
  console.log(lines.join('\n'));
}
