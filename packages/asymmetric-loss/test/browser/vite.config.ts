/** Vite configuration of the browser conformance page (built by test/browser-conformance.test.ts). */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  logLevel: 'warn',
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 10000,
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  preview: { host: '127.0.0.1' },
  server: { fs: { allow: [fileURLToPath(new URL('../../../..', import.meta.url))] } },
});
