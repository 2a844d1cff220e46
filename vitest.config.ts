import { defineConfig } from 'vitest/config';
import { sqliteThreads } from './scripts/build/sqlite-threads.ts';

export default defineConfig({
  // The SQLite store's threads run as the service bundle ships them (see the plugin).
  plugins: [sqliteThreads()],
  test: {
    projects: [
      { test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'service',
          include: ['tests/service/**/*.test.ts'],
          globalSetup: ['tests/service/build-bundle.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        // The same service tests again, on PostgreSQL: both stores must behave alike.
        test: {
          name: 'service-postgres',
          include: ['tests/service/**/*.test.ts'],
          // The scan engine keeps nothing in a store: once is enough.
          exclude: ['tests/service/sqlite-store.test.ts', 'tests/service/scanner/engine.test.ts'],
          globalSetup: ['tests/service/build-bundle.ts', 'tests/service/postgres-server.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
