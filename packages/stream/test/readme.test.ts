import path from 'node:path';
import { readmeExamples } from '../../../test-utils/readme';
import { RedisServer, redisServerAvailable } from './redis-server';

describe('README', () => {
  let redis: RedisServer | undefined;
  beforeAll(async () => {
    if (!redisServerAvailable()) return;
    redis = await RedisServer.start();
    process.env.TWNER_REDIS_URL = redis.url;
  });
  afterAll(async () => {
    delete process.env.TWNER_REDIS_URL;
    await redis?.stop();
  });
  for (const ex of readmeExamples(path.join(__dirname, '../README.md'))) {
    const needsRedis = ex.code.includes('redisStreamsTransport');
    if (needsRedis && !redisServerAvailable()) {
      if (process.env.CI) {
        it(ex.title, () => {
          throw new Error('@twner/stream: redis-server not found (CI is set); install redis-server or set TWNER_REDIS_SERVER');
        });
      } else {
        console.warn(`@twner/stream: SKIPPING ${ex.title}: redis-server not found`);
        it.skip(ex.title, () => ex.run());
      }
    } else it(ex.title, () => ex.run());
  }
});
