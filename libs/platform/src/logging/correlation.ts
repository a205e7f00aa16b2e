import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

export const CORRELATION_ID_HEADER = 'X-Correlation-Id';

/** Symbol.for: one key even if two copies of this lib are loaded. */
const CORRELATION_KEY: unique symbol = Symbol.for('arc.platform.correlationId') as never;

interface CorrelationContext {
  correlationId: string;
}

const storage = new AsyncLocalStorage<CorrelationContext>();

/**
 * Ids we accept from callers: short and log-safe. Anything else (newlines that would forge log lines,
 * kilobytes of header) is replaced by a fresh id rather than refused: a bad trace id is no reason to
 * fail a request.
 */
const ACCEPTABLE = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function acceptOrCreateCorrelationId(header: unknown): string {
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === 'string' && ACCEPTABLE.test(value) ? value : randomUUID();
}

/** The correlation id of the request (or message) being handled, for logs and event metadata. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}

/** Runs `fn` with a correlation id, e.g. a Kafka handler using the id of the event it consumes. */
export function runWithCorrelationId<T>(correlationId: string, fn: () => T): T {
  return storage.run({ correlationId }, fn);
}

export function correlationIdOf(request: object): string | undefined {
  return (request as { [CORRELATION_KEY]?: string })[CORRELATION_KEY];
}

export function setRequestCorrelationId(request: object, correlationId: string): void {
  (request as { [CORRELATION_KEY]?: string })[CORRELATION_KEY] = correlationId;
}

/** The request's correlation id as a handler parameter: `@CorrelationId() correlationId: string`. */
export const CorrelationId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const id = correlationIdOf(context.switchToHttp().getRequest<object>()) ?? currentCorrelationId();
  if (id === undefined) throw new Error('@CorrelationId() outside a request set up by configureServiceApp()');
  return id;
});
