import { Command } from 'commander';
import { registerEdaCommand } from './commands/eda';
import { registerEvalCommand } from './commands/eval';
import { registerPredictCommand } from './commands/predict';
import { registerRunCommands } from './commands/run';
import { registerBertCommands } from './commands/train-bert';
import { registerMemberCommand } from './train/members';

const program = new Command();
program
  .name('twner')
  .description('Named-entity recognition for tweets (WNUT 2016): EDA, BiLSTM-CRF training, evaluation, prediction')
  .showHelpAfterError()
  .exitOverride((err) => {
    // commander: --help/--version exit 0; usage errors exit 2.
    process.exit(err.exitCode === 0 ? 0 : 2);
  });
registerEdaCommand(program);
registerRunCommands(program);
registerPredictCommand(program);
registerEvalCommand(program);
registerBertCommands(program);
registerMemberCommand(program);

await program.parseAsync(process.argv);
