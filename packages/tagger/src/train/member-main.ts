/**
 * The child process of an ensemble member (see `members.ts`): `node member-main.js <job.json>`
 * trains one refit model and writes it to the job's folder.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { selectBackend } from '../backend';
import { loadLexicon } from '../data/lexicon';
import { saveNet } from '../run-folder/bundle';
import { fitModel } from './fit';
import type { MemberJob } from './members';

async function main(jobFile: string): Promise<void> {
  const job = JSON.parse(await readFile(jobFile, 'utf8')) as MemberJob;
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const opts = { ...job.options, seed: job.seed, epochs: job.epochs, timeBudget: 0, progress: false };
  await selectBackend(opts.backend);
  const gazetteer = job.lexicon ? await loadLexicon(job.lexicon.dir, job.lexicon.names) : null;
  const fitted = await fitModel(opts, job.sentences, null, gazetteer, opts.glove, log, job.schedule);
  await saveNet(job.out, fitted.model, fitted.crf);
  await writeFile(join(job.out, 'vocab.json'), JSON.stringify(fitted.vocab.toJSON()));
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
