import * as tf from '@tensorflow/tfjs';
import Ajv2020 from 'ajv/dist/2020';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, statSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenVocabulary } from '@twner/conll';
import { buildEmissionModel, type ModelConfig } from '../src/models/bilstm-crf';
import { wnut16Labels } from '../src/models/labels';
import { saveBundle, type SavedConfig } from '../src/run-folder/bundle';
import { configProblems, openRunFolder, RUN_FOLDER_FORMAT } from '../src/run-folder/format';
import { createRunFolder } from '../src/run-folder/create';
import { RunFolderError, TaggerError } from '../src/errors';
import schema from '../run-folder.schema.json';

const labels = wnut16Labels([]);
const root = mkdtempSync(join(tmpdir(), 'twner-runfolder-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const model: ModelConfig = {
  arch: 'notebook', vocabSize: 4, embeddingDim: 4, charVocabSize: 0, charDim: 0, charFilters: 0, charKernel: 1,
  maxChars: 1, featureDim: 0, units: 3, layers: 1, dropout: 0, denseUnits: 0, numTags: labels.length, seed: 1, fused: true, recurrentActivation: 'sigmoid',
};

async function writeRun(dir: string, members = 1): Promise<void> {
  const vocab = TokenVocabulary.build([['a', 'b']]);
  const K = labels.length;
  const nets = Array.from({ length: members }, () => buildEmissionModel(model));
  const crfs = nets.map(() => ({ transitions: tf.variable(tf.zeros([K, K])), start: tf.variable(tf.zeros([K])), end: tf.variable(tf.zeros([K])) }));
  const config: SavedConfig = { model, labels, constrained: true, useCasing: false, gazetteerLists: [], ...(members > 1 ? { ensemble: { seeds: [1, 2] } } : {}) };
  await saveBundle(dir, { model: nets[0], crf: crfs[0], vocab, chars: null, config, members: nets.slice(1).map((m, i) => ({ model: m, crf: crfs[i + 1] })) });
  nets.forEach((n) => n.dispose());
  crfs.forEach((c) => tf.dispose([c.transitions, c.start, c.end]));
}

let good: string;
let ensemble: string;
beforeAll(async () => {
  good = join(root, 'good');
  ensemble = join(root, 'ensemble');
  await writeRun(good);
  await writeRun(ensemble, 2);
});

/** A copy of the good run folder, changed by `damage`. */
function damaged(name: string, damage: (dir: string) => void, from = () => good): string {
  const dir = join(root, name);
  cpSync(from(), dir, { recursive: true });
  damage(dir);
  return dir;
}

const validate = new Ajv2020({ strict: false }).compile(schema);

describe('run-folder format', () => {
  it(`writes format ${RUN_FOLDER_FORMAT} and reads it back`, async () => {
    const config = JSON.parse(readFileSync(join(good, 'config.json'), 'utf8'));
    expect(config.format).toBe(RUN_FOLDER_FORMAT);
    expect(config.kind).toBe('bilstm-crf');
    const run = await openRunFolder(good);
    expect(run.format).toBe(2);
    expect(run.netDirs).toEqual([join(good, 'model')]);
    expect(run.crfs[0].transitions).toHaveLength(labels.length);
    expect((await openRunFolder(ensemble)).netDirs).toHaveLength(2);
  });

  it('opens a folder however its path is written (./x, x/, a//b, ., relative)', async () => {
    const cwd = process.cwd();
    try {
      process.chdir(root);
      for (const form of ['./ensemble', 'ensemble/', `.${'/'}/ensemble`, join(root, 'ensemble') + '/', 'ensemble']) {
        const run = await openRunFolder(form);
        expect([form, run.netDirs.length, run.crfs.length]).toEqual([form, 2, 2]);
      }
      process.chdir(ensemble);
      expect((await openRunFolder('.')).crfs).toHaveLength(2);
      // and a damaged one still names the file, relative to the folder
      const cut = damaged('cut-members', (d) => rmSync(join(d, 'members', '2', 'crf.json')), () => ensemble);
      process.chdir(root);
      await expect(openRunFolder('./cut-members/')).rejects.toThrow(/members\/2\/crf.json is missing/);
      expect(cut).toBe(join(root, 'cut-members'));
    } finally {
      process.chdir(cwd);
    }
  });

  it('reads format 1 folders (no format field, written before this version)', async () => {
    const dir = damaged('legacy', (d) => {
      const c = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8'));
      delete c.format;
      delete c.kind;
      writeFileSync(join(d, 'config.json'), JSON.stringify(c));
    });
    expect((await openRunFolder(dir)).format).toBe(1);
  });

  it('the JSON Schema and the loader agree on good and broken configs', () => {
    const base = JSON.parse(readFileSync(join(good, 'config.json'), 'utf8'));
    const variants: [string, unknown][] = [
      ['good', base],
      ['legacy', { ...base, format: undefined, kind: undefined }],
      ['no labels', { ...base, labels: [] }],
      ['bad arch', { ...base, model: { ...base.model, arch: 'lstm' } }],
      ['dropout 2', { ...base, model: { ...base.model, dropout: 2 } }],
      ['units 0', { ...base, model: { ...base.model, units: 0 } }],
      ['scheme', { ...base, gazetteerScheme: 'BIO' }],
      ['seeds', { ...base, ensemble: { seeds: [] } }],
      ['no model', { ...base, model: undefined }],
      ['constrained string', { ...base, constrained: 'yes' }],
      ['variational dropout on', { ...base, model: { ...base.model, variationalDropout: true } }],
      ['variational dropout string', { ...base, model: { ...base.model, variationalDropout: 'yes' } }],
    ];
    for (const [name, value] of variants) {
      const clean = JSON.parse(JSON.stringify(value));
      expect([name, validate(clean)]).toEqual([name, configProblems(clean).length === 0]);
    }
    expect(validate(base)).toBe(true);
  });

  const cases: [string, (d: string) => void, RegExp][] = [
    ['no config.json', (d) => rmSync(join(d, 'config.json')), /is not a twner run folder: config.json is missing/],
    ['truncated config.json', (d) => writeFileSync(join(d, 'config.json'), readFileSync(join(d, 'config.json'), 'utf8').slice(0, 50)), /config.json is not valid JSON .*cut off/],
    ['from the future', (d) => {
      const c = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8'));
      writeFileSync(join(d, 'config.json'), JSON.stringify({ ...c, format: 99 }));
    }, /newer twner \(run-folder format 99; this version reads up to 2\)/],
    ['no weights.bin', (d) => rmSync(join(d, 'model', 'weights.bin')), /model\/weights.bin is missing \(a half-written run folder\?\)/],
    ['cut-off weights.bin', (d) => truncateSync(join(d, 'model', 'weights.bin'), statSync(join(d, 'model', 'weights.bin')).size - 4), /holds \d+ bytes, model.json promises \d+: the weights were cut off/],
    ['truncated model.json', (d) => writeFileSync(join(d, 'model', 'model.json'), '{"modelTopology": {'), /model\/model.json is not valid JSON/],
    ['bad crf.json', (d) => writeFileSync(join(d, 'model', 'crf.json'), JSON.stringify({ transitions: [[1]], start: [0], end: [0] })), /crf.json must hold finite "transitions" \[21\]\[21\]/],
    ['labels ≠ model', (d) => {
      const c = JSON.parse(readFileSync(join(d, 'config.json'), 'utf8'));
      writeFileSync(join(d, 'config.json'), JSON.stringify({ ...c, labels: c.labels.slice(0, 5) }));
    }, /"model.numTags" is 21 but "labels" holds 5/],
    ['a Hugging Face checkpoint', (d) => {
      for (const f of readdirSync(d)) rmSync(join(d, f), { recursive: true });
      writeFileSync(join(d, 'model.safetensors'), '');
    }, /is a Hugging Face checkpoint, not a BiLSTM-CRF run folder/],
    ['a BERT run', (d) => {
      rmSync(join(d, 'config.json'));
      writeFileSync(join(d, 'run.json'), '{}');
    }, /is a BERT run \(run.json\)/],
  ];
  it.each(cases)('refuses %s with a RunFolderError naming the file', async (_name, damage, message) => {
    const dir = damaged(`bad-${_name.replace(/\W+/g, '-')}`, damage);
    const error = await openRunFolder(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunFolderError);
    expect((error as RunFolderError).code).toBe('TWNER_RUN_FOLDER');
    expect((error as Error).message).toContain(dir);
    expect((error as Error).message).toMatch(message);
  });

  it('names a missing ensemble member', async () => {
    const dir = damaged('no-member', (d) => rmSync(join(d, 'members', '2'), { recursive: true }), () => ensemble);
    await expect(openRunFolder(dir)).rejects.toThrow(/members\/2\/model.json is missing/);
  });
});

describe('createRunFolder (atomic, never over a user\'s files)', () => {
  it('writes into a hidden sibling and renames it into place on commit', async () => {
    const dir = join(root, 'atomic', 'run');
    const folder = await createRunFolder(dir, { unique: false, force: false });
    writeFileSync(join(folder.temp, 'config.json'), '{}');
    expect(existsSync(dir)).toBe(false);
    expect(folder.temp.startsWith(join(root, 'atomic', '.run.partial-'))).toBe(true);
    await folder.commit();
    expect(readdirSync(dir)).toEqual(['config.json']);
    expect(readdirSync(join(root, 'atomic'))).toEqual(['run']);
  });

  it('an abandoned run leaves nothing behind', async () => {
    const folder = await createRunFolder(join(root, 'abandoned', 'runs', 'bilstm-crf'), { unique: true, force: false });
    await folder.abandon();
    expect(readdirSync(join(root, 'abandoned', 'runs'))).toEqual([]);
  });

  it('refuses an existing non-empty folder without force, and replaces it only on commit with force', async () => {
    const dir = join(root, 'mine');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'my notes');
    await expect(createRunFolder(dir, { unique: false, force: false })).rejects.toThrow(/exists and is not empty; give a new folder, or --force/);
    const folder = await createRunFolder(dir, { unique: false, force: true });
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('my notes');
    writeFileSync(join(folder.temp, 'config.json'), '{}');
    await folder.commit();
    expect(readdirSync(dir)).toEqual(['config.json']);
  });

  it('gives runs started in the same second different folders', async () => {
    const base = join(root, 'same-second', 'bilstm-crf');
    const folders = await Promise.all([1, 2, 3].map(() => createRunFolder(base, { unique: true, force: false })));
    expect(new Set(folders.map((f) => f.final)).size).toBe(3);
  });

  it('refuses a path under a file and kernel file systems at once', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, 'x');
    await expect(createRunFolder(join(file, 'run'), { unique: false, force: false })).rejects.toThrow(new RegExp(`${file} is a file, not a folder`));
    await expect(createRunFolder(file, { unique: false, force: false })).rejects.toThrow(/is a file; give a folder/);
    await expect(createRunFolder('/proc/x/run', { unique: false, force: false })).rejects.toThrow(TaggerError);
  });
});
