// Shared Jest settings. Each project's jest.config.js spreads `unit` and `integration` into two
// Jest projects, so the infrastructure harness starts only when an integration suite is selected.
const transform = {
  '^.+\\.ts$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        // NestJS dependency injection reads constructor parameter types from decorator metadata.
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};

const common = {
  testEnvironment: 'node',
  transform,
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Workspace packages export their TypeScript sources under the `arc-source` condition.
  testEnvironmentOptions: { customExportConditions: ['arc-source', 'node', 'require', 'default'] },
};

module.exports = {
  unit: { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.unit.spec.ts'] },
  integration: {
    ...common,
    displayName: 'integration',
    testMatch: ['<rootDir>/src/**/*.int.spec.ts', '<rootDir>/test/**/*.int.spec.ts', '<rootDir>/test/**/*.e2e.spec.ts'],
    globalSetup: require.resolve('./libs/testing/src/jest/global-setup.js'),
    globalTeardown: require.resolve('./libs/testing/src/jest/global-teardown.js'),
    setupFilesAfterEnv: [require.resolve('./libs/testing/src/jest/integration-setup.js')],
  },
};
