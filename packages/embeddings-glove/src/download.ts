import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { checkOptionKeys } from './check-options';
import { DownloadError } from './errors';

/** Archives published on the GloVe page. */
export const GLOVE_ARCHIVES = {
  'glove.twitter.27B': 'https://nlp.stanford.edu/data/glove.twitter.27B.zip',
  'glove.6B': 'https://nlp.stanford.edu/data/glove.6B.zip',
} as const;

export type GloveArchiveName = keyof typeof GLOVE_ARCHIVES;

export interface DownloadProgress {
  bytesDone: number;
  totalBytes?: number;
}

export interface DownloadGloveOptions {
  name?: GloveArchiveName;
  /** Directory the archive is saved in (`<name>.zip`; `<name>.zip.part` while incomplete). */
  cacheDir: string;
  /** Overrides the archive's URL (a mirror, or a local server in tests). */
  url?: string;
  /** Fail if connecting or any silence lasts longer. Default 10 000 ms. */
  timeoutMs?: number;
  /** When known, the archive's size in bytes; checked in addition to the server's Content-Length. */
  expectedBytes?: number;
  onProgress?: (progress: DownloadProgress) => void;
}

const HINT =
  'Download it on a machine with internet access and pass the local file instead: --glove <path> on the command line, or TWNER_GLOVE=<path> in the environment.';

function get(url: string, headers: Record<string, string>, timeoutMs: number): Promise<IncomingMessage> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolvePromise, reject) => {
    const request = client.get(url, { headers, timeout: timeoutMs }, resolvePromise);
    request.on('timeout', () => request.destroy(new Error(`no response within ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}

/** Total size from `Content-Range: bytes a-b/total` or Content-Length plus the resume offset. */
function totalOf(response: IncomingMessage, offset: number): number | undefined {
  const range = /\/(\d+)$/.exec(response.headers['content-range'] ?? '');
  if (range !== null) return Number(range[1]);
  const length = response.headers['content-length'];
  return length === undefined ? undefined : offset + Number(length);
}

/**
 * Downloads a GloVe archive once into `cacheDir`, resuming a partial download with an HTTP Range request, and
 * returns its path. Offline it fails within `timeoutMs` with a `DownloadError` telling the user to pass a local file.
 */
export async function downloadGlove(options: DownloadGloveOptions): Promise<string> {
  checkOptionKeys('downloadGlove', options, ['name', 'cacheDir', 'url', 'timeoutMs', 'expectedBytes', 'onProgress']);
  const name = options.name ?? 'glove.twitter.27B';
  const timeoutMs = options.timeoutMs ?? 10_000;
  let url: string = options.url ?? GLOVE_ARCHIVES[name];
  await mkdir(options.cacheDir, { recursive: true });
  const target = join(options.cacheDir, `${name}.zip`);
  const part = `${target}.part`;
  const done = await stat(target).catch(() => undefined);
  if (done !== undefined && (options.expectedBytes === undefined || done.size === options.expectedBytes)) return target;

  let offset = (await stat(part).catch(() => undefined))?.size ?? 0;
  let response: IncomingMessage | undefined;
  for (let redirects = 0; response === undefined; redirects++) {
    let r: IncomingMessage;
    try {
      r = await get(url, offset > 0 ? { range: `bytes=${offset}-` } : {}, timeoutMs);
    } catch (err) {
      throw new DownloadError(
        'DOWNLOAD_UNREACHABLE',
        `Cannot download ${name} from ${url}: ${(err as Error).message}. ${HINT}`,
        url,
        { cause: err },
      );
    }
    const status = r.statusCode ?? 0;
    if (status >= 300 && status < 400 && r.headers.location !== undefined && redirects < 5) {
      r.resume();
      url = new URL(r.headers.location, url).toString();
      continue;
    }
    if (status === 416 && offset > 0) {
      r.resume();
      // "bytes */<total>": the partial file may already be complete.
      const total = /\/(\d+)$/.exec(r.headers['content-range'] ?? '');
      if (total !== null && Number(total[1]) === offset && (options.expectedBytes ?? offset) === offset) {
        await rename(part, target);
        return target;
      }
      // Longer than the archive or unknown: start over.
      await rm(part, { force: true });
      offset = 0;
      continue;
    }
    if (status !== 200 && status !== 206) {
      r.resume();
      throw new DownloadError(
        'DOWNLOAD_HTTP',
        `Cannot download ${name} from ${url}: expected HTTP 200 or 206, received ${status}. ${HINT}`,
        url,
      );
    }
    if (status === 200) offset = 0; // the server ignored the Range header: restart from byte 0
    response = r;
  }

  const total = totalOf(response, offset);
  const out = createWriteStream(part, { flags: offset > 0 ? 'a' : 'w' });
  let bytesDone = offset;
  try {
    await new Promise<void>((resolvePromise, reject) => {
      const body = response as IncomingMessage;
      body.setTimeout(timeoutMs, () => body.destroy(new Error(`no data for ${timeoutMs} ms`)));
      body.on('data', (chunk: Buffer) => {
        bytesDone += chunk.length;
        options.onProgress?.({ bytesDone, totalBytes: total });
      });
      body.on('aborted', () => reject(new Error('connection closed before the end of the body')));
      body.on('error', reject);
      out.on('error', reject);
      out.on('finish', resolvePromise);
      body.pipe(out);
    });
  } catch (err) {
    out.destroy();
    throw new DownloadError(
      'DOWNLOAD_UNREACHABLE',
      `Download of ${name} from ${url} stopped at byte ${bytesDone}${total === undefined ? '' : ` of ${total}`}: ${(err as Error).message}. Run again to resume. ${HINT}`,
      url,
      { cause: err },
    );
  }
  const size = (await stat(part)).size;
  const expected = options.expectedBytes ?? total;
  if (expected !== undefined && size !== expected) {
    throw new DownloadError(
      'DOWNLOAD_SIZE',
      `Downloaded ${name} has the wrong size: expected ${expected} bytes, received ${size} (kept ${part}; run again to resume)`,
      url,
    );
  }
  await rename(part, target);
  return target;
}
