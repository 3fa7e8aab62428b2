const base = require('../../jest.base.cjs')(__dirname);

// The subpath entry resolves to its source too (the README examples import it).
module.exports = {
  ...base,
  moduleNameMapper: { '^@twner/crf/decoder$': '<rootDir>/src/decoder-entry.ts', ...base.moduleNameMapper },
};
