import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

// The two experiments run end to end on tiny subsets (the packages' built dist, as a user gets them).
const root = path.join(__dirname, '..');
function run(script: string, args: string[] = []) {
  return spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'src', script), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TWNER_EXAMPLE_SMOKE: '1', TWNER_DATA_DIR: process.env.TWNER_DATA_DIR ?? path.resolve(root, '../../shared/data/wnut16') },
    timeout: 110_000,
  });
}

describe('examples', () => {
  it('bilstm-crf.ts trains, scores test once, saves, reloads without tfjs and tags a tweet', () => {
    const r = run('bilstm-crf.ts');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Tweets|Data:/);
    expect(r.stdout).toMatch(/micro avg/);
    expect(r.stdout).toMatch(/test entity micro-F1: \d\.\d{4}/);
  });

  it('bert.ts fine-tunes the tiny fixture and scores test words', () => {
    const r = run('bert.ts', [path.resolve(root, '../../shared/fixtures/hf-tiny-bert/model')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/best dev epoch: \d/);
    expect(r.stdout).toMatch(/test entity micro-F1 \(words\): \d\.\d{4}/);
  });
});
