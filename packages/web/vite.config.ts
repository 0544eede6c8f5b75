/**
 * Vite configuration of the explorer page (`npm run web`, `npm run web:build`). The page is
 * static: the build in `web/dist/` holds the HTML, the bundled TypeScript (the library's core,
 * plots, tfjs ops and tagger), the tfjs WebAssembly binaries, the font and the data set, so it
 * works from any static host and offline once loaded. `base: './'` keeps every URL relative.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const webRoot = fileURLToPath(new URL('.', import.meta.url));
/** The repository: the workspaces' packages (linked under its node_modules) live there. */
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Offline support: the service worker (src/sw.ts, built as `sw.js` next to index.html) gets the
 * list of the build's files, which it caches on install.
 */
function offline(): Plugin {
  return {
    name: 'asl-offline',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir ?? join(webRoot, 'dist');
      const files = Object.keys(bundle)
        .filter((f) => f !== 'sw.js' && !f.endsWith('.map'))
        .sort();
      const path = join(dir, 'sw.js');
      const list = `self.__ASL_PRECACHE__ = ${JSON.stringify(files)};\n`;
      writeFileSync(path, list + readFileSync(path, 'utf8'));
    },
  };
}

export default defineConfig({
  root: webRoot,
  base: './',
  // The page imports the library and the tagger (workspaces, linked from node_modules to
  // packages/) and the tagger's data and font: let the dev server read the whole repository.
  server: { host: '127.0.0.1', port: 5173, fs: { allow: [repoRoot] } },
  preview: { host: '127.0.0.1', port: 4173 },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // tfjs and vega are large; the page loads them once and works offline afterwards.
    chunkSizeWarningLimit: 6000,
    // The data set and the wasm binaries stay files (never inlined as data URLs).
    assetsInlineLimit: 0,
    rolldownOptions: {
      // The worker's transform (tfjs) is slow by nature; no timing report on every build.
      checks: { bundlerTimings: false },
      input: { index: join(webRoot, 'index.html'), sw: join(webRoot, 'src/sw.ts') },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  plugins: [offline()],
  worker: { format: 'es' },
  // The dev server pre-bundles the dependencies of the page and of the training worker at
  // start (otherwise it discovers tfjs when the worker starts and reloads the page).
  optimizeDeps: { entries: ['index.html', 'src/train-worker.ts'] },
});
