// Starts Debian's redis-server on a free loopback port with an append-only file in a temporary
// folder, so a test can SIGKILL it and start it again with its data. Without the binary the
// Redis tests skip with one loud line, except under CI, where they fail.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createClient } from 'redis';

const BIN = process.env.TWNER_REDIS_SERVER ?? 'redis-server';

export function redisServerAvailable(): boolean {
  return spawnSync(BIN, ['--version']).status === 0;
}

/** `describe` when redis-server runs here; otherwise skip loudly, or fail under CI. */
export function describeRedis(name: string, body: () => void): void {
  if (redisServerAvailable()) return describe(name, body);
  if (process.env.CI) {
    describe(name, () => it('needs redis-server on PATH (CI is set)', () => {
      throw new Error(`@twner/stream: \`${BIN}\` not found; install redis-server (apt-get install redis-server) or set TWNER_REDIS_SERVER`);
    }));
    return;
  }
  console.warn(`@twner/stream: SKIPPING Redis tests "${name}": \`${BIN}\` not found (apt-get install redis-server)`);
  describe.skip(name, body);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export class RedisServer {
  private proc: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
    /** `always` (the tests: a SIGKILL loses nothing) or `everysec` (Redis' default, the bench). */
    readonly fsync: 'always' | 'everysec',
  ) {}

  /** The server's process id while it runs. */
  get pid(): number | undefined {
    return this.proc?.pid;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(options: { fsync?: 'always' | 'everysec' } = {}): Promise<RedisServer> {
    const server = new RedisServer(await freePort(), fs.mkdtempSync(path.join(os.tmpdir(), 'twner-redis-')), options.fsync ?? 'always');
    await server.launch();
    return server;
  }

  /** Starts (again) on the same port and folder, so the append-only file is replayed. */
  async launch(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', this.fsync, '--dir', this.dir];
    this.proc = spawn(BIN, args, { stdio: 'ignore' });
    const deadline = Date.now() + 10000;
    for (;;) {
      const client = createClient({ url: this.url, socket: { reconnectStrategy: false } });
      client.on('error', () => undefined);
      try {
        await client.connect();
        const pong = await client.ping();
        await client.close();
        if (pong === 'PONG') return;
      } catch {
        // not up yet, or still replaying its append-only file (PING answers LOADING): try again
        if (client.isOpen) client.destroy();
      }
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${this.url} within 10 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** SIGKILLs the server and waits until it is gone. */
  async kill(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      proc.once('exit', () => resolve());
      proc.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    await this.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
