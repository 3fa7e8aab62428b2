import { Command } from 'commander';
import { registerBertCommands } from '../commands/train-bert';
import { predictWithBert, formatBertPrediction } from './predict';
const program = new Command('twner');
registerBertCommands(program);
program.command('predict-bert').requiredOption('--model <run>').argument('<texts...>').action(async (texts: string[], o: { model: string }) => {
  for (const p of await predictWithBert(o.model, texts)) console.log(formatBertPrediction(p));
});
program.parseAsync();
