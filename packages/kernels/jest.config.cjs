const base = require('../../jest.base.cjs')(__dirname);

// The subpath entry resolves to its source too (the README examples import it).
module.exports = {
  ...base,
  moduleNameMapper: { '^@twner/kernels/inference$': '<rootDir>/src/inference.ts', ...base.moduleNameMapper },
};
