const { unit, integration } = require('../../jest.preset');

module.exports = {
  projects: [
    { ...unit, rootDir: __dirname },
    { ...integration, rootDir: __dirname },
  ],
};
