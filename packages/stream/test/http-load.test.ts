import { spawn } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import autocannon from 'autocannon';
import { createServer } from '../src';
import { fakeEngine, tagOne, tweet } from './fake-engine';
import { parsePrometheus, sampleValue } from './prometheus';

const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;
const SERVE = path.join(__dirname, 'fixtures/serve-main.ts');
const TEXTS = [tweet(1), tweet(2), tweet(3), tweet(4)];
const BODY = JSON.stringify({ texts: TEXTS });

function postTag(agent: http.Agent, port: number, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/v1/tag', method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (data += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('HTTP service under load (loopback)', () => {
  it('autocannon: every request answered 200 and the metrics count exactly the tweets sent', async () => {
    const app = createServer({ engine: fakeEngine({ work: 20 }), maxQueue: 100000 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const result = await autocannon({
      url: `http://127.0.0.1:${port}/v1/tag`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: BODY,
      connections: 16,
      duration: 2,
    });
    expect(result.errors).toBe(0);
    expect(result.non2xx).toBe(0);
    expect(result['2xx']).toBeGreaterThan(100);
    const { samples } = parsePrometheus((await app.inject({ method: 'GET', url: '/metrics' })).body);
    const answered = sampleValue(samples, 'twner_http_requests_total', { route: '/v1/tag', code: '200' })!;
    // autocannon may stop with requests still in flight: those were answered after it stopped counting.
    expect(answered).toBeGreaterThanOrEqual(result['2xx']);
    expect(answered).toBeLessThanOrEqual(result['2xx'] + 16);
    expect(sampleValue(samples, 'twner_tweets_tagged_total')).toBe(answered * TEXTS.length);
    // Concurrent clients were micro-batched: fewer engine calls than requests.
    expect(sampleValue(samples, 'twner_batch_size_count')!).toBeLessThan(answered);
    await app.close();
  });

  it('malformed and oversize requests under load get 400/413 and do not disturb good ones', async () => {
    const app = createServer({ engine: fakeEngine(), bodyLimit: 2000, maxTexts: 10 });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as { port: number };
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const bodies = ['{"texts": [', JSON.stringify({ texts: ['x'.repeat(3000)] }), JSON.stringify({ texts: [1, 2] }), JSON.stringify({ texts: Array(11).fill('a') }), BODY];
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => postTag(agent, port, bodies[i % bodies.length])));
    answers.forEach((a, i) => {
      const expected = [400, 413, 400, 400, 200][i % bodies.length];
      expect([i, a.status]).toEqual([i, expected]);
      if (expected === 200) expect(JSON.parse(a.body).results.map((r: { entities: unknown }) => r.entities)).toEqual(TEXTS.map(tagOne));
    });
    agent.destroy();
    await app.close();
  });

  it('SIGTERM during load: every request the server accepted is answered 200', async () => {
    const proc = spawn(process.execPath, ['--import', TSX_LOADER, SERVE, '10'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const port = await new Promise<number>((resolve, reject) => {
      proc.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening (\d+)\n/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      proc.on('exit', () => reject(new Error(`server exited early: ${out}`)));
    });
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
    let ok = 0;
    let refused = 0;
    let wrong = 0;
    let stop = false;
    const client = async (): Promise<void> => {
      while (!stop) {
        try {
          const a = await postTag(agent, port, BODY);
          if (a.status !== 200) refused += 1;
          else if (JSON.parse(a.body).results.length === TEXTS.length) ok += 1;
          else wrong += 1;
        } catch {
          refused += 1; // connection closed or refused by the stopping server: never accepted
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    };
    const clients = Array.from({ length: 32 }, client);
    await new Promise((r) => setTimeout(r, 1000));
    proc.kill('SIGTERM');
    const code = await exited;
    stop = true;
    await Promise.all(clients);
    agent.destroy();
    const counts = JSON.parse(out.trim().split('\n').at(-1)!);
    expect(code).toBe(0);
    expect(wrong).toBe(0);
    expect(ok).toBeGreaterThan(50);
    expect(counts.answered200).toBe(counts.accepted - counts.answeredOther);
    expect(ok).toBe(counts.answered200);
    expect(counts.accepted).toBeGreaterThanOrEqual(ok);
    // Requests the closing server answered 503 reached the client as refusals.
    expect(counts.answeredOther).toBeLessThanOrEqual(refused);
  });
});
