import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['e2e/**/*.e2e.ts'],
    // builds the console afresh before the first file
    globalSetup: ['e2e/global-setup.ts'],
    environment: 'node',
    // one server and one browser per file; files run one after another on a 2-core machine
    fileParallelism: false,
    testTimeout: 120_000,
    // a server's first start creates the database and loads the demo region
    hookTimeout: 300_000,
  },
});
