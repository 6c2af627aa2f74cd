import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Two single-page apps from one build: the operator dashboard (`index.html`, served at `/`) and
 * the consumer portal (`portal/index.html`, served at `/portal/`). Shared code lands in shared
 * hashed chunks under `assets/`, which the server caches for a year. Nothing is inlined: the
 * pages run under a Content-Security-Policy without 'unsafe-inline'.
 */
export default defineConfig({
  root: here('.'),
  base: '/',
  plugins: [react()],
  resolve: {
    alias: { '@hookrelay/sdk/client': here('../packages/sdk/src/client.ts') },
  },
  build: {
    outDir: here('../dist/ui'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    rollupOptions: {
      input: { dashboard: here('index.html'), portal: here('portal/index.html') },
    },
  },
});
