const base = require('../../jest.base.cjs')(__dirname);

// light-my-request (fastify's inject) requires `cookie`, which ships as ESM only: let swc turn it into CJS.
module.exports = {
  ...base,
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/cookie@[^/]+/node_modules/)?cookie/)'],
};
