export type { Entity, TagEngine, TaggedResult, TrendQuery, TrendSink } from './engine';
export { ClosedError, EngineError, OptionsError, QueueFullError, StreamError, TransportError } from './errors';
export { MicroBatcher, type BatcherOptions } from './batcher';
export { createServer, DEFAULT_MAX_BATCH, parseTrendQuery, POOL_MAX_BATCH, startServer, type RunningServer, type ServerOptions, type StartServerOptions } from './server';
export type { OutgoingEntry, StreamEntry, StreamTransport } from './transport';
export { redisStreamsTransport, type RedisStreamsOptions } from './redis-transport';
export { decodeEntry, deadLetterEntry, outputEntry, type DeadLetterReason, type DecodedEntry } from './entry';
export { runWorker, tagEntries, type WorkerOptions, type WorkerStats } from './worker';
export { dashboardHtml, type DashboardOptions } from './dashboard';
