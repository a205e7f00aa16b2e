// Only the integration project: every suite here runs the platform's processes on the real servers.
const { integration } = require('../jest.preset');

module.exports = {
  ...integration,
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.e2e.spec.ts'],
  setupFilesAfterEnv: [...integration.setupFilesAfterEnv, '<rootDir>/test/horizon-watch.ts'],
};
