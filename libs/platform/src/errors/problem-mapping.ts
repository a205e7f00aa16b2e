import { HttpException } from '@nestjs/common';
import { EventContractViolationError } from '@arc/contracts';
import { DomainError, type DomainErrorCategory } from '@arc/decider';
import { CommandConflictError, CommandIdReusedError } from '../event-sourcing/handle-command';
import { PROBLEM_TYPES, ProblemException, statusTitle, type ProblemDetails, type ProblemInit } from './problem';

/** Turns errors the domain throws (plain classes, no framework) into problems, registered once per service. */
export interface DomainErrorMapping {
  matches(error: unknown): boolean;
  toProblem(error: unknown): ProblemInit;
}

export interface DomainErrorProblem<E> {
  status: number;
  type?: string;
  title?: string;
  /** Default: the error's message. Domain error messages are written for people; internal ones are not domain errors. */
  detail?: (error: E) => string;
  /** Extension members, e.g. `{ customerId: error.customerId }`. */
  extensions?: (error: E) => Record<string, unknown>;
}

function mapping<E extends Error>(matches: (error: unknown) => error is E, spec: DomainErrorProblem<E>): DomainErrorMapping {
  return {
    matches,
    toProblem(error) {
      const e = error as E;
      return {
        ...spec.extensions?.(e),
        status: spec.status,
        ...(spec.type === undefined ? {} : { type: spec.type }),
        ...(spec.title === undefined ? {} : { title: spec.title }),
        detail: spec.detail ? spec.detail(e) : e.message,
      };
    },
  };
}

/**
 * `mapDomainError(CreditLimitExceeded, { status: 409, type: 'urn:arc:problem:credit-limit-exceeded' })`:
 * every error of that class (subclasses too) answers with that problem.
 */
export function mapDomainError<E extends Error>(
  errorClass: abstract new (...args: never[]) => E,
  spec: DomainErrorProblem<E>,
): DomainErrorMapping {
  return mapping((error): error is E => error instanceof errorClass, spec);
}

const DOMAIN_STATUS: Record<DomainErrorCategory, { status: number; title: string }> = {
  'state-conflict': { status: 409, title: 'Refused by the current state' },
  'invalid-request': { status: 422, title: 'Refused by the business rules' },
  'not-permitted': { status: 403, title: 'Not permitted to this person by the business rules' },
  'not-found': { status: 404, title: 'Refers to something that does not exist' },
};

/**
 * Mappings every service gets: a decider's refusal (any DomainError) by its category, with its stable
 * `code` as the problem type and an extension member; a command whose data cannot make an event its
 * contract accepts (422, the same as an invalid request; in a consumer the same error dead-letters the
 * message); a command that kept losing the race for its stream.
 */
export const DEFAULT_DOMAIN_ERROR_MAPPINGS: readonly DomainErrorMapping[] = [
  {
    matches: (error) => error instanceof DomainError,
    toProblem: (error) => {
      const { code, category, message } = error as DomainError;
      return {
        ...DOMAIN_STATUS[category],
        type: `urn:arc:problem:${code.toLowerCase().replace(/_/g, '-')}`,
        detail: message,
        code,
      };
    },
  },
  mapDomainError(EventContractViolationError, {
    status: 422,
    type: 'urn:arc:problem:command-data-invalid',
    title: DOMAIN_STATUS['invalid-request'].title,
    extensions: (error) => ({ code: 'COMMAND_DATA_INVALID', problems: error.problems }),
  }),
  mapDomainError(CommandConflictError, {
    status: 409,
    type: PROBLEM_TYPES.versionConflict,
    title: 'Concurrent modification',
    detail: () => 'Other changes to the same record kept winning the race; retry the command with the same Idempotency-Key.',
  }),
  mapDomainError(CommandIdReusedError, {
    status: 409,
    type: PROBLEM_TYPES.idReused,
    title: 'Id already used for a different request',
    detail: (error) =>
      `${error.commandId} already names an earlier request with other content (or about another subject); ` +
      'repeat that request exactly to get its result, or choose a new id for a new one.',
  }),
];

export interface ProblemContext {
  /** The request path (without the query string, which may carry personal data). */
  instance: string;
  correlationId: string | undefined;
  mappings: readonly DomainErrorMapping[];
}

export interface MappedProblem {
  problem: ProblemDetails;
  /** True for errors nobody anticipated: logged with their stack, described to the client generically. */
  unexpected: boolean;
}

/** The shape of errors from Express middleware (body-parser, http-errors): `expose` marks a message safe for clients. */
interface ExposedHttpError {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  message?: unknown;
}

function exposedClientError(error: unknown): { status: number; message: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { status, statusCode, expose, message } = error as ExposedHttpError;
  const code = typeof status === 'number' ? status : statusCode;
  if (expose !== true || typeof code !== 'number' || code < 400 || code > 499) return undefined;
  return { status: code, message: typeof message === 'string' ? message : statusTitle(code) };
}

function httpExceptionDetail(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : exception.message;
}

/**
 * Every error a request can end with, as a problem document. Pure: the filter only writes what this
 * decides. Order matters — a ProblemException says exactly what it wants, a mapped domain error comes
 * next, then Nest's HttpExceptions, then client errors from Express middleware; anything else is a 500
 * that tells the client nothing but the correlation id to quote.
 */
export function toProblem(error: unknown, context: ProblemContext): MappedProblem {
  const finish = (init: ProblemInit, unexpected = false): MappedProblem => {
    const { type, title, status, detail, ...extensions } = init;
    const problem: ProblemDetails = { type: type ?? 'about:blank', title: title ?? statusTitle(status), status };
    if (detail !== undefined) problem.detail = detail;
    problem.instance = context.instance;
    Object.assign(problem, extensions);
    if (context.correlationId !== undefined) problem.correlationId = context.correlationId;
    return { problem, unexpected };
  };

  if (error instanceof ProblemException) return finish(error.problem);
  const mapped = context.mappings.find((candidate) => candidate.matches(error));
  if (mapped) return finish(mapped.toProblem(error));
  if (error instanceof HttpException) {
    const status = error.getStatus();
    return finish({ status, detail: httpExceptionDetail(error) }, status >= 500);
  }
  const clientError = exposedClientError(error);
  if (clientError) return finish({ status: clientError.status, detail: clientError.message });
  return finish(
    {
      status: 500,
      detail: `An unexpected error occurred${context.correlationId ? `; quote correlation id ${context.correlationId} when reporting it` : ''}.`,
    },
    true,
  );
}
