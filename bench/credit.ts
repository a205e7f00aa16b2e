// `npm run bench -- credit` (issue 10): credit checks over HTTP, each one reserving its order amount, at 32
// keep-alive clients spread over 200 customers, beside a bare NestJS POST endpoint measured in the same run
// (target: at least half its rate); and 5C assessments computed per second by the pure scoring function.
// The credit service runs alone (compiled, as production runs it) on its own databases and topics.
// BENCH_PROFILE_DIR=<dir> writes the credit service's CPU profile and SQL statement counts of the measured
// load (bench/profile-preload.ts, docs/performance.md).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { mintDevelopmentToken } from '@arc/auth';
import { deletePlatformTopics, launchPlatform, type Platform } from '@arc/launcher';
import { endpoints } from '@arc/testing';
import { cmdline, CpuMeter, pidListeningOn, processTree } from './proc';

const CONNECTIONS = 32;
const CUSTOMERS = 200;
const SECONDS = Number(process.env.BENCH_CREDIT_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_CREDIT_WARMUP_SECONDS ?? 3);
const ASSESS_SECONDS = Number(process.env.BENCH_ASSESS_SECONDS ?? 3);
const OPEN_DAY = '2026-11-02';

const progress = (line: string): void => {
  process.stderr.write(`[bench credit] ${line}\n`);
};
const fmt = (n: number, digits = 0): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const load = (): string =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`;

type NextRequest = () => { path: string; body: unknown };

/** CONNECTIONS keep-alive clients POSTing a fresh request from `next` for `seconds`. */
function drive(origin: string, token: string | null, next: NextRequest, seconds: number): Promise<autocannon.Result> {
  return new Promise((resolvePromise, reject) => {
    autocannon(
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
      (error, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolvePromise(result)),
    );
  });
}

const summary = (result: autocannon.Result) => ({
  perSecond: result['2xx'] / result.duration,
  p50: result.latency.p50,
  p99: result.latency.p99,
  failed: result.non2xx + result.errors + result.timeouts,
});

/** The bare NestJS endpoint of bench/baseline (the same one `bench -- http` measures), in its own process. */
async function baseline(): Promise<autocannon.Result> {
  const port = 39_000 + Math.floor(Math.random() * 1000);
  const child = spawn(process.execPath, [join(__dirname, 'baseline', 'main.js')], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((ready, reject) => {
      child.once('exit', (code) => reject(new Error(`the baseline server exited (${String(code)})`)));
      child.stdout?.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && ready());
    });
    const money = { amountMinor: '100000', currency: 'EUR' };
    const next = () => ({
      path: '/v1/invoices',
      body: {
        number: `B-${randomUUID().slice(0, 8)}`,
        customerId: randomUUID(),
        currency: 'EUR',
        lines: [{ description: 'machines', netAmount: money, taxAmount: { amountMinor: '0', currency: 'EUR' } }],
        issueDate: OPEN_DAY,
      },
    });
    const origin = `http://127.0.0.1:${port}`;
    await drive(origin, null, next, WARMUP_SECONDS);
    return await drive(origin, null, next, SECONDS);
  } finally {
    child.kill('SIGTERM');
  }
}

async function call(platform: Platform, token: string, method: string, path: string, body: unknown): Promise<number> {
  const response = await fetch(`${platform.url('credit')}/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.text();
  return response.status;
}

/**
 * The pure scoring function from the credit service's build output, loaded by path: a benchmark may not
 * import a service (lint boundaries), and this is the code production runs.
 */
export async function assessmentsPerSecond(): Promise<{ perSecond: number; computed: number }> {
  const dist = resolve(__dirname, '..', '..', 'services', 'credit', 'dist', 'domain', 'scoring');
  type Assess = (model: unknown, version: number, inputs: unknown) => { score: number };
  const { assess } = (await import(join(dist, 'assess.js'))) as { assess: Assess };
  const { DEFAULT_SCORING_MODEL } = (await import(join(dist, 'default-scoring-model.js'))) as { DEFAULT_SCORING_MODEL: unknown };
  const profiles = (await import(join(dist, 'testing', 'profiles.js'))) as Record<string, unknown>;
  const inputs = ['PROFILE_A', 'PROFILE_B', 'PROFILE_C', 'PROFILE_D'].map((name) => profiles[name]);
  let computed = 0;
  let checksum = 0;
  for (let i = 0; i < 2000; i += 1) checksum += assess(DEFAULT_SCORING_MODEL, 1, inputs[i % 4]).score; // warm-up
  const started = performance.now();
  const until = started + ASSESS_SECONDS * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 1000; i += 1) checksum += assess(DEFAULT_SCORING_MODEL, 1, inputs[i % 4]).score;
    computed += 1000;
  }
  const elapsed = (performance.now() - started) / 1000;
  if (checksum <= 0) throw new Error('the scoring function returned no scores');
  return { perSecond: computed / elapsed, computed };
}

export async function runCredit(): Promise<void> {
  const { kafkaBrokers, databaseUrl } = endpoints();
  progress(`start (${load()}); ${SECONDS} s per load after ${WARMUP_SECONDS} s of warm-up, ${CONNECTIONS} connections`);
  const lines: string[] = ['credit (issue 10):'];

  progress('assessment computations (pure function)');
  const assessments = await assessmentsPerSecond();
  lines.push(
    `  5C assessment, pure function: ${fmt(assessments.perSecond)} /s (${fmt(assessments.computed)} computed, 4 prepared profiles)`,
  );

  progress('baseline: bare NestJS 11 POST endpoint');
  const bare = summary(await baseline());
  progress(`baseline: ${fmt(bare.perSecond)} /s, p99 ${bare.p99} ms`);

  const run = randomUUID().slice(0, 8);
  const namespace = `bench-credit-${run}`;
  const profileDir = process.env.BENCH_PROFILE_DIR ? resolve(process.env.BENCH_PROFILE_DIR) : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const platform = await launchPlatform({
    ...(profileDir
      ? {
          env: {
            NODE_OPTIONS: `--require ${join(__dirname, 'profile-preload.js')}`,
            ARC_CPU_PROFILE_DIR: profileDir,
            ARC_CPU_PROFILE_LABELS: 'credit-check-bench',
          },
        }
      : {}),
    kafkaBrokers,
    databaseUrl,
    services: ['credit'],
    databasePrefix: `bench_credit_${run}`,
    kafkaNamespace: namespace,
    ports: 'free',
    recreateDatabases: true,
    runtime: 'compiled',
  });
  try {
    const token = mintDevelopmentToken({ sub: 'bench', roles: ['admin'], name: 'Bench' });
    const customers = Array.from({ length: CUSTOMERS }, () => randomUUID());
    progress(`registering ${CUSTOMERS} customers with credit policies`);
    for (const [i, customerId] of customers.entries()) {
      const registered = await call(platform, token, 'POST', '/customers', {
        customerId,
        legalName: `Bench customer ${i}`,
        registrationNumber: `HRB ${i}`,
        industry: 'machinery',
        country: 'DE',
        currency: 'EUR',
        businessUnit: 'industrial',
      });
      // A limit no run reaches: every check passes and reserves, the path under measure.
      const policy = await call(platform, token, 'PUT', `/customers/${customerId}/credit-policy`, {
        creditClass: 'B',
        creditLimit: { amountMinor: '900000000000000', currency: 'EUR' },
        paymentTermDays: 30,
        acceptedPaymentMethods: ['bank-transfer'],
        nextReviewDate: '2027-06-30',
      });
      if (registered !== 201 || policy !== 200) throw new Error(`setting up customer ${i} answered ${registered}/${policy}`);
    }
    let pick = 0;
    const next = () => ({
      path: `/v1/customers/${customers[pick++ % CUSTOMERS] as string}/credit-checks`,
      body: {
        checkId: randomUUID(),
        orderReference: `SO-${pick}`,
        orderAmount: { amountMinor: '10000', currency: 'EUR' },
        openDay: OPEN_DAY,
      },
    });
    const origin = platform.url('credit');
    progress('credit checks: warm-up');
    await drive(origin, token, next, WARMUP_SECONDS);
    progress('credit checks: measuring');
    const pid = platform.service('credit').pid ?? -1;
    const pgServer = pidListeningOn(Number(new URL(databaseUrl).port || 5432));
    const ourDatabase = ` ${platform.service('credit').databaseName} `;
    const meter = new CpuMeter(
      new Map([
        ['credit', () => processTree(pid)],
        [
          'postgres backends (ours)',
          () => (pgServer === null ? [] : processTree(pgServer).filter((p) => p !== pgServer && cmdline(p).includes(ourDatabase))),
        ],
      ]),
    );
    const toggleProfiler = () => profileDir && process.kill(pid, 'SIGWINCH');
    toggleProfiler();
    meter.start();
    const sampling = setInterval(() => meter.sample(), 500);
    const result = await drive(origin, token, next, SECONDS);
    clearInterval(sampling);
    meter.sample();
    toggleProfiler();
    const checks = summary(result);
    const cpu = meter.read().cpuMs;
    const perCheck = (name: string) => fmt((cpu.get(name) ?? 0) / Math.max(1, result['2xx']), 2);
    lines.push(
      `  bare NestJS 11 POST (same ValidationPipe options): ${fmt(bare.perSecond)} /s, p50 ${bare.p50} ms, p99 ${bare.p99} ms`,
      `  credit check with reservation, ${CONNECTIONS} clients on ${CUSTOMERS} customers: ${fmt(checks.perSecond)} /s, p50 ${checks.p50} ms, p99 ${checks.p99} ms, ${fmt(checks.failed)} not 2xx`,
      `  ratio to the bare endpoint: ${fmt(checks.perSecond / bare.perSecond, 2)} (target ≥ 0.50)`,
      `  CPU ms per check: credit service ${perCheck('credit')}, its PostgreSQL backends ${perCheck('postgres backends (ours)')}`,
      `  ${load()} at the end`,
    );
  } finally {
    progress('stopping the credit service');
    await platform.stop(10_000);
    await platform.dropDatabases().catch(() => undefined);
    await deletePlatformTopics(kafkaBrokers, namespace).catch(() => undefined);
  }
  console.log(`\n${lines.join('\n')}`);
}
