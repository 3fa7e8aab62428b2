import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateDataset, sha256Hex, type DatasetSpec } from '../src/data/locate';
import { ChecksumError, DataNotFoundError } from '../src/errors';
import { createServer, type Server } from 'node:http';

const spec = (base: string, sha?: string): DatasetSpec => ({
  id: 'toy',
  envVar: 'TOY_DIR',
  flag: '--toy-dir',
  files: [{ name: 'a.conll', url: `${base}/a`, sha256: sha }],
});

describe('locateDataset', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'twner-locate-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('prefers the flag, then the environment variable', async () => {
    for (const d of ['flag', 'env']) {
      mkdirSync(join(root, d));
      writeFileSync(join(root, d, 'a.conll'), 'x\tO\n');
    }
    const env = { TOY_DIR: join(root, 'env') };
    expect(await locateDataset(spec('http://127.0.0.1:59999'), { dir: join(root, 'flag'), env, cwd: root })).toEqual({
      dir: join(root, 'flag'),
      source: 'flag',
    });
    expect(await locateDataset(spec('http://127.0.0.1:59999'), { env, cwd: root })).toEqual({ dir: join(root, 'env'), source: 'env' });
  });

  it('says plainly when the flag names no folder, a file, or a folder without the files', async () => {
    const many: DatasetSpec = { ...spec('http://127.0.0.1:59999'), files: Array.from({ length: 9 }, (_, i) => ({ name: `f${i}.txt`, url: 'http://127.0.0.1:59999/x' })) };
    await expect(locateDataset(many, { dir: join(root, 'nowhere'), env: {}, cwd: root })).rejects.toThrow(`--toy-dir points to ${join(root, 'nowhere')}, which does not exist`);
    writeFileSync(join(root, 'file'), '');
    await expect(locateDataset(many, { dir: join(root, 'file'), env: {}, cwd: root })).rejects.toThrow('which is a file, not a folder');
    mkdirSync(join(root, 'some'));
    writeFileSync(join(root, 'some', 'f0.txt'), '');
    await expect(locateDataset(many, { dir: join(root, 'some'), env: {}, cwd: root })).rejects.toThrow(/which lacks f1.txt, f2.txt, f3.txt, f4.txt, f5.txt, f6.txt and 2 more of its 9 files$/);
  });

  it('finds ../shared/data/<id> from a nested working folder, then the cache', async () => {
    const shared = join(root, 'shared', 'data', 'toy');
    mkdirSync(shared, { recursive: true });
    writeFileSync(join(shared, 'a.conll'), 'x\tO\n');
    const cwd = join(root, 'repo', 'examples');
    mkdirSync(cwd, { recursive: true });
    expect(await locateDataset(spec('http://127.0.0.1:59999'), { env: {}, cwd, cacheRoot: join(root, 'cache') })).toEqual({
      dir: shared,
      source: 'shared',
    });
  });

  it('says where to put the files when nothing is found and the URL is unreachable', async () => {
    const run = locateDataset(spec('http://127.0.0.1:59999'), { env: {}, cwd: root, cacheRoot: join(root, 'cache'), timeoutMs: 5000 });
    await expect(run).rejects.toThrow(DataNotFoundError);
    await expect(run).rejects.toThrow(/pass --toy-dir <folder> or set TOY_DIR/);
  });

  describe('download', () => {
    let server: Server;
    let base: string;
    beforeAll(async () => {
      server = createServer((_req, res) => res.end('tok\tO\n'));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const addr = server.address();
      base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('downloads into the cache and checks the sha256', async () => {
      const sha = sha256Hex(new TextEncoder().encode('tok\tO\n'));
      const got = await locateDataset(spec(base, sha), { env: {}, cwd: root, cacheRoot: join(root, 'cache') });
      expect(got).toEqual({ dir: join(root, 'cache', 'toy'), source: 'download' });
      expect(await locateDataset(spec(base, sha), { env: {}, cwd: root, cacheRoot: join(root, 'cache') })).toEqual({
        dir: join(root, 'cache', 'toy'),
        source: 'cache',
      });
    });

    it('rejects a file whose sha256 differs', async () => {
      await expect(locateDataset(spec(base, '0'.repeat(64)), { env: {}, cwd: root, cacheRoot: join(root, 'c2') })).rejects.toThrow(
        ChecksumError,
      );
    });
  });
});
