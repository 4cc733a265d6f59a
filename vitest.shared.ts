import { defineConfig } from 'vitest/config';

// One runner for every project: each project's vitest.config.ts re-exports this.
export const sharedTestConfig = defineConfig({
  resolve: { conditions: ['@soundedit/source'] },
  ssr: { resolve: { conditions: ['@soundedit/source'] } },
  test: {
    include: [
      'src/**/*.test.ts',
      'test/**/*.test.ts',
      'cli/**/*.test.ts',
      'worlds/**/*.test.ts',
      'packs/**/*.test.ts',
      'lib/**/*.test.ts',
    ],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
