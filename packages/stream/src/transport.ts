/** One input entry: its id in the stream and its fields as raw bytes (a text may not be UTF-8). */
export interface StreamEntry {
  id: string;
  fields: Record<string, Uint8Array>;
}

/** One entry to append to the output or dead-letter stream. */
export interface OutgoingEntry {
  fields: Record<string, string | Uint8Array>;
}

/**
 * What the worker needs from a log or queue with consumer groups. Redis Streams is built here
 * (`redisStreamsTransport`); a Kafka or NATS JetStream consumer implements the same six methods
 * and the worker, with its tagging, stays as it is.
 *
 * Contract: entries handed out by `pending`, `claim` or `read` stay owned by this consumer until
 * `commit` acknowledges them; an entry never acknowledged is handed out again (to this consumer
 * by `pending`, to another one by `claim` once idle long enough). `commit` makes the outputs
 * durable before the acknowledgements, so a crash in between causes duplicates, never losses.
 */
export interface StreamTransport {
  /** Connects, and creates the consumer group (and stream) if missing. */
  open(): Promise<void>;
  /** Entries already delivered to this consumer and not acknowledged (after a restart or a failed commit). */
  pending(count: number): Promise<StreamEntry[]>;
  /** Takes over up to `count` entries idle at least `idleMs` on any consumer of the group. */
  claim(idleMs: number, count: number): Promise<StreamEntry[]>;
  /** Up to `count` new entries, waiting at most `blockMs` for the first (0: answer at once). */
  read(count: number, blockMs: number): Promise<StreamEntry[]>;
  /** Appends `outputs` and `deadLetters`, then acknowledges the input entries `ackIds`. */
  commit(outputs: readonly OutgoingEntry[], deadLetters: readonly OutgoingEntry[], ackIds: readonly string[]): Promise<void>;
  close(): Promise<void>;
}
