import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The command tables of the CLI's README and of the root README list every command `twner --help` has.
const cli = join(__dirname, '..', 'dist', 'cli.js');

function commands(): string[] {
  const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' }).stdout;
  const section = help.slice(help.indexOf('Commands:'));
  return [...section.matchAll(/^ {2}([a-z]+)\b/gm)].map((m) => m[1]).filter((c) => c !== 'help');
}

describe('README command lists', () => {
  const names = commands();
  it('twner --help lists the commands', () => {
    expect(names).toEqual(expect.arrayContaining(['run', 'predict', 'eval', 'eda', 'serve', 'worker', 'trends', 'compare', 'train']));
  });

  it.each(names)('packages/cli/README.md has a row for twner %s', (name) => {
    const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('## Commands'), readme.indexOf('\n## ', readme.indexOf('## Commands') + 5));
    expect(table).toMatch(new RegExp(`\`twner ${name}\\b`));
  });

  it.each(names)("the root README's package table names %s for the twner package", (name) => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
    const row = readme.split('\n').find((l) => l.startsWith('| [`twner`]'));
    expect(row).toBeDefined();
    expect(row).toMatch(new RegExp(`\`${name}\\b`));
  });
});
