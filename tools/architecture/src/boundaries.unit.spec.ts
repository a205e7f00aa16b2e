import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');

interface Probe {
  /** Where the file would live: the config and the Nx project are chosen by this path. */
  filePath: string;
  code: string;
}

interface Finding {
  ruleId: string | null;
  message: string;
}

// ESLint loads eslint.config.mjs with a dynamic import, which Jest's module sandbox does not run: the
// probes are linted in one child Node process with ESLint's own API, in memory (lintText), so nothing is
// written into the tree while other projects lint.
const LINT_IN_MEMORY = `
  const { ESLint } = require('eslint');
  let input = '';
  process.stdin.on('data', (chunk) => (input += chunk));
  process.stdin.on('end', async () => {
    const eslint = new ESLint({ cwd: process.cwd() });
    const out = [];
    for (const { filePath, code } of JSON.parse(input)) {
      const [result] = await eslint.lintText(code, { filePath });
      out.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
    }
    process.stdout.write(JSON.stringify(out));
  });
`;

function lint(probes: Probe[]): Finding[][] {
  const stdout = execFileSync(process.execPath, ['-e', LINT_IN_MEMORY], {
    cwd: ROOT,
    input: JSON.stringify(probes),
    env: { ...process.env, NX_DAEMON: 'false' },
    encoding: 'utf8',
  });
  return JSON.parse(stdout) as Finding[][];
}

const importing = (specifier: string): string => `import * as imported from '${specifier}';\nexport const used = imported;\n`;

const FORBIDDEN_IN_DOMAIN = ['pg', '@nestjs/common', '@arc/platform', '@arc/event-store', '@arc/messaging', '@arc/auth', 'kafkajs'];
const PURE = ['@arc/decider', '@arc/contracts', '@arc/money', '@arc/clock', 'uuid', './customer-credit-account.errors'];

// Every probe is linted in one ESLint process (loading the config and Nx's project graph takes seconds).
let findings: Map<string, Finding[]>;
const key = (probe: Probe): string => `${probe.filePath}\n${probe.code}`;
const probe = (filePath: string, specifier: string): Probe => ({ filePath, code: importing(specifier) });
const findingsOf = (filePath: string, specifier: string): Finding[] => {
  const found = findings.get(key(probe(filePath, specifier)));
  if (found === undefined) throw new Error(`no probe for ${specifier} in ${filePath}`);
  return found;
};
const rulesOf = (filePath: string, specifier: string): (string | null)[] => findingsOf(filePath, specifier).map((f) => f.ruleId);

const DOMAIN_FILES = ['services/credit/src/domain/lint-probe.ts', 'services/projections/src/domain/lint-probe.ts'];
const PROBES: Probe[] = [
  ...DOMAIN_FILES.flatMap((file) => [...FORBIDDEN_IN_DOMAIN, ...PURE].map((specifier) => probe(file, specifier))),
  probe('services/credit/src/api/lint-probe.ts', '@arc/payments'),
  probe('services/credit/src/api/lint-probe.ts', '@arc/platform'),
  probe('services/credit/src/api/lint-probe.ts', '@arc/testing'),
  probe('services/credit/src/lint-probe.int.spec.ts', '@arc/testing'),
  probe('libs/testing/src/lint-probe.ts', '@arc/credit'),
  probe('libs/money/src/lint-probe.ts', 'pg'),
  probe('libs/decider/src/lint-probe.ts', '@arc/event-store'),
  probe('services/payments/src/domain/lint-probe.ts', 'fast-check'),
  probe('services/payments/src/domain/lint-probe.unit.spec.ts', 'fast-check'),
  probe('services/payments/src/domain/lint-probe.unit.spec.ts', 'pg'),
];

beforeAll(() => {
  const results = lint(PROBES);
  findings = new Map(PROBES.map((p, i) => [key(p), results[i] ?? []]));
}, 120_000); // one ESLint process on a shared two-core machine; the tests below only read its answer

describe("a service's src/domain/ is pure", () => {
  describe.each(DOMAIN_FILES)('in %s', (file) => {
    it.each(FORBIDDEN_IN_DOMAIN)('fails lint when the domain imports %s', (specifier) => {
      const found = findingsOf(file, specifier);
      expect(found.map((f) => f.ruleId)).toContain('no-restricted-imports');
      expect(found.find((f) => f.ruleId === 'no-restricted-imports')?.message).toMatch(/src\/domain\/ is pure business logic/);
    });

    it.each(PURE)('lets the domain import %s', (specifier) => {
      expect(findingsOf(file, specifier)).toEqual([]);
    });
  });
});

describe("a domain's unit specs are pure too, and may generate inputs", () => {
  it('lets a domain spec import fast-check, never the domain code itself', () => {
    expect(findingsOf('services/payments/src/domain/lint-probe.unit.spec.ts', 'fast-check')).toEqual([]);
    expect(rulesOf('services/payments/src/domain/lint-probe.ts', 'fast-check')).toContain('no-restricted-imports');
  });

  it('fails lint when a domain spec imports a database driver', () => {
    expect(rulesOf('services/payments/src/domain/lint-probe.unit.spec.ts', 'pg')).toContain('no-restricted-imports');
  });
});

describe('project boundaries (scope × type tags)', () => {
  it('fails lint when a service imports another service', () => {
    expect(rulesOf('services/credit/src/api/lint-probe.ts', '@arc/payments')).toContain('@nx/enforce-module-boundaries');
  });

  it('lets a service outside its domain use the platform', () => {
    expect(findingsOf('services/credit/src/api/lint-probe.ts', '@arc/platform')).toEqual([]);
  });

  it('fails lint when production code imports the test harness, and lets a spec file use it', () => {
    expect(rulesOf('services/credit/src/api/lint-probe.ts', '@arc/testing')).toContain('@nx/enforce-module-boundaries');
    expect(findingsOf('services/credit/src/lint-probe.int.spec.ts', '@arc/testing')).toEqual([]);
  });

  it('fails lint when the test harness (production files under libs/testing) imports a service', () => {
    expect(rulesOf('libs/testing/src/lint-probe.ts', '@arc/credit')).toContain('@nx/enforce-module-boundaries');
  });

  it('fails lint when a pure lib imports a database driver or the event store', () => {
    expect(rulesOf('libs/money/src/lint-probe.ts', 'pg')).toContain('@nx/enforce-module-boundaries');
    expect(rulesOf('libs/decider/src/lint-probe.ts', '@arc/event-store')).toContain('@nx/enforce-module-boundaries');
  });
});
