import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves dist/ from the same origin as /api, so the dev server proxies both API and webhook paths.
export default defineConfig({
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
      '/hooks': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
