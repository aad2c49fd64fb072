import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The server serves dist/ from the same origin as /api, so the dev server proxies both API and webhook paths.
export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 900,
    rollupOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay cached across releases.
        manualChunks(id: string) {
          if (!id.includes('node_modules')) return undefined;
          if (id.includes('@codemirror') || id.includes('@lezer') || id.includes('style-mod') || id.includes('crelt') || id.includes('w3c-keyname')) return 'codemirror';
          if (id.includes('@xyflow') || id.includes('d3-') || id.includes('dagre') || id.includes('graphlib')) return 'canvas';
          if (id.includes('react')) return 'react';
          return 'vendor';
        },
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false },
      '/hooks': { target: 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
