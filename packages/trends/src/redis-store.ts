import { createHash, randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { bucketOf, bucketStart, BUCKET_MS, rangeLength, type BucketRange } from './bucket';
import { TREND_OPTION_KEYS, trendConfig, type TrendOptions } from './config';
import { TrendsError, TrendsOptionsError, TrendsQueryError, TrendsRedisError } from './errors';
import { normaliseMention } from './normalise';
import { checkKeys } from './options';
import { byCount, planQuery, rankEntries, type PlannedQuery } from './query';
import type { Mention, TrendEntry, TrendQuery, TrendResult, TrendStore } from './types';

/**
 * What the store needs of a Redis client: node-redis' `sendCommand` (a `createClient()` client
 * fits as it is). Replies are read as RESP2 replies (arrays of strings).
 */
export interface RedisCommandClient {
  sendCommand(args: string[]): Promise<unknown>;
}

export interface RedisTrendStoreOptions extends TrendOptions {
  /** A connected client; the store never closes it. Give this or `url`. */
  client?: RedisCommandClient;
  /** `redis://host:port`: the store opens its own connection and closes it in `close()`. */
  url?: string;
  /** Key prefix; keys are `<prefix>:<type>:<minute>` sorted sets and the `<prefix>:types` set. Default `twner:trends`. */
  prefix?: string;
  /** The clock used for key expiry, ms since the epoch. Default `Date.now`. */
  clock?: () => number;
}

/**
 * Space-saving increment of one minute's sorted set, atomically, for each member in ARGV[3..]:
 * ZINCRBY when the member is there or the set has fewer than ARGV[1] members, else replace the
 * lowest member (lowest score, then lowest member — what ZRANGE 0 0 returns) by the new one with
 * that score + 1. Then EXPIRE ARGV[2] seconds and SADD the type (ARGV[3] is the type) to KEYS[2].
 */
const RECORD_SCRIPT = `
local k = tonumber(ARGV[1])
for i = 4, #ARGV do
  local m = ARGV[i]
  if redis.call('ZSCORE', KEYS[1], m) or redis.call('ZCARD', KEYS[1]) < k then
    redis.call('ZINCRBY', KEYS[1], 1, m)
  else
    local low = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
    redis.call('ZREM', KEYS[1], low[1])
    redis.call('ZADD', KEYS[1], tonumber(low[2]) + 1, m)
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
return #ARGV - 3
`;
const RECORD_SHA = createHash('sha1').update(RECORD_SCRIPT).digest('hex');

const KEYS = [...TREND_OPTION_KEYS, 'client', 'url', 'prefix', 'clock'];

async function send(client: RedisCommandClient, args: string[]): Promise<unknown> {
  try {
    return await client.sendCommand(args);
  } catch (cause) {
    if (cause instanceof TrendsError) throw cause;
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new TrendsRedisError(args[0], `failed: ${message}`, { cause });
  }
}

/** Reads `[member, score, member, score, …]` (RESP2) or `[[member, score], …]` (RESP3) into pairs. */
function pairs(command: string, reply: unknown): [string, number][] {
  if (!Array.isArray(reply)) throw new TrendsRedisError(command, `replied ${JSON.stringify(reply)}, expected an array`);
  const out: [string, number][] = [];
  if (reply.length > 0 && Array.isArray(reply[0])) {
    for (const [m, s] of reply as [unknown, unknown][]) out.push([String(m), Number(s)]);
  } else {
    for (let i = 0; i + 1 < reply.length; i += 2) out.push([String(reply[i]), Number(reply[i + 1])]);
  }
  return out;
}

/**
 * Keeps counts in Redis so that any number of workers record and any number of servers read:
 * one sorted set per type and minute (`<prefix>:<type>:<minute>`, entity → count), each trimmed
 * to `topK` members by the same space-saving rule as the memory store (a Lua script, atomic),
 * expiring `retention` seconds after its minute ends. Queries `ZUNIONSTORE` the window's minutes
 * (and the baseline's) into short-lived temporary keys and read the top of them.
 */
export function redisTrendStore(options: RedisTrendStoreOptions): TrendStore {
  checkKeys('redisTrendStore', options, KEYS);
  const config = trendConfig('redisTrendStore', options);
  if ((options.client === undefined) === (options.url === undefined)) {
    throw new TrendsOptionsError('redisTrendStore', options.client ? 'url' : 'client', 'give exactly one of `client` (a connected node-redis client) or `url` (redis://host:port)');
  }
  const prefix = options.prefix ?? 'twner:trends';
  if (typeof prefix !== 'string' || prefix === '') throw new TrendsOptionsError('redisTrendStore', 'prefix', `must be a non-empty string, got ${JSON.stringify(prefix)}`);
  const clock = options.clock ?? Date.now;
  const typesKey = `${prefix}:types`;
  const keyOf = (type: string, bucket: number): string => `${prefix}:${type}:${bucket}`;

  let own: ReturnType<typeof createClient> | undefined;
  let connecting: Promise<RedisCommandClient> | undefined;
  function client(): Promise<RedisCommandClient> {
    if (options.client) return Promise.resolve(options.client);
    connecting ??= (async () => {
      let connected = false;
      const fresh = createClient({
        url: options.url,
        // The first connection fails at once (with the fix in the message); a lost one is retried with backoff.
        // A new Error: node-redis tests `instanceof Error`, which a socket error from another realm (jest) fails.
        socket: { reconnectStrategy: (retries: number, cause: Error) => (connected ? Math.min(50 * 2 ** retries, 2000) : new Error(cause.message)) },
      });
      fresh.on('error', () => undefined); // reported by the failing command instead
      try {
        await fresh.connect();
        connected = true;
        own = fresh;
      } catch (cause) {
        connecting = undefined; // the next call tries again
        throw new TrendsRedisError('CONNECT', `to ${options.url} failed: ${cause instanceof Error ? cause.message : String(cause)}; start redis-server or fix \`url\``, { cause });
      }
      return fresh as unknown as RedisCommandClient;
    })();
    return connecting;
  }

  async function runRecord(c: RedisCommandClient, keys: string[], args: string[]): Promise<void> {
    try {
      await c.sendCommand(['EVALSHA', RECORD_SHA, '2', ...keys, ...args]);
    } catch (error) {
      if (!(error instanceof Error) || !/NOSCRIPT/.test(error.message)) {
        throw new TrendsRedisError('EVALSHA', `failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      await send(c, ['EVAL', RECORD_SCRIPT, '2', ...keys, ...args]);
    }
  }

  async function union(c: RedisCommandClient, type: string, range: BucketRange): Promise<string | undefined> {
    if (rangeLength(range) === 0) return undefined;
    const keys: string[] = [];
    for (let b = range.first; b <= range.last; b += 1) keys.push(keyOf(type, b));
    const tmp = `${prefix}:tmp:${randomUUID()}`;
    await send(c, ['ZUNIONSTORE', tmp, String(keys.length), ...keys]);
    await send(c, ['EXPIRE', tmp, '30']);
    return tmp;
  }

  /** One type's list: the window's (and baseline's) minutes merged in Redis, read, ranked here. */
  async function queryType(c: RedisCommandClient, plan: PlannedQuery, type: string): Promise<TrendEntry[]> {
    const win = await union(c, type, plan.windowRange);
    const base = await union(c, type, plan.baselineRange);
    try {
      let counts: [string, number][] = [];
      if (win !== undefined) {
        if (plan.view === 'top') {
          // Everything tied with the limit-th count, so that ties are broken by name as in memory.
          const head = pairs('ZRANGE', await send(c, ['ZRANGE', win, String(plan.limit - 1), String(plan.limit - 1), 'REV', 'WITHSCORES']));
          const floor = head.length > 0 ? head[0][1] : 1;
          counts = pairs('ZRANGE', await send(c, ['ZRANGE', win, '+inf', String(floor), 'BYSCORE', 'REV', 'WITHSCORES']));
          counts = counts.map(([entity, count]) => ({ entity, count, score: 0 })).sort(byCount).slice(0, plan.limit).map((e) => [e.entity, e.count]);
        } else {
          counts = pairs('ZRANGE', await send(c, ['ZRANGE', win, String(config.minCount), '+inf', 'BYSCORE', 'WITHSCORES']));
        }
      }
      const baselineOf = new Map<string, number>();
      if (base !== undefined && counts.length > 0) {
        const members = counts.map(([m]) => m);
        const reply = await send(c, ['ZMSCORE', base, ...members]);
        if (!Array.isArray(reply)) throw new TrendsRedisError('ZMSCORE', `replied ${JSON.stringify(reply)}, expected an array`);
        members.forEach((m, i) => baselineOf.set(m, reply[i] === null || reply[i] === undefined ? 0 : Number(reply[i])));
      }
      return rankEntries(plan, config, counts, (entities) => entities.map((e) => baselineOf.get(e) ?? 0));
    } finally {
      const tmp = [win, base].filter((k): k is string => k !== undefined);
      if (tmp.length > 0) await send(c, ['DEL', ...tmp]);
    }
  }

  return {
    async record(mentions: readonly Mention[], at: number): Promise<void> {
      if (!Number.isFinite(at)) throw new TrendsQueryError('at', `of record() must be milliseconds since the epoch, got ${at}`);
      const bucket = bucketOf(at);
      // Expiry relative to `clock` (not EXPIREAT) so that the store's clock, not Redis', decides.
      const ttl = Math.ceil((bucketStart(bucket) + BUCKET_MS - clock()) / 1000) + config.retention;
      if (ttl <= 0) return; // older than retention: it would expire at once
      const byType = new Map<string, string[]>();
      for (const { type, text } of mentions) {
        const entity = normaliseMention(text);
        if (entity === '') continue;
        const list = byType.get(type);
        if (list) list.push(entity);
        else byType.set(type, [entity]);
      }
      if (byType.size === 0) return;
      const c = await client();
      // Concurrent calls: node-redis pipelines them on the one connection.
      await Promise.all(
        [...byType].map(([type, entities]) => runRecord(c, [keyOf(type, bucket), typesKey], [String(config.topK), String(ttl), type, ...entities])),
      );
    },

    async query(q: TrendQuery): Promise<TrendResult> {
      const plan = planQuery(q, config);
      const c = await client();
      let typeList = plan.types;
      if (!typeList) {
        const members = await send(c, ['SMEMBERS', typesKey]);
        if (!Array.isArray(members)) throw new TrendsRedisError('SMEMBERS', `replied ${JSON.stringify(members)}, expected an array`);
        typeList = members.map(String).sort();
      }
      const lists = await Promise.all(typeList.map((type) => queryType(c, plan, type)));
      const types: TrendResult['types'] = {};
      typeList.forEach((type, i) => {
        types[type] = lists[i];
      });
      return { window: plan.window, generatedAt: new Date(plan.now).toISOString(), types };
    },

    async close(): Promise<void> {
      if (own) {
        const c = own;
        own = undefined;
        connecting = undefined;
        await c.close();
      }
    },
  };
}
