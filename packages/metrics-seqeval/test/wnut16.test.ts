import fs from 'node:fs';
import path from 'node:path';
import { classificationReport, conlleval, partialMatch, type ReportDict } from '../src/index';

const sharedDir = process.env.TWNER_SHARED_DIR ?? path.resolve(__dirname, '../../../../shared');
const file = path.join(sharedDir, 'data/wnut16/test.conll');
const describeIfData = fs.existsSync(file) ? describe : describe.skip;

/** Tags per sentence: the last tab-separated field of each line; blank lines end sentences. */
function readTags(text: string): string[][] {
  const sentences: string[][] = [];
  let current: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      if (current.length > 0) sentences.push(current);
      current = [];
    } else {
      current.push(line.slice(line.lastIndexOf('\t') + 1));
    }
  }
  if (current.length > 0) sentences.push(current);
  return sentences;
}

interface Gold {
  sentence: number;
  start: number;
  end: number;
  type: string;
}

describeIfData('WNUT 2016 test gold against a deterministic corruption', () => {
  const gold = readTags(fs.readFileSync(file, 'utf8'));
  // The gold is well-formed IOB2: read it naively (B- opens, I- extends).
  const entities: Gold[] = [];
  gold.forEach((tags, sentence) => {
    tags.forEach((tag, i) => {
      if (tag.startsWith('B-')) entities.push({ sentence, start: i, end: i + 1, type: tag.slice(2) });
      else if (tag.startsWith('I-')) entities[entities.length - 1].end = i + 1;
    });
  });
  const types = [...new Set(entities.map((e) => e.type))].sort();
  // Entity k (1-based, in reading order): every 11th is dropped; else every 7th gets the next type.
  const fate = (k: number) => (k % 11 === 0 ? 'dropped' : k % 7 === 0 ? 'retyped' : 'kept');
  const pred = gold.map((tags) => tags.slice());
  entities.forEach((e, index) => {
    const f = fate(index + 1);
    const type = f === 'retyped' ? types[(types.indexOf(e.type) + 1) % types.length] : e.type;
    for (let i = e.start; i < e.end; i += 1) {
      pred[e.sentence][i] = f === 'dropped' ? 'O' : `${i === e.start ? 'B' : 'I'}-${type}`;
    }
  });

  it('has the counts that can be checked by hand', () => {
    expect(gold.length).toBe(3850);
    expect(gold.flat().length).toBe(61908);
    expect(entities.length).toBe(3473);
    expect(types).toEqual(['company', 'facility', 'geo-loc', 'movie', 'musicartist', 'other', 'person', 'product', 'sportsteam', 'tvshow']);
    // dropped: floor(3473 / 11) = 315; retyped: floor(3473 / 7) - floor(3473 / 77) = 496 - 45 = 451
    expect(entities.filter((_, k) => fate(k + 1) === 'dropped').length).toBe(315);
    expect(entities.filter((_, k) => fate(k + 1) === 'retyped').length).toBe(451);
  });

  // Expected per-type counts straight from the corruption rule.
  const expected = types.map((type) => {
    let truth = 0;
    let predicted = 0;
    let tp = 0;
    entities.forEach((e, index) => {
      const f = fate(index + 1);
      const newType = f === 'retyped' ? types[(types.indexOf(e.type) + 1) % types.length] : e.type;
      if (e.type === type) truth += 1;
      if (f !== 'dropped' && newType === type) predicted += 1;
      if (f === 'kept' && e.type === type) tp += 1;
    });
    return { type, truth, predicted, tp };
  });

  function checkReport(report: ReportDict) {
    const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
    const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
    for (const { type, truth, predicted, tp } of expected) {
      const p = ratio(tp, predicted);
      const r = ratio(tp, truth);
      expect(report[type]).toEqual({ precision: p, recall: r, 'f1-score': f1(p, r), support: truth });
    }
    // totals: tp = 3473 - 315 - 451 = 2707; predicted = 3473 - 315 = 3158
    expect(report['micro avg'].precision).toBe(2707 / 3158);
    expect(report['micro avg'].recall).toBe(2707 / 3473);
    expect(report['micro avg'].support).toBe(3473);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const rows = expected.map((e) => report[e.type]);
    expect(report['macro avg']['f1-score']).toBeCloseTo(mean(rows.map((x) => x['f1-score'])), 14);
    const weighted = rows.reduce((a, x) => a + x.recall * x.support, 0) / 3473;
    expect(report['weighted avg'].recall).toBeCloseTo(weighted, 14);
  }

  it('reports the expected per-type and average scores in default mode', () => {
    checkReport(classificationReport(gold, pred, { outputDict: true }));
  });

  it('reports the same in strict IOB2 mode (the corruption keeps IOB2 well-formed)', () => {
    checkReport(classificationReport(gold, pred, { outputDict: true, mode: 'strict', scheme: 'IOB2' }));
  });

  it('prints the micro average row with the hand-checkable totals', () => {
    const text = classificationReport(gold, pred, { digits: 4 });
    // 2707/3158 = 0.857188..., 2707/3473 = 0.779441..., F1 = 2*2707/(3158+3473) = 0.816468...
    expect(text).toContain('   micro avg     0.8572    0.7794    0.8165      3473\n');
  });

  it('gives conlleval the same phrase counts and the changed tokens as accuracy', () => {
    const r = conlleval(gold, pred);
    expect([r.tokens, r.phrases, r.found, r.correct]).toEqual([61908, 3473, 3158, 2707]);
    const changed = entities.reduce((n, e, k) => n + (fate(k + 1) === 'kept' ? 0 : e.end - e.start), 0);
    expect(r.correctTags).toBe(61908 - changed);
  });

  it('sorts the changes into the partial-match schemas', () => {
    const r = partialMatch(gold, pred);
    expect(r.strict).toMatchObject({ correct: 2707, incorrect: 451, missed: 315, spurious: 0 });
    expect(r.exact).toMatchObject({ correct: 3158, incorrect: 0, missed: 315, spurious: 0 });
    expect(r.type).toMatchObject({ correct: 2707, incorrect: 451 });
  });
});
