import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { BertTokenizer, SequenceTooLongError, TokenizerLoadError, toModelInputs } from '../src/index';
import { expectCloseNested, type ForwardFixture, MODEL_DIR, readFixture } from './fixture-hf-tiny-bert';

const forward = readFixture<ForwardFixture>('forward.json');
const tokenizer = BertTokenizer.fromPretrained(MODEL_DIR);

describe('BertTokenizer.encodeWords', () => {
  it('reproduces the Hugging Face is_split_into_words batch of all 16 fixture tweets', async () => {
    const batch = await tokenizer.encodeWords(forward.words);
    expectCloseNested(batch.inputIds, forward.input_ids);
    expectCloseNested(batch.tokens, forward.tokens);
    expectCloseNested(batch.wordIds, forward.word_ids);
    expectCloseNested(batch.attentionMask, forward.attention_mask);
    expectCloseNested(batch.tokenTypeIds, forward.token_type_ids);
  });

  it('reproduces each tweet alone, unpadded, as the padded batch without its padding', async () => {
    for (let b = 0; b < forward.words.length; b++) {
      const one = await tokenizer.encodeWords([forward.words[b]], { padding: false });
      const n = forward.attention_mask[b].reduce((s, x) => s + x, 0);
      expectCloseNested(one.inputIds[0], forward.input_ids[b].slice(0, n));
      expect(one.lengths[0]).toBe(n);
    }
  });

  it('takes special and pad tokens from the tokenizer files', async () => {
    expect(tokenizer.padToken).toEqual({ token: '[PAD]', id: 0 });
    expect(tokenizer.unkToken).toEqual({ token: '[UNK]', id: 1 });
    const template = await tokenizer.sequenceTemplate();
    expect(template.prefix.map((p) => [p.token, p.id])).toEqual([['[CLS]', 2]]);
    expect(template.suffix.map((p) => [p.token, p.id])).toEqual([['[SEP]', 3]]);
  });

  it('gives an empty word no sub-tokens and keeps later word ids in place', async () => {
    const batch = await tokenizer.encodeWords([['new', '', 'orleans']], { padding: false });
    expect(batch.tokens[0]).toEqual(['[CLS]', 'new', 'or', '##le', '##ans', '[SEP]']);
    expect(batch.wordIds[0]).toEqual([null, 0, 2, 2, 2, null]);
    expect(batch.numWordsKept).toEqual([2]);
  });

  it('gives offsets relative to each word in UTF-16 units', async () => {
    const batch = await tokenizer.encodeWords([['😀,x', 'Orleans']], { padding: false });
    const words = ['😀,x', 'Orleans'];
    const pieces = batch.offsets[0].map(([s, e], i) => {
      const w = batch.wordIds[0][i];
      return w === null ? null : words[w].slice(s, e);
    });
    expect(pieces).toEqual([null, '😀', ',', 'x', 'Or', 'le', 'ans', null]);
  });

  it('encodes an empty batch and an empty sentence', async () => {
    expect((await tokenizer.encodeWords([])).inputIds).toEqual([]);
    const batch = await tokenizer.encodeWords([[]]);
    expect(batch.tokens).toEqual([['[CLS]', '[SEP]']]);
  });
});

describe('BertTokenizer truncation policy', () => {
  const words = [['New', 'Orleans', 'parade']]; // [CLS] new or ##le ##ans parade [SEP] = 7

  it("throws SequenceTooLongError by default when maxLength is exceeded", async () => {
    await expect(tokenizer.encodeWords(words, { maxLength: 4 })).rejects.toThrow(SequenceTooLongError);
    await expect(tokenizer.encodeWords(words, { maxLength: 4 })).rejects.toThrow(
      'Sequence 0 needs 7 sub-tokens (special tokens included) but maxLength is 4',
    );
  });

  it("cuts sub-tokens like Hugging Face with 'tokens', possibly inside a word", async () => {
    const batch = await tokenizer.encodeWords(words, { maxLength: 4, truncation: 'tokens' });
    expect(batch.tokens[0]).toEqual(['[CLS]', 'new', 'or', '[SEP]']);
    expect(batch.truncated).toEqual([true]);
  });

  it("keeps whole words only with 'words'", async () => {
    const batch = await tokenizer.encodeWords(words, { maxLength: 4, truncation: 'words' });
    expect(batch.tokens[0]).toEqual(['[CLS]', 'new', '[SEP]']);
    expect(batch.numWordsKept).toEqual([1]);
    const fits = await tokenizer.encodeWords(words, { maxLength: 7, truncation: 'words' });
    expect(fits.truncated).toEqual([false]);
  });
});

describe('BertTokenizer.encodeText', () => {
  it('gives character offsets that slice the input text, also after an emoji', async () => {
    const text = "😀 New Orleans Mother's Day";
    const batch = await tokenizer.encodeText(text);
    expect(batch.tokens[0]).toEqual(['[CLS]', '[UNK]', 'new', 'or', '##le', '##ans', 'mother', "'", 's', 'day', '[SEP]']);
    const slices = batch.offsets[0].map(([s, e]) => text.slice(s, e));
    expect(slices).toEqual(['', '😀', 'New', 'Or', 'le', 'ans', 'Mother', "'", 's', 'Day', '']);
  });

  it('numbers pre-tokenizer words in wordIds and space-separated words in whitespaceWordIds', async () => {
    const batch = await tokenizer.encodeText(["Mother's Day"]);
    expect(batch.wordIds[0]).toEqual([null, 0, 1, 2, 3, null]);
    expect(batch.whitespaceWordIds[0]).toEqual([null, 0, 0, 0, 1, null]);
  });

  it('matches encodeWords on a tweet whose words are separated by single spaces', async () => {
    const words = forward.words[0];
    const fromText = await tokenizer.encodeText(words.join(' '));
    const fromWords = await tokenizer.encodeWords([words]);
    expect(fromText.inputIds).toEqual(fromWords.inputIds);
    expect(fromText.whitespaceWordIds).toEqual(fromWords.wordIds);
  });
});

describe('BertTokenizer loading and saving', () => {
  it('names the directory when tokenizer.json is missing', () => {
    expect(() => BertTokenizer.fromPretrained(os.tmpdir())).toThrow(TokenizerLoadError);
  });

  it('saves tokenizer.json byte for byte and tokenizer_config.json', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'twner-tok-'));
    try {
      tokenizer.save(dir);
      expect(readFileSync(path.join(dir, 'tokenizer.json'), 'utf8')).toBe(
        readFileSync(path.join(MODEL_DIR, 'tokenizer.json'), 'utf8'),
      );
      const again = BertTokenizer.fromPretrained(dir);
      expect(again.padToken).toEqual(tokenizer.padToken);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('joins WordPiece tokens with the decoder', () => {
    expect(tokenizer.convertTokensToString(['or', '##le', '##ans'])).toBe('orleans');
    expect(tokenizer.convertTokensToString(['yahoo', '##dr', '##sa', '##t', '##urday'])).toBe('yahoodrsaturday');
  });
});

describe('toModelInputs', () => {
  it('builds int32 [B, S] tensors equal to the padded batch', async () => {
    const batch = await tokenizer.encodeWords(forward.words.slice(0, 2));
    const inputs = toModelInputs(batch);
    try {
      expect(inputs.inputIds.shape).toEqual([2, batch.inputIds[0].length]);
      expect(inputs.inputIds.dtype).toBe('int32');
      expect(await inputs.inputIds.array()).toEqual(batch.inputIds);
      expect(await inputs.attentionMask.array()).toEqual(batch.attentionMask);
      expect(await inputs.tokenTypeIds.array()).toEqual(batch.tokenTypeIds);
    } finally {
      tf.dispose([inputs.inputIds, inputs.attentionMask, inputs.tokenTypeIds]);
    }
  });
});
