// The whole tagger in a browser: `@twner/tagger/browser` bundled with no Node built-ins, loaded
// into Debian's headless Chromium (playwright-core, executablePath; never a browser download),
// fed the shipped default model and the WNUT16 gazetteer over loopback HTTP, must give the test
// tweets the same tags, entities and span scores as Node's `loadTagger`.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { browserBundle } from '../../../test-utils/browser-bundle';
import { parseConll } from '../src/data/sentences';
import { loadTagger } from '../src/load';
import type { TaggedText } from '../src/entities/entity';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHARED = process.env.TWNER_SHARED_DIR ?? path.resolve(__dirname, '../../../../shared');
const LEXICON = path.join(SHARED, 'data/wnut16-lexicon');
const TEST = path.join(SHARED, 'data/wnut16/test.conll');
const MODEL = path.dirname(require.resolve('@twner/model-wnut16/package.json'));
const TWEETS = 1000;

function haveChromium(): boolean {
  const ok = fs.existsSync(CHROMIUM) && spawnSync(CHROMIUM, ['--version']).status === 0;
  if (!ok && process.env.CI) throw new Error(`${CHROMIUM} not found, and CI is set: apt-get install chromium (Debian), or set CHROMIUM_PATH`);
  if (!ok) console.warn(`!!! SKIPPING the tagger's headless-Chromium test: ${CHROMIUM} not found — apt-get install chromium (Debian package chromium), or set CHROMIUM_PATH`);
  return ok;
}

const haveData = fs.existsSync(LEXICON) && fs.existsSync(TEST);
if (!haveData && process.env.CI) throw new Error(`${LEXICON} or ${TEST} missing, and CI is set: ../shared must sit beside the repository`);
const describeBrowser = haveChromium() && haveData ? describe : describe.skip;

function testTweets(): string[] {
  return parseConll(fs.readFileSync(TEST, 'utf8'), TEST).map((s) => s.tokens.join(' ')).slice(0, TWEETS);
}

/** Serves the page, the bundle, the model folder (`/model/…`) and the lists (`/lexicon/…`) on 127.0.0.1. */
function serve(bundle: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const file = (base: string, rel: string): string | null => {
      const p = path.resolve(base, rel);
      return p.startsWith(base + path.sep) && fs.existsSync(p) && fs.statSync(p).isFile() ? p : null;
    };
    let body: Buffer | string | null = null;
    let type = 'application/octet-stream';
    if (url === '/') {
      body = '<!doctype html><meta charset="utf-8"><script src="/tagger.js"></script>';
      type = 'text/html';
    } else if (url === '/tagger.js') {
      body = bundle;
      type = 'text/javascript';
    } else if (url.startsWith('/model/')) {
      const p = file(path.join(MODEL, 'model'), url.slice('/model/'.length));
      body = p && fs.readFileSync(p);
    } else if (url.startsWith('/lexicon/')) {
      const p = file(LEXICON, url.slice('/lexicon/'.length));
      body = p && fs.readFileSync(p);
      type = 'text/plain; charset=utf-8';
    }
    if (body === null) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': type }).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describeBrowser('the tagger in headless Chromium', () => {
  let browser: Browser;
  let server: http.Server;
  let imports: string[];

  beforeAll(async () => {
    const bundled = await browserBundle(path.join(__dirname, '../src'), 'browser.ts', 'iife');
    imports = bundled.imports;
    server = await serve(bundled.code);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('bundles without Node built-ins and tags 1,000 test tweets exactly as Node does', async () => {
    expect(imports).toEqual([]);
    const tweets = testTweets();
    const node = await loadTagger(MODEL, { lexiconDir: LEXICON });
    const want = node.tagBatch(tweets);
    await node.dispose();

    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    const got = (await page.evaluate(async (texts: string[]) => {
      const api = (globalThis as unknown as { twner: typeof import('../src/browser') }).twner;
      const bytes = async (url: string): Promise<Uint8Array> => {
        const r = await fetch(url);
        if (!r.ok) throw new Error(`${url}: ${r.status}`);
        return new Uint8Array(await r.arrayBuffer());
      };
      const tagger = await api.taggerFromFiles((p) => bytes(`/model/${p}`), { lexicon: (name) => fetch(`/lexicon/${name}`).then((r) => r.text()), where: '/model/' });
      const out = [];
      for (let i = 0; i < texts.length; i += 256) out.push(...tagger.tagBatch(texts.slice(i, i + 256)));
      return { out, description: tagger.engine.description };
    }, tweets)) as { out: TaggedText[]; description: string };
    expect(errors).toEqual([]);
    expect(got.description).toMatch(/wasm kernels.*2 members averaged/);
    expect(got.out).toHaveLength(tweets.length);
    let entities = 0;
    got.out.forEach((g, i) => {
      expect(g.tags).toEqual(want[i].tags);
      expect(g.tokens).toEqual(want[i].tokens);
      expect(g.entities.map(({ score, ...e }) => ({ ...e, score: score.toFixed(9) }))).toEqual(want[i].entities.map(({ score, ...e }) => ({ ...e, score: score.toFixed(9) })));
      entities += g.entities.length;
    });
    expect(entities).toBeGreaterThan(200);
    await page.close();
  }, 180_000);

  it('names the missing file when the model is incomplete', async () => {
    const page = await browser.newPage();
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    const message = await page.evaluate(async () => {
      const api = (globalThis as unknown as { twner: typeof import('../src/browser') }).twner;
      try {
        await api.taggerFromFiles(async (p) => {
          if (p === 'vocab.json') throw new Error('404 Not Found');
          const r = await fetch(`/model/${p}`);
          return new Uint8Array(await r.arrayBuffer());
        }, { lexicon: () => Promise.resolve(''), where: '/model/' });
        return 'loaded';
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    });
    expect(message).toMatch(/RunFolderError: .*\/model\/.*cannot read vocab\.json: 404 Not Found/);
    await page.close();
  }, 60_000);
});
