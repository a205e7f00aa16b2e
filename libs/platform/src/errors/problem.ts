import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * ARC's problem types. `about:blank` (RFC 9457 §4.2.1) is used where the status code says it all; these
 * name the cases a client handles differently from a plain status.
 */
export const PROBLEM_TYPES = {
  validation: 'urn:arc:problem:validation-failed',
  conflict: 'urn:arc:problem:conflict',
  versionConflict: 'urn:arc:problem:version-conflict',
  unprocessable: 'urn:arc:problem:unprocessable',
  idempotencyKeyReused: 'urn:arc:problem:idempotency-key-reused',
  idempotencyKeyInProgress: 'urn:arc:problem:idempotency-key-in-progress',
  /** 409: an id the caller chose (check id, invoice id, …) names an earlier, different request. */
  idReused: 'urn:arc:problem:id-reused',
  notReady: 'urn:arc:problem:not-ready',
  /** 503: the answer depends on a read model a rebuild has not finished re-applying; retry. */
  readModelRebuilding: 'urn:arc:problem:read-model-rebuilding',
} as const;

/** An RFC 9457 problem document; extension members sit beside the standard ones. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  [extension: string]: unknown;
}

/** What a thrower says; `instance` and the correlation id are filled in from the request. */
export interface ProblemInit {
  status: number;
  /** Default `about:blank`. */
  type?: string;
  /** Default: the status code's reason phrase. */
  title?: string;
  detail?: string;
  [extension: string]: unknown;
}

export function statusTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

/** An HTTP error that already knows its problem document. Services throw its subclasses from handlers. */
export class ProblemException extends HttpException {
  readonly problem: ProblemInit & { type: string; title: string };

  constructor(init: ProblemInit, options?: { cause?: unknown }) {
    const problem = { ...init, type: init.type ?? 'about:blank', title: init.title ?? statusTitle(init.status) };
    super(problem.detail ?? problem.title, problem.status, options === undefined ? undefined : { cause: options.cause });
    this.problem = problem;
  }
}

type ProblemExtras = { type?: string; title?: string; cause?: unknown } & Record<string, unknown>;

function split(extras: ProblemExtras): [Omit<ProblemExtras, 'cause'>, { cause?: unknown } | undefined] {
  const { cause, ...rest } = extras;
  return [rest, cause === undefined ? undefined : { cause }];
}

/** 409: the request is valid but collides with the current state (a business rule, a concurrent change). */
export class ConflictProblem extends ProblemException {
  constructor(detail: string, extras: ProblemExtras = {}) {
    const [rest, options] = split(extras);
    super({ type: PROBLEM_TYPES.conflict, title: 'Conflict with the current state', ...rest, status: 409, detail }, options);
  }
}

/** 422: well-formed input the domain refuses on its meaning (an unknown customer, an impossible date). */
export class UnprocessableProblem extends ProblemException {
  constructor(detail: string, extras: ProblemExtras = {}) {
    const [rest, options] = split(extras);
    super({ type: PROBLEM_TYPES.unprocessable, title: 'Request refused', ...rest, status: 422, detail }, options);
  }
}

export interface FieldError {
  /** Dotted path into the input: `lines.0.amountMinor`. */
  field: string;
  /** The class-validator constraint that failed, for clients that react per rule. */
  constraint: string;
  detail: string;
}

/** 400 with the field errors as the `errors` extension member (RFC 9457 §3). */
export class ValidationProblem extends ProblemException {
  constructor(readonly errors: FieldError[]) {
    super({
      type: PROBLEM_TYPES.validation,
      title: 'Invalid request',
      status: 400,
      detail: errors.length === 1 ? (errors[0]?.detail ?? 'The request is invalid') : `The request has ${errors.length} invalid fields`,
      errors,
    });
  }
}
