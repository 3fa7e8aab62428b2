// An in-memory StreamTransport that logs every call, so the worker's protocol can be checked
// (ack only after the outputs are written, own pending entries first) without Redis.
import type { OutgoingEntry, StreamEntry, StreamTransport } from '../src';

export interface MemoryTransport extends StreamTransport {
  input: StreamEntry[];
  outputs: OutgoingEntry[];
  deadLetters: OutgoingEntry[];
  acked: string[];
  log: string[];
  /** Makes the next `n` commits throw before writing anything. */
  failCommits(n: number): void;
}

export function memoryTransport(input: StreamEntry[], pendingOnOpen: StreamEntry[] = []): MemoryTransport {
  let next = 0;
  let pending = [...pendingOnOpen];
  let failures = 0;
  const delivered = new Map<string, StreamEntry>();
  const t: MemoryTransport = {
    input,
    outputs: [],
    deadLetters: [],
    acked: [],
    log: [],
    failCommits: (n) => void (failures = n),
    async open() {
      t.log.push('open');
    },
    async pending(count) {
      const own = [...pending, ...delivered.values()].slice(0, count);
      pending = pending.filter((e) => !own.includes(e));
      t.log.push(`pending:${own.length}`);
      for (const e of own) delivered.set(e.id, e);
      return own;
    },
    async claim() {
      return [];
    },
    async read(count) {
      const batch = input.slice(next, next + count);
      next += batch.length;
      for (const e of batch) delivered.set(e.id, e);
      if (batch.length === 0) await new Promise((r) => setTimeout(r, 5));
      t.log.push(`read:${batch.length}`);
      return batch;
    },
    async commit(outputs, deadLetters, ackIds) {
      if (failures > 0) {
        failures -= 1;
        t.log.push('commit-failed');
        throw new Error('connection lost');
      }
      t.outputs.push(...outputs);
      t.deadLetters.push(...deadLetters);
      t.log.push(`write:${outputs.length + deadLetters.length}`);
      for (const id of ackIds) delivered.delete(id);
      t.acked.push(...ackIds);
      t.log.push(`ack:${ackIds.length}`);
    },
    async close() {
      t.log.push('close');
    },
  };
  return t;
}

export function entry(id: string, fields: Record<string, string | Uint8Array>): StreamEntry {
  const raw: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries(fields)) raw[k] = typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
  return { id, fields: raw };
}
