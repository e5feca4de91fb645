import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Off for targeted runs; `npm test` (scripts/test.mjs) turns it on and prints the totals in its summary.
    coverage: {
      provider: 'v8',
      include: ['server/src/**/*.ts', 'web/src/**/*.{ts,tsx}'],
      exclude: ['**/*.test.ts', '**/*.test.tsx', 'server/src/test/**', '**/*.d.ts'],
      reporter: ['text-summary', 'json-summary'],
      // a failing test still reports the coverage of the run
      reportOnFailure: true,
    },
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['server/src/**/*.test.ts', 'web/src/**/*.test.{ts,tsx}'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          environment: 'node',
          // antd-mobile's CommonJS build requires its CSS: the phone's page tests load its ES build through Vite
          // (CSS dropped)
          server: { deps: { inline: [/antd-mobile/] } },
          alias: [{ find: /^antd-mobile$/, replacement: 'antd-mobile/es/index.js' }],
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['server/src/**/*.int.test.ts'],
          // the databases every suite starts from, prepared once per run
          globalSetup: ['server/src/test/int-global-setup.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 2,
        },
      },
    ],
  },
});
