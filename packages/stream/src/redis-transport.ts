import * as buffer from 'node:buffer';
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import { createClient, RESP_TYPES } from 'redis';
import { setField } from './entry';
import { StreamError, TransportError } from './errors';
import { checkKeys, intOption, required } from './options';
import type { OutgoingEntry, StreamEntry, StreamTransport } from './transport';

export interface RedisStreamsOptions {
  /** `redis://host:port[/db]`. */
  url: string;
  /** Input stream key, e.g. `tweets`. */
  stream: string;
  /** Consumer group name, e.g. `twner`. */
  group: string;
  /** This consumer's name in the group; unique per running worker (default `<hostname>-<pid>`). */
  consumer?: string;
  /** Output stream key, e.g. `tweets:entities`. */
  output: string;
  /** Dead-letter stream key (default `<stream>:dead`). */
  deadLetter?: string;
  /** Approximate cap on the output stream's length (`XADD MAXLEN ~`); default: no cap. */
  outputMaxLen?: number;
  /** Longest pause between reconnection attempts, ms (default 2000). */
  maxReconnectDelayMs?: number;
  /** Called with connection errors (the client reconnects by itself); default: ignore. */
  onError?: (err: Error) => void;
}

type Raw = Buffer | null | Raw[];
const BUFFERS = { [RESP_TYPES.BLOB_STRING]: Buffer, [RESP_TYPES.SIMPLE_STRING]: Buffer } as const;

function str(x: Raw): string {
  if (!Buffer.isBuffer(x)) throw new TransportError(`unexpected Redis reply: expected a string, got ${JSON.stringify(x)}`);
  return x.toString('latin1');
}

/** `[[id, [k, v, k, v…]] | [id, null], …]` → entries; deleted entries (null fields) come back with `deleted`. */
function parseEntries(list: Raw): { entries: StreamEntry[]; deleted: string[] } {
  const entries: StreamEntry[] = [];
  const deleted: string[] = [];
  if (!Array.isArray(list)) return { entries, deleted };
  for (const item of list) {
    if (!Array.isArray(item)) continue; // XAUTOCLAIM may answer nil for an entry deleted meanwhile
    const id = str(item[0]);
    const flat = item[1];
    if (!Array.isArray(flat)) {
      deleted.push(id);
      continue;
    }
    const fields: Record<string, Uint8Array> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) setField(fields, (flat[i] as Buffer).toString('utf8'), flat[i + 1] as Buffer);
    entries.push({ id, fields });
  }
  return { entries, deleted };
}

/** XREADGROUP's reply `[[stream, entries]]` (or nil) → entries of our one stream. */
function parseRead(reply: Raw): { entries: StreamEntry[]; deleted: string[] } {
  if (!Array.isArray(reply) || reply.length === 0) return { entries: [], deleted: [] };
  const first = reply[0];
  return parseEntries(Array.isArray(first) ? first[1] : null);
}

/**
 * One batch in one atomic script: the output XADDs, the dead-letter XADDs, then the XACK.
 * ARGV: group, maxlen ('' for none), n outputs, then per output its field count and fields,
 * n dead letters likewise, then the ids to acknowledge.
 */
const COMMIT_SCRIPT = `
local group, maxlen = ARGV[1], ARGV[2]
local i = 3
local function add(key, capped)
  local n = tonumber(ARGV[i]); i = i + 1
  for _ = 1, n do
    local nf = tonumber(ARGV[i]); i = i + 1
    local args = {}
    for f = 1, 2 * nf do args[f] = ARGV[i + f - 1] end
    i = i + 2 * nf
    if capped and maxlen ~= '' then
      redis.call('XADD', key, 'MAXLEN', '~', maxlen, '*', unpack(args))
    else
      redis.call('XADD', key, '*', unpack(args))
    end
  end
end
add(KEYS[1], true)
add(KEYS[2], false)
local acks = {}
for j = i, #ARGV do
  acks[#acks + 1] = ARGV[j]
  if #acks == 1000 then redis.call('XACK', KEYS[3], group, unpack(acks)); acks = {} end
end
if #acks > 0 then redis.call('XACK', KEYS[3], group, unpack(acks)) end
return 0
`;

const COMMIT_SHA = createHash('sha1').update(COMMIT_SCRIPT).digest('hex');

const isUtf8: ((input: Uint8Array) => boolean) | undefined = (buffer as { isUtf8?: (input: Uint8Array) => boolean }).isUtf8;

/**
 * An entry's fields as command arguments. Byte values that are valid UTF-8 go as strings: the
 * client writes a command's string arguments as one chunk but each Buffer as a chunk of its own,
 * and a batch's thousands of small socket writes cost more than the decoding. Other bytes stay
 * Buffers, so they reach Redis unchanged.
 */
function flatten(fields: Record<string, string | Uint8Array>, out: (string | Buffer)[]): void {
  for (const k of Object.keys(fields)) {
    const v = fields[k];
    if (typeof v === 'string') out.push(k, v);
    else {
      const b = Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);
      out.push(k, isUtf8?.(b) ? b.toString('utf8') : b);
    }
  }
}

/**
 * A `StreamTransport` on a Redis Streams consumer group (Redis ≥ 6.2): `XGROUP CREATE … MKSTREAM`,
 * `XREADGROUP` (`0` for this consumer's own pending entries, `>` for new ones), `XAUTOCLAIM`,
 * and one Lua script per batch that runs the output `XADD`s, the dead-letter `XADD`s and the `XACK`
 * atomically (in Redis Cluster, give the three keys one hash tag, e.g. `{tweets}`, `{tweets}:entities`).
 * The client reconnects by itself with exponential backoff; commands in flight when Redis goes
 * away fail, and the worker retries them.
 */
export function redisStreamsTransport(options: RedisStreamsOptions): StreamTransport {
  const fn = 'redisStreamsTransport';
  checkKeys(fn, options, ['url', 'stream', 'group', 'consumer', 'output', 'deadLetter', 'outputMaxLen', 'maxReconnectDelayMs', 'onError']);
  const url = required(fn, 'url', options.url);
  const stream = required(fn, 'stream', options.stream);
  const group = required(fn, 'group', options.group);
  const output = required(fn, 'output', options.output);
  const consumer = options.consumer ?? `${os.hostname()}-${process.pid}`;
  const deadLetter = options.deadLetter ?? `${stream}:dead`;
  const maxDelay = intOption(fn, 'maxReconnectDelayMs', options.maxReconnectDelayMs, 2000);
  const outputMaxLen = options.outputMaxLen === undefined ? undefined : intOption(fn, 'outputMaxLen', options.outputMaxLen, 0);
  if (!/^rediss?:\/\//.test(url)) throw new StreamError('ERR_STREAM_OPTIONS', `${fn}: option \`url\` must look like redis://127.0.0.1:6379, got "${url}"`);

  const client = createClient({
    url,
    socket: {
      reconnectStrategy: (retries: number) => Math.min(maxDelay, 50 * 2 ** Math.min(retries, 10)) + Math.floor(Math.random() * 50),
      connectTimeout: 5000,
    },
  });
  client.on('error', (err: Error) => options.onError?.(err));
  let claimCursor = '0-0';

  const send = (args: (string | Buffer)[]): Promise<Raw> => client.sendCommand(args, { typeMapping: BUFFERS }) as Promise<Raw>;
  /** Acks ids of entries deleted from the stream while pending: nothing is left to tag. */
  const ackDeleted = async (deleted: string[]): Promise<void> => {
    if (deleted.length > 0) await send(['XACK', stream, group, ...deleted]);
  };
  const entryArgs = (entries: readonly OutgoingEntry[], out: (string | Buffer)[]): void => {
    out.push(String(entries.length));
    for (const e of entries) {
      out.push(String(Object.keys(e.fields).length));
      flatten(e.fields, out);
    }
  };

  return {
    async open() {
      if (!client.isOpen) await client.connect();
      try {
        await send(['XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM']);
      } catch (err) {
        if (!String((err as Error).message).includes('BUSYGROUP')) throw err;
      }
    },
    async pending(count) {
      const { entries, deleted } = parseRead(await send(['XREADGROUP', 'GROUP', group, consumer, 'COUNT', String(count), 'STREAMS', stream, '0']));
      await ackDeleted(deleted);
      return entries;
    },
    async claim(idleMs, count) {
      const reply = await send(['XAUTOCLAIM', stream, group, consumer, String(idleMs), claimCursor, 'COUNT', String(count)]);
      if (!Array.isArray(reply)) return [];
      claimCursor = str(reply[0]);
      return parseEntries(reply[1]).entries;
    },
    async read(count, blockMs) {
      const { entries } = parseRead(
        await send(['XREADGROUP', 'GROUP', group, consumer, 'COUNT', String(count), ...(blockMs > 0 ? ['BLOCK', String(blockMs)] : []), 'STREAMS', stream, '>']),
      );
      return entries;
    },
    async commit(outputs, deadLetters, ackIds) {
      // A script runs atomically: either the whole batch is written and acknowledged, or none of it.
      const args: (string | Buffer)[] = ['EVALSHA', COMMIT_SHA, '3', output, deadLetter, stream, group, outputMaxLen === undefined ? '' : String(outputMaxLen)];
      entryArgs(outputs, args);
      entryArgs(deadLetters, args);
      for (const id of ackIds) args.push(id);
      try {
        await send(args);
      } catch (err) {
        // Not in this Redis' script cache (first batch, or Redis restarted): nothing ran, send the text.
        if (!String((err as Error).message).startsWith('NOSCRIPT')) throw err;
        args[0] = 'EVAL';
        args[1] = COMMIT_SCRIPT;
        await send(args);
      }
    },
    async close() {
      if (!client.isOpen) return;
      // A client still reconnecting would wait for Redis forever: drop it instead.
      if (client.isReady) await client.close();
      else client.destroy();
    },
  };
}

export type { OutgoingEntry };
