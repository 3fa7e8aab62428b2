import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Input the CLI must refuse with exit 2 and a message naming the file and line, through the built
// CLI with the bundled model (its gazetteers: ../shared beside the repository).
const cli = join(__dirname, '..', 'dist', 'cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'twner-bad-input-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function twner(args: string[], input?: string | Buffer): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 110_000, ...(input !== undefined ? { input } : {}) });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const latin1 = Buffer.from('ok line\ncaf\xe9 in Paris\n', 'latin1');

describe('text that is not UTF-8 is refused, never decoded into U+FFFD', () => {
  it('predict --file and predict - name the line and byte column', () => {
    const file = join(tmp, 'latin1.txt');
    writeFileSync(file, latin1);
    const r = twner(['predict', '--format', 'json', '--file', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:2:4: invalid UTF-8 byte 0xe9 at byte column 4`);
    expect(r.stdout).not.toContain('\ufffd');
    const s = twner(['predict', '--format', 'json', '-'], latin1);
    expect(s.status).toBe(2);
    expect(s.stderr).toContain('<stdin>:2:4: invalid UTF-8 byte 0xe9');
  });

  it('eval names the file as given, with line and column', () => {
    const dir = join(tmp, 'gold');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    const gold = join(dir, 'x.conll');
    writeFileSync(gold, Buffer.from('Paris\tB-geo-loc\ncaf\xe9\tO\n', 'latin1'));
    const r = twner(['eval', gold, gold]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${gold}:2:4: invalid UTF-8 byte 0xe9`);
  });

  it('trends --file refuses it too, and a line whose entities are not {type, text}', () => {
    const file = join(tmp, 'latin1.jsonl');
    writeFileSync(file, Buffer.concat([Buffer.from('{"created_at":"2026-11-30T12:00:00Z","text":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n')]));
    const r = twner(['trends', '--file', file, '--charts', '']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:1:`);
    for (const [entities, shown] of [['[{"foo":1}]', '{"foo":1}'], ['["str"]', '"str"'], ['[null]', 'null'], ['[{"text":"bob"}]', '{"text":"bob"}'], ['[{"type":5,"text":"bob"}]', '{"type":5,"text":"bob"}']]) {
      const bad = join(tmp, 'entities.jsonl');
      writeFileSync(bad, `{"created_at":"2026-11-30T12:00:00Z","entities":[{"type":"person","text":"bob"}]}\n{"created_at":"2026-11-30T12:00:01Z","entities":${entities}}\n`);
      const t = twner(['trends', '--file', bad, '--charts', '']);
      expect([entities, t.status]).toEqual([entities, 2]);
      expect(t.stderr).toContain(`${bad}:2: entities[0] must be an object with a string "type" and "text"`);
      expect(t.stderr).toContain(shown);
      expect(t.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
    }
  });
});

describe('predict takes its input from one place', () => {
  it.each([
    [['--file', 'tweets.txt', 'extra text'], '--file tweets.txt and texts on the command line both give input'],
    [['--file', 'tweets.txt', '-'], '--file tweets.txt and - (stdin) both give input'],
    [['-', 'more'], '- (read stdin) cannot be mixed with texts to tag'],
  ])('refuses %j', (args, message) => {
    const r = twner(['predict', ...args], 'x\n');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stdout).toBe('');
  });
});

describe('numbers on the command line are decimal digits', () => {
  it.each([
    [['serve', '--port', ''], '--port expects an integer'],
    [['serve', '--port', '0x46A1'], '--port expects an integer'],
    [['predict', '--batch-lines', '1e3', 'hi'], '--batch-lines expects an integer'],
    [['eval', '--digits', '', 'a', 'b'], '--digits must be an integer from 0 to 20'],
  ])('refuses %j', (args, message) => {
    const r = twner(args);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
  });
});

describe('nothing is overwritten without --force', () => {
  it('eda --out and trends --charts refuse a folder that holds files, and leave them as they were', () => {
    const out = join(tmp, 'kept');
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'stats.txt'), 'precious');
    const eda = twner(['eda', '--out', out]);
    expect(eda.status).toBe(2);
    expect(eda.stderr).toContain(`--out ${out}: the folder exists and is not empty (stats.txt); give --force`);
    const file = join(tmp, 'one.jsonl');
    writeFileSync(file, '{"created_at":"2026-11-30T12:00:00Z","entities":[{"type":"person","text":"bob"}]}\n');
    const trends = twner(['trends', '--file', file, '--charts', out]);
    expect(trends.status).toBe(2);
    expect(trends.stderr).toContain(`--charts ${out}: the folder exists and is not empty`);
    expect(readFileSync(join(out, 'stats.txt'), 'utf8')).toBe('precious');
    const forced = twner(['trends', '--file', file, '--charts', out, '--force']);
    expect(forced.status).toBe(0);
    expect(readFileSync(join(out, 'stats.txt'), 'utf8')).toBe('precious');
    const asFile = twner(['eda', '--out', join(out, 'stats.txt')]);
    expect(asFile.status).toBe(2);
    expect(asFile.stderr).toContain('is a file, not a folder');
  });
});

describe('serve --redis is checked before the server starts', () => {
  it.each([
    ['notaurl', '--redis must look like redis://127.0.0.1:6379, received "notaurl"'],
    // nothing listens on port 1 of the loopback: the connection is refused at once
    ['redis://127.0.0.1:1', '--redis redis://127.0.0.1:1: cannot read the trend counts'],
  ])('refuses %s (exit 2, never "listening")', (url, message) => {
    const r = twner(['serve', '--port', '0', '--threads', '1', '--redis', url]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain('listening');
  });
});

describe('a damaged BERT run names its file, and nothing is downloaded for it', () => {
  it('run.json that is not JSON, and a run whose model folder is empty', () => {
    const cut = join(tmp, 'bert-cut');
    mkdirSync(cut, { recursive: true });
    writeFileSync(join(cut, 'run.json'), '{"kind": "bert", "modelDir"');
    const a = twner(['predict', '--model', cut, 'hello']);
    expect(a.status).toBe(2);
    expect(a.stderr).toContain(`${join(cut, 'run.json')} is not valid JSON`);
    const empty = join(tmp, 'bert-empty');
    mkdirSync(join(empty, 'model'), { recursive: true });
    writeFileSync(join(empty, 'run.json'), JSON.stringify({ kind: 'bert', modelDir: 'model', aggregation: 'first', maxLength: 128 }));
    const b = twner(['predict', '--model', empty, 'hello']);
    expect(b.status).toBe(2);
    expect(b.stderr).toContain(`${empty}: ${join('model', 'config.json')} is missing`);
    expect(b.stderr).not.toMatch(/Hugging Face|download/i);
  });
});

describe('predict --input-format conll', () => {
  it('refuses a token line wider or narrower than the first (its tag would be lost)', () => {
    const file = join(tmp, 'uneven.conll');
    writeFileSync(file, 'Apple\tB-company\textra\nis\tO\n\n');
    const r = twner(['predict', '--input-format', 'conll', '--file', file, '--format', 'conll']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}: sentence 1 (line 2), token 2 ("is"): 2 fields where the file's first token line has 3`);
    expect(r.stdout).toBe('');
  });
});

describe('empty names and empty files', () => {
  it('eval refuses two empty files (it printed a report of nan)', () => {
    const empty = join(tmp, 'empty.conll');
    writeFileSync(empty, '');
    const r = twner(['eval', empty, empty]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${empty}: no tokens to score (the file is empty)`);
  });

  it.each(['--stream', '--group', '--output', '--dead-letter', '--consumer'])('worker %s "" is refused before it connects', (flag) => {
    const r = twner(['worker', '--redis', 'redis://127.0.0.1:1', flag, '']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${flag} must name a Redis key or group, received an empty string`);
  });
});

describe('serve says which --host or --port it cannot listen on', () => {
  it('an address this machine does not have', () => {
    const r = twner(['serve', '--port', '0', '--threads', '1', '--host', '999.1.1.1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot listen on --host 999.1.1.1 --port 0: no such address on this machine');
  });

  it('a port in use', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      const r = spawnSync(process.execPath, [cli, 'serve', '--port', String(port), '--threads', '1'], { encoding: 'utf8', timeout: 110_000 });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`cannot listen on --host 127.0.0.1 --port ${port}: the port is in use`);
    } finally {
      busy.close();
    }
  });
});

