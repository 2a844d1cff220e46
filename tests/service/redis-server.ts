import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { RedisRateCounter } from '../../src/service/store/redis-counter.ts';

export const redisServerBinary = spawnSync('sh', ['-c', 'command -v redis-server']).stdout.toString().trim();

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A real Redis on a free loopback port, without persistence; resolves once it answers. */
export async function startRedis(): Promise<{ url: string; stop(): void }> {
  if (!redisServerBinary) throw new Error('redis-server is not installed (npm test installs it from Debian)');
  const port = await freePort();
  const child: ChildProcess = spawn(redisServerBinary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    const probe = new RedisRateCounter(url);
    try {
      await probe.hit([{ key: 'probe', limit: 1, windowMs: 1000 }], Date.now());
      await probe.close();
      break;
    } catch {
      await probe.close().catch(() => {});
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return { url, stop: () => child.kill() };
}
