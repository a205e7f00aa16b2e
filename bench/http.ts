// `npm run bench -- http` (issue 9): ARC's command path over HTTP against a bare NestJS endpoint, in one run:
// requests/s and latency at 32 keep-alive clients, CPU per command summed over every process involved,
// append → ledger lag at a fixed rate, memory, idle cost and start-up time of the six services.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { Pool } from 'pg';
import { mintDevelopmentToken } from '@arc/auth';
import { deletePlatformTopics, launchPlatform, SERVICES, withDatabase, type Platform, type Runtime, type ServiceName } from '@arc/launcher';
import { endpoints } from '@arc/testing';
import { CpuMeter, cmdline, pidListeningOn, processAgeMs, processTree, rssMb } from './proc';

const CONNECTIONS = 32;
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_HTTP_WARMUP_SECONDS ?? 3);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
const LAG_RATE = 500;
const LAG_SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 10);
const MAX_IN_FLIGHT = 128;
/** The phases BENCH_PROFILE_DIR profiles, in order (profile-preload.ts names the files after them). */
const PROFILED_PHASES = ['idle', 'invoice-issue', 'credit-check', 'payment-record'];
const CUSTOMERS = 64;
const BUSINESS_DATE = '2026-11-02';

const progress = (line: string): void => {
  process.stderr.write(`[bench http] ${line}\n`);
};
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const uptime = (): string =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`;

interface LoadResult {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  failed: number;
  /** CPU ms per successful request, per process group (after the platform settled). */
  cpuPerRequest: Map<string, number>;
  loadDuring: string;
}

/** A request of a load: its path and JSON body, fresh for every request. */
type NextRequest = () => { path: string; body: unknown };

/** Drives `origin` with CONNECTIONS keep-alive clients for `seconds`, a fresh request from `next` each time. */
async function drive(label: string, origin: string, token: string | null, next: NextRequest, seconds: number): Promise<autocannon.Result> {
  let done = 0;
  let finish: (error: unknown, result: autocannon.Result) => void = () => undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (error, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result));
  });
  const instance = autocannon(
    {
      url: origin,
      connections: CONNECTIONS,
      duration: seconds,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => {
            const { path, body } = next();
            return { ...req, path, body: JSON.stringify(body) };
          },
        },
      ],
    },
    (error, result) => finish(error, result),
  );
  instance.on('response', () => {
    done += 1;
  });
  const started = performance.now();
  const timer = setInterval(
    () => progress(`${label}: ${fmt((performance.now() - started) / 1000, 0)}/${seconds} s, ${fmt(done)} responses`),
    2000,
  );
  try {
    return await finished;
  } finally {
    clearInterval(timer);
  }
}

function ratio(result: autocannon.Result): { ok: number; failed: number; perSecond: number } {
  const ok = result['2xx'];
  const failed = result.non2xx + result.errors + result.timeouts;
  return { ok, failed, perSecond: ok / result.duration };
}

/** The bare NestJS endpoint in its own process, from the build output. */
async function runBaseline(): Promise<{ result: autocannon.Result; cpuMsPerRequest: number }> {
  const port = 39_000 + Math.floor(Math.random() * 1000);
  const child = spawn(process.execPath, [join(__dirname, 'baseline', 'main.js')], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the baseline server exited (${String(code)})`)));
      child.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) resolve();
      });
    });
    const origin = `http://127.0.0.1:${port}`;
    const body = invoiceBody(() => randomUUID());
    const next = () => ({ path: '/v1/invoices', body: body() });
    await drive('baseline warm-up', origin, null, next, WARMUP_SECONDS);
    const meter = new CpuMeter(new Map([['baseline', () => [child.pid as number]]]));
    meter.start();
    const result = await drive('baseline', origin, null, next, SECONDS);
    meter.sample();
    return { result, cpuMsPerRequest: (meter.read().cpuMs.get('baseline') ?? 0) / Math.max(1, result['2xx']) };
  } finally {
    child.kill('SIGTERM');
  }
}

let invoiceCounter = 0;
const run = randomUUID().slice(0, 8);

function invoiceBody(customer: () => string): () => Record<string, unknown> {
  return () => {
    invoiceCounter += 1;
    return {
      invoiceId: randomUUID(),
      number: `B${run}-${invoiceCounter}`,
      customerId: customer(),
      currency: 'EUR',
      issueDate: BUSINESS_DATE,
      lines: [
        {
          description: 'Pump P-200 x10',
          netAmount: { amountMinor: '100000', currency: 'EUR' },
          taxAmount: { amountMinor: '19000', currency: 'EUR' },
        },
      ],
    };
  };
}

async function call(
  platform: Platform,
  token: string,
  service: ServiceName,
  method: string,
  path: string,
  body?: unknown,
): Promise<number> {
  const response = await fetch(`${platform.url(service)}/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await response.text();
  return response.status;
}

/** Sum of arc_consumer_lag_messages over every service (null if a service did not answer). */
async function consumerLag(platform: Platform): Promise<number | null> {
  let sum = 0;
  for (const { name } of SERVICES) {
    try {
      const text = await (await fetch(`${platform.url(name)}/metrics`)).text();
      for (const line of text.split('\n'))
        if (line.startsWith('arc_consumer_lag_messages{')) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
    } catch {
      return null;
    }
  }
  return sum;
}

/** Waits until every consumer has applied everything on its topics (two quiet reads in a row), at most 120 s. */
async function settle(platform: Platform, meter: CpuMeter | null): Promise<void> {
  let quiet = 0;
  const deadline = performance.now() + 120_000;
  while (quiet < 2 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    meter?.sample();
    quiet = (await consumerLag(platform)) === 0 ? quiet + 1 : 0;
  }
}

export async function runHttp(): Promise<void> {
  const { kafkaBrokers, databaseUrl } = endpoints();
  progress(`start (${uptime()}); ${SECONDS} s per load after ${WARMUP_SECONDS} s of warm-up, ${CONNECTIONS} connections`);

  progress('baseline: bare NestJS 11 POST endpoint, same ValidationPipe options');
  const baseline = await runBaseline();
  const baselineRate = ratio(baseline.result).perSecond;
  progress(`baseline: ${fmt(baselineRate)} /s, p99 ${baseline.result.latency.p99} ms`);

  const prefix = `bench_http_${run}`;
  const namespace = `bench-http-${run}`;
  // BENCH_RUNTIME=source measures the services as they ran before issue 9 (through the TypeScript loader).
  const runtime: Runtime = process.env.BENCH_RUNTIME === 'source' ? 'source' : 'compiled';
  progress(
    `starting the six services (${runtime === 'compiled' ? 'compiled JavaScript' : 'TypeScript sources through @swc-node/register'})`,
  );
  const profileDir = process.env.BENCH_PROFILE_DIR ? resolve(process.env.BENCH_PROFILE_DIR) : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const profiling = profileDir
    ? {
        NODE_OPTIONS: `--require ${join(__dirname, 'profile-preload.js')}`,
        ARC_CPU_PROFILE_DIR: profileDir,
        ARC_CPU_PROFILE_LABELS: PROFILED_PHASES.join(','),
      }
    : undefined;
  let platform: Platform;
  try {
    platform = await launchPlatform({
      kafkaBrokers,
      databaseUrl,
      databasePrefix: prefix,
      kafkaNamespace: namespace,
      ports: 'free',
      recreateDatabases: true,
      runtime,
      ...(profiling ? { env: profiling } : {}),
    });
  } catch (error) {
    await dropDatabases(databaseUrl, prefix);
    throw error;
  }
  // Starts or stops the profiler of every service (see profile-preload.ts), around each phase in PROFILED_PHASES.
  const toggleProfilers = () => {
    if (profileDir) for (const { pid } of platform.services) if (pid !== undefined) process.kill(pid, 'SIGWINCH');
  };
  const pgServer = pidListeningOn(Number(new URL(databaseUrl).port || 5432));
  const kafkaBroker = pidListeningOn(Number(kafkaBrokers[0]?.split(':')[1] ?? 9092));
  const lines: string[] = [];
  try {
    const servicePid = (name: ServiceName) => platform.service(name).pid ?? -1;
    const groups = new Map<string, () => number[]>();
    for (const { name } of SERVICES) groups.set(name, () => processTree(servicePid(name)));
    const ourDatabases = platform.services.map(({ databaseName }) => ` ${databaseName} `);
    const pgChildren = () => (pgServer === null ? [] : processTree(pgServer).filter((pid) => pid !== pgServer));
    groups.set('postgres backends (ours)', () => pgChildren().filter((pid) => ourDatabases.some((db) => cmdline(pid).includes(db))));
    groups.set('postgres server processes (shared)', () =>
      pgServer === null ? [] : [pgServer, ...pgChildren().filter((pid) => !/^postgres: \S+ \S+ \d/.test(cmdline(pid)))],
    );
    groups.set('kafka broker (shared)', () => (kafkaBroker === null ? [] : processTree(kafkaBroker)));
    const shared = ['postgres server processes (shared)', 'kafka broker (shared)'];

    // Started together, all six are ready by the time launchPlatform returns: their age then bounds each one's start.
    const startedTogether = Math.max(...SERVICES.map(({ name }) => processAgeMs(servicePid(name))));
    progress(`all six ready within ${fmt(startedTogether / 1000, 1)} s of their start`);

    // Idle: nothing asked of the platform for IDLE_SECONDS, a few seconds after it is ready.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const rssBefore = new Map(SERVICES.map(({ name }) => [name, rssMb(servicePid(name))]));
    progress(`idle: measuring for ${IDLE_SECONDS} s`);
    const idle = new CpuMeter(groups);
    idle.start();
    for (let s = 0; s < IDLE_SECONDS * 2; s += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      idle.sample();
    }
    const idleRead = idle.read();
    // Profiled after the measure, so the profiler's own cost stays out of the idle figure.
    toggleProfilers();
    await new Promise((resolve) => setTimeout(resolve, IDLE_SECONDS * 1000));
    toggleProfilers();
    const idleRate = new Map([...idleRead.cpuMs].map(([name, ms]) => [name, ms / (idleRead.wallMs / 1000)]));

    // Customers with credit policies; invoicing learns their payment terms from the credit topic.
    const token = mintDevelopmentToken({ sub: 'bench', roles: ['admin'], name: 'Bench' });
    const customers = Array.from({ length: CUSTOMERS }, () => randomUUID());
    progress(`registering ${CUSTOMERS} customers with credit policies`);
    for (const [i, customerId] of customers.entries()) {
      const registered = await call(platform, token, 'credit', 'POST', '/customers', {
        customerId,
        legalName: `Bench Customer ${i}`,
        registrationNumber: `HRB-${run}-${i}`,
        industry: 'Machinery',
        country: 'DE',
        currency: 'EUR',
        businessUnit: 'emea-north',
      });
      const policy = await call(platform, token, 'credit', 'PUT', `/customers/${customerId}/credit-policy`, {
        creditClass: 'A',
        creditLimit: { amountMinor: '100000000000000', currency: 'EUR' },
        paymentTermDays: 30,
        acceptedPaymentMethods: ['bank-transfer', 'e-payment'],
        nextReviewDate: '2027-12-31',
      });
      if (registered >= 300 || policy >= 300) throw new Error(`registering customer ${i} answered ${registered}/${policy}`);
    }
    let pick = 0;
    const nextCustomer = () => customers[pick++ % customers.length] as string;
    const invoice = invoiceBody(nextCustomer);
    // One invoice per customer, retried until invoicing knows the customer's terms (it warms the path too).
    const firstInvoice = invoiceBody(() => customers[0] as string);
    for (const customerId of customers) {
      const deadline = performance.now() + 60_000;
      while ((await call(platform, token, 'invoicing', 'POST', '/invoices', { ...firstInvoice(), customerId })) !== 201) {
        if (performance.now() > deadline) throw new Error(`invoicing never learnt the payment terms of ${customerId}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    await settle(platform, null);

    let counter = 0;
    // Each request names the next customer round robin, so 32 clients spread over 64 customers' streams.
    const commands: { name: string; service: ServiceName; next: NextRequest }[] = [
      { name: 'invoice issue', service: 'invoicing', next: () => ({ path: '/v1/invoices', body: invoice() }) },
      {
        name: 'credit check',
        service: 'credit',
        next: () => ({
          path: `/v1/customers/${nextCustomer()}/credit-checks`,
          body: {
            checkId: randomUUID(),
            orderReference: `PO-${run}-${(counter += 1)}`,
            orderAmount: { amountMinor: '50000', currency: 'EUR' },
            businessDate: BUSINESS_DATE,
          },
        }),
      },
      {
        name: 'payment record',
        service: 'payments',
        next: () => ({
          path: '/v1/payments',
          body: {
            bankReference: `BANK-${run}-${(counter += 1)}`,
            customerId: nextCustomer(),
            amount: { amountMinor: '30000', currency: 'EUR' },
            receivedOn: BUSINESS_DATE,
            method: 'bank-transfer',
          },
        }),
      },
    ];
    const results: LoadResult[] = [];
    for (const command of commands) {
      const driveCommand = (label: string, seconds: number) => drive(label, platform.url(command.service), token, command.next, seconds);
      await driveCommand(`${command.name} warm-up`, WARMUP_SECONDS);
      await settle(platform, null);
      // The shared servers' own rate (other users of this machine) in the quiet second before the load.
      const before = new CpuMeter(groups);
      before.start();
      await new Promise((resolve) => setTimeout(resolve, 2000));
      before.sample();
      const quiet = before.read();
      const meter = new CpuMeter(groups);
      meter.start();
      const sampler = setInterval(() => meter.sample(), 500);
      const loadStart = uptime();
      toggleProfilers();
      const result = await driveCommand(command.name, SECONDS);
      toggleProfilers();
      progress(`${command.name}: settling (consumers catching up)`);
      await settle(platform, meter);
      clearInterval(sampler);
      meter.sample();
      const { wallMs, cpuMs } = meter.read();
      const { ok, failed, perSecond } = ratio(result);
      const cpuPerRequest = new Map<string, number>();
      for (const [name, ms] of cpuMs) {
        const background = shared.includes(name) ? ((quiet.cpuMs.get(name) ?? 0) / quiet.wallMs) * wallMs : 0;
        cpuPerRequest.set(name, Math.max(0, ms - background) / Math.max(1, ok));
      }
      results.push({
        name: command.name,
        requestsPerSecond: perSecond,
        p50: result.latency.p50,
        p99: result.latency.p99,
        ok,
        failed,
        cpuPerRequest,
        loadDuring: `${loadStart} → ${uptime()}`,
      });
      progress(`${command.name}: ${fmt(perSecond)} /s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${failed} failed`);
    }

    progress(`append → ledger lag: ${LAG_RATE} invoices/s for ${LAG_SECONDS} s`);
    const lag = await measureLag(platform, token, invoice);

    const rssAfter = new Map(SERVICES.map(({ name }) => [name, rssMb(servicePid(name))]));

    // A crash, one service at a time: the supervisor starts a new process; from its start to its first 200
    // on /health/ready (polled every 50 ms), with the other five running.
    const restarts: string[] = [];
    for (const { name } of SERVICES) {
      progress(`restart: ${name}`);
      const service = platform.service(name);
      const before = service.pid;
      await service.kill('SIGKILL');
      const deadline = performance.now() + 120_000;
      let readyAfter = Number.NaN;
      while (performance.now() < deadline) {
        const pid = service.pid;
        if (pid !== undefined && pid !== before) {
          const ok = await fetch(`${service.baseUrl}/health/ready`).then(
            (r) => r.ok,
            () => false,
          );
          if (ok) {
            readyAfter = processAgeMs(pid);
            break;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      restarts.push(`${name} ${fmt(readyAfter / 1000, 1)} s`);
    }

    lines.push(
      `http benchmark (${new Date().toISOString()}, ${process.platform} ${process.arch}, Node ${process.version}, ${CONNECTIONS} keep-alive connections, ${SECONDS} s each)`,
    );
    lines.push(
      `  baseline: bare NestJS 11 POST, same ValidationPipe options   ${fmt(baselineRate)} /s, p50 ${baseline.result.latency.p50} ms, p99 ${baseline.result.latency.p99} ms, ${fmt(baseline.cpuMsPerRequest, 2)} ms CPU/request`,
    );
    for (const r of results) {
      const total = [...r.cpuPerRequest.values()].reduce((a, b) => a + b, 0);
      lines.push(
        `  ${r.name.padEnd(15)} ${fmt(r.requestsPerSecond).padStart(6)} /s (${fmt(r.requestsPerSecond / baselineRate, 2)}× baseline), p50 ${r.p50} ms, p99 ${r.p99} ms, ${r.ok} ok, ${r.failed} failed; CPU ${fmt(total, 2)} ms/command`,
      );
      lines.push(
        `      CPU ms/command: ${[...r.cpuPerRequest]
          .filter(([, ms]) => ms >= 0.005)
          .map(([name, ms]) => `${name} ${fmt(ms, 2)}`)
          .join(', ')}`,
      );
      lines.push(`      ${r.loadDuring}`);
    }
    lines.push(`  append → projections ledger, ${LAG_RATE} invoices/s for ${LAG_SECONDS} s: ${lag}`);
    lines.push(
      `  ready after process start: all six within ${fmt(startedTogether / 1000, 1)} s started together; one at a time after a SIGKILL: ${restarts.join(', ')}`,
    );
    lines.push(`  idle CPU ms/s: ${SERVICES.map(({ name }) => `${name} ${fmt(idleRate.get(name) ?? 0, 1)}`).join(', ')}`);
    lines.push(
      `  RSS MB before → after load: ${SERVICES.map(({ name }) => `${name} ${fmt(rssBefore.get(name) ?? 0)} → ${fmt(rssAfter.get(name) ?? 0)}`).join(', ')}`,
    );
    lines.push(`  ${uptime()} at the end`);
  } finally {
    progress('stopping the services');
    await platform.stop(10_000);
    await platform.dropDatabases().catch(() => undefined);
    await deletePlatformTopics(kafkaBrokers, namespace).catch(() => undefined);
  }
  console.log(`\n${lines.join('\n')}`);
}

/** Drops the databases of a launch that failed half-way. */
async function dropDatabases(adminUrl: string, prefix: string): Promise<void> {
  const admin = new Pool({ connectionString: adminUrl, max: 1 });
  try {
    for (const { name } of SERVICES) await admin.query(`DROP DATABASE IF EXISTS "${prefix}_${name.replace(/-/g, '_')}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/**
 * Issues invoices at LAG_RATE a second (open loop: a request every 2 ms whatever the answers), and polls
 * projections' ledger table every 10 ms: the lag of an invoice is from its 201 (the append committed) to
 * its ledger row being visible.
 */
async function measureLag(platform: Platform, token: string, invoice: () => Record<string, unknown>): Promise<string> {
  const db = new Pool({ connectionString: withDatabase(endpoints().databaseUrl, platform.service('projections').databaseName), max: 1 });
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const url = new URL(`${platform.url('invoicing')}/v1/invoices`);
  const answeredAt = new Map<string, number>();
  const lags: number[] = [];
  let failed = 0;
  let polling = true;
  const poller = (async () => {
    while (polling || answeredAt.size > 0) {
      const pending = [...answeredAt.keys()];
      if (pending.length > 0) {
        const { rows } = await db.query<{ invoice_id: string }>('SELECT invoice_id FROM projections_ar_ledger WHERE invoice_id = ANY($1)', [
          pending,
        ]);
        const now = performance.now();
        for (const { invoice_id: id } of rows) {
          lags.push(now - (answeredAt.get(id) as number));
          answeredAt.delete(id);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  const send = (body: Record<string, unknown>) =>
    new Promise<void>((resolve) => {
      const payload = JSON.stringify(body);
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode === 201) answeredAt.set(body.invoiceId as string, performance.now());
            else failed += 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        failed += 1;
        resolve();
      });
      req.end(payload);
    });
  const begin = performance.now();
  const sent: Promise<void>[] = [];
  const total = LAG_RATE * LAG_SECONDS;
  // Open loop, but bounded: a request due while MAX_IN_FLIGHT are unanswered is skipped (the service is
  // not keeping up with the rate, which the result then says) rather than queued without end.
  let inFlight = 0;
  let skipped = 0;
  for (let i = 0; i < total; i += 1) {
    const wait = begin + (i * 1000) / LAG_RATE - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    if (inFlight >= MAX_IN_FLIGHT) {
      skipped += 1;
      continue;
    }
    inFlight += 1;
    sent.push(send(invoice()).finally(() => (inFlight -= 1)));
    if (i % LAG_RATE === 0 && i > 0)
      progress(`lag: ${i / LAG_RATE}/${LAG_SECONDS} s, ${fmt(lags.length)} seen in the ledger, ${fmt(skipped)} skipped`);
  }
  const sendSeconds = (performance.now() - begin) / 1000;
  await Promise.all(sent);
  const achieved = (total - skipped - failed) / sendSeconds;
  polling = false;
  const deadline = performance.now() + 60_000;
  while (answeredAt.size > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const missing = answeredAt.size;
  answeredAt.clear();
  await poller;
  agent.destroy();
  await db.end();
  const sorted = lags.sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
  return `p50 ${fmt(at(50), 1)} ms, p99 ${fmt(at(99), 1)} ms, max ${fmt(sorted.at(-1) ?? Number.NaN, 1)} ms (${fmt(achieved)} issued/s, ${fmt(skipped)} skipped as ${MAX_IN_FLIGHT} were in flight, ${failed} failed, ${missing} never seen)`;
}
