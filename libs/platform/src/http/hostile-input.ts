import type { Socket } from 'node:net';
import { unescape } from 'node:querystring';
import { ValidationProblem, type FieldError } from '../errors/problem';
import type { ExpressMiddleware, ExpressRequest } from './request-lifecycle';

/** Names that would reach an object's prototype when a parsed body is copied by assignment (class-transformer does). */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why a string cannot be stored, or null: PostgreSQL refuses NUL in `text` and `jsonb` and a lone UTF-16
 * surrogate in `jsonb`, so either would surface as a 500 wherever the string is written.
 */
export function unstorableStringProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character (\\u0000)';
  if (LONE_SURROGATE.test(text)) return 'must be well-formed Unicode (a lone UTF-16 surrogate was sent)';
  return null;
}

const MAX_REPORTED = 20;

const fieldPath = (parent: string, key: string): string => (parent === '' ? key : `${parent}.${key}`);

/**
 * Every NUL, lone surrogate and prototype-reaching key in a parsed JSON value, with dotted field paths
 * (at most 20). The depth was bounded before parsing, so the recursion is too.
 */
export function hostileJsonProblems(value: unknown, parent = '', found: FieldError[] = []): FieldError[] {
  if (found.length >= MAX_REPORTED) return found;
  if (typeof value === 'string') {
    const problem = unstorableStringProblem(value);
    if (problem !== null)
      found.push({ field: parent === '' ? 'body' : parent, constraint: 'storableText', detail: `${parent || 'body'} ${problem}` });
    return found;
  }
  if (typeof value !== 'object' || value === null) return found;
  if (Array.isArray(value)) {
    value.forEach((element, index) => hostileJsonProblems(element, fieldPath(parent, String(index)), found));
    return found;
  }
  for (const key of Object.keys(value)) {
    const field = fieldPath(parent, key);
    if (PROTOTYPE_KEYS.has(key)) {
      // Worded like the validation pipe's own refusal of any other unknown field.
      found.push({ field, constraint: 'whitelistValidation', detail: `property ${key} should not exist` });
      continue;
    }
    const keyProblem = unstorableStringProblem(key);
    if (keyProblem !== null) {
      found.push({ field: fieldPath(parent, JSON.stringify(key)), constraint: 'storableText', detail: `a field name ${keyProblem}` });
      continue;
    }
    hostileJsonProblems((value as Record<string, unknown>)[key], field, found);
  }
  return found;
}

function decoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** NUL and lone surrogates in the path, the query string (names and values) and header values, with where they were. */
function urlAndHeaderProblems(request: ExpressRequest): FieldError[] {
  const found: FieldError[] = [];
  const [path = '', query = ''] = request.originalUrl.split(/\?(.*)/s);
  const decodedPath = decoded(path);
  // Express would throw a URIError without `expose` when it decodes the parameters: a 500 for a client's typo.
  const pathProblem = decodedPath === undefined ? 'must be percent-encoded UTF-8' : unstorableStringProblem(decodedPath);
  if (pathProblem !== null) found.push({ field: 'path', constraint: 'storableText', detail: `the path ${pathProblem}` });
  for (const part of query === '' ? [] : query.split('&')) {
    // Decoded as Express's query parser does (leniently: invalid UTF-8 becomes U+FFFD rather than an error).
    const [name = '', value = ''] = part.split(/=(.*)/s).map((text) => unescape(text.replace(/\+/g, ' ')));
    const problem = unstorableStringProblem(name) ?? unstorableStringProblem(value);
    if (problem !== null) found.push({ field: 'query', constraint: 'storableText', detail: `the query string ${problem}` });
    // `filter[__proto__]` too: an extended query parser nests on brackets.
    const prototypeKey = name.split(/[[\]]/).find((segment) => PROTOTYPE_KEYS.has(segment));
    if (prototypeKey !== undefined)
      found.push({ field: name, constraint: 'whitelistValidation', detail: `property ${prototypeKey} should not exist` });
    if (found.length >= MAX_REPORTED) break;
  }
  // Node's parser already refuses NUL in header lines; what it lets through (obs-text) is checked all the same.
  for (let i = 0; i + 1 < request.rawHeaders.length; i += 2) {
    const problem = unstorableStringProblem(request.rawHeaders[i + 1] ?? '');
    if (problem !== null)
      found.push({
        field: `header ${request.rawHeaders[i] ?? ''}`,
        constraint: 'storableText',
        detail: `header ${request.rawHeaders[i] ?? ''} ${problem}`,
      });
  }
  return found;
}

/**
 * After the JSON parser, before routing: every string of the request — path and query parameters, header
 * values, and every value and field name of the body however deeply nested — must be storable text, and
 * no body object may carry a field that reaches a prototype. One check at the edge for every route, so no
 * DTO, pipe or handler has to remember it.
 */
export function refuseHostileInput(): ExpressMiddleware {
  return (request, _response, next) => {
    const found = urlAndHeaderProblems(request);
    const body = (request as ExpressRequest & { body?: unknown }).body;
    if (body !== undefined) hostileJsonProblems(body, '', found);
    next(found.length > 0 ? new ValidationProblem(found.slice(0, MAX_REPORTED)) : undefined);
  };
}

const CLIENT_ERROR_STATUS: Readonly<Record<string, number>> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  431: 'Request Header Fields Too Large',
};

/**
 * Node's answer to a request its HTTP parser refuses (a NUL or newline in a header, a malformed request
 * line, headers too large) is a bare status line; this gives it the problem+json body every other refusal
 * has. The request never reached Express, so there is no correlation id to quote.
 */
export function answerUnparsableRequest(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const status = CLIENT_ERROR_STATUS[error.code ?? ''] ?? 400;
  const title = REASONS[status] ?? 'Bad Request';
  const body = JSON.stringify({
    type: 'about:blank',
    title,
    status,
    detail: 'The HTTP request could not be parsed (malformed request line or header)',
  });
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

/** Installs answerUnparsableRequest on the HTTP server (replacing Node's bare answer). */
export function answerUnparsableRequests(server: {
  on(event: 'clientError', listener: (error: Error, socket: Socket) => void): unknown;
}): void {
  server.on('clientError', answerUnparsableRequest);
}
