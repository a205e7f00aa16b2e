import { parseArgs } from './cli';
import { readConfig } from './config';

describe('readConfig', () => {
  it('has defaults', () => {
    expect(readConfig({})).toEqual({
      externalKafkaBrokers: undefined,
      externalDatabaseUrl: undefined,
      kafkaPort: 19092,
      kafkaControllerPort: 19093,
      kafkaHeap: '512m',
      postgresPort: 54329,
      testcontainers: false,
    });
  });

  it('reads the environment', () => {
    const config = readConfig({
      ARC_KAFKA_PORT: '29092',
      ARC_PG_PORT: '5555',
      ARC_TESTCONTAINERS: '1',
      ARC_DATABASE_URL: ' postgres://x/y ',
    });
    expect(config).toMatchObject({
      kafkaPort: 29092,
      kafkaControllerPort: 29093,
      postgresPort: 5555,
      testcontainers: true,
      externalDatabaseUrl: 'postgres://x/y',
    });
  });

  it('rejects a port that is not one', () => {
    expect(() => readConfig({ ARC_PG_PORT: 'abc' })).toThrow(/ARC_PG_PORT/);
  });
});

describe('parseArgs', () => {
  it('takes everything after `run --` as the command', () => {
    expect(parseArgs(['run', '--', 'nx', 'run-many', '--outputStyle=stream'])).toMatchObject({
      command: 'run',
      rest: ['nx', 'run-many', '--outputStyle=stream'],
    });
    expect(parseArgs(['run', 'jest', '--ci'])).toMatchObject({ command: 'run', rest: ['jest', '--ci'] });
  });

  it('reads flags and components', () => {
    expect(parseArgs(['start', '--json', '--lease', '42'])).toMatchObject({ command: 'start', json: true, lease: 42 });
    expect(parseArgs(['stop', 'kafka'])).toMatchObject({ command: 'stop', positional: ['kafka'] });
    expect(() => parseArgs(['start', '--lease', 'x'])).toThrow(/pid/);
    expect(() => parseArgs(['start', '--bogus'])).toThrow(/unknown option/);
  });
});
