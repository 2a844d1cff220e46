import type { ServiceConfig } from './config.ts';
import { systemClock } from './domain/clock.ts';
import type { Store } from './domain/store.ts';
import { buildApp } from './http/app.ts';
import { MemoryRateCounter } from './store/memory-counter.ts';
import { RedisRateCounter } from './store/redis-counter.ts';

/** Listens on the configured port and stops cleanly on SIGTERM/SIGINT: in-flight requests finish, the store closes. */
export async function serve(config: ServiceConfig, store: Store): Promise<void> {
  const counter = config.redisUrl ? new RedisRateCounter(config.redisUrl) : new MemoryRateCounter();
  const app = await buildApp({ config, store, clock: systemClock, counter });
  app.server.keepAliveTimeout = 65_000;
  app.server.requestTimeout = 30_000;
  const address = await app.listen({ host: config.host, port: config.port });
  // One line, for people and for scripts that wait for it.
  process.stdout.write(`consentry-service listening on ${address} (${config.databaseUrl ? 'PostgreSQL' : `db ${config.dbPath}`}${config.redisUrl ? ', shared rate limits in Redis' : ''})\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'stopping');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    await counter.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
