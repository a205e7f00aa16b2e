// Lint rules, including the architecture's boundaries written as code (docs/service-anatomy.md).
//
// Every project is tagged in two dimensions in its package.json `nx.tags`:
// - scope: the bounded context it belongs to (`scope:credit` …) or `scope:shared`; a context depends only on
//   itself and shared code, so "a service never imports a service" is a lint error;
// - type: what kind of code it is, so layers only point down:
//     type:service      a deployable context (services/*)
//     type:app          a deployable tool (the launcher)
//     type:feature      NestJS building blocks services compose (platform, auth)
//     type:data-access  stores and brokers (event-store, messaging)
//     type:util         pure code: no I/O, no framework (clock, money, contracts, decider)
//     type:testing      the test harness (libs/testing); type:e2e, type:bench; type:infra (deploy/local)
// Production code never depends on test code. Spec files and test fixtures (`src/testing/`, `test/`) may
// also use the harness — the same rule with the testing types added, never switched off.
// A service's src/domain/ may import only the pure libs below: no framework, database, broker or platform.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

/** The only packages a service's src/domain/ may import (besides its own files). */
export const PURE_IMPORTS = [
  '@arc/decider',
  '@arc/decider/testing',
  '@arc/contracts',
  '@arc/money',
  '@arc/receivables',
  '@arc/clock',
  'uuid',
];

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Matches every import specifier that is neither relative nor one of `allowed`. */
const notIn = (allowed) => `^(?!\\.{1,2}/|(${allowed.map(escape).join('|')})$)`;
/** A domain's unit specs may also generate inputs (property tests): fast-check is pure too. */
const PURE_TEST_IMPORTS = [...PURE_IMPORTS, 'fast-check'];
const pureOnly = (allowed) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: [
        {
          regex: notIn(allowed),
          message: `src/domain/ is pure business logic: it may import only ${allowed.join(', ')} and its own files (no framework, database, broker or platform).`,
        },
      ],
    },
  ],
});

const SCOPES = ['credit', 'invoicing', 'payments', 'collections', 'risk-alert', 'projections'];
const TESTING_TYPES = ['type:testing', 'type:infra'];

/** What each tag may depend on; `tests` adds the test harness for spec files and fixtures. */
function depConstraints({ tests }) {
  const withTests = (tags) => (tests ? [...tags, ...TESTING_TYPES] : tags);
  const withTestScope = (tags) => (tests ? [...tags, 'scope:testing'] : tags);
  return [
    // scope × …
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: withTestScope(['scope:shared']) },
    ...SCOPES.map((scope) => ({
      sourceTag: `scope:${scope}`,
      onlyDependOnLibsWithTags: withTestScope([`scope:${scope}`, 'scope:shared']),
    })),
    { sourceTag: 'scope:launcher', onlyDependOnLibsWithTags: withTestScope(['scope:launcher', 'scope:shared']) },
    { sourceTag: 'scope:testing', onlyDependOnLibsWithTags: ['scope:testing', 'scope:launcher', 'scope:shared'] },
    // … × type
    { sourceTag: 'type:service', onlyDependOnLibsWithTags: withTests(['type:feature', 'type:data-access', 'type:util']) },
    // The launcher starts the services as processes: it imports libs, never a service or the test harness.
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: withTests(['type:feature', 'type:data-access', 'type:util']) },
    { sourceTag: 'type:feature', onlyDependOnLibsWithTags: withTests(['type:feature', 'type:data-access', 'type:util']) },
    { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: withTests(['type:data-access', 'type:util']) },
    {
      sourceTag: 'type:util',
      onlyDependOnLibsWithTags: withTests(['type:util']),
      bannedExternalImports: tests ? [] : ['pg', '@nestjs/*', 'kafkajs', 'express', 'typeorm', 'jsonwebtoken', 'rxjs'],
    },
    {
      sourceTag: 'type:testing',
      onlyDependOnLibsWithTags: ['type:testing', 'type:infra', 'type:util', 'type:data-access', 'type:feature'],
    },
    {
      sourceTag: 'type:e2e',
      onlyDependOnLibsWithTags: ['type:app', 'type:testing', 'type:infra', 'type:util', 'type:data-access', 'type:feature'],
    },
    {
      sourceTag: 'type:bench',
      onlyDependOnLibsWithTags: ['type:app', 'type:testing', 'type:infra', 'type:util', 'type:data-access', 'type:feature'],
    },
    { sourceTag: 'type:infra', onlyDependOnLibsWithTags: ['type:infra'] },
  ];
}

const boundaries = (tests) => ['error', { allow: [], depConstraints: depConstraints({ tests }) }];

/** Spec files and test fixtures: the only files that may use the test harness. */
export const TEST_FILES = ['**/*.spec.ts', '**/src/testing/**/*.ts', '**/test/**/*.ts', 'bench/**/*.ts'];

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.arc/**', '**/coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(false),
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-floating-promises': 'off',
    },
  },
  {
    files: ['services/*/src/domain/**/*.ts'],
    ignores: ['services/*/src/domain/**/*.unit.spec.ts'],
    rules: pureOnly(PURE_IMPORTS),
  },
  {
    files: ['services/*/src/domain/**/*.unit.spec.ts'],
    rules: pureOnly(PURE_TEST_IMPORTS),
  },
  {
    files: TEST_FILES,
    rules: { '@nx/enforce-module-boundaries': boundaries(true) },
  },
  // Last: turns off the stylistic rules Prettier owns, so the two never disagree.
  prettier,
);
