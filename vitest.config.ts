import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.data/**'],
    // each file opens its own database; PGlite start-up and isolate workers need more than the default 5 s
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Node 20.20's V8 sporadically crashed deoptimizing inlined array builtins on the authorization path
    execArgv: ['--no-turbo-inline-array-builtins'],
  },
});
