import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';

/** `$REDIS_SERVER`, else `redis-server` on the PATH. */
export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

/**
 * Whether the Redis tests can run. Under `CI` a missing redis-server is a failure (the tests
 * throw); elsewhere they are skipped with one loud line naming the Debian package.
 */
export function haveRedisServer(): boolean {
  const ok = spawnSync(REDIS_SERVER, ['--version']).status === 0;
  if (!ok && process.env.CI) {
    throw new Error(`${REDIS_SERVER} not found, and CI is set: install it (Debian: apt-get install redis-server) or set REDIS_SERVER`);
  }
  if (!ok) console.warn(`!!! SKIPPING the Redis tests: ${REDIS_SERVER} not found — apt-get install redis-server (Debian package redis-server), or set REDIS_SERVER`);
  return ok;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts a throw-away redis-server on 127.0.0.1 (no persistence) and waits until it accepts connections. */
export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start on port ${port}:\n${log}`)), 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (/Ready to accept connections/.test(log)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${log}`));
    });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
