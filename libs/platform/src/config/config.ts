/**
 * Typed configuration from environment variables. A service declares every variable it reads in one
 * schema; `loadConfig` reads them all and, if any is missing or malformed, throws one ConfigError listing
 * every problem, so an operator fixes the environment in one go instead of one restart per variable.
 */

export type ConfigRead<T> = { ok: true; value: T } | { ok: false; problem: string };

export interface ConfigField<T> {
  readonly variable: string;
  /** Reads the raw value; `undefined` when the variable is unset or empty. */
  read(raw: string | undefined): ConfigRead<T>;
}

export interface ConfigProblem {
  variable: string;
  problem: string;
}

export class ConfigError extends Error {
  constructor(
    readonly problems: readonly ConfigProblem[],
    subject = 'the configuration',
  ) {
    super(`${subject} is invalid:\n${problems.map(({ variable, problem }) => `  - ${variable}: ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Schema = Record<string, ConfigField<unknown>>;
export type ConfigValues<S extends Schema> = { readonly [K in keyof S]: S[K] extends ConfigField<infer T> ? T : never };

export interface LoadConfigOptions {
  /** Names what is being configured in the error, e.g. "credit service configuration". */
  subject?: string;
}

export function loadConfig<S extends Schema>(
  schema: S,
  source: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): ConfigValues<S> {
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, field] of Object.entries(schema)) {
    const raw = source[field.variable];
    // `X=` in a compose file or a shell means "not set", not "set to nothing".
    const result = field.read(raw === undefined || raw.trim() === '' ? undefined : raw.trim());
    if (result.ok) values[key] = result.value;
    else problems.push({ variable: field.variable, problem: result.problem });
  }
  if (problems.length > 0) throw new ConfigError(problems, options.subject);
  return Object.freeze(values) as ConfigValues<S>;
}

interface FieldOptions<T> {
  default?: T;
  /** Never echo the value in errors (passwords, keys). */
  secret?: boolean;
}

/** What errors show of a bad value: nothing of a secret, at most 60 characters of anything else. */
function shown(raw: string, secret: boolean | undefined): string {
  if (secret) return 'the value';
  return JSON.stringify(raw.length > 60 ? `${raw.slice(0, 57)}...` : raw);
}

function field<T>(
  variable: string,
  expected: string,
  parse: (raw: string) => T | undefined,
  options: FieldOptions<T> = {},
): ConfigField<T> {
  return {
    variable,
    read(raw) {
      if (raw === undefined) {
        return options.default === undefined
          ? { ok: false, problem: `missing (expected ${expected})` }
          : { ok: true, value: options.default };
      }
      const value = parse(raw);
      return value === undefined ? { ok: false, problem: `${shown(raw, options.secret)} is not ${expected}` } : { ok: true, value };
    },
  };
}

function integer(raw: string): number | undefined {
  return /^-?\d+$/.test(raw) && Number.isSafeInteger(Number(raw)) ? Number(raw) : undefined;
}

/**
 * Topic and consumer-group names in a Kafka namespace: `<namespace>.arc.credit.events`, so platforms
 * sharing one cluster (a demo and a test run) stay apart. The empty namespace gives the names as they are.
 */
export class KafkaNames {
  constructor(readonly namespace: string) {}

  of(name: string): string {
    return this.namespace === '' ? name : `${this.namespace}.${name}`;
  }
}

export const env = {
  string(variable: string, options?: FieldOptions<string>): ConfigField<string> {
    return field(variable, 'a text', (raw) => raw, options);
  },

  int(variable: string, options: FieldOptions<number> & { min?: number; max?: number } = {}): ConfigField<number> {
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = options;
    const range = options.min !== undefined || options.max !== undefined ? ` between ${min} and ${max}` : '';
    return field(
      variable,
      `an integer${range}`,
      (raw) => {
        const value = integer(raw);
        return value !== undefined && value >= min && value <= max ? value : undefined;
      },
      options,
    );
  },

  port(variable: string, options?: FieldOptions<number>): ConfigField<number> {
    return field(
      variable,
      'a TCP port (1-65535)',
      (raw) => {
        const value = integer(raw);
        return value !== undefined && value >= 1 && value <= 65_535 ? value : undefined;
      },
      options,
    );
  },

  boolean(variable: string, options?: FieldOptions<boolean>): ConfigField<boolean> {
    return field(
      variable,
      'a boolean (true/false, 1/0, yes/no)',
      (raw) => {
        const lower = raw.toLowerCase();
        if (['true', '1', 'yes'].includes(lower)) return true;
        if (['false', '0', 'no'].includes(lower)) return false;
        return undefined;
      },
      options,
    );
  },

  /** URLs often carry credentials (postgres://user:password@...), so their values are never echoed. */
  url(variable: string, options: FieldOptions<string> & { protocols?: string[] } = {}): ConfigField<string> {
    const { protocols } = options;
    const expected = protocols ? `a URL (${protocols.map((p) => `${p}://`).join(', ')})` : 'a URL';
    return field(
      variable,
      expected,
      (raw) => {
        try {
          const parsed = new URL(raw);
          return !protocols || protocols.includes(parsed.protocol.replace(/:$/, '')) ? raw : undefined;
        } catch {
          return undefined;
        }
      },
      { secret: true, ...options },
    );
  },

  /** Comma-separated, items trimmed, empty items dropped: `a, b,,c` is `['a', 'b', 'c']`. */
  list(variable: string, options?: FieldOptions<string[]>): ConfigField<string[]> {
    return field(
      variable,
      'a comma-separated list',
      (raw) => {
        const items = raw
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== '');
        return items.length > 0 ? items : undefined;
      },
      options,
    );
  },

  /** ARC_KAFKA_NAMESPACE (lower-case letters, digits, dashes); unset: the architecture's names. */
  kafkaNamespace(variable = 'ARC_KAFKA_NAMESPACE'): ConfigField<KafkaNames> {
    return field(
      variable,
      'lower-case letters, digits and dashes',
      (raw) => (/^[a-z0-9][a-z0-9-]{0,47}$/.test(raw) ? new KafkaNames(raw) : undefined),
      {
        default: new KafkaNames(''),
      },
    );
  },

  oneOf<const V extends string>(variable: string, values: readonly V[], options?: FieldOptions<V>): ConfigField<V> {
    return field(variable, `one of ${values.join(', ')}`, (raw) => values.find((value) => value === raw), options);
  },

  /** The field, or undefined when the variable is not set (a set but malformed value is still an error). */
  optional<T>(inner: ConfigField<T>): ConfigField<T | undefined> {
    return {
      variable: inner.variable,
      read: (raw) => (raw === undefined ? { ok: true, value: undefined } : inner.read(raw)),
    };
  },
};
