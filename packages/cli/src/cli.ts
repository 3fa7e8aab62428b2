import { Command } from 'commander';
import { registerEdaCommand } from './commands/eda';
import { registerEvalCommand } from './commands/eval';
import { registerPredictCommand } from './commands/predict';
import { registerRunCommands } from './commands/run';
import { registerServeCommands } from './commands/serve';
import { registerTrendsCommand } from './commands/trends';
import { createRequire } from 'node:module';

const program = new Command();
program
  .name('twner')
  .description('Named-entity recognition for tweets (WNUT 2016): EDA, BiLSTM-CRF training, evaluation, prediction')
  .version((createRequire(import.meta.url)('../package.json') as { version: string }).version, '-V, --version', 'print the twner version')
  .option('--debug', 'print stack traces of errors (also TWNER_DEBUG=1)')
  .showHelpAfterError()
  .exitOverride((err) => {
    // commander: --help/--version exit 0; usage errors exit 2.
    process.exit(err.exitCode === 0 ? 0 : 2);
  });
registerEdaCommand(program);
registerRunCommands(program);
registerPredictCommand(program);
registerEvalCommand(program);
registerServeCommands(program);
registerTrendsCommand(program);
// The BERT commands import @twner/bert-ner (and tfjs) when registered: only when they may run.
const first = process.argv.slice(2).find((a) => !a.startsWith('-'));
if (first === undefined || ['train', 'train-bert', 'compare', 'help'].includes(first)) {
  try {
    const { registerBertCommands } = await import('./commands/train-bert');
    registerBertCommands(program);
  } catch (error) {
    if (!/@tensorflow|tfjs/.test(String((error as Error).message))) throw error;
    const message = 'needs TensorFlow.js: npm install @tensorflow/tfjs @tensorflow/tfjs-backend-wasm';
    const train = program.commands.find((c) => c.name() === 'train') ?? program.command('train');
    for (const cmd of [train.command('bert'), program.command('compare')]) {
      cmd.description(`(${message})`).allowUnknownOption().action(() => {
        process.stderr.write(`twner: ${cmd.name()} ${message}\n`);
        process.exit(2);
      });
    }
  }
}

await program.parseAsync(process.argv);
