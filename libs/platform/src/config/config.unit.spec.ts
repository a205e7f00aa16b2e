import { ConfigError, env, loadConfig } from './config';

const schema = {
  port: env.port('ARC_CREDIT_PORT', { default: 3001 }),
  databaseUrl: env.url('ARC_CREDIT_DATABASE_URL', { protocols: ['postgres', 'postgresql'] }),
  brokers: env.list('ARC_KAFKA_BROKERS'),
  logLevel: env.oneOf('ARC_LOG_LEVEL', ['info', 'debug'], { default: 'info' }),
  simulation: env.boolean('ARC_SIMULATION', { default: false }),
  maxRetries: env.int('ARC_MAX_RETRIES', { default: 3, min: 0, max: 10 }),
  region: env.optional(env.string('ARC_REGION')),
};

function problemsOf(source: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(schema, source);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(({ variable, problem }) => `${variable}: ${problem}`);
    throw error;
  }
  return [];
}

describe('service configuration from the environment', () => {
  it('reads typed values and applies defaults for what is unset', () => {
    const config = loadConfig(schema, { ARC_CREDIT_DATABASE_URL: 'postgres://arc@db/credit', ARC_KAFKA_BROKERS: 'k1:9092, k2:9092,' });
    expect(config).toEqual({
      port: 3001,
      databaseUrl: 'postgres://arc@db/credit',
      brokers: ['k1:9092', 'k2:9092'],
      logLevel: 'info',
      simulation: false,
      maxRetries: 3,
      region: undefined,
    });
  });

  it('parses what is set', () => {
    const config = loadConfig(schema, {
      ARC_CREDIT_PORT: '4001',
      ARC_CREDIT_DATABASE_URL: 'postgresql://db/credit',
      ARC_KAFKA_BROKERS: 'k1:9092',
      ARC_LOG_LEVEL: 'debug',
      ARC_SIMULATION: 'yes',
      ARC_MAX_RETRIES: '0',
      ARC_REGION: 'eu',
    });
    expect(config).toMatchObject({ port: 4001, logLevel: 'debug', simulation: true, maxRetries: 0, region: 'eu' });
  });

  it('lists every missing and malformed variable in one error, not just the first', () => {
    expect(
      problemsOf({
        ARC_CREDIT_PORT: '70000',
        ARC_LOG_LEVEL: 'loud',
        ARC_SIMULATION: 'maybe',
        ARC_MAX_RETRIES: '2.5',
        ARC_KAFKA_BROKERS: ' , ',
      }),
    ).toEqual([
      'ARC_CREDIT_PORT: "70000" is not a TCP port (1-65535)',
      'ARC_CREDIT_DATABASE_URL: missing (expected a URL (postgres://, postgresql://))',
      'ARC_KAFKA_BROKERS: "," is not a comma-separated list',
      'ARC_LOG_LEVEL: "loud" is not one of info, debug',
      'ARC_SIMULATION: "maybe" is not a boolean (true/false, 1/0, yes/no)',
      'ARC_MAX_RETRIES: "2.5" is not an integer between 0 and 10',
    ]);
  });

  it('treats an empty variable as unset', () => {
    expect(problemsOf({ ARC_CREDIT_DATABASE_URL: '', ARC_KAFKA_BROKERS: 'k:1' })).toEqual([
      'ARC_CREDIT_DATABASE_URL: missing (expected a URL (postgres://, postgresql://))',
    ]);
  });

  it('never echoes a URL, which may carry a password', () => {
    const problems = problemsOf({ ARC_CREDIT_DATABASE_URL: 'mysql://arc:hunter2@db/credit', ARC_KAFKA_BROKERS: 'k:1' });
    expect(problems).toEqual(['ARC_CREDIT_DATABASE_URL: the value is not a URL (postgres://, postgresql://)']);
  });

  it('still refuses a malformed value of an optional variable', () => {
    const optionalPort = { port: env.optional(env.port('ARC_ADMIN_PORT')) };
    expect(loadConfig(optionalPort, {}).port).toBeUndefined();
    expect(() => loadConfig(optionalPort, { ARC_ADMIN_PORT: 'abc' })).toThrow(/ARC_ADMIN_PORT: "abc" is not a TCP port/);
  });

  it('names the subject in the message', () => {
    expect(() => loadConfig(schema, {}, { subject: 'the credit service configuration' })).toThrow(
      /^the credit service configuration is invalid:\n  - /,
    );
  });

  it('puts topic and consumer-group names in the Kafka namespace of ARC_KAFKA_NAMESPACE, and none when unset', () => {
    const schema = { names: env.kafkaNamespace() };
    expect(loadConfig(schema, {}).names.of('arc.credit.events')).toBe('arc.credit.events');
    expect(loadConfig(schema, { ARC_KAFKA_NAMESPACE: 'e2e-7f3a' }).names.of('arc.credit.events')).toBe('e2e-7f3a.arc.credit.events');
    expect(() => loadConfig(schema, { ARC_KAFKA_NAMESPACE: 'Demo.1' })).toThrow(
      /ARC_KAFKA_NAMESPACE: .* is not lower-case letters, digits and dashes/,
    );
  });
});
