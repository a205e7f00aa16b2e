const { unit } = require('../../jest.preset');

// Pure: unit tests only (the command cycle against a real store is tested in @arc/platform).
module.exports = { projects: [{ ...unit, rootDir: __dirname }] };
