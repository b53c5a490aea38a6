import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'src/**/*.test.ts',
      'sync-server/**/*.test.ts',
      'models/**/*.test.ts',
      'tests/unit/**/*.test.ts',
      'tests/eval/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 20_000,
  },
});
