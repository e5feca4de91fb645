// The entry of a row-preparation worker thread (import.prep.pool.ts). The server runs its TypeScript through
// tsx, and so do the command line, the benchmark and (through vite-node) the tests — but a worker thread gets
// none of their loaders: this plain module loads the TypeScript worker through tsx's API.
import { tsImport } from 'tsx/esm/api';

await tsImport('./import.prep.worker.ts', import.meta.url);
