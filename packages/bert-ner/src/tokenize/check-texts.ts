/**
 * Input checks run before text reaches the tokenizers binding, whose own errors are Rust
 * messages without a place ("Failed to convert JavaScript value `Null` into rust type `String`").
 */
import { InvalidInputError } from './errors';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' || typeof value === 'boolean') return `a ${typeof value} (${String(value)})`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** Throws unless `text` is a well-formed string; `name` is how the message refers to it (`texts[2]`). */
function checkText(text: unknown, name: string, where: string): void {
  if (typeof text !== 'string') {
    throw new InvalidInputError(name, `${where}: ${name} must be a string, received ${describe(text)}; pass the text itself (map ids or objects to strings first)`);
  }
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) {
    throw new InvalidInputError(
      name,
      `${where}: ${name} holds a lone surrogate (U+${text.charCodeAt(surrogate.index).toString(16).toUpperCase()}) at index ${surrogate.index}, ` +
        'which the tokenizer would drop and shift the offsets; pass well-formed text (e.g. text.toWellFormed())',
    );
  }
}

/** Checks `texts`: a string or an array of strings. @internal */
export function checkTexts(texts: unknown, where: string): void {
  if (typeof texts === 'string') return checkText(texts, 'text', where);
  if (!Array.isArray(texts)) {
    throw new InvalidInputError('texts', `${where}: expected a string or an array of strings, received ${describe(texts)}`);
  }
  texts.forEach((text, i) => checkText(text, `texts[${i}]`, where));
}

/** Checks `sentences`: an array of arrays of word strings. @internal */
export function checkWords(sentences: unknown, where: string): void {
  if (!Array.isArray(sentences)) {
    throw new InvalidInputError('sentences', `${where}: expected an array of sentences, each an array of words (string[][]), received ${describe(sentences)}`);
  }
  sentences.forEach((words: unknown, s) => {
    if (!Array.isArray(words)) {
      throw new InvalidInputError(`sentences[${s}]`, `${where}: sentences[${s}] must be an array of words (string[]), received ${describe(words)}`);
    }
    words.forEach((word: unknown, w) => checkText(word, `sentences[${s}][${w}]`, where));
  });
}
