/**
 * The tfjs ops in a real browser: every reference vector through `tf.grad` on the webgl and
 * webgpu backends of headless Chromium (Debian's, driven by playwright-core; WebGPU enabled with
 * `--enable-unsafe-webgpu`; without a GPU both run on SwiftShader), checked against the float64
 * truth with the tolerances of the Node backends (loss within 1e-5 relative, gradient within
 * 1e-4 of the largest |grad|, every gradient element finite, PyTorch's NaN cases included).
 * On webgl the multi-label op runs the fused kernel (webgl-multi-label.ts); the single-label op
 * and webgpu run the composed fallback. 1,000 `optimizer.minimize` steps leave the tensor and
 * byte counts unchanged on both.
 *
 * Skipped, with a message, only when /usr/bin/chromium is missing outside CI; in CI (`CI` set)
 * a missing browser is a failure, as for the page's tests.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { referenceCases } from '@asymmetric-loss/testing/reference';
import { referenceMismatches } from '@asymmetric-loss/testing/reference-run';
import type { ConformanceResult } from './browser/page.js';

const chromiumPath = '/usr/bin/chromium';
const skip =
  !existsSync(chromiumPath) && !process.env.CI
    ? `${chromiumPath} not found: install Debian's chromium to run the browser conformance tests`
    : false;
const configFile = fileURLToPath(new URL('./browser/vite.config.ts', import.meta.url));

describe('tfjs ops in Chromium against the reference vectors', { skip }, () => {
  const outDir = mkdtempSync(join(tmpdir(), 'asl-conformance-'));
  let server: PreviewServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    await build({ configFile, build: { outDir, emptyOutDir: true } });
    server = await preview({ configFile, build: { outDir }, preview: { port: 0 } });
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--no-sandbox', '--enable-unsafe-webgpu', '--disable-background-networking'],
    });
    page = await browser.newPage();
    await page.goto(server.resolvedUrls!.local[0]);
    await page.waitForFunction(() => window.aslConformance !== undefined);
  });

  after(async () => {
    await browser?.close();
    if (server) await new Promise<void>((resolve) => server.httpServer.close(() => resolve()));
    rmSync(outDir, { recursive: true, force: true });
  });

  for (const backend of ['webgl', 'webgpu']) {
    it(`${backend}: every case within the float64 truth's tolerances, finite`, async () => {
      const result = await page.evaluate(
        (b) => window.aslConformance!(b) as Promise<ConformanceResult>,
        backend,
      );
      assert.ok(result.available, `${backend} did not start in Chromium`);
      const cases = referenceCases();
      assert.equal(result.cases.length, cases.length);
      const problems = cases.flatMap((cs, i) =>
        referenceMismatches(cs, result.cases[i].loss, result.cases[i].grad, {
          loss: 1e-5,
          grad: 1e-4,
        }).map((p) => `${cs.id}: ${p}`),
      );
      assert.deepEqual(problems.slice(0, 20), [], `${problems.length} mismatches on ${backend}`);
      assert.equal(result.fused, backend === 'webgl', 'the fused multi-label kernel: webgl only');
      assert.deepEqual(result.memory.after, result.memory.before, '1,000 minimize steps leak');
    });
  }
});
