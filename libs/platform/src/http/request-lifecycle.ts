import type { IncomingMessage, ServerResponse } from 'node:http';
import { UnsupportedMediaTypeException } from '@nestjs/common';
import { acceptOrCreateCorrelationId, CORRELATION_ID_HEADER, runWithCorrelationId, setRequestCorrelationId } from '../logging/correlation';
import type { JsonLogger } from '../logging/json-logger';
import { UNMATCHED_ROUTE, type MetricsService } from '../metrics/metrics.service';

/** Express's request, as far as these middlewares need it. */
export interface ExpressRequest extends IncomingMessage {
  originalUrl: string;
  route?: { path?: unknown };
}

type Next = (error?: unknown) => void;
export type ExpressMiddleware = (request: ExpressRequest, response: ServerResponse, next: Next) => void;

/** Probe and scrape traffic that would drown the access log when it succeeds. */
const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * First middleware of every request, ahead of body parsing and routing, so every response (a 404, a
 * body refused as malformed) carries the correlation id, is timed and is logged.
 */
export function requestLifecycle(metrics: MetricsService, logger: JsonLogger): ExpressMiddleware {
  return (request, response, next) => {
    const correlationId = acceptOrCreateCorrelationId(request.headers[CORRELATION_ID_HEADER.toLowerCase()]);
    setRequestCorrelationId(request, correlationId);
    response.setHeader(CORRELATION_ID_HEADER, correlationId);
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      // Express leaves the matched route on the request; its template (`/v1/invoices/:id`) keeps label cardinality bounded.
      const route = typeof request.route?.path === 'string' ? request.route.path : UNMATCHED_ROUTE;
      const method = request.method ?? 'UNKNOWN';
      metrics.observeHttpRequest(method, route, response.statusCode, seconds);
      const path = request.originalUrl.split('?')[0] ?? '';
      if (response.statusCode < 400 && QUIET_PATHS.has(path)) return;
      logger.log(
        {
          msg: `${method} ${path} ${response.statusCode}`,
          correlationId,
          method,
          path,
          route,
          status: response.statusCode,
          durationMs: Math.round(seconds * 1000),
        },
        'http',
      );
    });
    runWithCorrelationId(correlationId, () => next());
  };
}

function hasBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

export function isJsonContentType(header: string | undefined): boolean {
  return header !== undefined && JSON_MEDIA_TYPE.test(header.split(';')[0]?.trim().toLowerCase() ?? '');
}

/**
 * ARC's API speaks JSON. Refusing other bodies up front (415) also keeps form or text bodies from being
 * half-parsed by Nest's default parsers into something a DTO might accept.
 */
export function jsonBodiesOnly(): ExpressMiddleware {
  return (request, _response, next) => {
    if (!hasBody(request) || isJsonContentType(request.headers['content-type'])) return next();
    next(new UnsupportedMediaTypeException('Request bodies must be JSON (Content-Type: application/json)'));
  };
}
