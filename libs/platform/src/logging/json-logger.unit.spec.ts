import { runWithCorrelationId } from './correlation';
import { JsonLogger, toLogRecord } from './json-logger';

const base = { time: '2030-01-15T09:00:00.000Z', service: 'credit', correlationId: 'c-1' };

function collect(level?: 'info' | 'debug'): { logger: JsonLogger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = new JsonLogger({
    service: 'credit',
    ...(level ? { level } : {}),
    sink: (line) => lines.push(JSON.parse(line)),
    now: () => new Date(base.time),
  });
  return { logger, lines };
}

describe('JSON log lines', () => {
  it('carry time, level, service, context, message and correlation id', () => {
    expect(toLogRecord({ ...base, level: 'info' }, 'Mapped route', ['RouterExplorer'])).toEqual({
      time: base.time,
      level: 'info',
      service: 'credit',
      context: 'RouterExplorer',
      msg: 'Mapped route',
      correlationId: 'c-1',
    });
  });

  it('keep the stack of an error() call, with or without a context', () => {
    const stack = 'Error: boom\n    at handler (file.ts:1:1)';
    expect(toLogRecord({ ...base, level: 'error' }, 'boom', [stack, 'ProblemFilter'])).toMatchObject({
      msg: 'boom',
      stack,
      context: 'ProblemFilter',
    });
    expect(toLogRecord({ ...base, level: 'error' }, 'boom', [stack])).toMatchObject({ msg: 'boom', stack });
    expect(toLogRecord({ ...base, level: 'error' }, 'boom', [stack]).context).toBeUndefined();
  });

  it('spread the fields of a structured message, an explicit correlation id winning over the ambient one', () => {
    expect(
      toLogRecord({ ...base, level: 'info' }, { msg: 'POST /v1/x 201', status: 201, correlationId: 'c-2', level: 'forged' }, ['http']),
    ).toEqual({
      time: base.time,
      level: 'info',
      service: 'credit',
      context: 'http',
      msg: 'POST /v1/x 201',
      correlationId: 'c-2',
      status: 201,
    });
  });

  it('write one line per entry with the ambient correlation id', () => {
    const { logger, lines } = collect();
    runWithCorrelationId('req-42', () => logger.log('handled', 'Demo'));
    logger.warn('outside any request');
    expect(lines).toEqual([
      { time: base.time, level: 'info', service: 'credit', context: 'Demo', msg: 'handled', correlationId: 'req-42' },
      { time: base.time, level: 'warn', service: 'credit', msg: 'outside any request' },
    ]);
  });

  it('drop entries below the configured level', () => {
    const { logger, lines } = collect('info');
    logger.debug('noise');
    logger.verbose('more noise');
    logger.error('kept');
    expect(lines.map((line) => line.msg)).toEqual(['kept']);
  });

  it('still write a line when a field cannot be serialised', () => {
    const { logger, lines } = collect();
    logger.log({ msg: 'with a bigint', amount: 10n });
    expect(lines).toEqual([expect.objectContaining({ msg: 'with a bigint', unserializableFields: true })]);
  });
});
