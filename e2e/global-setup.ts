import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { prepareTemplate, ROOT } from './server.js';

const run = promisify(execFile);

/**
 * Builds the console once per browser-test run, before any server starts, so the tests always exercise
 * the source as it is now and never a `web/dist` left over from an older checkout (the server serves
 * web/dist, as in production; vite empties it first).
 */
export default async function buildConsole(): Promise<() => Promise<void>> {
  const started = Date.now();
  const vite = path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  await run(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'error'], {
    cwd: ROOT,
    maxBuffer: 1 << 24,
  });
  process.stdout.write(`console built into web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  // then the state every file's server starts from (server.ts)
  return prepareTemplate();
}
