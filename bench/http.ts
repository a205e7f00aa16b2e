// `npm run bench -- http` (issue 9): ARC's command path over HTTP against a bare NestJS endpoint, in one run:
// requests/s and latency at 32 keep-alive clients, CPU per command summed over every process involved,
// append → ledger lag at a fixed rate, memory, idle cost and start-up time of the six services.
// BENCH_HTTP_PHASES=idle,invoice (a comma list of baseline, idle, invoice, check, payment, lag, restart)
// runs only those phases, for a quick look while changing the code; the figures to quote run them all.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { mintDevelopmentToken } from '@arc/auth';
import { deletePlatformTopics, launchPlatform, SERVICES, type Platform, type Runtime, type ServiceName } from '@arc/launcher';
import { endpoints } from '@arc/testing';
import {
  BUSINESS_DATE,
  CONNECTIONS,
  CUSTOMERS,
  fmt,
  IDLE_SECONDS,
  invoiceBody,
  LAG_RATE,
  LAG_SECONDS,
  pause,
  progress,
  run,
  SECONDS,
  uptime,
  WARMUP_SECONDS,
  type LoadResult,
} from './http-common';
import { measureLag } from './http-lag';
import { drive, ratio, runBaseline, type NextRequest } from './http-load';
import { dropDatabases, measureRestarts, registerCustomers, settle } from './http-platform';
import { reportLines, type HttpReport } from './http-report';
import { CpuMeter, cmdline, pidListeningOn, processAgeMs, processTree, rssMb } from './proc';

const PHASES = ['baseline', 'idle', 'invoice', 'check', 'payment', 'lag', 'restart'] as const;
type Phase = (typeof PHASES)[number];
const chosen = new Set<string>((process.env.BENCH_HTTP_PHASES ?? PHASES.join(',')).split(',').map((p) => p.trim()));
const runs = (phase: Phase): boolean => chosen.has(phase);

/** The phases BENCH_PROFILE_DIR profiles, in order (profile-preload.ts names the files after them). */
const PROFILED_PHASES = ['idle', 'invoice-issue', 'credit-check', 'payment-record'];

export async function runHttp(): Promise<void> {
  const { kafkaBrokers, databaseUrl } = endpoints();
  progress(`start (${uptime()}); ${SECONDS} s per load after ${WARMUP_SECONDS} s of warm-up, ${CONNECTIONS} connections`);

  let baseline: HttpReport['baseline'] = null;
  if (runs('baseline')) {
    progress('baseline: bare NestJS 11 POST endpoint, same ValidationPipe options');
    const measured = await runBaseline();
    baseline = {
      rate: ratio(measured.result).perSecond,
      p50: measured.result.latency.p50,
      p99: measured.result.latency.p99,
      cpuMsPerRequest: measured.cpuMsPerRequest,
    };
    progress(`baseline: ${fmt(baseline.rate)} /s, p99 ${baseline.p99} ms`);
  }

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
  let lines: string[] = [];
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
    const startedTogetherMs = Math.max(...SERVICES.map(({ name }) => processAgeMs(servicePid(name))));
    progress(`all six ready within ${fmt(startedTogetherMs / 1000, 1)} s of their start`);

    // Idle: nothing asked of the platform for IDLE_SECONDS, a few seconds after it is ready.
    await pause(3000);
    const rssBefore = new Map(SERVICES.map(({ name }) => [name, rssMb(servicePid(name))]));
    let idleRate: Map<string, number> | null = null;
    if (runs('idle')) {
      progress(`idle: measuring for ${IDLE_SECONDS} s`);
      const idle = new CpuMeter(groups);
      idle.start();
      for (let s = 0; s < IDLE_SECONDS * 2; s += 1) {
        await pause(500);
        idle.sample();
      }
      const idleRead = idle.read();
      idleRate = new Map([...idleRead.cpuMs].map(([name, ms]) => [name, ms / (idleRead.wallMs / 1000)]));
    }
    // Profiled after the measure, so the profiler's own cost stays out of the idle figure.
    toggleProfilers();
    await pause(IDLE_SECONDS * 1000);
    toggleProfilers();

    const token = mintDevelopmentToken({ sub: 'bench', roles: ['admin'], name: 'Bench' });
    const customers = Array.from({ length: CUSTOMERS }, () => randomUUID());
    if (['invoice', 'check', 'payment', 'lag'].some((phase) => runs(phase as Phase))) {
      progress(`registering ${CUSTOMERS} customers with credit policies`);
      await registerCustomers(
        platform,
        token,
        customers,
        run,
        invoiceBody(() => customers[0] as string),
      );
      await settle(platform, null);
    }
    let pick = 0;
    const nextCustomer = () => customers[pick++ % customers.length] as string;
    const invoice = invoiceBody(nextCustomer);

    let counter = 0;
    // Each request names the next customer round robin, so 32 clients spread over 64 customers' streams.
    const commands: { phase: Phase; name: string; service: ServiceName; next: NextRequest }[] = [
      { phase: 'invoice', name: 'invoice issue', service: 'invoicing', next: () => ({ path: '/v1/invoices', body: invoice() }) },
      {
        phase: 'check',
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
        phase: 'payment',
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
    const loads: LoadResult[] = [];
    for (const command of commands) {
      if (!runs(command.phase)) {
        // Keeps the profiles' names in step with PROFILED_PHASES.
        toggleProfilers();
        toggleProfilers();
        continue;
      }
      const driveCommand = (label: string, seconds: number) => drive(label, platform.url(command.service), token, command.next, seconds);
      await driveCommand(`${command.name} warm-up`, WARMUP_SECONDS);
      await settle(platform, null);
      // The shared servers' own rate (other users of this machine) in the quiet seconds before the load.
      const before = new CpuMeter(groups);
      before.start();
      await pause(2000);
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
      loads.push({
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

    let lag: string | null = null;
    if (runs('lag')) {
      progress(`append → ledger lag: ${LAG_RATE} invoices/s for ${LAG_SECONDS} s`);
      lag = `${LAG_RATE} invoices/s for ${LAG_SECONDS} s: ${await measureLag(platform, token, invoice)}`;
    }
    const rssAfter = new Map(SERVICES.map(({ name }) => [name, rssMb(servicePid(name))]));
    const restarts = runs('restart') ? await measureRestarts(platform, processAgeMs, (name) => progress(`restart: ${name}`)) : null;
    lines = reportLines({ baseline, loads, lag, startedTogetherMs, restarts, idleRate, rssBefore, rssAfter });
  } finally {
    progress('stopping the services');
    await platform.stop(10_000);
    await platform.dropDatabases().catch(() => undefined);
    await deletePlatformTopics(kafkaBrokers, namespace).catch(() => undefined);
  }
  console.log(`\n${lines.join('\n')}`);
}
