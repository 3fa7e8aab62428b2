import { ConllParseError, readConll } from '@twner/conll';
import { TaggerError, EXIT_USAGE } from '../errors';

/** One tweet: its tokens and their IOB2 tags (same length). */
export interface Sentence {
  tokens: string[];
  tags: string[];
}

/**
 * Parses CoNLL text into sentences: the first field of a line is the token, the last its tag
 * (tab- or space-separated), a blank line ends a sentence. `readConllFile` and `@twner/conll`'s
 * `readConll` are the full readers (streaming, typed errors with file and line).
 */
export function parseConll(text: string, file = '<string>'): Sentence[] {
  const sentences: Sentence[] = [];
  let tokens: string[] = [];
  let tags: string[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') {
      if (tokens.length > 0) sentences.push({ tokens, tags });
      tokens = [];
      tags = [];
      continue;
    }
    const fields = line.split(/\t| /);
    if (fields.length < 2 || fields[0] === '' || fields[fields.length - 1] === '') {
      throw new TaggerError(
        `${file}:${i + 1}: expected "token<TAB>tag", received ${JSON.stringify(line.slice(0, 80))}`,
        EXIT_USAGE,
      );
    }
    tokens.push(fields[0]);
    tags.push(fields[fields.length - 1]);
  }
  if (tokens.length > 0) sentences.push({ tokens, tags });
  return sentences;
}

/**
 * Reads a CoNLL file into sentences. Tag-less lines, tags that are not `O` / `B-x` / `I-x` and
 * sequences IOB2 forbids (`O I-x`) are a `TaggerError` (exit 2) naming the file, line and column.
 */
export async function readConllFile(file: string): Promise<Sentence[]> {
  const out: Sentence[] = [];
  try {
    for await (const s of readConll(file, { scheme: 'IOB2' })) {
      out.push({ tokens: s.tokens.map((t) => t.text), tags: s.tokens.map((t) => t.tag ?? 'O') });
    }
  } catch (error) {
    if (error instanceof ConllParseError) {
      const hint = error.code === 'INVALID_SCHEME_TAG' ? '; twner reads IOB2 (O, B-x, I-x after B-x or I-x): repair the file (@twner/conll repairIob2 turns a stray I-x into B-x) or convert it' : '';
      throw new TaggerError(`${error.message}${hint}`, EXIT_USAGE, { cause: error });
    }
    throw error;
  }
  return out;
}

/** Writes `token gold pred` lines (conlleval's input format), a blank line between sentences. */
export function formatPredictionsConll(sentences: Sentence[], predicted: string[][]): string {
  const out: string[] = [];
  sentences.forEach((s, i) => {
    s.tokens.forEach((tok, j) => out.push(`${tok} ${s.tags[j]} ${predicted[i][j]}`));
    out.push('');
  });
  return out.join('\n');
}
