import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { MicroBatcher } from './batcher';
import type { Entity, TagEngine, TrendQuery, TrendSink } from './engine';
import { QueueFullError, StreamError } from './errors';
import { Counter, Gauge, Histogram, Registry } from './metrics';
import { checkKeys, intOption, required } from './options';

export interface ServerOptions {
  engine: TagEngine;
  /**
   * Most texts per engine call (default {@link DEFAULT_MAX_BATCH}, or {@link POOL_MAX_BATCH} for
   * an engine that runs calls side by side, `concurrency` > 1).
   */
  maxBatch?: number;
  /** Longest a request waits for others to join its batch while the engine is idle, ms (default 2). */
  maxWaitMs?: number;
  /** Most texts waiting for the engine; beyond it requests get 503 (default 8192). */
  maxQueue?: number;
  /** Most texts in one request (default 1000). */
  maxTexts?: number;
  /** Longest text, in characters (code points), default 2000. */
  maxTextLength?: number;
  /** Largest request body in bytes (default 1 MiB). */
  bodyLimit?: number;
  /** Where tagged mentions are recorded; also serves `GET /v1/trends`. */
  trends?: TrendSink;
  /** When given, `GET /` answers its result as text/html. */
  dashboardHtml?: () => string;
  /** Fastify's request logging (default false). */
  logger?: boolean;
}

/** `maxBatch` of an engine that runs one call at a time. */
export const DEFAULT_MAX_BATCH = 256;
/**
 * `maxBatch` of an engine that runs calls side by side (a pool of tagger threads): with smaller
 * batches a backlog is spread over every thread instead of landing on whichever is free first.
 * Measured on 2 cores with a pool of two (the stream README): p99 at a steady 5,000 tweets/s
 * 29.5–38.9 ms, against 33.8–62.0 with 64 and 39.9–75.7 with 256; the most tweets/s under 128
 * connections about 8% below 64's and 256's.
 */
export const POOL_MAX_BATCH = 32;

const SERVER_KEYS = ['engine', 'maxBatch', 'maxWaitMs', 'maxQueue', 'maxTexts', 'maxTextLength', 'bodyLimit', 'trends', 'dashboardHtml', 'logger'];

/** Latency buckets in seconds, 1 ms … 5 s. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const BATCH_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048];
const TREND_TYPES = /^[A-Za-z][A-Za-z0-9_-]*$/;

function badRequest(message: string): StreamError & { statusCode: number } {
  return Object.assign(new StreamError('ERR_BAD_REQUEST', message), { statusCode: 400 });
}

/** Parses and checks `GET /v1/trends` query parameters; throws a 400 error naming the parameter. */
export function parseTrendQuery(query: Record<string, string | string[] | undefined>): TrendQuery {
  const known = ['window', 'type', 'view', 'limit'];
  for (const key of Object.keys(query)) {
    if (!known.includes(key)) throw badRequest(`unknown query parameter \`${key}\`; the parameters are ${known.join(', ')}`);
  }
  const one = (name: string): string | undefined => {
    const v = query[name];
    if (Array.isArray(v)) throw badRequest(`query parameter \`${name}\` is given ${v.length} times; give it once`);
    return v;
  };
  const int = (name: string, fallback: number, max: number): number => {
    const raw = one(name);
    if (raw === undefined) return fallback;
    if (!/^[0-9]+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) {
      throw badRequest(`query parameter \`${name}\` must be an integer from 1 to ${max}, got "${raw}"`);
    }
    return Number(raw);
  };
  const window = int('window', 300, 7 * 24 * 3600);
  const limit = int('limit', 20, 1000);
  const view = one('view') ?? 'top';
  if (view !== 'top' && view !== 'rising') throw badRequest(`query parameter \`view\` must be "top" or "rising", got "${view}"`);
  const rawTypes = query.type;
  const types = rawTypes === undefined ? undefined : (Array.isArray(rawTypes) ? rawTypes : [rawTypes]).flatMap((t) => t.split(','));
  for (const t of types ?? []) {
    if (!TREND_TYPES.test(t)) throw badRequest(`query parameter \`type\` must be entity type names like "person", got "${t}"`);
  }
  return types === undefined ? { window, view, limit } : { window, types, view, limit };
}

/**
 * The HTTP tagging service as a fastify instance (not listening yet: call `listen`, or use
 * `inject` in tests). Routes: `POST /v1/tag`, `GET /healthz`, `GET /metrics`, and with the
 * matching options `GET /v1/trends` and `GET /`. `close()` stops accepting connections, lets
 * in-flight requests finish and drains the batch queue; it does not close the engine.
 */
export function createServer(options: ServerOptions): FastifyInstance {
  const fn = 'createServer';
  checkKeys(fn, options, SERVER_KEYS);
  const engine = required(fn, 'engine', options.engine);
  if (typeof engine.tagBatch !== 'function') throw new StreamError('ERR_STREAM_OPTIONS', `${fn}: option \`engine\` must have a tagBatch(texts) method`);
  const maxBatch = intOption(fn, 'maxBatch', options.maxBatch, (engine.concurrency ?? 1) > 1 ? POOL_MAX_BATCH : DEFAULT_MAX_BATCH);
  const maxWaitMs = intOption(fn, 'maxWaitMs', options.maxWaitMs, 2, 0);
  const maxQueue = intOption(fn, 'maxQueue', options.maxQueue, 8192);
  const maxTexts = intOption(fn, 'maxTexts', options.maxTexts, 1000);
  const maxTextLength = intOption(fn, 'maxTextLength', options.maxTextLength, 2000);
  const bodyLimit = intOption(fn, 'bodyLimit', options.bodyLimit, 1024 * 1024);
  if (maxTexts > maxQueue) throw new StreamError('ERR_STREAM_OPTIONS', `${fn}: option \`maxTexts\` (${maxTexts}) must not exceed \`maxQueue\` (${maxQueue}), or a full request could never be queued`);

  const registry = new Registry();
  const requests = registry.add(new Counter('twner_http_requests_total', 'HTTP requests answered, by route and status code.'));
  const tweets = registry.add(new Counter('twner_tweets_tagged_total', 'Texts tagged by the engine.'));
  const rejected = registry.add(new Counter('twner_queue_rejections_total', 'Requests refused because the tagging queue was full.'));
  const trendErrors = registry.add(new Counter('twner_trends_errors_total', 'Failed trend-sink record calls.'));
  const batchSizes = registry.add(new Histogram('twner_batch_size', 'Texts per engine call.', BATCH_BUCKETS));
  const batchSeconds = registry.add(new Histogram('twner_batch_duration_seconds', 'Duration of one engine call.', LATENCY_BUCKETS));
  const latency = registry.add(new Histogram('twner_request_duration_seconds', 'Latency of POST /v1/tag from body parsed to reply.', LATENCY_BUCKETS));
  const batcher = new MicroBatcher({
    engine,
    maxBatch,
    maxWaitMs,
    maxQueue,
    onBatch: (size, seconds) => {
      batchSizes.observe(size);
      batchSeconds.observe(seconds);
      tweets.inc({}, size);
    },
  });
  registry.add(new Gauge('twner_queue_depth', 'Texts waiting for the engine.', () => batcher.depth));

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit,
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
  });

  app.setErrorHandler((err: FastifyError, _request, reply) => {
    if (err instanceof QueueFullError) {
      rejected.inc();
      return reply.code(503).header('retry-after', '1').send({ error: { code: err.code, message: err.message } });
    }
    if (err.validation) {
      const message = `${err.message.replace(/^body\//, 'body.').replace(/\//g, '.')}; send {"texts": ["…"]} with at most ${maxTexts} strings of at most ${maxTextLength} characters`;
      return reply.code(400).send({ error: { code: 'ERR_BAD_REQUEST', message } });
    }
    const status = err.statusCode ?? 500;
    if (status >= 500) reply.log.error(err);
    let message = err.message;
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError) message = `request body is not valid JSON (${err.message}); send {"texts": ["…"]}`;
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') message = `request body is larger than the limit of ${bodyLimit} bytes; split the texts over several requests`;
    return reply.code(status).send({ error: { code: err.code ?? (status >= 500 ? 'ERR_INTERNAL' : 'ERR_BAD_REQUEST'), message } });
  });

  // Fastify also parses text/plain (into a string, which the schema would call "body must be object"): say what to send.
  app.addHook('preValidation', async (request, reply) => {
    if (request.method === 'POST' && typeof request.body === 'string') {
      return reply.code(415).send({ error: { code: 'ERR_UNSUPPORTED_MEDIA_TYPE', message: `the body came as ${request.headers['content-type'] ?? 'text'}; send JSON ({"texts": ["…"]}) with content-type: application/json` } });
    }
    return undefined;
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: { code: 'ERR_NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}; the service answers POST /v1/tag, GET /healthz, GET /metrics${options.trends ? ', GET /v1/trends' : ''}${options.dashboardHtml ? ', GET /' : ''}` } }),
  );

  app.addHook('onResponse', async (request, reply) => {
    requests.inc({ route: request.routeOptions.url ?? 'unknown', code: String(reply.statusCode) });
  });
  app.addHook('onClose', async () => {
    await batcher.close();
  });

  const entitySchema = {
    type: 'object',
    properties: {
      type: { type: 'string' },
      text: { type: 'string' },
      start: { type: 'integer' },
      end: { type: 'integer' },
      score: { type: 'number' },
    },
    required: ['type', 'text', 'start', 'end', 'score'],
  };

  app.post<{ Body: { texts: string[] } }>(
    '/v1/tag',
    {
      schema: {
        body: {
          type: 'object',
          required: ['texts'],
          additionalProperties: false,
          properties: { texts: { type: 'array', maxItems: maxTexts, items: { type: 'string', maxLength: maxTextLength } } },
        },
        response: {
          200: {
            type: 'object',
            properties: { results: { type: 'array', items: { type: 'object', properties: { entities: { type: 'array', items: entitySchema } } } } },
          },
        },
      },
    },
    async (request) => {
      const t0 = performance.now();
      const { texts } = request.body;
      const tagged = await batcher.submit(texts);
      const results = tagged.map((r) => ({ entities: r.entities }));
      if (options.trends) {
        const mentions = results.flatMap((r) => r.entities.map((e: Entity) => ({ type: e.type, text: e.text })));
        try {
          if (mentions.length > 0) await options.trends.record(mentions, Date.now());
        } catch (err) {
          trendErrors.inc();
          request.log.error(err);
        }
      }
      latency.observe((performance.now() - t0) / 1000);
      return { results };
    },
  );

  app.get('/healthz', async () => ({ status: 'ok', queued: batcher.depth }));

  app.get('/metrics', async (_request, reply) => {
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(registry.render());
  });

  const trends = options.trends;
  if (trends) {
    app.get('/v1/trends', async (request) => {
      const q = parseTrendQuery(request.query as Record<string, string | string[] | undefined>);
      return await trends.query(q);
    });
  }
  const dashboardHtml = options.dashboardHtml;
  if (dashboardHtml) {
    app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(dashboardHtml()));
  }
  return app;
}

export interface StartServerOptions extends ServerOptions {
  /** Port to listen on (default 8080; 0 picks a free one). */
  port?: number;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Called with the instance before it listens, to add hooks or plugins. */
  setup?: (app: FastifyInstance) => void | Promise<void>;
  /** Signals that shut the server down gracefully (default SIGTERM and SIGINT). */
  signals?: NodeJS.Signals[];
  /** Exit the process once shut down by a signal (default true). */
  exitOnSignal?: boolean;
}

export interface RunningServer {
  app: FastifyInstance;
  /** `http://host:port` the server listens on. */
  url: string;
  port: number;
  /** Stops accepting, finishes in-flight requests, closes the engine. */
  close(): Promise<void>;
}

/**
 * Creates the server, listens, and on SIGTERM/SIGINT shuts down gracefully: no new connections,
 * accepted requests are answered, the engine is closed, then the process exits.
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  checkKeys('startServer', options, [...SERVER_KEYS, 'port', 'host', 'setup', 'signals', 'exitOnSignal']);
  const { port = 8080, host = '127.0.0.1', setup, signals = ['SIGTERM', 'SIGINT'], exitOnSignal = true, ...serverOptions } = options;
  const app = createServer(serverOptions);
  if (setup) await setup(app);
  await app.listen({ port, host });
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  let closing: Promise<void> | undefined;
  const onSignal = (): void => {
    void close().then(
      () => exitOnSignal && process.exit(0),
      (err: unknown) => {
        console.error(err);
        if (exitOnSignal) process.exit(1);
      },
    );
  };
  const close = (): Promise<void> => {
    closing ??= (async () => {
      for (const s of signals) process.off(s, onSignal);
      await app.close();
      await options.engine.close?.();
    })();
    return closing;
  };
  for (const s of signals) process.on(s, onSignal);
  return { app, url: `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`, port: boundPort, close };
}
