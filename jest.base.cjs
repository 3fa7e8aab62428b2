// Shared jest settings: TypeScript through @swc/jest, workspace packages mapped to their sources
// so that tests never depend on a stale build.
const path = require('node:path');

module.exports = function jestConfig(dir) {
  return {
    displayName: path.basename(dir),
    rootDir: dir,
    testEnvironment: 'node',
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    testPathIgnorePatterns: ['/node_modules/', '\\.slow\\.test\\.ts$'],
    transform: {
      '^.+\\.(t|j)sx?$': [
        '@swc/jest',
        {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
          module: { type: 'commonjs' },
        },
      ],
    },
    moduleNameMapper: {
      '^@twner/embeddings-glove/normalise$': path.join(__dirname, 'packages/embeddings-glove/src/normalise.ts'),
      '^@twner/crf/decoder$': path.join(__dirname, 'packages/crf/src/decoder-entry.ts'),
      '^@twner/kernels/inference$': path.join(__dirname, 'packages/kernels/src/inference.ts'),
      '^@twner/tagger/train$': path.join(__dirname, 'packages/tagger/src/train.ts'),
      '^@twner/([a-z0-9-]+)$': path.join(
        __dirname,
        'packages/$1/src/index.ts',
      ),
    },
    testTimeout: 120000,
  };
};
