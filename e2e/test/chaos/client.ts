import { mintDevelopmentToken } from '@arc/auth';
import type { Platform, ServiceName } from '@arc/launcher';

/**
 * A client that retries like a real one: the same request (same ids, same Idempotency-Key) again after
 * a connection error, a timeout, a 5xx, a 429 or a 409 that says "try again" (a version conflict, the
 * same key still in progress), with exponential backoff and jitter, until a deadline. Any other 4xx is
 * the service's final word (a business refusal).
 */

export type Json = Record<string, unknown>;

export type Outcome =
  | { kind: 'applied'; status: number; body: Json; attempts: number }
  | { kind: 'refused'; status: number; body: Json; attempts: number }
  /** Retried until the deadline without an answer that settles it: whether it took effect is unknown. */
  | { kind: 'unknown'; lastError: string; attempts: number };

const RETRYABLE_CONFLICTS = ['urn:arc:problem:version-conflict', 'urn:arc:problem:idempotency-key-in-progress'];

export interface ClientStats {
  requests: number;
  retries: number;
  connectionErrors: number;
  serverErrors: number;
  byStatus: Record<string, number>;
}

export class RetryingClient {
  readonly stats: ClientStats = { requests: 0, retries: 0, connectionErrors: 0, serverErrors: 0, byStatus: {} };
  private readonly token = mintDevelopmentToken({ sub: 'chaos-client', roles: ['admin'] });

  constructor(
    private readonly platform: Platform,
    private readonly options: { deadlineMs: number; requestTimeoutMs: number } = { deadlineMs: 240_000, requestTimeoutMs: 20_000 },
  ) {}

  /** One attempt, no retry (reads, and the probes of a waitFor). */
  async once(
    service: ServiceName,
    method: string,
    path: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${this.platform.url(service)}/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        'content-type': 'application/json',
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: Json = {};
    try {
      parsed = text ? (JSON.parse(text) as Json) : {};
    } catch {
      parsed = { text };
    }
    return { status: response.status, body: parsed };
  }

  /** A read that must succeed (retried on the same terms as a command). */
  async read(service: ServiceName, path: string): Promise<Json> {
    const outcome = await this.send(service, 'GET', path);
    if (outcome.kind !== 'applied') throw new Error(`GET ${service} ${path}: ${JSON.stringify(outcome)}`);
    return outcome.body;
  }

  /** A command, retried with the same body and Idempotency-Key until it is applied, refused, or the deadline passes. */
  async send(service: ServiceName, method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<Outcome> {
    const deadline = Date.now() + this.options.deadlineMs;
    let lastError = '';
    for (let attempt = 1; ; attempt++) {
      this.stats.requests++;
      if (attempt > 1) this.stats.retries++;
      try {
        const reply = await this.once(service, method, path, body, idempotencyKey);
        this.stats.byStatus[reply.status] = (this.stats.byStatus[reply.status] ?? 0) + 1;
        if (reply.status < 300) return { kind: 'applied', status: reply.status, body: reply.body, attempts: attempt };
        const retryable =
          reply.status >= 500 || reply.status === 429 || (reply.status === 409 && RETRYABLE_CONFLICTS.includes(String(reply.body.type)));
        if (reply.status >= 500) this.stats.serverErrors++;
        if (!retryable) return { kind: 'refused', status: reply.status, body: reply.body, attempts: attempt };
        lastError = `${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`;
      } catch (error) {
        this.stats.connectionErrors++;
        lastError =
          error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error);
      }
      if (Date.now() > deadline) return { kind: 'unknown', lastError, attempts: attempt };
      const backoff = Math.min(4_000, 200 * 2 ** Math.min(attempt - 1, 5));
      await new Promise((resolve) => setTimeout(resolve, backoff / 2 + Math.random() * (backoff / 2)));
    }
  }
}
