// Hostile input (issue 16): a checkpoint whose head is missing or partial, options the API does
// not take, and texts that are not strings give typed errors naming the tensors, file, option or
// index, never a random head in silence or a Rust message from the tokenizers binding.
import * as tf from '@tensorflow/tfjs';
import * as path from 'node:path';
import {
  BertForTokenClassification,
  BertNerError,
  BertTokenizer,
  InvalidInputError,
  tokenClassificationPipeline,
  UnknownOptionError,
  WeightsMismatchError,
  type TokenClassificationPipeline,
} from '../src';
import { writeCheckpoint } from './checkpoint-dirs';
import { TINY_MODEL_DIR } from './fixture';

async function rejected(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

const withoutHead = (...names: string[]) => writeCheckpoint({ tokenizer: true, edit: (tensors) => names.forEach((name) => tensors.delete(name)) });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('a checkpoint whose classifier head is partly missing', () => {
  test.each([
    ['classifier.bias', 'classifier.weight'],
    ['classifier.weight', 'classifier.bias'],
  ])('is refused when %s is missing, whatever the options, naming the tensor and the file', async (gone, kept) => {
    const dir = withoutHead(gone);
    const file = path.join(dir, 'model.safetensors');
    for (const options of [{}, { allowNewHead: true }, { ignoreMismatchedSizes: true }, { allowNewHead: true, ignoreMismatchedSizes: true, labels: ['O', 'B-x', 'I-x'] }]) {
      const error = await rejected(() => BertForTokenClassification.fromPretrained(dir, options));
      expect(error).toBeInstanceOf(WeightsMismatchError);
      expect(error).toMatchObject({ code: 'WEIGHTS_MISMATCH', missing: [gone], source: file });
      expect(error.message).toContain(`Checkpoint ${file} does not fit the config: missing 1 tensor(s): ${gone}`);
      expect(error.message).toContain(`The token-classification head is incomplete (${kept} present, ${gone} missing)`);
    }
  });
});

describe('a checkpoint without any classifier head (a base model)', () => {
  it('is refused by default, saying how to fine-tune it', async () => {
    const dir = withoutHead('classifier.weight', 'classifier.bias');
    const error = await rejected(() => BertForTokenClassification.fromPretrained(dir));
    expect(error).toBeInstanceOf(WeightsMismatchError);
    expect((error as WeightsMismatchError).missing).toEqual(['classifier.weight', 'classifier.bias']);
    expect(error.message).toBe(
      `Checkpoint ${path.join(dir, 'model.safetensors')} does not fit the config: missing 2 tensor(s): classifier.weight, classifier.bias. ` +
        'The checkpoint has no token-classification head (classifier.weight, classifier.bias), as a base model such as bert-base-uncased: ' +
        'to fine-tune it, pass { allowNewHead: true } (with labels) to start a new, randomly initialised head; to predict, load a checkpoint trained for token classification',
    );
  });

  it('is refused by the pipeline, which predicts', async () => {
    const dir = withoutHead('classifier.weight', 'classifier.bias');
    await expect(tokenClassificationPipeline(dir)).rejects.toThrow(WeightsMismatchError);
  });

  it('gets a new head with allowNewHead, the same encoder, and the head in loadReport', async () => {
    const dir = withoutHead('classifier.weight', 'classifier.bias');
    const model = await BertForTokenClassification.fromPretrained(dir, { allowNewHead: true, labels: ['O', 'B-x', 'I-x'], seed: 3 });
    const reference = await BertForTokenClassification.fromPretrained(TINY_MODEL_DIR);
    expect(model.loadReport.newlyInitialized).toEqual(['classifier.weight', 'classifier.bias']);
    expect(model.numLabels).toBe(3);
    // The encoder is the checkpoint's, tensor for tensor; only the head is new (bias zero, as Hugging Face initialises it).
    const name = 'bert.encoder.layer.1.output.dense.weight';
    expect(model.namedWeights().get(name)!.arraySync()).toEqual(reference.namedWeights().get(name)!.arraySync());
    expect(model.namedWeights().get('classifier.bias')!.arraySync()).toEqual([0, 0, 0]);
    model.dispose();
    reference.dispose();
  });

  it('gets a new head with ignoreMismatchedSizes and labels, as `twner train bert` asks for one', async () => {
    const dir = withoutHead('classifier.weight', 'classifier.bias');
    const model = await BertForTokenClassification.fromPretrained(dir, { labels: ['O', 'B-x', 'I-x'], ignoreMismatchedSizes: true });
    expect(model.loadReport.newlyInitialized).toEqual(['classifier.weight', 'classifier.bias']);
    model.dispose();
  });

  it('says to pass ignoreMismatchedSizes for a head of another size', async () => {
    const error = await rejected(() => BertForTokenClassification.fromPretrained(TINY_MODEL_DIR, { labels: ['O', 'B-x', 'I-x'] }));
    expect(error.message).toContain('The classifier has another number of labels: pass { ignoreMismatchedSizes: true } to start a new head for these labels');
  });

  it('refuses a head of another size that is also partial, even with ignoreMismatchedSizes', async () => {
    const dir = withoutHead('classifier.bias');
    const error = await rejected(() => BertForTokenClassification.fromPretrained(dir, { labels: ['O', 'B-x', 'I-x'], ignoreMismatchedSizes: true }));
    expect(error).toMatchObject({ name: 'WeightsMismatchError', missing: ['classifier.bias'] });
    expect((error as WeightsMismatchError).shapeMismatches.map((m) => m.name)).toEqual(['classifier.weight']);
  });
});

describe('unknown options', () => {
  it('fromPretrained refuses allow_new_head and suggests allowNewHead, before reading any file', async () => {
    const error = await rejected(() => BertForTokenClassification.fromPretrained('/nonexistent', { allow_new_head: true } as never));
    expect(error).toBeInstanceOf(UnknownOptionError);
    expect(error).toBeInstanceOf(BertNerError);
    expect(error).toMatchObject({ code: 'UNKNOWN_OPTION', option: 'allow_new_head' });
    expect(error.message).toBe(
      'BertForTokenClassification.fromPretrained: unknown option `allow_new_head` (did you mean allowNewHead? options are camelCase); ' +
        'accepted options are revision, cacheDir, accessToken, localFilesOnly, fetch, hubUrl, labels, ignoreMismatchedSizes, allowNewHead, seed',
    );
  });

  it('tokenClassificationPipeline refuses aggregation_strategy', async () => {
    const error = await rejected(() => tokenClassificationPipeline(TINY_MODEL_DIR, { aggregation_strategy: 'first' } as never));
    expect(error).toMatchObject({ name: 'UnknownOptionError', option: 'aggregation_strategy' });
    expect(error.message).toContain('did you mean aggregationStrategy?');
  });
});

describe('texts that are not strings', () => {
  let ner: TokenClassificationPipeline;
  let tokenizer: BertTokenizer;
  beforeAll(async () => {
    ner = await tokenClassificationPipeline(TINY_MODEL_DIR, { aggregationStrategy: 'simple' });
    tokenizer = BertTokenizer.fromPretrained(TINY_MODEL_DIR);
  });

  test.each<[string, unknown, string, string]>([
    ['[null]', [null], 'texts[0]', 'tokenClassificationPipeline: texts[0] must be a string, received null; pass the text itself (map ids or objects to strings first)'],
    ['a number in a batch', ['ok', 7], 'texts[1]', 'tokenClassificationPipeline: texts[1] must be a string, received a number (7); pass the text itself (map ids or objects to strings first)'],
    ['null', null, 'texts', 'tokenClassificationPipeline: expected a string or an array of strings, received null'],
    ['an object', { text: 'hi' }, 'texts', 'tokenClassificationPipeline: expected a string or an array of strings, received an object'],
    ['a lone surrogate', 'a\uD800b', 'text', 'tokenClassificationPipeline: text holds a lone surrogate (U+D800) at index 1, which the tokenizer would drop and shift the offsets; pass well-formed text (e.g. text.toWellFormed())'],
  ])('the pipeline refuses %s with InvalidInputError naming the index', async (_, input, argument, message) => {
    const error = await rejected(() => ner(input as string[]));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', argument, message });
  });

  it('still reads empty input and emoji', async () => {
    expect(await ner([])).toEqual([]);
    expect(await ner([''])).toEqual([[]]);
    expect(Array.isArray(await ner('😀 in New York'))).toBe(true);
  });

  it('the tokenizer refuses them in encodeText and encodeWords', async () => {
    await expect(tokenizer.encodeText([undefined] as never)).rejects.toMatchObject({ name: 'InvalidInputError', argument: 'texts[0]' });
    await expect(tokenizer.encodeWords([['New', null]] as never)).rejects.toMatchObject({ name: 'InvalidInputError', argument: 'sentences[0][1]' });
    await expect(tokenizer.encodeWords(['New York'] as never)).rejects.toMatchObject({ name: 'InvalidInputError', argument: 'sentences[0]' });
    await expect(tokenizer.encodeWords('New York' as never)).rejects.toMatchObject({ name: 'InvalidInputError', argument: 'sentences' });
  });
});
