import type { Entity } from './engine';
import type { OutgoingEntry, StreamEntry } from './transport';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Why an entry cannot be tagged, as written in the dead-letter stream's `reason` field. */
export type DeadLetterReason = 'missing-text' | 'invalid-utf8' | 'text-too-long' | 'engine-error';

/** An entry's text, or why it has none that can be tagged. */
export type DecodedEntry = { ok: true; text: string } | { ok: false; reason: DeadLetterReason; detail: string };

/** Reads the `text` field of an entry: present, valid UTF-8, at most `maxTextBytes` bytes. */
export function decodeEntry(entry: StreamEntry, maxTextBytes: number): DecodedEntry {
  const raw = entry.fields.text;
  if (raw === undefined) {
    const names = Object.keys(entry.fields);
    return { ok: false, reason: 'missing-text', detail: `entry ${entry.id} has no \`text\` field (fields: ${names.length ? names.join(', ') : 'none'}); producers must XADD … text <tweet>` };
  }
  if (raw.byteLength > maxTextBytes) {
    return { ok: false, reason: 'text-too-long', detail: `entry ${entry.id}: \`text\` is ${raw.byteLength} bytes, over the limit of ${maxTextBytes}; shorten it or raise maxTextBytes` };
  }
  try {
    return { ok: true, text: UTF8.decode(raw) };
  } catch {
    return { ok: false, reason: 'invalid-utf8', detail: `entry ${entry.id}: \`text\` is not valid UTF-8; producers must write UTF-8` };
  }
}

/**
 * A copy of the input's fields to add to. A loop, not `{ ...fields }`: adding keys to a spread
 * copy cost about 2 µs an entry (V8 leaves it in a slow shape), a tenth of the worker's overhead.
 */
function copyFields(entry: StreamEntry): Record<string, string | Uint8Array> {
  const fields: Record<string, string | Uint8Array> = {};
  for (const key of Object.keys(entry.fields)) setField(fields, key, entry.fields[key]);
  return fields;
}

/** `fields[key] = value`, also for a field named `__proto__` (an own field, not the prototype). */
export function setField<T>(fields: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') Object.defineProperty(fields, key, { value, enumerable: true, writable: true, configurable: true });
  else fields[key] = value;
}

/**
 * The output entry for a tagged input: the input's fields passed through, then `id` (the input
 * entry's id, for de-duplication) and `entities` (JSON), which replace input fields of those names.
 */
export function outputEntry(entry: StreamEntry, entities: readonly Entity[]): OutgoingEntry {
  const fields = copyFields(entry);
  fields.id = entry.id;
  fields.entities = JSON.stringify(entities.map((e) => ({ type: e.type, text: e.text, start: e.start, end: e.end, score: e.score })));
  return { fields };
}

/** The dead-letter entry: the input's fields passed through, then `id`, `reason` and `detail`. */
export function deadLetterEntry(entry: StreamEntry, reason: DeadLetterReason, detail: string): OutgoingEntry {
  const fields = copyFields(entry);
  fields.id = entry.id;
  fields.reason = reason;
  fields.detail = detail;
  return { fields };
}
