/** Runs every package's tests together: `pnpm test`. */
module.exports = {
  projects: ['<rootDir>/packages/*/jest.config.cjs', '<rootDir>/examples/jest.config.cjs'],
};
