import type { Sentence } from './sentences';
import { TrainingError } from '../errors';

/**
 * Training tags must be IOB2 (an `I-x` only after `B-x` or `I-x`): the CRF's constraints forbid
 * anything else, and a forbidden gold path trains with a huge loss instead of failing.
 */
export function checkIob2(sentences: readonly Sentence[], split: string): void {
  sentences.forEach((s, k) => {
    if (s.tags.length !== s.tokens.length) throw new TrainingError(`${split} sentence ${k + 1}: ${s.tokens.length} tokens but ${s.tags.length} tags`);
    s.tags.forEach((tag, i) => {
      if (!tag.startsWith('I-')) return;
      const prev = i > 0 ? s.tags[i - 1] : 'O';
      if (prev !== `B-${tag.slice(2)}` && prev !== tag) {
        throw new TrainingError(
          `${split} sentence ${k + 1}, token ${i + 1} (${JSON.stringify(s.tokens[i].slice(0, 40))}): tag ${tag} follows ${prev}, which IOB2 forbids; ` +
            'repair the file (e.g. @twner/conll repairIob2 turns it into B-) or convert it to IOB2',
        );
      }
    });
  });
}
