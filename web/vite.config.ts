import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const api = 'http://127.0.0.1:3000';

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
    // antd is one ~1 MB library the console cannot work without; it gets a cached chunk of its own,
    // so the limit is set just above it to still catch anything else growing unexpectedly
    chunkSizeWarningLimit: 1100,
    rolldownOptions: {
      output: {
        codeSplitting: {
          // a group takes only the modules its test matches, not their dependencies (react would otherwise
          // be pulled into the antd chunk, and the entry would load antd on the phone)
          includeDependenciesRecursively: false,
          groups: [
            // the phone shell (antd-mobile) is loaded only under /m, from its lazy route
            { name: 'mobile-vendor', test: /node_modules[\\/]antd-mobile/, priority: 30 },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|@rc-component)[\\/]/, priority: 20 },
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom|@tanstack|i18next|react-i18next)[\\/]/,
              priority: 10,
            },
          ],
        },
      },
    },
  },
});
