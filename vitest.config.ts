import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'], exclude: ['test/multiarch/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // System scans and executed mutants are heavy; two cores, two workers.
    maxWorkers: 2,
  },
});
