// Shared by the HTTP benchmark's parts (`npm run bench -- http`, see http.ts): settings, progress lines
// and formatting.
import { loadavg } from 'node:os';
import { randomUUID } from 'node:crypto';

export const CONNECTIONS = 32;
export const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
export const WARMUP_SECONDS = Number(process.env.BENCH_HTTP_WARMUP_SECONDS ?? 3);
export const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 10);
export const LAG_RATE = 500;
export const LAG_SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 10);
export const MAX_IN_FLIGHT = 128;
export const CUSTOMERS = 64;
export const BUSINESS_DATE = '2026-11-02';
/** This run's id: names its databases, topics and unique references. */
export const run = randomUUID().slice(0, 8);

export const progress = (line: string): void => {
  process.stderr.write(`[bench http] ${line}\n`);
};
export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const uptime = (): string =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')}`;

export const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface LoadResult {
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

let invoiceCounter = 0;

export function invoiceBody(customer: () => string): () => Record<string, unknown> {
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
