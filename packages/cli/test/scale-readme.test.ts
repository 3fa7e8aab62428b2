import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'redis';
import { describeRedis, freePort } from '../../stream/test/redis-server';

// The "One machine, by hand" block of @twner/stream's README, run as written: only the port (a
// free one instead of 6379) and `twner` (this checkout's built CLI) differ.
const cli = join(__dirname, '..', 'dist', 'cli.js');
const readme = readFileSync(join(__dirname, '../../stream/README.md'), 'utf8');

function scaleBlock(): string {
  const section = readme.slice(readme.indexOf('**One machine, by hand.**'));
  const m = /```sh\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('no ```sh block after "One machine, by hand." in packages/stream/README.md');
  return m[1];
}

describeRedis('README: Running at scale, one machine by hand', () => {
  const dir = mkdtempSync(join(tmpdir(), 'twner-scale-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts Redis and two workers, produces, tags every tweet, leaves nothing pending and stops the workers', async () => {
    expect(existsSync(cli)).toBe(true);
    const port = await freePort();
    const block = scaleBlock();
    expect(block).toContain('6379');
    const tweets = Array.from({ length: 60 }, (_, i) => (i % 4 === 0 ? 'Taylor Swift played at Madison Square Garden last night' : `just landed in London , tweet ${i}`));
    writeFileSync(join(dir, 'tweets.txt'), `${tweets.join('\n')}\n`);
    // `twner` as an installed one is: an executable that becomes the node process (so that the
    // block's `kill $(jobs -p)` signals the workers themselves).
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'twner'), `#!/bin/sh\nexec "${process.execPath}" "${cli}" "$@"\n`, { mode: 0o755 });
    const script = `set -e\n${block.replaceAll('6379', String(port))}`;
    // The block runs in a folder of its own, so the gazetteer lists are found as a user's would be
    // (here $TWNER_LEXICON_DIR; on a machine with internet, the download).
    const lexicon = process.env.TWNER_LEXICON_DIR ?? join(__dirname, '../../../../shared/data/wnut16-lexicon');
    const env = { ...process.env, TWNER_LEXICON_DIR: lexicon, PATH: `${bin}:${process.env.PATH ?? ''}` };
    const r = spawnSync('bash', ['-c', script], { cwd: dir, env, encoding: 'utf8', timeout: 110_000 });
    const client = createClient({ url: `redis://127.0.0.1:${port}`, socket: { reconnectStrategy: false } });
    client.on('error', () => undefined); // SHUTDOWN closes the socket
    try {
      expect(r.error).toBeUndefined(); // not timed out
      expect(r.stderr).not.toMatch(/twner: /);
      expect(r.status).toBe(0);
      expect(r.stdout.trim()).toBe('0'); // XPENDING's count
      expect(r.stderr).toMatch(/twner worker .*-1: stopped/);
      expect(r.stderr).toMatch(/twner worker .*-2: stopped/);
      await client.connect();
      const out = await client.xRange('tweets:entities', '-', '+');
      expect(out.map((e) => e.message.text)).toHaveLength(tweets.length);
      expect(new Set(out.map((e) => e.message.id)).size).toBe(tweets.length);
      const swift = out.find((e) => e.message.text === tweets[0])!;
      expect(JSON.parse(swift.message.entities as string).map((e: { text: string }) => e.text)).toEqual(['Taylor Swift', 'Madison Square Garden']);
      expect(existsSync(join(dir, 'redis-data'))).toBe(true); // the append-only file's folder
    } finally {
      if (client.isOpen) await client.sendCommand(['SHUTDOWN', 'NOSAVE']).catch(() => undefined);
      else spawnSync('redis-cli', ['-p', String(port), 'shutdown', 'nosave']);
    }
  });
});
