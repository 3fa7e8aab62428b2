// End to end: twner serve (createServer with a fake engine and a memory trend store), a producer
// posting tweets, and the dashboard in Debian's headless Chromium driven by playwright-core.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { memoryTrendStore, redisTrendStore, type TrendStore } from '@twner/trends';
import { chromium, type Browser } from 'playwright-core';
import { startServer, type RunningServer } from '../src';
import { dashboardHtml } from '../src/dashboard';
import { fakeEngine, tweet } from './fake-engine';
import { RedisServer, redisServerAvailable } from './redis-server';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(__dirname, '.artifacts');
const SCREENSHOT = path.join(ARTIFACTS, 'dashboard.png');
const DOCS_SCREENSHOT = path.join(__dirname, '../docs/dashboard.png');

function haveChromium(): boolean {
  const ok = fs.existsSync(CHROMIUM) && spawnSync(CHROMIUM, ['--version']).status === 0;
  if (!ok && process.env.CI) throw new Error(`${CHROMIUM} not found, and CI is set: apt-get install chromium (Debian), or set CHROMIUM_PATH`);
  if (!ok) console.warn(`!!! SKIPPING the dashboard end-to-end test: ${CHROMIUM} not found — apt-get install chromium (Debian package chromium), or set CHROMIUM_PATH`);
  return ok;
}

const BACKGROUND = ['Alice', 'Bob', 'London', 'Paris', 'Taylor Swift', 'New York', 'Obama', 'Berlin'];

const CHROMIUM_OK = haveChromium();
const describeBrowser = CHROMIUM_OK ? describe : describe.skip;

async function post(url: string, texts: string[]): Promise<void> {
  const response = await fetch(`${url}/v1/tag`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ texts }) });
  if (!response.ok) throw new Error(`POST /v1/tag: ${response.status} ${await response.text()}`);
}

describeBrowser('dashboard in headless Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let producer: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    // Half an hour of steady history: the background names 3 times a minute each, so that they
    // have a baseline and only the planted entity rises.
    const trends = memoryTrendStore();
    for (let minute = 1; minute <= 30; minute += 1) {
      const at = Date.now() - minute * 60_000;
      await trends.record(BACKGROUND.flatMap((name) => [0, 1, 2].map(() => ({ type: name.includes(' ') ? 'person' : 'geo-loc', text: name }))), at);
    }
    server = await startServer({
      engine: fakeEngine(),
      trends,
      dashboardHtml: () => dashboardHtml({ refreshMs: 500 }),
      port: 0,
      signals: [],
      exitOnSignal: false,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    if (producer) clearInterval(producer);
    await browser?.close();
    await server?.close();
  });

  it('shows a planted entity in the top list within seconds and highlights a pasted tweet', async () => {
    // Background traffic before the page opens.
    await post(server.url, Array.from({ length: 40 }, (_, i) => tweet(i)));
    const page = await browser.newPage({ viewport: { width: 1280, height: 560 } });
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(server.url);
    await page.waitForSelector('#top-types [data-type="geo-loc"] li[data-entity="london"]', { timeout: 10_000 });
    expect(await page.locator('li[data-entity="zanzibar"]').count()).toBe(0);

    // The producer: a few tweets a second, now with the planted entity.
    let i = 40;
    producer = setInterval(() => {
      i += 1;
      void post(server.url, [`volcano near Zanzibar ${i}`, `ash over Zanzibar, flights cancelled ${i}`]).catch(() => undefined);
    }, 150);
    const t0 = Date.now();
    await page.waitForSelector('#top-types [data-type="geo-loc"] li[data-entity="zanzibar"]', { timeout: 10_000 });
    const seenAfter = Date.now() - t0;
    expect(seenAfter).toBeLessThan(10_000);
    await page.waitForSelector('#rising-types [data-type="geo-loc"] li[data-entity="zanzibar"]', { timeout: 10_000 });
    // The steady background, with its baseline, is on top but not rising.
    expect(await page.locator('#rising-types li[data-entity="london"]').count()).toBe(0);
    expect(await page.locator('#top-types li[data-entity="london"]').count()).toBe(1);

    // Paste a tweet that opens with astral characters (math bold, two UTF-16 units each), so that
    // offsets read as code points would highlight the wrong letters.
    const text = '𝐁𝐑𝐄𝐀𝐊𝐈𝐍𝐆: Taylor Swift lands in Zanzibar tonight, lol';
    await page.fill('#tweet', text);
    await page.click('#tag-button');
    await page.waitForSelector('#tagged mark.ent');
    const marks = await page.$$eval('#tagged mark.ent', (nodes) => nodes.map((n) => [n.getAttribute('data-type'), n.textContent]));
    expect(marks).toEqual([
      ['person', 'Taylor Swift'],
      ['geo-loc', 'Zanzibar'],
    ]);
    expect(await page.textContent('#tagged')).toBe(text);

    if (process.env.TWNER_UPDATE_SCREENSHOT) {
      // For the README picture: let the burst climb to the top of its list.
      const first = page.locator('#top-types [data-type="geo-loc"] li').first();
      for (let tries = 0; tries < 60 && (await first.getAttribute('data-entity')) !== 'zanzibar'; tries += 1) await page.waitForTimeout(500);
    }
    clearInterval(producer);
    producer = undefined;
    await page.waitForTimeout(700); // one more poll, so the lists are settled for the picture
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    console.log(`dashboard screenshot: ${SCREENSHOT}`);
    if (process.env.TWNER_UPDATE_SCREENSHOT) {
      fs.mkdirSync(path.dirname(DOCS_SCREENSHOT), { recursive: true });
      fs.copyFileSync(SCREENSHOT, DOCS_SCREENSHOT);
    }
    // Nothing left the machine: every request went to the server under test.
    expect(requests.filter((u) => !u.startsWith(server.url))).toEqual([]);
  });
});

// With Redis the counts are shared: one server tags (a worker's job), another serves the page.
(CHROMIUM_OK && redisServerAvailable() ? describe : describe.skip)('dashboard over Redis-backed trends in headless Chromium', () => {
  let redis: RedisServer;
  let tagging: RunningServer;
  let serving: RunningServer;
  let browser: Browser;
  const stores: TrendStore[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    stores.push(redisTrendStore({ url: redis.url, prefix: 'e2e' }), redisTrendStore({ url: redis.url, prefix: 'e2e' }));
    const common = { port: 0, signals: [] as NodeJS.Signals[], exitOnSignal: false };
    tagging = await startServer({ ...common, engine: fakeEngine(), trends: stores[0] });
    serving = await startServer({
      ...common,
      engine: fakeEngine(),
      trends: stores[1],
      dashboardHtml: () => dashboardHtml({ refreshMs: 500 }),
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await tagging?.close();
    await serving?.close();
    for (const store of stores) await store.close(); // the server does not own its trend store
    await redis?.stop();
  });

  it('shows on one server what another server tagged', async () => {
    const page = await browser.newPage();
    await page.goto(serving.url);
    await page.waitForSelector('#status.live', { timeout: 10_000 });
    expect(await page.locator('li[data-entity="zanzibar"]').count()).toBe(0);
    for (let i = 0; i < 5; i += 1) await post(tagging.url, ['volcano near Zanzibar', 'ash over Zanzibar']);
    await page.waitForSelector('#top-types [data-type="geo-loc"] li[data-entity="zanzibar"]', { timeout: 10_000 });
    // all ten mentions, whichever poll the page is at
    await page.waitForSelector('#top-types [data-type="geo-loc"] li[data-entity="zanzibar"][title^="10 mentions"]', { timeout: 10_000 });
    // and the window selector asks for the other windows
    const asked = page.waitForRequest((r) => r.url().includes('window=3600'));
    await page.selectOption('#window', '3600');
    await asked;
    await page.waitForSelector('#top-types [data-type="geo-loc"] li[data-entity="zanzibar"]');
  });
});
