/** `twner compare --bilstm <run> --bert <run>`: see `../bert/compare.ts`. */
import type { Command } from 'commander';
import { useBackend } from '@twner/backend';
import { compareRuns, NOTEBOOK_SENTENCE } from '../bert/compare';
import { bilstmRunLoader } from '../bert/bilstm-run';
import { loadBertRunTagger, type RunLoader } from '../bert/run-tagger';
import { TaggerError, EXIT_USAGE } from '@twner/tagger';
import { parseNumberText } from '../number-text';
import { reportCommandError } from '../bert/report-error';

interface RawCompareOptions {
  bilstm?: string;
  bert?: string;
  sentence?: string[];
  dataDir?: string;
  lexiconDir?: string;
  limitEval?: string;
  outDir?: string;
  out?: string;
  backend?: string;
}

/**
 * Adds `compare`. Run folders of BERT and of the BiLSTM-CRF are recognised; `loaders` add
 * other model families (tried first).
 */
export function registerCompareCommand(program: Command, loaders: readonly RunLoader[] = []): Command {
  return program
    .command('compare')
    .description('The BiLSTM-CRF and BERT runs on the same test set and sentences: P/R/F1 per type, speed, predictions')
    .requiredOption('--bilstm <run>', 'run folder of `twner train bilstm-crf`')
    .requiredOption('--bert <run>', 'run folder of `twner train bert`')
    .option('--sentence <text>', `an own sentence to tag (repeatable; default: "${NOTEBOOK_SENTENCE}")`, (v: string, acc: string[] = []) => [...acc, v])
    .option('--data-dir <dir>', 'folder with train.conll, dev.conll, test.conll (else $TWNER_DATA_DIR, ../shared/data/wnut16, cache, download)')
    .option('--lexicon-dir <dir>', 'gazetteer folder, for a BiLSTM-CRF with gazetteer features (else $TWNER_LEXICON_DIR, shared data, cache)')
    .option('--limit-eval <n>', 'first n test tweets only, for smoke runs (0: all)', '0')
    .option('--out <dir>', 'the compare folder itself (default: a new <timestamp>-compare under --out-dir)')
    .option('--out-dir <dir>', 'where a new timestamped compare folder goes', 'runs')
    .option('--backend <name>', 'tfjs backend: auto, tensorflow, wasm or cpu', 'auto')
    .action(async (raw: RawCompareOptions) => {
      try {
        const limitEval = parseNumberText(raw.limitEval ?? '0', true);
        if (!Number.isInteger(limitEval) || limitEval < 0) throw new TaggerError(`--limit-eval: expected an integer ≥ 0, received ${JSON.stringify(raw.limitEval)}`, EXIT_USAGE);
        const backend = await useBackend(raw.backend ?? 'auto');
        process.stdout.write(`backend: ${backend.name}\n`);
        await compareRuns(
          {
            sides: [
              { name: 'bilstm', runDir: raw.bilstm ?? '', kind: 'bilstm-crf' },
              { name: 'bert', runDir: raw.bert ?? '', kind: 'bert' },
            ],
            sentences: raw.sentence && raw.sentence.length > 0 ? raw.sentence : [NOTEBOOK_SENTENCE],
            dataDir: raw.dataDir,
            limitEval,
            outDir: raw.outDir ?? 'runs',
            ...(raw.out ? { out: raw.out } : {}),
          },
          [...loaders, loadBertRunTagger, bilstmRunLoader(raw.lexiconDir)],
          (line) => process.stdout.write(`${line}\n`),
        );
      } catch (error) {
        reportCommandError('compare', error);
      }
    });
}
