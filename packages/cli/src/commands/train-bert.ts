/**
 * `twner train bert` (the notebook's BERT experiment) and `twner compare`; wired into the
 * program with {@link registerBertCommands}.
 */
import type { Command } from 'commander';
import { WORD_AGGREGATIONS } from '@twner/bert-ner';
import { CONFIG_PRESETS } from '../bert/presets';
import { parseTrainBertOptions, type RawTrainBertOptions, TRAIN_BERT_DEFAULTS } from '../bert/options';
import { trainBert } from '../bert/train';
import { reportCommandError } from '../bert/report-error';
import type { RunLoader } from '../bert/run-tagger';
import { registerCompareCommand } from './compare';

function describeTrainBert(cmd: Command): Command {
  const d = TRAIN_BERT_DEFAULTS;
  return cmd
    .description('Fine-tune BERT (notebook §8–10): train on train, select on dev (entity F1), report on test, run folder')
    .option('--model <dir|hub-id>', 'checkpoint: a local folder (config.json, model.safetensors, tokenizer.json) or a Hugging Face Hub id', d.model)
    .option('--from-scratch', 'random initialisation with --config (NOT pretrained); only the tokenizer comes from --model', false)
    .option('--config <preset|file>', `model size for --from-scratch: ${Object.keys(CONFIG_PRESETS).join(', ')} or a config.json`, d.config)
    .option('--label-all-tokens', 'label every sub-token of a word (default: the first one only)', false)
    .option('--aggregation <how>', `sub-tokens → word prediction for evaluation and predict: ${WORD_AGGREGATIONS.join(', ')} (sum = the notebook's)`, d.aggregation)
    .option('--lr <rate>', 'peak learning rate of AdamW', d.lr)
    .option('--epochs <n>', 'most epochs', d.epochs)
    .option('--batch-size <n>', 'tweets per step', d.batchSize)
    .option('--warmup-ratio <r>', 'share of the steps with linear warm-up', d.warmupRatio)
    .option('--weight-decay <w>', 'decoupled weight decay (not on biases and LayerNorm)', d.weightDecay)
    .option('--patience <n>', 'stop after n epochs without a better dev entity F1 (0: never)', d.patience)
    .option('--max-length <n>', 'longest sequence in sub-tokens, [CLS]/[SEP] included; longer tweets are cut', d.maxLength)
    .option('--max-grad-norm <x>', 'clip gradients to this global norm', d.maxGradNorm)
    .option('--limit-train <n>', 'first n training tweets only, for smoke runs (0: all)', d.limitTrain)
    .option('--limit-eval <n>', 'first n dev and test tweets only, for smoke runs (0: all)', d.limitEval)
    .option('--seed <n>', 'seed for initialisation, shuffling and dropout (the same seed gives the same model)', d.seed)
    .option('--data-dir <dir>', 'folder with train.conll, dev.conll, test.conll (else $TWNER_DATA_DIR, ../shared/data/wnut16, cache, download)')
    .option('--out <dir>', 'the run folder itself (default: a new <timestamp>-bert under --out-dir)')
    .option('--out-dir <dir>', 'where a new timestamped run folder goes', d.outDir)
    .option('--backend <name>', 'tfjs backend: auto, tensorflow, wasm or cpu', d.backend)
    .action(async (raw: RawTrainBertOptions) => {
      try {
        const options = parseTrainBertOptions(raw);
        await trainBert(options, (line) => process.stdout.write(`${line}\n`), `twner ${process.argv.slice(2).join(' ')}`);
      } catch (error) {
        reportCommandError('train bert', error);
      }
    });
}

/**
 * Adds `train bert` (under an existing `train` command, else a new one) with the alias
 * `train-bert`, and `compare`.
 */
export function registerBertCommands(program: Command, options: { runLoaders?: readonly RunLoader[] } = {}): Command {
  const train = program.commands.find((c) => c.name() === 'train') ?? program.command('train').description('train a model');
  describeTrainBert(train.command('bert'));
  describeTrainBert(program.command('train-bert', { hidden: true }));
  registerCompareCommand(program, options.runLoaders);
  return program;
}
