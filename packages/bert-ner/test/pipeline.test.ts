import * as tf from '@tensorflow/tfjs';
import {
  BertForTokenClassification,
  BertTokenizer,
  InvalidOptionError,
  tokenClassificationPipeline,
  type AggregationStrategy,
  type TokenClassifierModel,
} from '../src/index';
import { expectCloseNested, MODEL_DIR, type PipelineFixture, readFixture } from './fixture-hf-tiny-bert';

const fixture = readFixture<PipelineFixture>('pipeline.json');
const strategies: AggregationStrategy[] = ['none', 'simple', 'first', 'average', 'max'];

describe('tokenClassificationPipeline on the Hugging Face fixture model', () => {
  let model: BertForTokenClassification;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    model = await BertForTokenClassification.fromPretrained(MODEL_DIR);
  });

  it.each(strategies)(
    "reproduces pipeline.json's %s entities: spans, labels and words exactly, scores within 1e-4",
    async (strategy) => {
      const ner = await tokenClassificationPipeline(model, { aggregationStrategy: strategy });
      const got = await ner(fixture.texts);
      // Integers (start, end, index) differ by ≥ 1 when wrong, so a 1e-4 tolerance keeps them exact.
      expectCloseNested(got, fixture.results[strategy], 1e-4);
    },
  );

  it('gives the same entities for one text as for the batch, and loads from a directory', async () => {
    const ner = await tokenClassificationPipeline(MODEL_DIR, { aggregationStrategy: 'first' });
    expectCloseNested(await ner(fixture.texts[5]), fixture.results.first[5], 1e-4);
  });

  it('does not leak tensors', async () => {
    const ner = await tokenClassificationPipeline(model, { aggregationStrategy: 'simple', batchSize: 2 });
    await ner(fixture.texts.slice(0, 1));
    const before = tf.memory().numTensors;
    await ner(fixture.texts);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('drops nothing with ignoreLabels [] and drops a grouped type by name', async () => {
    const all = await tokenClassificationPipeline(model, { aggregationStrategy: 'first', ignoreLabels: [] });
    const noGeo = await tokenClassificationPipeline(model, { aggregationStrategy: 'first', ignoreLabels: ['O', 'geo-loc'] });
    const [text] = fixture.texts;
    expect((await all(text)).length).toBeGreaterThanOrEqual(fixture.results.first[0].length);
    expectCloseNested(await noGeo(text), fixture.results.first[0].filter((e) => e.entity_group !== 'geo-loc'), 1e-4);
  });

  it('rejects an unknown aggregation strategy', async () => {
    await expect(
      tokenClassificationPipeline(model, { aggregationStrategy: 'sum' as AggregationStrategy }),
    ).rejects.toThrow(InvalidOptionError);
  });
});

describe('tokenClassificationPipeline grouping, on fixed logits', () => {
  // A stub model: fixed logits per token, so grouping is checked by hand, independent of BERT.
  const tokenizer = BertTokenizer.fromPretrained(MODEL_DIR);
  const labels = ['O', 'B-person', 'I-person', 'B-geo-loc', 'I-geo-loc'];
  const id2label = Object.fromEntries(labels.map((l, i) => [i, l]));
  function stub(tags: string[]): TokenClassifierModel {
    return {
      config: { id2label },
      predict: ({ inputIds }) => {
        const [b, s] = inputIds.shape;
        const rows = Array.from({ length: b }, () =>
          Array.from({ length: s }, (_, i) => labels.map((l) => (l === (tags[i] ?? 'O') ? 5 : 0))),
        );
        return { logits: tf.tensor3d(rows) };
      },
    };
  }

  it('groups before filtering O, so O between two I- tags of a type splits them', async () => {
    // [CLS] went to london [SEP] : went B-person, to O, london I-person
    const ner = await tokenClassificationPipeline(stub(['O', 'B-person', 'O', 'I-person']), {
      aggregationStrategy: 'simple',
      tokenizer,
    });
    const got = await ner('went to london');
    expect(got.map((e) => ('entity_group' in e ? [e.entity_group, e.word, e.start, e.end] : []))).toEqual([
      ['person', 'went', 0, 4],
      ['person', 'london', 8, 14],
    ]);
  });

  it('merges an I- word into the preceding entity and decodes the pieces with ##', async () => {
    // [CLS] or ##le ##ans parade : or B-geo-loc, ##le I-geo-loc, ##ans I-geo-loc, parade I-geo-loc
    const ner = await tokenClassificationPipeline(stub(['O', 'B-geo-loc', 'I-geo-loc', 'I-geo-loc', 'I-geo-loc']), {
      aggregationStrategy: 'simple',
      tokenizer,
    });
    const [group] = await ner('Orleans parade');
    expect(group).toEqual({ entity_group: 'geo-loc', score: expect.any(Number), word: 'orleans parade', start: 0, end: 14 });
  });

  it('labels a word by its first piece with first, even when later pieces disagree', async () => {
    const ner = await tokenClassificationPipeline(stub(['O', 'B-person', 'O', 'O']), {
      aggregationStrategy: 'first',
      tokenizer,
    });
    expect(await ner('Orleans')).toEqual([
      { entity_group: 'person', score: expect.any(Number), word: 'orleans', start: 0, end: 7 },
    ]);
  });

  it("shows the text of an unknown token and offsets that slice the input after an emoji", async () => {
    const ner = await tokenClassificationPipeline(stub(['O', 'B-person', 'B-geo-loc']), { tokenizer });
    const text = '😀 paris';
    const got = await ner(text);
    expect(got.map((e) => [('entity' in e ? e.entity : ''), e.word, text.slice(e.start, e.end)])).toEqual([
      ['B-person', '😀', '😀'],
      ['B-geo-loc', 'paris', 'paris'],
    ]);
  });
});
