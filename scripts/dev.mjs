// `npm run dev`: the API server restarting on change (tsx watch) and Vite with hot reload on :5173.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The console's pages come from Vite's origin, which proxies /api to the server under the server's own Host; the
// server refuses state-changing requests from other origins (CSRF), so it is told to allow Vite's.
const devOrigins = ['http://localhost:5173', 'http://127.0.0.1:5173'];
const allowedOrigins = [process.env.LINLI_ALLOWED_ORIGINS, ...devOrigins].filter(Boolean).join(',');
const procs = [
  spawn(
    process.execPath,
    [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'watch', '--clear-screen=false', 'server/src/main.ts'],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, LINLI_ALLOWED_ORIGINS: allowedOrigins },
    },
  ),
  spawn(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), '--config', 'web/vite.config.ts'], {
    cwd: root,
    stdio: 'inherit',
  }),
];
process.stdout.write(
  `Console with hot reload: http://localhost:5173  (API on http://localhost:${process.env.PORT ?? 3000})\n`,
);
const stop = (signal) => {
  for (const p of procs) p.kill(signal);
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));
for (const p of procs)
  p.on('exit', (code) => {
    stop('SIGTERM');
    process.exitCode = code ?? 0;
  });
