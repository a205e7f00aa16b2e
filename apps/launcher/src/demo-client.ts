import { createHash } from 'node:crypto';
import { mintDevelopmentToken, type Role } from '@arc/auth';
import type { Platform } from './launcher';
import type { ServiceName } from './services';

// What every part of the demo company shares: an HTTP client holding development tokens, and small
// deterministic helpers (a seeded PRNG, ids derived from names, calendar arithmetic, EUR amounts).

export type Json = Record<string, unknown>;
export interface MoneyJson {
  amountMinor: string;
  currency: string;
}
/** A call that must succeed (a non-2xx answer throws), as the area seeders take it. */
export type DemoCall<S extends ServiceName = ServiceName> = (service: S, method: string, path: string, body?: unknown) => Promise<Json>;

/** mulberry32: a small deterministic PRNG. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable UUID (v4 layout) derived from a name, so a re-seed repeats the same commands. */
export function uuidOf(name: string, namespace = 'arc-demo'): string {
  const h = createHash('sha256').update(`${namespace}:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16] as string, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const eur = (amountMinor: bigint | number | string): MoneyJson => ({ amountMinor: String(amountMinor), currency: 'EUR' });
export const euros = (m: MoneyJson | string): string => {
  const minor = BigInt(typeof m === 'string' ? m : m.amountMinor);
  const sign = minor < 0n ? '-' : '';
  const abs = minor < 0n ? -minor : minor;
  const units = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${units}.${(abs % 100n).toString().padStart(2, '0')}`;
};

export class DemoClient {
  private readonly tokens = new Map<string, string>();
  constructor(private readonly platform: Platform) {}

  token(roles: Role[]): string {
    const key = roles.join(',');
    let t = this.tokens.get(key);
    if (t === undefined) {
      t = mintDevelopmentToken({ sub: `demo-${key}`, roles, name: `Demo ${key}` });
      this.tokens.set(key, t);
    }
    return t;
  }

  async call(
    service: ServiceName,
    method: string,
    path: string,
    body?: unknown,
    roles: Role[] = ['admin'],
  ): Promise<{ status: number; body: Json }> {
    const request = () =>
      fetch(`${this.platform.url(service)}/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${this.token(roles)}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    // A service the launcher is restarting refuses connections for a moment: the request never reached it,
    // so sending it again is safe. Anything else (a reset mid-request, an answer) is the caller's.
    let response: Response | undefined;
    const deadline = Date.now() + 60_000;
    while (response === undefined) {
      try {
        response = await request();
      } catch (error) {
        if (!connectionRefused(error) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as Json) : {} };
  }

  async ok(service: ServiceName, method: string, path: string, body?: unknown): Promise<Json> {
    const reply = await this.call(service, method, path, body);
    if (reply.status >= 300) throw new Error(`${method} ${service} /v1${path} answered ${reply.status}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  }
}

function connectionRefused(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code === 'ECONNREFUSED';
}
