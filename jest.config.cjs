/** Runs every package's tests together: `pnpm test`. */
module.exports = {
  projects: ['<rootDir>/packages/*/jest.config.cjs', '<rootDir>/examples/jest.config.cjs'],
  // Global options are not taken from the projects' configs: the time limit must be set here too.
  testTimeout: 120000,
};
