import { DIGIT, EXTEND, LETTER, LONE, PICTO, REGIONAL, SPACE, UNDERSCORE, WORD, bmpClasses, classAt, widthAt } from './char-class';
import { scanEmail } from './email';
import { scanEmoji, scanKeycap } from './emoji';
import { scanEmoticon } from './emoticon';
import { isAsciiAlnum, isAsciiLetter, scanEntity } from './entity';
import { EXIT_USAGE, TaggerError } from '../errors';
import type { TweetToken } from './tweet-token';
import { scanBareUrl, scanUrl } from './url';
import { isTitle, scanAbbreviation, scanWord } from './word';

export type { TweetToken } from './tweet-token';

/**
 * Splits a tweet into tokens the way the WNUT16 data is tokenised (Ritter et al.'s
 * `twokenize` plus its `'s` split), with UTF-16 offsets into `text`.
 *
 * Kept whole: URLs (`http://`, `https://`, `www.`, bare `bit.ly/x`; sentence punctuation at
 * the end is left out), e-mail addresses, `@mentions`, `#hashtags`, `$cashtags`, emoji sequences (ZWJ families,
 * skin tones, flags, keycaps), emoticons (`:)`, `:-D`, `;P`, `:'(`, `xD`, `<3`, `^_^`), dotted
 * abbreviations and titles (`U.S.A.`, `e.g.`, `Mr.`; the data itself writes `Mr .`), numbers
 * (`1,000`, `3.5`, `10:30`, `100%`, `$5`, `+1`), HTML entities (`&amp;`), words with inner
 * apostrophes, hyphens, slashes and `&` (`don't`, `Wi-Fi`, `w/`, `AT&T`), runs of sentence
 * punctuation (`!!!`, `...`, `?!`, `."`, `.&quot;`) and runs of one symbol (`--`, `))`).
 * Split off: `'s` after a word (`it's` → `it`, `'s`, as in the data; `’s` and `'S` stay on, as
 * in the data), and every other punctuation mark or symbol.
 *
 * Whitespace never appears in a token: JS `\s` (NBSP, U+FEFF, line breaks, …), U+200B,
 * U+2060, U+180E and all control characters, NUL included, are skipped. A lone surrogate
 * is a token of its own, one code unit long.
 *
 * @param text - the raw tweet.
 * @returns the tokens in order, non-empty and non-overlapping.
 * @throws {TaggerError} code `TWNER_USAGE` if `text` is not a string.
 *
 * @example
 * tokenizeTweet("it's 10:30 :)");
 * // [{ text: 'it', start: 0, end: 2 }, { text: "'s", start: 2, end: 4 },
 * //  { text: '10:30', start: 5, end: 10 }, { text: ':)', start: 11, end: 13 }]
 */
export function tokenizeTweet(text: string): TweetToken[] {
  const out: TweetToken[] = [];
  scan(checked(text, 'tokenizeTweet'), (start, end) => {
    out.push({ text: text.slice(start, end), start, end });
  });
  return out;
}

/**
 * The token texts of {@link tokenizeTweet}, without offsets.
 *
 * @example
 * tokenizeTweetText('@bob U.S.A.!!! 👍🏽'); // ['@bob', 'U.S.A.', '!!!', '👍🏽']
 */
export function tokenizeTweetText(text: string): string[] {
  const out: string[] = [];
  scan(checked(text, 'tokenizeTweetText'), (start, end) => {
    out.push(text.slice(start, end));
  });
  return out;
}

function checked(text: unknown, fn: string): string {
  if (typeof text !== 'string') {
    throw new TaggerError(
      `${fn}: the text must be a string, got ${text === null ? 'null' : typeof text}. Pass the tweet's text (String(x) if it is a number).`,
      EXIT_USAGE,
    );
  }
  return text;
}

/** Sentence punctuation that runs together into one token (`!!!`, `...`, `?!`, `."`, `…`). */
function isRunPunct(c: number): boolean {
  switch (c) {
    case 0x2e: // .
    case 0x3f: // ?
    case 0x21: // !
    case 0x2c: // ,
    case 0x3a: // :
    case 0x3b: // ;
    case 0x22: // "
    case 0x27: // '
    case 0x201c: // “
    case 0x201d: // ”
    case 0x2018: // ‘
    case 0x2019: // ’
    case 0x2026: // …
      return true;
    default:
      return false;
  }
}

type Emit = (start: number, end: number) => void;

function scan(t: string, emit: Emit): void {
  const table = bmpClasses();
  const n = t.length;
  let i = 0;
  while (i < n) {
    const k = classAt(t, i, n, table);
    if (k === SPACE) i++;
    else if (k === LETTER || k === DIGIT || k === UNDERSCORE) i = emitWord(t, i, n, k, table, emit);
    else {
      const end = tokenEnd(t, i, n, k, table);
      emit(i, end);
      i = end;
    }
  }
}

/**
 * Emits the word-like token at `i` and returns its end. A word from scanWord ending in
 * `'s` becomes two tokens, as in the data (`it's` -> `it` `'s`; `’s` and `'S` stay on).
 */
function emitWord(t: string, i: number, n: number, k: number, table: Uint8Array, emit: Emit): number {
  const end = wordEnd(t, i, n, k, table);
  if (end > 0) {
    emit(i, end);
    return end;
  }
  const plain = -end;
  if (plain - i > 2 && t.charCodeAt(plain - 2) === 0x27 && t.charCodeAt(plain - 1) === 0x73) {
    emit(i, plain - 2);
    emit(plain - 2, plain);
  } else emit(i, plain);
  return plain;
}

/** The end of the non-word token that starts at `i` (a non-space character of class `k`). */
function tokenEnd(t: string, i: number, n: number, k: number, table: Uint8Array): number {
  if (k === LONE) return i + 1;
  if (k === PICTO || k === REGIONAL) return scanEmoji(t, i, n, table);
  if (k === EXTEND) {
    let j = i;
    while (j < n && classAt(t, j, n, table) === EXTEND) j += widthAt(t, j, n);
    return j;
  }
  return symbolEnd(t, i, n, t.charCodeAt(i), table);
}

/**
 * The end of the token at word character `i`: a URL, emoticon, keycap, abbreviation or
 * title as a positive end; a plain word from scanWord as its end negated (it may lose `'s`).
 */
function wordEnd(t: string, i: number, n: number, k: number, table: Uint8Array): number {
  const c = t.charCodeAt(i);
  if (k === DIGIT) {
    const keycap = scanKeycap(t, i, n);
    if (keycap > 0) return keycap;
  } else if (c < 0x80 && isAsciiLetter(c)) {
    if (c === 0x68 || c === 0x48 || c === 0x77 || c === 0x57) {
      const url = scanUrl(t, i, n, table);
      if (url > 0) return url;
    }
    const emoticon = scanEmoticon(t, i, n, table);
    if (emoticon > 0) return emoticon;
    if (i + 1 < n && t.charCodeAt(i + 1) === 0x2e) {
      const email = scanEmail(t, i, n, table); // before `x.y.z` is taken for an abbreviation
      if (email > 0) return email;
      const abbreviation = scanAbbreviation(t, i, n, table);
      if (abbreviation > 0) return abbreviation;
    }
  }
  if (c === 0x30 /* 0 */) {
    const emoticon = scanEmoticon(t, i, n, table);
    if (emoticon > 0) return emoticon;
  }
  const end = scanWord(t, i, n, table);
  if (end >= n) return -end;
  const next = t.charCodeAt(end);
  if ((next === 0x40 /* @ */ || next === 0x2e) && isAsciiAlnum(c)) {
    const email = scanEmail(t, i, n, table);
    if (email > 0) return email;
  }
  if (next === 0x2e /* . */) {
    if (isAsciiAlnum(c) && end + 1 < n && isAsciiAlnum(t.charCodeAt(end + 1))) {
      const url = scanBareUrl(t, i, n, table);
      if (url > 0) return url;
    }
    if (isTitle(t, i, end)) return end + 1;
  } else if (next === 0x2f /* / */ && end === i + 1 && (c | 0x20) === 0x77 /* w/ */) {
    return end + 1;
  }
  return -end;
}

function symbolEnd(t: string, i: number, n: number, c: number, table: Uint8Array): number {
  switch (c) {
    case 0x40: {
      // @mention (after an eastern emoticon such as @_@)
      const emoticon = scanEmoticon(t, i, n, table);
      if (emoticon > 0) return emoticon;
      let j = i + 1;
      while (j < n && (isAsciiAlnum(t.charCodeAt(j)) || t.charCodeAt(j) === 0x5f)) j++;
      if (j > i + 1) return j;
      break;
    }
    case 0x23: // # hashtag or #️⃣
    case 0x2a: {
      // * keycap, emoticon *_*, *action*
      const keycap = scanKeycap(t, i, n);
      if (keycap > 0) return keycap;
      if (c === 0x2a) {
        const emoticon = scanEmoticon(t, i, n, table);
        if (emoticon > 0) return emoticon;
        const action = scanAction(t, i, n, table);
        if (action > 0) return action;
        break;
      }
      let j = i + 1;
      while (j < n && classAt(t, j, n, table) & WORD) j += widthAt(t, j, n);
      if (j > i + 1) return j;
      break;
    }
    case 0x26: {
      // &amp;  (&quot; is a quotation mark: it runs with other punctuation, as `."` does)
      if (t.startsWith(QUOT, i)) return punctRunEnd(t, i, n, table);
      const entity = scanEntity(t, i, n);
      if (entity > 0) return entity;
      break;
    }
    case 0x24: {
      // $  cashtag ($AAPL) or currency ($5)
      const cashtag = scanCashtag(t, i, n, table);
      if (cashtag > 0) return cashtag;
      if (i + 1 < n && classAt(t, i + 1, n, table) === DIGIT) return scanWord(t, i + 1, n, table);
      break;
    }
    case 0xa3: // £
    case 0x20ac: // €
    case 0xa5: // ¥
    case 0x2b: // +  (+1, +43)
      if (i + 1 < n && classAt(t, i + 1, n, table) === DIGIT) return scanWord(t, i + 1, n, table);
      break;
    case 0x27: // '
    case 0x2019: {
      // ’  standalone clitic as the data writes it: `I 'm`, `it 's`
      const clitic = scanClitic(t, i, n, table);
      if (clitic > 0) return clitic;
      break;
    }
    default: {
      const emoticon = scanEmoticon(t, i, n, table);
      if (emoticon > 0) return emoticon;
    }
  }
  if (isRunPunct(c)) return punctRunEnd(t, i, n, table);
  // any other symbol: one character, or a run of the same one (`--`, `))`, `~~~`)
  const w = widthAt(t, i, n);
  let j = i + w;
  while (j + w <= n && t.charCodeAt(j) === c && (w === 1 || t.charCodeAt(j + 1) === t.charCodeAt(i + 1))) j += w;
  return j;
}

const QUOT = '&quot;';

/**
 * A run of sentence punctuation from `i`: `!!!`, `...`, `?!`, `."`, `.&quot;`. It stops
 * before an emoticon (`...:)` is `...` and `:)`).
 */
function punctRunEnd(t: string, i: number, n: number, table: Uint8Array): number {
  let j = i;
  while (j < n) {
    const d = t.charCodeAt(j);
    if (d === 0x26 /* & */ && t.startsWith(QUOT, j)) {
      j += QUOT.length;
      continue;
    }
    if (!isRunPunct(d)) break;
    if (j > i && (d === 0x3a || d === 0x3b) && scanEmoticon(t, j, n, table) > 0) break;
    j++;
  }
  return j;
}

/** `'s`, `'m`, `'d`, `'re`, `'ve`, `'ll` (any case, either apostrophe) not followed by a word character. */
function scanClitic(t: string, i: number, n: number, table: Uint8Array): number {
  const a = t.charCodeAt(i + 1) | 0x20;
  let j: number;
  if (a === 0x73 || a === 0x6d || a === 0x64) j = i + 2; // s m d
  else {
    const b = t.charCodeAt(i + 2) | 0x20;
    if ((a === 0x72 && b === 0x65) || (a === 0x76 && b === 0x65) || (a === 0x6c && b === 0x6c)) j = i + 3;
    else return -1;
  }
  if (j > n) return -1;
  return j < n && classAt(t, j, n, table) & WORD ? -1 : j;
}

/** `$` + 1–6 ASCII letters, no word character after: a cashtag (`$AAPL`, `$fb`). */
function scanCashtag(t: string, i: number, n: number, table: Uint8Array): number {
  let j = i + 1;
  while (j < n && j - i <= 7 && isAsciiLetter(t.charCodeAt(j))) j++;
  if (j === i + 1 || j - i > 7) return -1;
  return j < n && classAt(t, j, n, table) & WORD ? -1 : j;
}

/** `*wink*`, `*sigh*`: asterisks around one word, nothing wordy after. */
function scanAction(t: string, i: number, n: number, table: Uint8Array): number {
  let j = i + 1;
  while (j < n && classAt(t, j, n, table) & (LETTER | EXTEND)) j += widthAt(t, j, n);
  if (j === i + 1 || j >= n || t.charCodeAt(j) !== 0x2a) return -1;
  j++;
  return j < n && classAt(t, j, n, table) & WORD ? -1 : j;
}
