const { unit } = require('../../jest.preset');

// No infrastructure: ESLint runs on in-memory files.
module.exports = { projects: [{ ...unit, rootDir: __dirname }] };
