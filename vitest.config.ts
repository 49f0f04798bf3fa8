import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.data/**'],
    // each file opens its own database; PGlite start-up and isolate workers need more than the default 5 s
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
