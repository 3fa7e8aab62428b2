import { WORD, classAt } from './char-class';

/** Mouths of western emoticons (`:)`, `;P`, `=/`); letters and symbols need a boundary after. */
const MOUTHS = ')(][}{DPpdOoSsXx/\\|*$@3';
/** Mouths that may repeat (`:)))`, `:DDD`) and need no boundary after. */
const OPEN_MOUTHS = ')(][}{';
/** Eyes of eastern emoticons (`^_^`, `-_-`, `o.O`, `T_T`, `>_<`, `;_;`). */
const EASTERN_EYES = '^-oO0T><.;=xXuU@*';
/** Eastern eyes that are letters or digits: they need a boundary on both sides. */
const WORDY_EYES = 'oO0TxXuU';

/**
 * An emoticon starting at `i`, kept as one token: western `:)`, `:-D`, `;P`, `:'(`, `=/`,
 * `:)))`; `xD`, `XP`; hearts `<3`, `</3`; eastern `^_^`, `^^`, `-_-`, `o.O`, `T_T`, `>_<`.
 * Letter mouths and letter eyes need a non-word character (or the text's edge) beside them,
 * so `Re:Dinner`, `:Pizza`, `xDrive` and `hello_Oscar` are not emoticons.
 *
 * @returns the end (exclusive) of the emoticon, or -1.
 */
export function scanEmoticon(t: string, i: number, n: number, table: Uint8Array): number {
  const c = t[i];
  if (c === ':' || c === ';' || c === '=') {
    const end = western(t, i, n, table);
    if (end > 0) return end;
  } else if (c === 'x' || c === 'X') {
    if (i > 0 && isWord(t, i - 1, n, table)) return -1;
    const m = t[i + 1];
    if (m === 'D' || m === 'P' || m === 'd') {
      let j = i + 2;
      while (j < n && t[j] === m) j++;
      if (j >= n || !isWord(t, j, n, table)) return j;
    }
  } else if (c === '<') {
    let j = i + 1;
    if (t[j] === '/') j++;
    if (t[j] !== '3') return -1;
    while (j < n && t[j] === '3') j++;
    return j < n && t.charCodeAt(j) >= 0x30 && t.charCodeAt(j) <= 0x39 ? -1 : j;
  }
  return EASTERN_EYES.includes(c) ? eastern(t, i, n, table) : -1;
}

function western(t: string, i: number, n: number, table: Uint8Array): number {
  let j = i + 1;
  const nose = t[j];
  if (nose === '-' || nose === "'" || nose === '’' || nose === '^') j++;
  if (j >= n) return -1;
  const m = t[j];
  if (!MOUTHS.includes(m)) return -1;
  j++;
  if (OPEN_MOUTHS.includes(m)) {
    while (j < n && t[j] === m) j++;
    return j;
  }
  if (m === 'D' || m === 'P') while (j < n && t[j] === m) j++;
  if (j < n && (isWord(t, j, n, table) || (m === '/' && t[j] === '/'))) return -1;
  return j;
}

function eastern(t: string, i: number, n: number, table: Uint8Array): number {
  const e1 = t[i];
  if (WORDY_EYES.includes(e1) && i > 0 && isWord(t, i - 1, n, table)) return -1;
  if (e1 === '^' && t[i + 1] === '^') return after(t, i + 2, n, table, '^');
  const mid = t[i + 1];
  if (mid !== '_' && mid !== '.' && mid !== '-') return -1;
  let k = i + 2;
  if (mid === '_') while (k < n && t[k] === '_') k++; // -__-, ^___^
  const e2 = t[k];
  if (e2 === undefined || !EASTERN_EYES.includes(e2) || e1 === mid || e2 === mid) return -1;
  const wordy = WORDY_EYES.includes(e1) || WORDY_EYES.includes(e2);
  // `0-0-1`, `x-ray`: a hyphen between letter/digit eyes is a word joiner, not a nose.
  if (wordy && mid === '-') return -1;
  return after(t, k + 1, n, table, wordy ? 'o' : e2);
}

/** Letter/digit eyes need a boundary after: not a word character, nor `.`/`-` going on (`0.0.1`). */
function after(t: string, j: number, n: number, table: Uint8Array, lastEye: string): number {
  if (j < n && WORDY_EYES.includes(lastEye)) {
    const c = t[j];
    if (isWord(t, j, n, table) || c === '.' || c === '-' || c === '/') return -1;
  }
  return j;
}

function isWord(t: string, j: number, n: number, table: Uint8Array): boolean {
  return (classAt(t, j, n, table) & WORD) !== 0;
}
