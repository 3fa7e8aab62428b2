import type * as tf from '@tensorflow/tfjs';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sentence } from '../data/sentences';
import { EXIT_FAILURE, TaggerError } from '../errors';
import type { CrfParams } from '../models/crf';
import { loadNet } from '../run-folder/bundle';
import type { ResolvedTrainOptions } from './options';

/**
 * Ensemble members of a refit: members 2..n train in child processes (one core each) while
 * member 1 trains in the parent. A member is the refit on train + dev with the run's options,
 * epoch count and learning-rate schedule, and its own seed.
 */
export interface MemberJob {
  options: ResolvedTrainOptions;
  seed: number;
  epochs: number;
  schedule: number[];
  /** The refit's training sentences (train + dev). */
  sentences: Sentence[];
  /** The gazetteer folder and lists of the run, or null without gazetteer features. */
  lexicon: { dir: string; names: string[] } | null;
  /** Folder the member writes `model.json`, `weights.bin`, `crf.json` and `vocab.json` to. */
  out: string;
}

/** A trained member read back from its folder. */
export interface Member {
  seed: number;
  model: tf.LayersModel;
  crf: CrfParams;
  /** The member's vocabulary JSON (must equal member 1's: same data, same rules). */
  vocabJson: string;
  /** What the member printed (epoch lines), for the parent's log. */
  output: string[];
}

/** The script that trains one member: `member-main.js` beside this bundle (the `.ts` source under tsx). */
function memberScript(): string[] {
  for (const name of ['member-main.js', 'member-main.cjs']) {
    const file = join(__dirname, name);
    if (existsSync(file)) return [file];
  }
  const source = join(__dirname, 'member-main.ts');
  if (existsSync(source)) return ['--import', 'tsx', source];
  throw new TaggerError(`cannot find the ensemble member script beside ${__dirname}: reinstall @twner/tagger`, EXIT_FAILURE);
}

/**
 * Starts members in child processes now (synchronously, so they run while the caller trains
 * member 1 on this thread) and returns a promise of them, trained and loaded. Each child writes
 * its output to a file, so a busy parent never blocks it.
 */
export function trainMembersInChildren(jobs: Omit<MemberJob, 'out'>[], log: (line: string) => void): Promise<Member[]> {
  if (jobs.length === 0) return Promise.resolve([]);
  const dir = mkdtempSync(join(tmpdir(), 'twner-members-'));
  const script = memberScript();
  const started = jobs.map((job, i) => {
    const k = i + 2;
    const out = join(dir, `member-${k}`);
    const jobFile = join(dir, `job-${k}.json`);
    const logFile = join(dir, `member-${k}.log`);
    writeFileSync(jobFile, JSON.stringify({ ...job, out } satisfies MemberJob));
    const fd = openSync(logFile, 'w');
    const child = spawn(process.execPath, [...script, jobFile], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    log(`Ensemble member ${k} (seed ${job.seed}): training in a child process (pid ${child.pid}).`);
    // A parent that exits first (an error in its own member, process.exit) takes its children with it instead of leaving them training.
    const orphaned = (): void => void child.kill('SIGTERM');
    process.once('exit', orphaned);
    const exited = new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (code) => {
        process.off('exit', orphaned);
        resolve(code);
      });
    });
    return { k, job, out, logFile, exited };
  });
  const collect = async (): Promise<Member[]> => {
    try {
      return await Promise.all(
        started.map(async ({ k, job, out, logFile, exited }) => {
          const code = await exited;
          const output = (await readFile(logFile, 'utf8')).split('\n').filter((l) => l.length > 0);
          if (code !== 0) {
            throw new TaggerError(`ensemble member ${k} (seed ${job.seed}) failed with exit code ${code}: ${output.slice(-5).join(' | ')}`, EXIT_FAILURE);
          }
          return { ...(await loadNet(out)), vocabJson: await readFile(join(out, 'vocab.json'), 'utf8'), seed: job.seed, output };
        }),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  return collect();
}
