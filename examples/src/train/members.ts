import * as tf from '@tensorflow/tfjs';
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { CliError, EXIT_FAILURE } from '../errors';
import type { ResolvedRunOptions } from '../commands/run';
import { announceBackend, runAction } from '../commands/common';
import { findLexicon } from '../data/lexicon';
import { loadSplits } from '../data/splits';
import type { Gazetteer } from '../features/gazetteer';
import type { CrfParams } from '../models/crf';
import { loadNet, saveNet } from '../run-folder/bundle';
import { fitModel } from './fit';

/**
 * Ensemble members of a refit: members 2..n train in child processes (`twner refit-member`, one
 * core each) while member 1 trains in the parent. A member is the refit on train + dev with the
 * run's options, epoch count and learning-rate schedule, and its own seed.
 */
export interface MemberJob {
  options: ResolvedRunOptions;
  seed: number;
  epochs: number;
  schedule: number[];
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

/** The command line that runs this CLI again (`node [loader flags] <cli> …`). */
function selfCommand(): string[] {
  return [...process.execArgv, process.argv[1]];
}

/**
 * Starts members in child processes now (synchronously, so they run while the caller trains
 * member 1 on this thread) and returns a promise of them, trained and loaded. Each child writes
 * its output to a file, so a busy parent never blocks it.
 */
export function trainMembersInChildren(jobs: Omit<MemberJob, 'out'>[], log: (line: string) => void): Promise<Member[]> {
  if (jobs.length === 0) return Promise.resolve([]);
  const dir = mkdtempSync(join(tmpdir(), 'twner-members-'));
  const started = jobs.map((job, i) => {
    const k = i + 2;
    const out = join(dir, `member-${k}`);
    const jobFile = join(dir, `job-${k}.json`);
    const logFile = join(dir, `member-${k}.log`);
    writeFileSync(jobFile, JSON.stringify({ ...job, out } satisfies MemberJob));
    const fd = openSync(logFile, 'w');
    const child = spawn(process.execPath, [...selfCommand(), 'refit-member', jobFile], { stdio: ['ignore', fd, fd] });
    closeSync(fd);
    log(`Ensemble member ${k} (seed ${job.seed}): training in a child process (pid ${child.pid}).`);
    const exited = new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', resolve);
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
            throw new CliError(`ensemble member ${k} (seed ${job.seed}) failed with exit code ${code}: ${output.slice(-5).join(' | ')}`, EXIT_FAILURE);
          }
          return { ...(await readMember(out)), seed: job.seed, output };
        }),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  return collect();
}

async function readMember(dir: string): Promise<Omit<Member, 'seed' | 'output'>> {
  return {
    ...(await loadNet(dir)),
    vocabJson: await readFile(join(dir, 'vocab.json'), 'utf8'),
  };
}

/** `twner refit-member <job.json>` (hidden): trains one member and writes it to the job's folder. */
async function runMember(jobFile: string): Promise<void> {
  const job = JSON.parse(await readFile(jobFile, 'utf8')) as MemberJob;
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const quiet = (): void => {};
  const opts: ResolvedRunOptions = { ...job.options, seed: job.seed, epochs: job.epochs, timeBudget: 0, progress: false };
  await announceBackend(opts.backend, quiet);
  const splits = await loadSplits(opts, quiet);
  let gazetteer: Gazetteer | null = null;
  if (opts.arch !== 'notebook' && opts.gazetteer) {
    gazetteer = (await findLexicon(opts.lexiconDir, { log: quiet })).gazetteer;
  }
  const fitted = await fitModel(opts, [...splits.train, ...splits.dev], null, gazetteer, opts.glove ?? process.env.TWNER_GLOVE, log, job.schedule);
  await saveNet(job.out, fitted.model, fitted.crf);
  await writeFile(join(job.out, 'vocab.json'), JSON.stringify(fitted.vocab.toJSON()));
}

export function registerMemberCommand(program: Command): void {
  program
    .command('refit-member <job>', { hidden: true })
    .description('Internal: train one ensemble member of a --train-with-dev refit (started by `twner run`)')
    .action(runAction(async (job: string) => runMember(job)));
}
