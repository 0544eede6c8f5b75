/**
 * The browser benchmark (`npm run bench -- browser`): builds `browser/` with Vite into a
 * temporary directory, serves it on 127.0.0.1, opens it in Debian's headless Chromium
 * (playwright-core, `/usr/bin/chromium`, WebGPU enabled with `--enable-unsafe-webgpu`) and
 * reports one row per backend, loss and size: our op against timm's loss written with tfjs ops,
 * in the same page and run, with kernels, tensors and peak bytes per step from `tf.profile`.
 *
 * Without a GPU, Chromium renders WebGL and WebGPU with SwiftShader, on the CPU: those times
 * are not GPU times, only the ratios in one run mean something (each row says its renderer).
 * Without Chromium the benchmark reports nothing and says why on stderr.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { build, preview } from 'vite';
import type { BenchOptions, Report } from './harness.js';
import type { PageOptions, PageRow } from './browser/page.js';

const chromiumPath = '/usr/bin/chromium';
const configFile = fileURLToPath(new URL('./browser/vite.config.ts', import.meta.url));

export async function run(report: Report, options: BenchOptions): Promise<void> {
  if (!existsSync(chromiumPath)) {
    console.error(`bench browser: ${chromiumPath} not found (apt-get install chromium); skipped`);
    return;
  }
  const outDir = mkdtempSync(join(tmpdir(), 'asl-bench-browser-'));
  try {
    await build({ configFile, build: { outDir, emptyOutDir: true } });
    const server = await preview({ configFile, build: { outDir }, preview: { port: 0 } });
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      const url = server.resolvedUrls?.local[0];
      if (url === undefined) throw new Error('bench browser: the preview server has no URL');
      await page.goto(url);
      await page.waitForFunction(() => window.aslBench !== undefined);
      const pageOptions: PageOptions = {
        backends: ['wasm', 'webgl', 'webgpu'],
        sizes: options.quick
          ? [[64, 80]]
          : [
              [64, 80],
              [256, 9605],
              [1024, 1000],
            ],
        steps: options.quick ? 3 : 5,
        filter: options.filter,
      };
      page.setDefaultTimeout(0);
      const rows = await page.evaluate(
        (o) => window.aslBench!(o) as Promise<PageRow[]>,
        pageOptions,
      );
      for (const row of rows) report({ bench: 'browser', name: String(row.name), ...row });
    } finally {
      await browser.close();
      await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
