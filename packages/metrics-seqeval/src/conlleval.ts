/**
 * The CoNLL-2000 `conlleval` script (version 2004-01-26), re-done over `string[][]`: the same
 * chunk rules, the same counts and the same text. Sentences are separated as by empty lines in
 * its input (a break always ends a chunk), with one after the last sentence.
 */
import { formatFixed, compareCodePoints } from './python-format';
import { checkConsistentLength, type Sequences } from './validate';

/** One entity type's line of the conlleval output. */
export interface ConllevalTypeScores {
  /** Percentages, as conlleval prints them. */
  precision: number;
  recall: number;
  fb1: number;
  /** Chunks of this type in yTrue. */
  phrases: number;
  /** Chunks of this type in yPred. */
  found: number;
  /** Correct chunks of this type. */
  correct: number;
}

export interface ConllevalResult {
  /** Tokens processed (sentence breaks not counted). */
  tokens: number;
  /** Chunks in yTrue ("with N phrases"). */
  phrases: number;
  /** Chunks in yPred ("found: N phrases"). */
  found: number;
  /** Correct chunks ("correct: N"). */
  correct: number;
  /** Tokens whose tag and type are both right. */
  correctTags: number;
  /** Percentages; accuracy is NaN with no tokens (conlleval prints no accuracy line then). */
  accuracy: number;
  precision: number;
  recall: number;
  fb1: number;
  /** One entry per type in conlleval's (sorted) order. */
  types: Array<{ type: string } & ConllevalTypeScores>;
  /** conlleval's text output, byte for byte. */
  text: string;
}

interface Split {
  tag: string;
  type: string;
}

// `/^([^-]*)-(.*)$/`: the tag is what precedes the first '-', the type the rest;
// a type that Perl reads as false ('' or '0') becomes ''.
function split(value: string, cache: Map<string, Split>): Split {
  let parts = cache.get(value);
  if (parts === undefined) {
    const dash = value.indexOf('-');
    const tag = dash < 0 ? value : value.slice(0, dash);
    const rawType = dash < 0 ? '' : value.slice(dash + 1);
    parts = { tag, type: rawType === '0' ? '' : rawType };
    cache.set(value, parts);
  }
  return parts;
}

function endOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if ((prevTag === 'B' || prevTag === 'I') && (tag === 'B' || tag === 'O')) return true;
  if (prevTag === 'E' && (tag === 'E' || tag === 'I' || tag === 'O')) return true;
  if (prevTag !== 'O' && prevTag !== '.' && prevType !== type) return true;
  return prevTag === ']' || prevTag === '[';
}

function startOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  if ((prevTag === 'B' || prevTag === 'I' || prevTag === 'O') && tag === 'B') return true;
  if (prevTag === 'O' && (tag === 'I' || tag === 'E')) return true;
  if (prevTag === 'E' && (tag === 'E' || tag === 'I')) return true;
  if (tag !== 'O' && tag !== '.' && prevType !== type) return true;
  return tag === '[' || tag === ']';
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** Perl's `%6.2f`-style: fixed digits (exact, ties to even as C printf), right-aligned. */
function perlFixed(x: number, width: number): string {
  const text = formatFixed(x, 2);
  return text.length >= width ? text : ' '.repeat(width - text.length) + text;
}

/** Perl's `%17s` on a byte string: pads by UTF-8 bytes. */
function perlString(text: string, width: number): string {
  const bytes = new TextEncoder().encode(text).length;
  return bytes >= width ? text : ' '.repeat(width - bytes) + text;
}

/**
 * Scores yPred against yTrue as `conlleval` does, and renders its report.
 *
 * @example
 * conlleval([['B-PER', 'I-PER', 'O']], [['B-PER', 'I-PER', 'O']]).text;
 * // processed 3 tokens with 1 phrases; found: 1 phrases; correct: 1.
 * // accuracy: 100.00%; precision: 100.00%; recall: 100.00%; FB1: 100.00
 * //               PER: precision: 100.00%; recall: 100.00%; FB1: 100.00  1
 */
export function conlleval(yTrue: Sequences, yPred: Sequences): ConllevalResult {
  checkConsistentLength(yTrue, yPred);
  const cache = new Map<string, Split>();
  const correctChunkBy = new Map<string, number>();
  const foundCorrectBy = new Map<string, number>();
  const foundGuessedBy = new Map<string, number>();
  let correctChunk = 0;
  let correctTags = 0;
  let foundCorrect = 0;
  let foundGuessed = 0;
  let tokenCounter = 0;
  let inCorrect = false;
  let lastCorrect = 'O';
  let lastCorrectType = '';
  let lastGuessed = 'O';
  let lastGuessedType = '';

  const line = (correct: string, correctType: string, guessed: string, guessedType: string, boundary: boolean) => {
    const endCorrect = endOfChunk(lastCorrect, correct, lastCorrectType, correctType);
    const endGuessed = endOfChunk(lastGuessed, guessed, lastGuessedType, guessedType);
    if (inCorrect) {
      if (endCorrect && endGuessed && lastGuessedType === lastCorrectType) {
        inCorrect = false;
        correctChunk += 1;
        bump(correctChunkBy, lastCorrectType);
      } else if (endCorrect !== endGuessed || guessedType !== correctType) {
        inCorrect = false;
      }
    }
    const startCorrect = startOfChunk(lastCorrect, correct, lastCorrectType, correctType);
    const startGuessed = startOfChunk(lastGuessed, guessed, lastGuessedType, guessedType);
    if (startCorrect && startGuessed && guessedType === correctType) inCorrect = true;
    if (startCorrect) {
      foundCorrect += 1;
      bump(foundCorrectBy, correctType);
    }
    if (startGuessed) {
      foundGuessed += 1;
      bump(foundGuessedBy, guessedType);
    }
    if (!boundary) {
      if (correct === guessed && guessedType === correctType) correctTags += 1;
      tokenCounter += 1;
    }
    lastGuessed = guessed;
    lastCorrect = correct;
    lastGuessedType = guessedType;
    lastCorrectType = correctType;
  };

  for (let s = 0; s < yTrue.length; s += 1) {
    const t = yTrue[s];
    const p = yPred[s];
    for (let j = 0; j < t.length; j += 1) {
      const c = split(t[j], cache);
      const g = split(p[j], cache);
      line(c.tag, c.type, g.tag, g.type, false);
    }
    line('O', '', 'O', '', true);
  }
  if (inCorrect) {
    correctChunk += 1;
    bump(correctChunkBy, lastCorrectType);
  }

  const precision = foundGuessed > 0 ? (100 * correctChunk) / foundGuessed : 0;
  const recall = foundCorrect > 0 ? (100 * correctChunk) / foundCorrect : 0;
  const fb1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  const accuracy = tokenCounter > 0 ? (100 * correctTags) / tokenCounter : NaN;

  let text = `processed ${tokenCounter} tokens with ${foundCorrect} phrases; found: ${foundGuessed} phrases; correct: ${correctChunk}.\n`;
  if (tokenCounter > 0) {
    text += `accuracy: ${perlFixed(accuracy, 6)}%; precision: ${perlFixed(precision, 6)}%; recall: ${perlFixed(recall, 6)}%; FB1: ${perlFixed(fb1, 6)}\n`;
  }

  // sort (keys %foundCorrect, keys %foundGuessed), dropping repeats of the previous name,
  // except after a name Perl reads as false (''), which conlleval lists twice.
  const names = [...foundCorrectBy.keys(), ...foundGuessedBy.keys()].sort(compareCodePoints);
  const sortedTypes: string[] = [];
  let last: string | undefined;
  for (const name of names) {
    if (!last || last !== name) sortedTypes.push(name);
    last = name;
  }
  const types: ConllevalResult['types'] = [];
  for (const type of sortedTypes) {
    const correct = correctChunkBy.get(type) ?? 0;
    const found = foundGuessedBy.get(type) ?? 0;
    const phrases = foundCorrectBy.get(type) ?? 0;
    const p = found ? (100 * correct) / found : 0;
    const r = phrases ? (100 * correct) / phrases : 0;
    const f = p + r === 0 ? 0 : (2 * p * r) / (p + r);
    types.push({ type, precision: p, recall: r, fb1: f, phrases, found, correct });
    text += `${perlString(type, 17)}: precision: ${perlFixed(p, 6)}%; recall: ${perlFixed(r, 6)}%; FB1: ${perlFixed(f, 6)}  ${found}\n`;
  }
  return {
    tokens: tokenCounter,
    phrases: foundCorrect,
    found: foundGuessed,
    correct: correctChunk,
    correctTags,
    accuracy,
    precision,
    recall,
    fb1,
    types,
    text,
  };
}
