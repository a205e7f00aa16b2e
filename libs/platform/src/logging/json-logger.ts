import type { LoggerService, LogLevel } from '@nestjs/common';
import { currentCorrelationId } from './correlation';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'verbose'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

const NEST_LEVELS: Record<LogLevel, LogLevelName> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'verbose',
};

/** One log line. Extra fields given in a structured message (`{ msg, ...fields }`) follow these. */
export interface LogRecord {
  time: string;
  level: LogLevelName;
  service: string;
  context?: string;
  msg: string;
  correlationId?: string;
  [field: string]: unknown;
}

export interface JsonLoggerOptions {
  service: string;
  /** The least severe level written; default `info`. */
  level?: LogLevelName;
  /** Where lines go; default stdout. Tests collect them here. */
  sink?: (line: string) => void;
  now?: () => Date;
}

/** Nest's call shapes: `error(message, stack?, context?)`, `log(message, context?)`, a stack being multi-line with "at". */
const STACK = /\n\s+at /;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Error);
}

/**
 * Builds one record from a Nest logger call. Pure, so the shape of ARC's log lines is tested without I/O.
 * A structured message `{ msg, ...fields }` adds fields; an explicit `correlationId` field wins over the
 * ambient one (the access log is written after the request's async context has ended).
 */
export function toLogRecord(
  base: { time: string; level: LogLevelName; service: string; correlationId: string | undefined },
  message: unknown,
  optionalParams: unknown[],
): LogRecord {
  const params = [...optionalParams];
  let context: string | undefined;
  let stack: string | undefined;
  if (params.length > 0 && typeof params[params.length - 1] === 'string') {
    const last = params[params.length - 1] as string;
    // A lone trailing string of an error() call may be a stack rather than a context.
    if (!(base.level === 'error' || base.level === 'fatal') || params.length > 1 || !STACK.test(last)) {
      context = last;
      params.pop();
    }
  }
  if ((base.level === 'error' || base.level === 'fatal') && typeof params[0] === 'string' && STACK.test(params[0])) {
    stack = params.shift() as string;
  }

  const record: LogRecord = { time: base.time, level: base.level, service: base.service, msg: '' };
  if (context !== undefined) record.context = context;
  let fields: Record<string, unknown> = {};
  if (message instanceof Error) {
    record.msg = message.message;
    stack ??= message.stack;
  } else if (isPlainObject(message)) {
    const { msg, message: text, ...rest } = message;
    record.msg = typeof msg === 'string' ? msg : typeof text === 'string' ? text : '';
    fields = rest;
  } else {
    record.msg = typeof message === 'string' ? message : (JSON.stringify(message) ?? String(message));
  }
  const correlationId = typeof fields.correlationId === 'string' ? fields.correlationId : base.correlationId;
  if (correlationId !== undefined) record.correlationId = correlationId;
  for (const [key, value] of Object.entries(fields)) {
    if (!(key in record) && key !== 'correlationId') record[key] = value;
  }
  if (stack !== undefined) record.stack = stack;
  if (params.length > 0) record.details = params;
  return record;
}

/** Nest's logger for ARC: one JSON object per line, carrying the service name and the correlation id. */
export class JsonLogger implements LoggerService {
  private enabled: Set<LogLevelName>;
  private readonly sink: (line: string) => void;
  private readonly now: () => Date;

  constructor(private readonly options: JsonLoggerOptions) {
    this.enabled = new Set(LOG_LEVELS.slice(0, LOG_LEVELS.indexOf(options.level ?? 'info') + 1));
    this.sink = options.sink ?? ((line) => process.stdout.write(`${line}\n`));
    this.now = options.now ?? (() => new Date());
  }

  log(message: unknown, ...optionalParams: unknown[]): void {
    this.write('info', message, optionalParams);
  }

  error(message: unknown, ...optionalParams: unknown[]): void {
    this.write('error', message, optionalParams);
  }

  warn(message: unknown, ...optionalParams: unknown[]): void {
    this.write('warn', message, optionalParams);
  }

  debug(message: unknown, ...optionalParams: unknown[]): void {
    this.write('debug', message, optionalParams);
  }

  verbose(message: unknown, ...optionalParams: unknown[]): void {
    this.write('verbose', message, optionalParams);
  }

  fatal(message: unknown, ...optionalParams: unknown[]): void {
    this.write('fatal', message, optionalParams);
  }

  setLogLevels(levels: LogLevel[]): void {
    this.enabled = new Set(levels.map((level) => NEST_LEVELS[level]));
  }

  isEnabled(level: LogLevelName): boolean {
    return this.enabled.has(level);
  }

  private write(level: LogLevelName, message: unknown, optionalParams: unknown[]): void {
    if (!this.enabled.has(level)) return;
    const record = toLogRecord(
      { time: this.now().toISOString(), level, service: this.options.service, correlationId: currentCorrelationId() },
      message,
      optionalParams,
    );
    let line: string;
    try {
      line = JSON.stringify(record);
    } catch {
      // A field that cannot be serialised (a cycle, a bigint) must not cost the log line itself.
      const { time, service, context, msg, correlationId } = record;
      line = JSON.stringify({ time, level, service, context, msg, correlationId, unserializableFields: true });
    }
    this.sink(line);
  }
}
