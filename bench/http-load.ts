// The load of the HTTP benchmark: autocannon driving an endpoint, and the bare NestJS baseline.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { CONNECTIONS, fmt, invoiceBody, progress, SECONDS, WARMUP_SECONDS } from './http-common';
import { CpuMeter } from './proc';

/** A request of a load: its path and JSON body, fresh for every request. */
export type NextRequest = () => { path: string; body: unknown };

/** Drives `origin` with CONNECTIONS keep-alive clients for `seconds`, a fresh request from `next` each time. */
export async function drive(
  label: string,
  origin: string,
  token: string | null,
  next: NextRequest,
  seconds: number,
): Promise<autocannon.Result> {
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

export function ratio(result: autocannon.Result): { ok: number; failed: number; perSecond: number } {
  const ok = result['2xx'];
  const failed = result.non2xx + result.errors + result.timeouts;
  return { ok, failed, perSecond: ok / result.duration };
}

/** The bare NestJS endpoint in its own process, from the build output. */
export async function runBaseline(): Promise<{ result: autocannon.Result; cpuMsPerRequest: number }> {
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
