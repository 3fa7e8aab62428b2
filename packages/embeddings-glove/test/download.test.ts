import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DownloadError, downloadGlove } from '../src';
import { tempDir } from './helpers';

const ARCHIVE = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 31) % 251));

interface Server {
  url: string;
  ranges: Array<string | undefined>;
  close: () => Promise<void>;
}

/** A loopback server for ARCHIVE; `mode` decides how it treats Range requests and bodies. */
function serve(mode: 'ranges' | 'ignore-ranges' | 'short-body' | 'not-found'): Promise<Server> {
  const ranges: Array<string | undefined> = [];
  const server = http.createServer((req, res) => {
    ranges.push(req.headers.range);
    if (mode === 'not-found') {
      res.writeHead(404).end();
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range !== null && mode === 'ranges') {
      const start = Number(range[1]);
      if (start >= ARCHIVE.length) {
        res.writeHead(416, { 'content-range': `bytes */${ARCHIVE.length}` }).end();
        return;
      }
      res.writeHead(206, {
        'content-length': ARCHIVE.length - start,
        'content-range': `bytes ${start}-${ARCHIVE.length - 1}/${ARCHIVE.length}`,
      });
      res.end(ARCHIVE.subarray(start));
      return;
    }
    const body = mode === 'short-body' ? ARCHIVE.subarray(0, 1000) : ARCHIVE;
    res.writeHead(200, { 'content-length': body.length });
    res.end(body);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/glove.twitter.27B.zip`,
        ranges,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('downloadGlove', () => {
  it('fails fast against a closed port, telling the user to pass a local file', async () => {
    const server = await serve('ranges');
    const { url } = server;
    await server.close();
    const error = (await downloadGlove({ cacheDir: tmp.dir, url, timeoutMs: 2000 }).catch((e: unknown) => e)) as DownloadError;
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.code).toBe('DOWNLOAD_UNREACHABLE');
    expect(error.message).toMatch(/^Cannot download glove\.twitter\.27B from http:\/\/127\.0\.0\.1:\d+\/glove\.twitter\.27B\.zip: .*ECONNREFUSED/);
    expect(error.message).toContain('--glove <path>');
    expect(error.message).toContain('TWNER_GLOVE=<path>');
  });

  it('gives up within timeoutMs when the server accepts but never answers', async () => {
    const server = http.createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    try {
      await expect(downloadGlove({ cacheDir: tmp.dir, url: `http://127.0.0.1:${port}/x.zip`, timeoutMs: 200 })).rejects.toThrow(
        /Cannot download glove\.twitter\.27B from .*: no response within 200 ms\. Download it on a machine/,
      );
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('downloads the archive and reports progress up to its size', async () => {
    const server = await serve('ranges');
    try {
      const seen: number[] = [];
      const file = await downloadGlove({ cacheDir: tmp.dir, url: server.url, onProgress: (p) => seen.push(p.bytesDone) });
      expect(file).toBe(join(tmp.dir, 'glove.twitter.27B.zip'));
      expect(readFileSync(file).equals(ARCHIVE)).toBe(true);
      expect(seen[seen.length - 1]).toBe(ARCHIVE.length);
      expect(existsSync(`${file}.part`)).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('resumes a partial download with a Range request', async () => {
    const server = await serve('ranges');
    try {
      writeFileSync(join(tmp.dir, 'glove.twitter.27B.zip.part'), ARCHIVE.subarray(0, 12_345));
      const file = await downloadGlove({ cacheDir: tmp.dir, url: server.url });
      expect(server.ranges).toEqual(['bytes=12345-']);
      expect(readFileSync(file).equals(ARCHIVE)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('finishes a partial file that is already complete when the server answers 416', async () => {
    const server = await serve('ranges');
    try {
      writeFileSync(join(tmp.dir, 'glove.twitter.27B.zip.part'), ARCHIVE);
      const file = await downloadGlove({ cacheDir: tmp.dir, url: server.url });
      expect(server.ranges).toEqual([`bytes=${ARCHIVE.length}-`]);
      expect(readFileSync(file).equals(ARCHIVE)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('starts over when the partial file is longer than the archive', async () => {
    const server = await serve('ranges');
    try {
      writeFileSync(join(tmp.dir, 'glove.twitter.27B.zip.part'), Buffer.concat([ARCHIVE, Buffer.from('junk')]));
      const file = await downloadGlove({ cacheDir: tmp.dir, url: server.url });
      expect(server.ranges).toEqual([`bytes=${ARCHIVE.length + 4}-`, undefined]);
      expect(readFileSync(file).equals(ARCHIVE)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('restarts from byte 0 when the server ignores the Range request', async () => {
    const server = await serve('ignore-ranges');
    try {
      writeFileSync(join(tmp.dir, 'glove.twitter.27B.zip.part'), Buffer.from('stale bytes'));
      const file = await downloadGlove({ cacheDir: tmp.dir, url: server.url });
      expect(readFileSync(file).equals(ARCHIVE)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('does not download again once the archive is there', async () => {
    const server = await serve('ranges');
    try {
      await downloadGlove({ cacheDir: tmp.dir, url: server.url });
      await downloadGlove({ cacheDir: tmp.dir, url: server.url });
      expect(server.ranges).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('checks the size and keeps the partial file for a later resume', async () => {
    const server = await serve('short-body');
    try {
      const error = (await downloadGlove({ cacheDir: tmp.dir, url: server.url, expectedBytes: ARCHIVE.length }).catch(
        (e: unknown) => e,
      )) as DownloadError;
      expect(error.code).toBe('DOWNLOAD_SIZE');
      expect(error.message).toMatch(/expected 50000 bytes, received 1000/);
      expect(existsSync(join(tmp.dir, 'glove.twitter.27B.zip.part'))).toBe(true);
      expect(existsSync(join(tmp.dir, 'glove.twitter.27B.zip'))).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('reports an HTTP error status with the local-file hint', async () => {
    const server = await serve('not-found');
    try {
      await expect(downloadGlove({ cacheDir: tmp.dir, url: server.url })).rejects.toThrow(
        /expected HTTP 200 or 206, received 404\. Download it on a machine with internet access/,
      );
    } finally {
      await server.close();
    }
  });
});
