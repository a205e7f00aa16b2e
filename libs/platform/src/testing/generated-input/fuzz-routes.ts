import { connect } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import fc from 'fast-check';
import type { Pool } from 'pg';
import { generatedRequests, type GeneratedRequest } from './hostile-requests';
import { operationsOf, type Operation } from './openapi-operations';

export interface GeneratedInputOptions {
  /** The service's own database: its `events` table must not grow. */
  pool: Pool;
  /** Requests for the whole service, spread over its routes; default `generatedRequestCount()`. */
  requests?: number;
  /** Default ARC_FUZZ_SEED, else random (printed, to replay a failure). */
  seed?: number;
  log?: (text: string) => void;
  /** The service's error log lines (a logSink filling it): the last one goes into a failure's report. */
  errorLog?: readonly string[];
}

export interface GeneratedInputFigures {
  service: string;
  seed: number;
  routes: number;
  requests: number;
  /** `{ '400': 812, '401': 40, … }` */
  byStatus: Record<string, number>;
  serverErrors: number;
  eventsAppended: number;
  /** Requests per refusal kind, to show what was exercised. */
  byRefusal: Record<string, number>;
}

/** Requests sent together; each is still answered and checked on its own. */
const BATCH = 5;

/** ARC_FUZZ_RUNS, else 100: enough in `npm test` to pass every kind of refusal over each route a few times. */
export function generatedRequestCount(): number {
  return Number(process.env.ARC_FUZZ_RUNS ?? 100);
}

/** A Jest timeout for a run of `generatedRequestCount()` requests on a busy machine (`npm run fuzz` sends 10,000). */
export function generatedInputTimeout(): number {
  return 120_000 + generatedRequestCount() * 250;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

const PROBLEM_JSON = /^application\/problem\+json/;

/** A request fetch will not send (a NUL in a header), written on a plain socket. */
function sendRaw(baseUrl: string, request: GeneratedRequest): Promise<Answer> {
  const { hostname, port } = new URL(baseUrl);
  const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${value}\r\n`);
  const body = request.body ?? '';
  const head = `${request.method} ${request.url} HTTP/1.1\r\nHost: ${hostname}\r\n${headers.join('')}${request.rawHeader ?? ''}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(head + body));
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
      const contentType = /\r\ncontent-type: *([^\r\n]*)/i.exec(text.slice(0, split))?.[1] ?? '(none)';
      resolve({ status, contentType, text: split < 0 ? '' : text.slice(split + 4) });
    });
  });
}

const isConnectionReset = (error: unknown): boolean =>
  error instanceof TypeError &&
  ['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'].includes(String((error.cause as { code?: unknown } | undefined)?.code));

async function send(baseUrl: string, request: GeneratedRequest, attempt = 1): Promise<Answer> {
  if (request.rawHeader !== undefined) return sendRaw(baseUrl, request);
  try {
    const response = await fetch(`${baseUrl}${request.url}`, {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: request.body }),
      signal: AbortSignal.timeout(10_000),
    });
    return { status: response.status, contentType: response.headers.get('content-type') ?? '(none)', text: await response.text() };
  } catch (error) {
    // A kept-alive connection the server closed as the request left (its idle timeout, on a busy machine): no
    // answer was given, so the request is sent again (each pooled connection may be as stale). Any other
    // failure, and a fourth reset, is a finding.
    if (attempt > 3 || !isConnectionReset(error)) throw error;
    return send(baseUrl, request, attempt + 1);
  }
}

/** What is wrong with an answer to a request that had to be refused, or null. */
function answerProblem(answer: Answer): string | null {
  if (answer.status < 400 || answer.status > 499) return `answered ${answer.status}, expected a 4xx`;
  if (!PROBLEM_JSON.test(answer.contentType))
    return `answered ${answer.status} as ${answer.contentType}, expected application/problem+json`;
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    return `answered ${answer.status} with a body that is not JSON`;
  }
  if (typeof problem.type !== 'string' || typeof problem.title !== 'string' || problem.status !== answer.status) {
    return `answered ${answer.status} with a problem lacking type, title or the same status: ${answer.text.slice(0, 200)}`;
  }
  return null;
}

async function storePosition(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ position: string }>(
    "SELECT count(*) || '/' || coalesce(max(global_position), 0) AS position FROM events",
  );
  return rows[0]?.position ?? '';
}

function describe(request: GeneratedRequest): string {
  const body =
    request.body === undefined
      ? ''
      : ` body ${request.body.length > 300 ? `${request.body.slice(0, 300)}… (${request.body.length} chars)` : request.body}`;
  return `${request.method} ${request.url.slice(0, 200)} — must refuse: ${request.refusal}${request.noise.length > 0 ? `; noise: ${request.noise.join(', ')}` : ''}${body}`;
}

/**
 * For every guarded route in the running service's /openapi.json, sends generated requests that each carry
 * something the route must refuse (see hostile-requests.ts) and asserts for each answer a 4xx
 * application/problem+json with `type`, `title` and `status` (never a 5xx), and after each batch of five
 * the service's event store unchanged. Requests carry a token of a department the route admits (so validation, not the guard, is
 * what answers), except those whose refusal is the token. fast-check shrinks a failing request to a
 * minimal one and the error names it with the seed to replay. Returns the figures of the run.
 */
export async function expectEveryRouteRefusesGeneratedInput(
  service: { app: INestApplication; baseUrl: string },
  options: GeneratedInputOptions,
): Promise<GeneratedInputFigures> {
  const operations = await operationsOf(service);
  const total = options.requests ?? generatedRequestCount();
  const seed = options.seed ?? (process.env.ARC_FUZZ_SEED ? Number(process.env.ARC_FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31));
  const title = (await (await fetch(`${service.baseUrl}/openapi.json`)).json()) as { info?: { title?: string } };
  const figures: GeneratedInputFigures = {
    service: title.info?.title ?? service.baseUrl,
    seed,
    routes: operations.length,
    requests: 0,
    byStatus: {},
    serverErrors: 0,
    eventsAppended: 0,
    byRefusal: {},
  };
  const perRoute = Math.max(5, Math.ceil(total / operations.length));
  const before = await storePosition(options.pool);

  // The store's position after the previous batch: one query per batch.
  let position = before;
  const answerOf = async (operation: Operation, request: GeneratedRequest): Promise<string | null> => {
    const answer = await send(service.baseUrl, request);
    figures.requests++;
    figures.byStatus[answer.status] = (figures.byStatus[answer.status] ?? 0) + 1;
    figures.byRefusal[request.kind] = (figures.byRefusal[request.kind] ?? 0) + 1;
    if (answer.status >= 500) figures.serverErrors++;
    const wrong = answerProblem(answer);
    if (wrong === null) return null;
    const logged = answer.status >= 500 ? options.errorLog?.at(-1) : undefined;
    return (
      `${operation.method} ${operation.path} ${wrong}\n  request: ${describe(request)}\n  answer: ${answer.text.slice(0, 300)}` +
      (logged === undefined ? '' : `\n  the service logged: ${logged.slice(0, 1500)}`)
    );
  };
  // Requests go in batches sent together: a busy machine then answers several while each waits on the database.
  const check = async (operation: Operation, batch: GeneratedRequest[]): Promise<void> => {
    const failures = (await Promise.all(batch.map((request) => answerOf(operation, request)))).filter((f): f is string => f !== null);
    const after = await storePosition(options.pool);
    if (after !== position)
      failures.push(
        `appended to the event store (count/max position ${position} → ${after}) in a batch of:\n  ${batch.map(describe).join('\n  ')}`,
      );
    position = after;
    if (failures.length > 0) throw new Error(failures.join('\n'));
  };

  try {
    for (const [index, operation] of operations.entries()) {
      await fc.assert(
        fc.asyncProperty(fc.array(generatedRequests(operation), { minLength: BATCH, maxLength: BATCH }), (batch) =>
          check(operation, batch),
        ),
        { numRuns: Math.ceil(perRoute / BATCH), seed: seed + index, endOnFailure: false, verbose: 0 },
      );
    }
  } finally {
    const after = await storePosition(options.pool);
    figures.eventsAppended = Number(after.split('/')[0]) - Number(before.split('/')[0]);
    options.log?.(formatFigures(figures));
  }
  return figures;
}

/** One paragraph per service for the test output and `npm run fuzz`. */
export function formatFigures(figures: GeneratedInputFigures): string {
  const statuses = Object.entries(figures.byStatus)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([status, count]) => `${status}×${count}`)
    .join(' ');
  const refusals = Object.entries(figures.byRefusal)
    .sort(([, a], [, b]) => b - a)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  return (
    `[generated input] ${figures.service}: ${figures.requests} requests over ${figures.routes} routes (seed ${figures.seed}); ` +
    `answers ${statuses}; 5xx: ${figures.serverErrors}; events appended: ${figures.eventsAppended}\n  refusals exercised: ${refusals}`
  );
}
