import { availableParallelism, hostname } from 'node:os';
import { Option, type Command } from 'commander';
import type { PrecisionName } from '../load-tagger';
import { EXIT_USAGE, TaggerError } from '@twner/tagger';
import { membersOption, numberOption, precisionOption, runAction } from './common';

interface ServeOptions {
  model?: string;
  port: number;
  host: string;
  lexiconDir?: string;
  threads: '1' | '2';
  pool?: number;
  precision?: PrecisionName;
  members?: number;
  maxBatch?: number;
  maxWaitMs: number;
  maxQueue: number;
  redis?: string;
  trendsPrefix: string;
}

interface WorkerCliOptions {
  model?: string;
  redis: string;
  stream: string;
  group: string;
  output: string;
  consumer?: string;
  batch: number;
  claimIdleMs: number;
  deadLetter?: string;
  lexiconDir?: string;
  threads: '1' | '2';
  precision?: PrecisionName;
  members?: number;
  trends: boolean;
  trendsPrefix: string;
}

/** The options of `loadTagger` and `loadTaggerPool` that the service and the workers take from the command line. */
function modelOptions(opts: { lexiconDir?: string; precision?: PrecisionName; members?: number }) {
  return {
    ...(opts.precision ? { precision: opts.precision } : {}),
    ...(opts.members !== undefined ? { members: opts.members } : {}),
    ...(opts.lexiconDir ? { lexiconDir: opts.lexiconDir } : {}),
  };
}

/** The tagger for the service and the workers: the serving engine, no tfjs. */
async function engineOf(opts: { model?: string; lexiconDir?: string; threads: '1' | '2'; precision?: PrecisionName; members?: number }) {
  const { loadTagger } = await import('@twner/tagger');
  const tagger = await loadTagger(opts.model, { threads: opts.threads === '2' ? 2 : 1, ...modelOptions(opts) });
  process.stderr.write(`Model: ${tagger.source} — engine: ${tagger.engine.description}\n`);
  return { tagBatch: (texts: readonly string[]) => tagger.tagBatch(texts), close: () => tagger.dispose() };
}

/**
 * The service's engine with `--pool n`: n worker threads, each a whole tagger on one engine
 * thread, so that this thread only serves HTTP and n batches run at once.
 */
async function poolEngineOf(opts: ServeOptions & { pool: number }) {
  if (opts.threads !== '1') throw new TaggerError('--pool and --threads 2 do not go together: each pool thread tags on one engine thread', EXIT_USAGE);
  const { loadTaggerPool } = await import('@twner/tagger');
  const pool = await loadTaggerPool(opts.model, { threads: opts.pool, ...modelOptions(opts) });
  process.stderr.write(`Model: ${pool.source} — engine: ${pool.description}\n`);
  return { tagBatch: (texts: readonly string[]) => pool.tagBatch(texts), concurrency: pool.threads, close: () => pool.dispose() };
}

/**
 * serve's engine without `--pool`: a pool of two tagger threads where the machine has two cores
 * or more (this thread then only serves HTTP; in the stream bench it held a lower p99 than the
 * 2-thread engine at the same tweets/s), else none; none either when `--threads` was given.
 */
function defaultPool(threadsGiven: boolean): number | undefined {
  return !threadsGiven && availableParallelism() >= 2 ? 2 : undefined;
}

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('Tag tweets over HTTP: POST /v1/tag {"texts": [...]}, GET /v1/trends, GET / (the live dashboard), /healthz, /metrics')
    .option('--model <dir|package>', 'run folder or model package (default: @twner/model-wnut16)')
    .option('--port <n>', 'port', numberOption('--port', true, 0, 65535), 8080)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--lexicon-dir <dir>', 'gazetteer folder (else $TWNER_LEXICON_DIR, ../shared/data/wnut16-lexicon, cache, download)')
    .addOption(new Option('--threads <n>', 'tag on this thread\'s serving engine, of n threads, instead of a pool').choices(['1', '2']).default('1'))
    .option('--pool <n>', 'tag in a pool of n worker threads, each a whole tagger (about 250 MB each): this thread then only serves HTTP, and n batches run at once (default: 2 on a machine of 2 cores or more, unless --threads is given)', numberOption('--pool', true, 1, 64))
    .addOption(precisionOption())
    .addOption(membersOption())
    .option('--max-batch <n>', 'most texts tagged in one engine call (default: 256, or 32 with a pool, so that a backlog is spread over its threads)', numberOption('--max-batch', true, 1))
    .option('--max-wait-ms <ms>', 'longest a request waits for others to fill a batch', numberOption('--max-wait-ms', false, 0), 5)
    .option('--max-queue <n>', 'texts waiting at most; beyond, requests get 503', numberOption('--max-queue', true, 1), 20000)
    .option('--redis <url>', 'read trends from Redis (what the workers count), instead of counting in memory what this server tags')
    .option('--trends-prefix <prefix>', 'Redis key prefix of the trend counts', 'twner:trends')
    .action(
      runAction(async (opts: ServeOptions, command: Command) => {
        const [{ startServer, dashboardHtml }, trends] = await Promise.all([import('@twner/stream'), import('@twner/trends')]);
        if (opts.redis !== undefined && !/^rediss?:\/\/[^/]/.test(opts.redis)) throw new TaggerError(`--redis must look like redis://127.0.0.1:6379, received ${JSON.stringify(opts.redis)}`, EXIT_USAGE);
        const store = opts.redis ? trends.redisTrendStore({ url: opts.redis, prefix: opts.trendsPrefix }) : trends.memoryTrendStore();
        if (opts.redis !== undefined) {
          // Reach Redis once before loading the model, so that a wrong --redis stops the start (exit 2) instead of failing every /v1/trends.
          await store.query({ window: 60, view: 'top', limit: 1 }).catch((error: unknown) => {
            throw new TaggerError(`--redis ${opts.redis}: cannot read the trend counts (${(error as Error).message})`, EXIT_USAGE, { cause: error });
          });
        }
        const pool = opts.pool ?? defaultPool(command.getOptionValueSource('threads') !== 'default');
        const engine = pool !== undefined ? await poolEngineOf({ ...opts, pool }) : await engineOf(opts);
        const server = await startServer({
          engine,
          port: opts.port,
          host: opts.host,
          ...(opts.maxBatch !== undefined ? { maxBatch: opts.maxBatch } : {}),
          maxWaitMs: opts.maxWaitMs,
          maxQueue: opts.maxQueue,
          trends: store,
          dashboardHtml: () => dashboardHtml(),
        }).catch(async (error: unknown) => {
          const code = (error as NodeJS.ErrnoException).code;
          if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL' && code !== 'ENOTFOUND' && code !== 'EAI_AGAIN') throw error;
          await engine.close();
          const why = code === 'EADDRINUSE' ? 'the port is in use' : code === 'EACCES' ? 'no permission for that port' : 'no such address on this machine';
          throw new TaggerError(`cannot listen on --host ${opts.host} --port ${opts.port}: ${why} (${(error as Error).message})`, EXIT_USAGE, { cause: error });
        });
        process.stderr.write(`twner serve: listening on ${server.url} (dashboard at ${server.url}/)\n`);
      }),
    );

  program
    .command('worker')
    .description('Tag a Redis stream with a consumer group: reads entries with a "text" field, writes {id, entities} to --output, then acks')
    .requiredOption('--redis <url>', 'Redis URL, e.g. redis://127.0.0.1:6379')
    .option('--stream <key>', 'input stream', 'tweets')
    .option('--group <name>', 'consumer group (created if missing)', 'twner')
    .option('--output <key>', 'output stream', 'tweets:entities')
    .option('--consumer <name>', 'this worker\'s name in the group (default: host-pid)')
    .option('--model <dir|package>', 'run folder or model package (default: @twner/model-wnut16)')
    .option('--batch <n>', 'entries read and tagged at once', numberOption('--batch', true, 1), 256)
    .option('--claim-idle-ms <ms>', 'reclaim entries another consumer left pending this long (XAUTOCLAIM)', numberOption('--claim-idle-ms', true, 1), 30000)
    .option('--dead-letter <key>', 'stream for entries that cannot be tagged, with the reason', 'tweets:dead')
    .option('--lexicon-dir <dir>', 'gazetteer folder')
    .addOption(new Option('--threads <n>', 'threads of the serving engine').choices(['1', '2']).default('1'))
    .addOption(precisionOption())
    .addOption(membersOption())
    .option('--no-trends', 'do not count entity mentions in Redis for `twner serve --redis`')
    .option('--trends-prefix <prefix>', 'Redis key prefix of the trend counts', 'twner:trends')
    .action(
      runAction(async (opts: WorkerCliOptions) => {
        const [{ runWorker, redisStreamsTransport }, trends] = await Promise.all([import('@twner/stream'), import('@twner/trends')]);
        for (const [flag, value] of [['--stream', opts.stream], ['--group', opts.group], ['--output', opts.output], ['--dead-letter', opts.deadLetter], ['--consumer', opts.consumer]] as const) {
          if (value !== undefined && value.trim() === '') throw new TaggerError(`${flag} must name a Redis key or group, received an empty string`, EXIT_USAGE);
        }
        const engine = await engineOf(opts);
        const consumer = opts.consumer ?? `${hostname()}-${process.pid}`;
        const transport = redisStreamsTransport({
          url: opts.redis, stream: opts.stream, group: opts.group, consumer, output: opts.output, deadLetter: opts.deadLetter,
          onError: (e) => process.stderr.write(`twner worker: ${e.message}\n`),
        });
        const controller = new AbortController();
        for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => controller.abort());
        process.stderr.write(`twner worker ${consumer}: ${opts.stream} → ${opts.output} (group ${opts.group})\n`);
        const store = opts.trends ? trends.redisTrendStore({ url: opts.redis, prefix: opts.trendsPrefix }) : undefined;
        const stats = await runWorker({
          transport,
          engine,
          batch: opts.batch,
          claimIdleMs: opts.claimIdleMs,
          signal: controller.signal,
          ...(store ? { trends: store } : {}),
          onError: (e) => process.stderr.write(`twner worker: ${e instanceof Error ? e.message : String(e)}\n`),
        });
        process.stderr.write(`twner worker ${consumer}: stopped (${JSON.stringify(stats)})\n`);
        // The trend store's own Redis connection would keep the process alive after the stop, and
        // with Redis down its close would wait for a reconnection: give it 2 s, then exit anyway
        // (every batch is committed or left pending by now).
        if (store) await Promise.race([store.close().catch(() => undefined), new Promise((r) => setTimeout(r, 2000).unref())]);
        await engine.close();
        process.exit(0);
      }),
    );
}
