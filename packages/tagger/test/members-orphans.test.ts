import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// An ensemble member trains in a child process while the parent trains its own; a parent that exits
// first (its member failed, process.exit) must not leave the child training on as an orphan.
const members = join(__dirname, '..', 'src', 'train', 'members.ts');
const options = join(__dirname, '..', 'src', 'train', 'options.ts');

// CommonJS, as the package's CJS build runs it (members.ts finds its child script by __dirname)
const PARENT = `
const { trainMembersInChildren } = require(process.argv[1]);
const { resolveTrainOptions } = require(process.argv[2]);
const sentences = Array.from({ length: 40 }, (_, i) => ({ tokens: ['Paris', 'is', 'nice', 'w' + i], tags: ['B-geo-loc', 'O', 'O', 'O'] }));
const options = resolveTrainOptions({ arch: 'notebook', pretrained: 'none', epochs: 100000, backend: 'cpu', units: 2, embeddingDim: 2 });
let pid = 0;
trainMembersInChildren([{ options, seed: 1, epochs: 100000, schedule: [], sentences, lexicon: null }], (line) => {
  const m = /pid (\\d+)/.exec(line);
  if (m) pid = Number(m[1]);
}).catch(() => undefined);
setTimeout(() => { process.stdout.write(String(pid)); process.exit(3); }, 1500);
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('ensemble members in child processes', () => {
  it('are stopped when the parent exits before them', async () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', PARENT, members, options], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(3);
    const pid = Number(r.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    // the child got SIGTERM as the parent exited; give the OS a moment to reap it
    for (let i = 0; i < 50 && alive(pid); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    const stillAlive = alive(pid);
    if (stillAlive) process.kill(pid, 'SIGKILL');
    expect(stillAlive).toBe(false);
  });
});
