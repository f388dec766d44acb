import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two forks on the 2-core machines this runs on. Test files share each fork's module cache
    // (isolate: false): importing vega, DuckDB and TensorFlow.js once per fork instead of once per file
    // saves about a minute; the tests keep no module state between files (process.cwd and spies are
    // restored where they are changed).
    maxWorkers: 2,
    isolate: false,
  },
});
