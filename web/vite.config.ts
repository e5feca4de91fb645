import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// The API server of `npm run dev` (same PORT as the server reads).
const api = `http://127.0.0.1:${process.env.PORT ?? '3000'}`;

export default defineConfig({
  root,
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': api,
      '/docs': api,
      '/health': api,
      '/ready': api,
    },
  },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    // The console (antd) and the phone shell (antd-mobile) are lazy routes (src/root.tsx), so each is its own
    // chunk and a phone never downloads antd. The people and reports pages are lazy routes inside the console
    // (src/console-app.tsx), so the antd they share with it is split into one chunk of its own by the bundler
    // (~740 kB minified, ~240 kB gzip, named after one of its modules); the limit sits above the largest chunk
    // so that anything growing past it is still reported.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // React and the other libraries both shells share change least often: one long-cached chunk.
          // Only these (and their own dependencies) are grouped by hand; splitting antd or antd-mobile out of
          // their lazy chunks by hand makes chunks import each other in a cycle, which breaks at run time.
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|@tanstack|i18next|react-i18next)[\\/]/,
            },
          ],
        },
      },
    },
  },
});
