/**
 * `twner eval <gold.conll> [pred.conll]`: scores predicted tags against gold tags with
 * @twner/metrics-seqeval and prints seqeval's classification report (or conlleval's, or JSON).
 *
 * Input: two column files aligned sentence by sentence (the tag is the last column of each), or
 * one file in conlleval's layout whose last two columns are the gold and the predicted tag.
 * Columns are tab-separated when a line has a tab, else whitespace-separated; blank lines end
 * sentences; `-DOCSTART-` lines are skipped. Bad input exits with code 2 and names the sentence
 * and the line.
 */
import * as fs from 'node:fs';
import type { Command } from 'commander';
import {
  classificationReport,
  conlleval,
  InvalidSchemeTagError,
  MetricsError,
  STRICT_SCHEMES,
  type StrictScheme,
} from '@twner/metrics-seqeval';
import { TaggerError, EXIT_USAGE } from '@twner/tagger';
import { parseNumberText } from '../number-text';
import { utf8Text } from '../text-lines';

export interface EvalOptions {
  mode?: string;
  scheme?: string;
  suffix?: boolean;
  digits?: string | number;
  conlleval?: boolean;
  json?: boolean;
}

interface Row {
  line: number;
  fields: string[];
}

interface ColumnFile {
  name: string;
  sentences: Row[][];
}

/** Reads a column file into sentences of rows, keeping 1-based line numbers. */
export function parseColumns(text: string, name: string): ColumnFile {
  const sentences: Row[][] = [];
  let current: Row[] = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, index) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('-DOCSTART-')) {
      if (current.length > 0) sentences.push(current);
      current = [];
      return;
    }
    const fields = line.includes('\t') ? line.split('\t').map((f) => f.trim()) : trimmed.split(/\s+/);
    current.push({ line: index + 1, fields });
  });
  if (current.length > 0) sentences.push(current);
  return { name, sentences };
}

function readFile(file: string): ColumnFile {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    throw new TaggerError(`cannot read ${file}: ${(error as Error).message}`, EXIT_USAGE, { cause: error });
  }
  // named as the user wrote it: two files of the same name in different folders stay apart
  return parseColumns(utf8Text(bytes, file), file);
}

function lines(rows: readonly Row[]): string {
  return rows.length === 1 ? `line ${rows[0].line}` : `lines ${rows[0].line}-${rows[rows.length - 1].line}`;
}

export interface AlignedTags {
  yTrue: string[][];
  yPred: string[][];
  /** Line of every token, to place errors: [sentence][position] -> `file:line`. */
  gold: Row[][];
  pred: Row[][];
  goldName: string;
  predName: string;
}

/** Pairs the tags of two files, or of the last two columns of one file, or explains why not. */
export function alignTags(gold: ColumnFile, pred?: ColumnFile): AlignedTags {
  if (!pred) {
    if (gold.sentences.length === 0) throw new TaggerError(`${gold.name}: no tokens to score (the file is empty)`, EXIT_USAGE);
    const width = gold.sentences[0][0].fields.length;
    if (width < 3) {
      // A `token tag` file alone would score the token column as gold: refuse it.
      throw new TaggerError(
        `${gold.name} line ${gold.sentences[0][0].line}: a single file needs three columns or more (token … gold pred), found ${width}; ` +
          'for a token/tag file pass the predictions as a second file: twner eval gold.conll pred.conll',
        EXIT_USAGE,
      );
    }
    gold.sentences.forEach((rows, s) => {
      for (const row of rows) {
        if (row.fields.length !== width) {
          throw new TaggerError(
            `${gold.name} line ${row.line} (sentence ${s + 1}): expected ${width} columns like line ${gold.sentences[0][0].line}, found ${row.fields.length}`,
            EXIT_USAGE,
          );
        }
      }
    });
    return {
      yTrue: gold.sentences.map((rows) => rows.map((r) => r.fields[r.fields.length - 2])),
      yPred: gold.sentences.map((rows) => rows.map((r) => r.fields[r.fields.length - 1])),
      gold: gold.sentences,
      pred: gold.sentences,
      goldName: gold.name,
      predName: gold.name,
    };
  }
  for (const file of [gold, pred]) {
    if (file.sentences.length === 0) throw new TaggerError(`${file.name}: no tokens to score (the file is empty)`, EXIT_USAGE);
    file.sentences.forEach((rows, s) => {
      for (const row of rows) {
        if (row.fields.length < 2) {
          throw new TaggerError(
            `${file.name} line ${row.line} (sentence ${s + 1}): ${JSON.stringify(row.fields[0].slice(0, 40))} has no tag column; every line needs "token<TAB>tag"`,
            EXIT_USAGE,
          );
        }
      }
    });
  }
  const n = Math.min(gold.sentences.length, pred.sentences.length);
  for (let s = 0; s < n; s += 1) {
    const g = gold.sentences[s];
    const p = pred.sentences[s];
    if (g.length !== p.length) {
      throw new TaggerError(
        `${pred.name} does not line up with ${gold.name}: sentence ${s + 1} has ${g.length} tokens in ${gold.name} (${lines(g)}) but ${p.length} in ${pred.name} (${lines(p)})`,
        EXIT_USAGE,
      );
    }
    for (let i = 0; i < g.length; i += 1) {
      const a = g[i].fields;
      const b = p[i].fields;
      if (a.length >= 2 && b.length >= 2 && a[0] !== b[0]) {
        throw new TaggerError(
          `${pred.name} does not line up with ${gold.name}: sentence ${s + 1}, token ${i + 1} is ${JSON.stringify(a[0])} at ${gold.name} line ${g[i].line} but ${JSON.stringify(b[0])} at ${pred.name} line ${p[i].line}`,
          EXIT_USAGE,
        );
      }
    }
  }
  if (gold.sentences.length !== pred.sentences.length) {
    const longer = gold.sentences.length > pred.sentences.length ? gold : pred;
    throw new TaggerError(
      `${pred.name} does not line up with ${gold.name}: ${gold.name} has ${gold.sentences.length} sentences, ${pred.name} has ${pred.sentences.length}; sentence ${n + 1} (${longer.name} line ${longer.sentences[n][0].line}) has no counterpart`,
      EXIT_USAGE,
    );
  }
  return {
    yTrue: gold.sentences.map((rows) => rows.map((r) => r.fields[r.fields.length - 1])),
    yPred: pred.sentences.map((rows) => rows.map((r) => r.fields[r.fields.length - 1])),
    gold: gold.sentences,
    pred: pred.sentences,
    goldName: gold.name,
    predName: pred.name,
  };
}

interface ResolvedOptions {
  mode: 'default' | 'strict';
  scheme?: StrictScheme;
  suffix: boolean;
  digits: number;
}

function resolveOptions(options: EvalOptions): ResolvedOptions {
  const mode = options.mode ?? 'default';
  if (mode !== 'default' && mode !== 'strict') {
    throw new TaggerError(`--mode must be 'default' or 'strict', received ${JSON.stringify(mode)}`, EXIT_USAGE);
  }
  let scheme: StrictScheme | undefined;
  if (options.scheme !== undefined) {
    const upper = options.scheme.toUpperCase();
    if (!(STRICT_SCHEMES as readonly string[]).includes(upper)) {
      throw new TaggerError(`--scheme must be one of ${STRICT_SCHEMES.join(', ')}, received ${JSON.stringify(options.scheme)}`, EXIT_USAGE);
    }
    scheme = upper as StrictScheme;
  }
  if (mode === 'strict' && !scheme) {
    throw new TaggerError(`--mode strict needs --scheme (one of ${STRICT_SCHEMES.join(', ')})`, EXIT_USAGE);
  }
  const digits = parseNumberText(String(options.digits ?? 2), true);
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new TaggerError(`--digits must be an integer from 0 to 20, received ${JSON.stringify(options.digits)}`, EXIT_USAGE);
  }
  return { mode, scheme, suffix: options.suffix ?? false, digits };
}

/** Scores aligned tags and returns what `twner eval` prints. */
export function evaluateTags(tags: AlignedTags, options: EvalOptions = {}): string {
  const resolved = resolveOptions(options);
  try {
    if (options.conlleval) {
      const result = conlleval(tags.yTrue, tags.yPred);
      if (!options.json) return result.text;
      const { text: _text, ...numbers } = result;
      return `${JSON.stringify(numbers, null, 2)}\n`;
    }
    const scoreOptions = { mode: resolved.mode, scheme: resolved.scheme, suffix: resolved.suffix };
    if (options.json) {
      const report = classificationReport(tags.yTrue, tags.yPred, { ...scoreOptions, outputDict: true });
      return `${JSON.stringify({ ...scoreOptions, report }, null, 2)}\n`;
    }
    return classificationReport(tags.yTrue, tags.yPred, { ...scoreOptions, digits: resolved.digits });
  } catch (error) {
    if (error instanceof InvalidSchemeTagError) {
      const rows = error.argument === 'yTrue' ? tags.gold : tags.pred;
      const name = error.argument === 'yTrue' ? tags.goldName : tags.predName;
      const line = rows[error.sentence]?.[error.position]?.line;
      throw new TaggerError(
        `${name} line ${line} (sentence ${error.sentence + 1}): ${JSON.stringify(error.tag)} is not a ${error.scheme} tag; ${error.message}`,
        EXIT_USAGE,
        { cause: error },
      );
    }
    if (error instanceof MetricsError) throw new TaggerError(error.message, EXIT_USAGE, { cause: error });
    throw error;
  }
}

/** Reads the file(s), scores them and returns the text to print. Throws TaggerError (exit 2) on bad input. */
export function runEval(goldPath: string, predPath: string | undefined, options: EvalOptions = {}): string {
  resolveOptions(options);
  const gold = readFile(goldPath);
  const pred = predPath === undefined ? undefined : readFile(predPath);
  return evaluateTags(alignTags(gold, pred), options);
}

/** Adds `eval` to the twner program. */
export function registerEvalCommand(program: Command): Command {
  return program
    .command('eval')
    .description("score predicted tags against gold tags: seqeval's report (or conlleval's)")
    .argument('<gold>', 'gold CoNLL file (token ... tag), or one file with columns token ... gold pred')
    .argument('[pred]', 'predicted CoNLL file, sentence by sentence as gold (tag in the last column)')
    .option('--mode <mode>', "'default' (conlleval-compatible chunks) or 'strict' (spans must follow --scheme)", 'default')
    .option('--scheme <scheme>', `tagging scheme for --mode strict: ${STRICT_SCHEMES.join(', ')}`)
    .option('--suffix', 'tags are written with the prefix last (PER-B)', false)
    .option('--digits <n>', 'digits after the decimal point in the report', '2')
    .option('--conlleval', "print conlleval.pl's report instead of seqeval's", false)
    .option('--json', 'print JSON (the report dict, or the conlleval numbers)', false)
    .action((gold: string, pred: string | undefined, options: EvalOptions) => {
      try {
        process.stdout.write(runEval(gold, pred, options));
      } catch (error) {
        if (!(error instanceof TaggerError)) throw error;
        process.stderr.write(`twner eval: ${error.message}\n`);
        process.exitCode = error.exitCode;
      }
    });
}
