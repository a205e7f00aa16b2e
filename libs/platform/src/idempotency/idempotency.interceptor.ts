import {
  applyDecorators,
  createParamDecorator,
  Inject,
  Injectable,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { from, lastValueFrom, of, type Observable } from 'rxjs';
import { withTransaction, type Queryable } from '@arc/event-store';
import { actorOf } from '@arc/auth';
import { ConflictProblem, PROBLEM_TYPES, UnprocessableProblem, ValidationProblem } from '../errors/problem';
import { runAsRequest } from '../event-sourcing/commands';
import { JsonLogger } from '../logging/json-logger';
import { IdempotencyStore } from './idempotency.store';
import { IDEMPOTENCY_KEY_PATTERN, requestFingerprint } from './request-fingerprint';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** Set on a response replayed from the store, so a client can tell it did not run again. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';
const IDEMPOTENT_METADATA = 'arc:platform:idempotent';

export interface IdempotentOptions {
  /** Refuse (400) a request without the header; default false: the header is then optional. */
  required?: boolean;
}

interface HttpRequest {
  method: string;
  originalUrl: string;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
  route?: { path?: unknown };
}

interface HttpResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
}

function keyOf(request: HttpRequest): string | undefined {
  const header = request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  return Array.isArray(header) ? header[0] : header;
}

function invalidKey(detail: string): ValidationProblem {
  return new ValidationProblem([{ field: IDEMPOTENCY_KEY_HEADER, constraint: 'idempotencyKey', detail }]);
}

/**
 * Runs a command route as one unit of work:
 * - the handler runs inside one database transaction (`withTransaction` of @arc/event-store): the stream
 *   reads and appends of its commands, its claims and view writes, and the completed Idempotency-Key all
 *   commit together, in one commit. A command that lost the race for its stream to another process
 *   reruns the whole handler in a fresh transaction, after a random pause;
 * - the request's fingerprint (method, path, body) goes with the commands it runs, so an id the caller
 *   chose, reused for a different request, is refused (409 `id-reused`) rather than answered as a repeat;
 * - with an Idempotency-Key, a repeated key answers the first response without running the handler
 *   again. The key is claimed before the handler runs (a statement of its own, which does not wait for
 *   the WAL flush), so a duplicate arriving meanwhile is told to retry (409) instead of running twice.
 * Runs after the auth guard (the actor is part of the key's fingerprint) and before validation, whose
 * failures release the key like any other failure.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(
    @Inject(IdempotencyStore) private readonly store: IdempotencyStore,
    @Inject(JsonLogger) private readonly logger: JsonLogger,
  ) {
    // Instantiated at start-up for each module using @Idempotent(): a missing pool stops the service there.
    if (!store.enabled)
      throw new Error('@Idempotent() routes need a database: PlatformModule.forRoot({ service, databaseUrl }) (or pgPool)');
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const options = (Reflect.getMetadata(IDEMPOTENT_METADATA, context.getHandler()) ?? {}) as IdempotentOptions;
    const request = context.switchToHttp().getRequest<HttpRequest>();
    const response = context.switchToHttp().getResponse<HttpResponse>();
    // What the caller asked, whoever asks: another actor repeating the same request is still a repeat.
    const commandFingerprint = requestFingerprint({
      method: request.method,
      url: request.originalUrl,
      actor: undefined,
      body: request.body,
    });
    const key = keyOf(request);
    if (key === undefined) {
      if (options.required) throw invalidKey(`This command requires an ${IDEMPOTENCY_KEY_HEADER} header`);
      return from(this.runCommand(next, commandFingerprint));
    }
    if (!IDEMPOTENCY_KEY_PATTERN.test(key))
      throw invalidKey(`${IDEMPOTENCY_KEY_HEADER} must be 1 to 255 printable ASCII characters without spaces`);
    const route = `${request.method} ${typeof request.route?.path === 'string' ? request.route.path : request.originalUrl.split('?')[0]}`;
    const fingerprint = requestFingerprint({
      method: request.method,
      url: request.originalUrl,
      actor: actorOf(request)?.id,
      body: request.body,
    });
    const claim = await this.store.claim(key, route, fingerprint);
    switch (claim.outcome) {
      case 'different_request':
        throw new UnprocessableProblem(`This ${IDEMPOTENCY_KEY_HEADER} was already used for a different request`, {
          type: PROBLEM_TYPES.idempotencyKeyReused,
          title: `${IDEMPOTENCY_KEY_HEADER} reused`,
        });
      case 'in_progress':
        // The first request is still running; waiting here would hold a connection for an unknown time.
        response.setHeader('Retry-After', '1');
        throw new ConflictProblem(`A request with this ${IDEMPOTENCY_KEY_HEADER} is still being processed; retry shortly`, {
          type: PROBLEM_TYPES.idempotencyKeyInProgress,
          title: 'Request in progress',
        });
      case 'completed':
        response.statusCode = claim.responseStatus;
        response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
        return of(claim.responseBody);
      case 'claimed':
        return from(
          this.runCommand(next, commandFingerprint, (tx, body) =>
            this.store.complete(tx, key, claim.claimId, response.statusCode, body),
          ).catch(async (error: unknown) => {
            await this.release(key, claim.claimId);
            throw error;
          }),
        );
    }
  }

  /** The handler in one transaction, rerun whole when it lost a race; `complete` runs last, in the same transaction. */
  private runCommand(next: CallHandler, fingerprint: string, complete?: (tx: Queryable, body: unknown) => Promise<void>): Promise<unknown> {
    return withTransaction(this.store.database, async (tx) => {
      // Each run subscribes anew, which runs the handler anew.
      const body = await runAsRequest(fingerprint, () => lastValueFrom(next.handle(), { defaultValue: undefined }));
      await complete?.(tx, body);
      return body;
    });
  }

  private async release(key: string, claimId: string): Promise<void> {
    try {
      await this.store.release(key, claimId);
    } catch (error) {
      // The claim then expires after the staleness horizon; the original error is the one to report.
      this.logger.error(
        { msg: `could not release idempotency key after a failure: ${error instanceof Error ? error.message : String(error)}` },
        'Idempotency',
      );
    }
  }
}

/**
 * Marks a command route: its handler runs as one unit of work (one transaction, see IdempotencyInterceptor),
 * and it takes an Idempotency-Key: the same key and request return the stored response without running the
 * handler; the same key with another request is a 422.
 */
export function Idempotent(options: IdempotentOptions = {}): MethodDecorator {
  return applyDecorators(
    SetMetadata(IDEMPOTENT_METADATA, options),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: options.required ?? false,
      description: 'Unique per command (a UUID). Repeating it with the same request returns the first response; with another request, 422.',
    }),
  );
}

/**
 * The request's Idempotency-Key, or undefined. Pass it on as the command id, so the events a retried
 * command decides get the same ids and are not appended twice.
 */
export const IdempotencyKey = createParamDecorator((_data: unknown, context: ExecutionContext): string | undefined =>
  keyOf(context.switchToHttp().getRequest<HttpRequest>()),
);
