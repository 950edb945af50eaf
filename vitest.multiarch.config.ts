// `npm run test:multiarch`: real binaries of every Debian architecture (scripts/multiarch-fetch.mjs
// fills the cache); kept out of the main run, which needs no network.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/multiarch/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
